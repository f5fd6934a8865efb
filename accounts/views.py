"""Log-in with a second factor, enrolment of that factor, and the password change.

Log-in: the password first (Django's form, axes counting failures); a person who must use a second factor
(accounts.selectors.otp_required_for) and has a confirmed device is not logged in yet: the session remembers
who passed the password step for OTP_PENDING_SECONDS, and the code page finishes the log-in. A person who
must but has no device is logged in and then held on the enrolment page (accounts.middleware).
"""

import segno
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login

from partyorg.lib.errors import DomainError
from partyorg.lib.views import attach_domain_error

from .forms import OTPCodeForm
from .models import User
from .selectors import confirmed_device, otp_required_for
from .services import change_password, check_code, confirm_enrolment, enrolment_device, secret_for_display

PENDING_SESSION_KEY = "accounts_otp_pending"


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"

    def form_valid(self, form):
        user = form.get_user()
        if not (otp_required_for(user) and confirmed_device(user) is not None):
            return super().form_valid(form)
        self.request.session[PENDING_SESSION_KEY] = {
            "user": user.pk,
            "backend": user.backend,
            "at": timezone.now().timestamp(),
        }
        url = reverse("accounts:otp_verify")
        next_url = self.get_redirect_url()
        return redirect(f"{url}?{urlencode({'next': next_url})}" if next_url else url)


def _safe_next(request) -> str:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure())
    return next_url if allowed else ""


def _pending_user(request):
    """The person who passed the password step in this session, if that was recent enough."""
    pending = request.session.get(PENDING_SESSION_KEY)
    if not pending:
        return None, None
    if timezone.now().timestamp() - pending["at"] > settings.OTP_PENDING_SECONDS:
        del request.session[PENDING_SESSION_KEY]
        return None, None
    return User.objects.filter(pk=pending["user"], is_active=True).first(), pending


@never_cache
def otp_verify(request):
    """The second step: the 6-digit code of the person's device."""
    next_url = _safe_next(request)
    done_url = next_url or resolve_url(settings.LOGIN_REDIRECT_URL)
    if request.user.is_authenticated:
        # Logged in before a device was required or confirmed: the code completes this session instead.
        if request.user.is_verified():
            return redirect(done_url)
        user, pending = request.user, None
    else:
        user, pending = _pending_user(request)
        if user is None:
            messages.info(request, "Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.")
            return redirect("login")
    device = confirmed_device(user)
    if device is None:  # reset by the administrator meanwhile: log in again, then enrol
        request.session.pop(PENDING_SESSION_KEY, None)
        return redirect("login" if pending else "accounts:otp_enrol")

    form = OTPCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        credentials = {settings.AXES_USERNAME_FORM_FIELD: user.get_username()}
        if settings.AXES_ENABLED and AxesProxyHandler.is_locked(request, credentials):
            return get_lockout_response(request, None, credentials)
        try:
            device = check_code(user, device, form.cleaned_data["code"])
        except DomainError as error:
            # A wrong code counts as a failed log-in: axes locks the username (and address) as for passwords.
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            attach_domain_error(form, error)
        else:
            if pending is not None:
                del request.session[PENDING_SESSION_KEY]
                auth.login(request, user, backend=pending["backend"])
            otp_login(request, device)
            return redirect(done_url)
    return render(request, "accounts/otp_verify.html", {"form": form, "next": next_url, "person": user})


@login_required
@never_cache  # the page shows the secret
def otp_enrol(request):
    """Enrolment: scan the QR code (or type the secret) into an authenticator app, confirm with one code."""
    user = request.user
    if not otp_required_for(user):
        messages.info(request, "Tài khoản của bạn không bắt buộc xác thực hai bước.")
        return redirect("home")
    existing = confirmed_device(user)
    if existing is not None:
        return render(request, "accounts/otp_enrol.html", {"enrolled": existing})

    device = enrolment_device(user)
    form = OTPCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = confirm_enrolment(user, device, form.cleaned_data["code"])
        except DomainError as error:
            attach_domain_error(form, error)
        else:
            otp_login(request, device)
            messages.success(request, "Đã bật xác thực hai bước. Từ nay, sau mật khẩu hãy nhập mã trên ứng dụng.")
            return redirect("home")
    qr_svg = segno.make(device.config_url, error="m").svg_inline(
        scale=5, border=2, svgclass="otp-qr", title="Mã QR cài đặt xác thực hai bước"
    )
    context = {
        "form": form,
        "qr_svg": mark_safe(qr_svg),  # segno's own markup: the otpauth URL is encoded in the path, not echoed
        "secret": secret_for_display(device),
        "otpauth_url": device.config_url,
    }
    return render(request, "accounts/otp_enrol.html", context)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        user = change_password(form)
        auth.update_session_auth_hash(self.request, user)  # stay logged in (and OTP-verified) here
        messages.success(self.request, "Đã đổi mật khẩu.")
        return HttpResponseRedirect(self.get_success_url())
