from django.db import models

from .models import AuditAction, AuditEvent


def record_audit_event(
    *,
    actor,
    action: AuditAction,
    target: models.Model | None = None,
    record_count: int = 0,
    details: dict | None = None,
) -> AuditEvent:
    """Write one line of the sensitive-access log (reveals of personal ids, exports, imports)."""
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:255] if target is not None else "",
        record_count=record_count,
        details=details or {},
    )
