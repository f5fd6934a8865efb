"""Account changes a person makes for themselves: password, second factor. Each is written to the audit log."""

from base64 import b32encode

from django.db import transaction
from django.utils import timezone
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditAction
from audit.services import record_audit_event
from partyorg.lib.errors import DomainError

DEVICE_NAME = "Ứng dụng xác thực"
WRONG_CODE = "Mã xác thực không đúng hoặc đã hết hạn. Hãy nhập mã 6 chữ số đang hiện trên ứng dụng."


def change_password(form):
    """Save a valid PasswordChangeForm; the caller keeps the session (update_session_auth_hash)."""
    with transaction.atomic():
        user = form.save()
        record_audit_event(actor=user, action=AuditAction.PASSWORD_CHANGED, target=user)
    return user


def enrolment_device(user) -> TOTPDevice:
    """The unconfirmed device whose secret the enrolment page shows: the same one on every visit until it is
    confirmed, so that a reload does not invalidate what the person already scanned."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def secret_for_display(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, for typing into an app that cannot scan."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def check_code(user, device: TOTPDevice, code: str) -> TOTPDevice:
    """The device, if `code` is its current code; DomainError otherwise.

    After a wrong code django-otp refuses every code for a while (1 s, doubling with each further failure);
    it verifies in its own transaction, so that back-off is committed even though this raises."""
    allowed, why = device.verify_is_allowed()
    if not allowed and why.get("locked_until"):
        wait_until = timezone.localtime(why["locked_until"])
        raise DomainError(f"Đã nhập sai mã nhiều lần: hãy đợi đến {wait_until:%H:%M:%S} rồi thử lại.", field="code")
    verified = verify_token(user, device.persistent_id, code.strip().replace(" ", ""))
    if verified is None:
        raise DomainError(WRONG_CODE, field="code")
    return verified


def confirm_enrolment(user, device: TOTPDevice, code: str) -> TOTPDevice:
    """Confirm the device with its first code; other unconfirmed devices of the person are discarded."""
    device = check_code(user, device, code)
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.devices_for_user(user, confirmed=False).delete()
        record_audit_event(actor=user, action=AuditAction.OTP_ENROLLED, target=user, details={"device": device.pk})
    return device
