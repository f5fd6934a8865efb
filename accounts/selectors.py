"""Who must use a second factor, and with which device."""

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice


def otp_required_for(user) -> bool:
    """With OTP_REQUIRED on: administrators and the roles in OTP_REQUIRED_ROLES (superior level, province)."""
    if not settings.OTP_REQUIRED or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return user.roles.filter(is_active=True, kind__in=settings.OTP_REQUIRED_ROLES).exists()


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk").first()
