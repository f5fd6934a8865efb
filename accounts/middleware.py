from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from .selectors import confirmed_device, otp_required_for

# Where a person who owes a second factor may still go.
OPEN_VIEWS = {"accounts:otp_enrol", "accounts:otp_verify", "logout"}


class OTPRequiredMiddleware:
    """After django-otp's OTPMiddleware: a logged-in person who must use a second factor and has not verified
    one in this session reaches only the enrolment page (no device yet), the code page, or log-out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.OTP_REQUIRED:
            return None
        user = request.user
        if not user.is_authenticated or user.is_verified() or request.resolver_match.view_name in OPEN_VIEWS:
            return None
        if not otp_required_for(user):
            return None
        if confirmed_device(user) is None:
            target = reverse("accounts:otp_enrol")
        else:
            target = reverse("accounts:otp_verify")
            if request.method == "GET" and not request.headers.get("HX-Request"):
                target += "?" + urlencode({"next": request.get_full_path()})
        if request.headers.get("HX-Request"):  # a panel loading must move the whole page, not swap the form in
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return redirect(target)


# Session renewal: the session (and its cookie) lasts SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT_MINUTES from its
# last save. Saving on every request (SESSION_SAVE_EVERY_REQUEST) would add a database write to each page;
# renewing at most once a minute ends an idle session between one minute early and on time.
RENEWED_AT_KEY = "accounts_renewed_at"
RENEW_AFTER_SECONDS = 60


@receiver(user_logged_in)
def _mark_session_fresh(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[RENEWED_AT_KEY] = timezone.now().timestamp()


class SessionRenewalMiddleware:
    """After AuthenticationMiddleware: a logged-in person's request pushes the end of the session back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = timezone.now().timestamp()
            if now - request.session.get(RENEWED_AT_KEY, 0) >= RENEW_AFTER_SECONDS:
                request.session[RENEWED_AT_KEY] = now  # modified: saved with a fresh expiry and cookie
        return self.get_response(request)
