from .selectors import otp_required_for


def account(request):
    """For the navigation bar: whether to offer the second-factor page (evaluated only if the template asks)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"otp_required": lambda: otp_required_for(user)}
