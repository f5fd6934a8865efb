"""Generated PDFs, kept until what they print changes."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class GeneratedDocument(models.Model):
    """A PDF of one form (code "6-KNĐ") or of a whole file (code BUNDLE) of some object, e.g. a dossier.

    `fingerprint` hashes the templates and the printed data (documents.rendering.fingerprint): a row whose
    fingerprint is no longer the object's is stale and is replaced on the next request.
    """

    BUNDLE = "bundle"

    class Status(models.TextChoices):
        PENDING = "pending", "Đang chờ"
        RUNNING = "running", "Đang tạo"
        DONE = "done", "Đã xong"
        FAILED = "failed", "Lỗi"

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    code = models.CharField("mẫu", max_length=20)
    fingerprint = models.CharField("dấu vân tay dữ liệu", max_length=64)
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.PENDING)
    done_count = models.PositiveSmallIntegerField("số văn bản đã tạo", default=0)
    total_count = models.PositiveSmallIntegerField("tổng số văn bản", default=0)
    file = models.FileField("tệp PDF", upload_to="documents/%Y/%m/", blank=True)
    page_count = models.PositiveSmallIntegerField("số trang", default=0)
    error = models.TextField("lỗi", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "văn bản đã tạo"
        verbose_name_plural = "văn bản đã tạo"
        indexes = [models.Index(fields=["content_type", "object_id", "code"])]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "code", "fingerprint"], name="one_document_per_state"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} #{self.object_id}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done_count / self.total_count) if self.total_count else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
