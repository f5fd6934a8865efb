from django.conf import settings
from django.db import models


class AuditAction(models.TextChoices):
    REVEAL_PERSONAL_ID = "reveal_personal_id", "Xem số CCCD đầy đủ"
    SEARCH_PERSONAL_ID = "search_personal_id", "Tìm đảng viên theo số CCCD"
    CHECK_PERSONAL_ID = "check_personal_id", "Số CCCD nhập vào đã có trong hệ thống"
    CHANGE_PERSONAL_ID = "change_personal_id", "Thay đổi số CCCD"
    EXPORT_PERSONAL_DATA = "export_personal_data", "Xuất dữ liệu cá nhân"
    DOWNLOAD_EXPORT = "download_export", "Tải về tệp dữ liệu cá nhân đã xuất"
    IMPORT_ROSTER = "import_roster", "Nhập danh sách đảng viên"
    ORGANIZATION_CHANGE = "organization_change", "Thay đổi tổ chức"
    PASSWORD_CHANGED = "password_changed", "Đổi mật khẩu"
    OTP_ENROLLED = "otp_enrolled", "Bật xác thực hai bước"
    ADMISSION_PLAN_CHANGE = "admission_plan_change", "Lập, sửa kế hoạch kết nạp"


class AuditEvent(models.Model):
    """One sensitive act: who, when, what, on which object. Never edited, never deleted."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="audit_events",
        verbose_name="người thực hiện",
    )
    at = models.DateTimeField("thời điểm", auto_now_add=True, db_index=True)
    action = models.CharField("hành động", max_length=40, choices=AuditAction.choices)
    target_type = models.CharField("loại đối tượng", max_length=60, blank=True)
    target_id = models.CharField("mã đối tượng", max_length=40, blank=True)
    target_label = models.CharField("đối tượng", max_length=255, blank=True)
    record_count = models.PositiveIntegerField("số bản ghi", default=0)
    details = models.JSONField("chi tiết", default=dict, blank=True)

    class Meta:
        verbose_name = "nhật ký truy cập dữ liệu"
        verbose_name_plural = "nhật ký truy cập dữ liệu"
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["target_type", "target_id"]),
            # The hourly limit on lookups by CCCD counts one user's recent rows of a few actions.
            models.Index(fields=["actor", "action", "at"], name="audit_actor_action_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.actor} {self.get_action_display()}"
