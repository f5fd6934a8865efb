def user_roles(request):
    """The roles of the logged-in user, for the navigation bar."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"current_roles": list(user.roles.filter(is_active=True).select_related("organization"))}
