import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django_fsm import RETURN_VALUE, FSMField, transition
from simple_history.models import HistoricalRecords

from partyorg.lib.dates import full_years_between, today
from partyorg.lib.decisions import cite_decision
from partyorg.lib.jobs import is_silent
from partyorg.lib.locking import VersionedModel
from partyorg.lib.masking import mask_identifier
from partyorg.lib.text import fold, normalize_text, vietnamese_sort_key

from .choices import ETHNICITY_CHOICES, RELIGION_CHOICES, AcademicDegree, Gender, PoliticalTheory
from .rules import probation_ends_on


class MemberStatus(models.TextChoices):
    PROBATIONARY = "probationary", "Đảng viên dự bị"
    OFFICIAL = "official", "Đảng viên chính thức"
    TRANSFERRED_OUT = "transferred_out", "Đã chuyển sinh hoạt đi"
    DECEASED = "deceased", "Từ trần"
    STRUCK_OFF = "struck_off", "Xóa tên"
    EXPELLED = "expelled", "Khai trừ"
    LEFT = "left", "Cho ra khỏi Đảng"


# Members in party activity; the exits stop their party age (Điều lệ Điều 5 khoản 4; docs/rules/members.md).
ACTIVE_STATUSES = (MemberStatus.PROBATIONARY, MemberStatus.OFFICIAL)
EXIT_STATUSES = (
    MemberStatus.TRANSFERRED_OUT,
    MemberStatus.DECEASED,
    MemberStatus.STRUCK_OFF,
    MemberStatus.EXPELLED,
    MemberStatus.LEFT,
)
_ANY_ACTIVE = list(ACTIVE_STATUSES)
# The exits that a decision of reinstatement (tiếp nhận trở lại / khôi phục đảng tịch) can undo; the others
# (death, leaving the Party at one's own request) cannot be undone.
REINSTATABLE_STATUSES = [MemberStatus.TRANSFERRED_OUT, MemberStatus.STRUCK_OFF, MemberStatus.EXPELLED]


class Member(VersionedModel):
    """A party member's file. Never deleted: exits are statuses, changed only by members.services.

    `version` (VersionedModel) counts its writes: an edit made on an older version is refused."""

    # Identity
    full_name = models.CharField("họ và tên", max_length=100)
    other_name = models.CharField("tên gọi khác", max_length=100, blank=True)
    gender = models.CharField("giới tính", max_length=6, choices=Gender.choices)
    birth_date = models.DateField("ngày sinh")
    personal_id = models.CharField("số CCCD / định danh cá nhân", max_length=12, unique=True)
    birth_registration_place = models.CharField("nơi đăng ký khai sinh", max_length=255, blank=True)
    home_town = models.CharField("quê quán", max_length=255, blank=True)
    permanent_address = models.CharField("nơi thường trú", max_length=255, blank=True)
    temporary_address = models.CharField("nơi tạm trú", max_length=255, blank=True)
    ethnicity = models.CharField("dân tộc", max_length=40, choices=ETHNICITY_CHOICES, default="Kinh")
    religion = models.CharField("tôn giáo", max_length=40, choices=RELIGION_CHOICES, default="Không")
    occupation = models.CharField("nghề nghiệp", max_length=150, blank=True)
    general_education = models.CharField("giáo dục phổ thông", max_length=20, blank=True, help_text="Ví dụ: 12/12")
    professional_level = models.CharField("chuyên môn nghiệp vụ", max_length=150, blank=True)
    academic_degree = models.CharField("học vị, học hàm", max_length=20, choices=AcademicDegree.choices, blank=True)
    political_theory = models.CharField("lý luận chính trị", max_length=20, choices=PoliticalTheory.choices, blank=True)
    foreign_language = models.CharField("ngoại ngữ", max_length=100, blank=True)

    # Party history: party age counts from the decision, probation from the ceremony.
    admission_decided_on = models.DateField("ngày quyết định kết nạp")
    ceremony_held_on = models.DateField("ngày lễ kết nạp", null=True, blank=True)
    first_introducer = models.CharField("người giới thiệu thứ nhất", max_length=150, blank=True)
    second_introducer = models.CharField("người giới thiệu thứ hai", max_length=150, blank=True)
    official_on = models.DateField("ngày chính thức", null=True, blank=True)
    profile_number = models.CharField("số lý lịch", max_length=20, blank=True)
    card_number = models.CharField("số thẻ đảng viên", max_length=20, blank=True)
    card_issued_on = models.DateField("ngày cấp thẻ", null=True, blank=True)

    # Where the member is active
    branch = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="members", verbose_name="chi bộ"
    )
    residential_group = models.ForeignKey(
        "organizations.ResidentialGroup",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        verbose_name="tổ dân phố / thôn",
    )
    status = FSMField("tình trạng", max_length=20, choices=MemberStatus.choices, default=MemberStatus.PROBATIONARY)
    status_since = models.DateField("tình trạng từ ngày", null=True, blank=True)
    activity_exempted_on = models.DateField("ngày miễn công tác và sinh hoạt đảng", null=True, blank=True)
    temporary_attachment = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="sinh hoạt tạm thời tại",
    )
    temporary_attachment_until = models.DateField("sinh hoạt tạm thời đến ngày", null=True, blank=True)

    # Derived, kept for search and ordering at scale (set in save()).
    search_name = models.CharField(max_length=100, editable=False, db_index=True)
    sort_key = models.CharField(max_length=400, editable=False, db_index=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["search_name", "sort_key", "updated_at"])

    SCOPE_PATH = "branch__path"
    # History and conflict messages show these only masked.
    MASKED_FIELDS = ("personal_id",)

    class Meta:
        verbose_name = "đảng viên"
        verbose_name_plural = "đảng viên"
        indexes = [
            models.Index(fields=["branch", "status"]),
            models.Index(fields=["status", "sort_key"]),
            models.Index(fields=["birth_date"]),
            # The list page picks its page of ids from this index alone (an index-only scan on PostgreSQL:
            # the filters read status, branch and search_name from it), then fetches those rows.
            models.Index(
                fields=["sort_key", "id"], include=["status", "branch", "search_name"], name="member_list_order"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.refresh_derived_fields()
        super().save(*args, **kwargs)

    def refresh_derived_fields(self) -> None:
        self.full_name = normalize_text(self.full_name)
        self.search_name = fold(self.full_name)
        self.sort_key = vietnamese_sort_key(self.full_name)

    @property
    def masked_personal_id(self) -> str:
        return mask_identifier(self.personal_id)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def probation_ends_on(self) -> dt.date | None:
        if self.ceremony_held_on is None:
            return None
        return probation_ends_on(self.ceremony_held_on)

    @property
    def age(self) -> int:
        return full_years_between(self.birth_date, today())

    # Transitions: declared here, run only through members.services.change_member_status.
    @transition(field=status, source=MemberStatus.PROBATIONARY, target=MemberStatus.OFFICIAL)
    def recognize_official(self):
        """Công nhận đảng viên chính thức."""

    @transition(field=status, source=_ANY_ACTIVE, target=MemberStatus.STRUCK_OFF)
    def strike_off(self):
        """Xóa tên."""

    # Expulsion is a discipline for full members only; a probationary member is struck off instead.
    @transition(field=status, source=MemberStatus.OFFICIAL, target=MemberStatus.EXPELLED)
    def expel(self):
        """Khai trừ."""

    @transition(field=status, source=_ANY_ACTIVE, target=MemberStatus.LEFT)
    def allow_to_leave(self):
        """Cho ra khỏi Đảng."""

    @transition(field=status, source=_ANY_ACTIVE, target=MemberStatus.DECEASED)
    def record_death(self):
        """Từ trần."""

    @transition(field=status, source=_ANY_ACTIVE, target=MemberStatus.TRANSFERRED_OUT)
    def transfer_out(self):
        """Chuyển sinh hoạt đảng chính thức ra ngoài."""

    @transition(
        field=status,
        source=REINSTATABLE_STATUSES,
        target=RETURN_VALUE(MemberStatus.OFFICIAL, MemberStatus.PROBATIONARY),
    )
    def reinstate(self):
        """Tiếp nhận trở lại / khôi phục đảng tịch."""
        return MemberStatus.OFFICIAL if self.official_on else MemberStatus.PROBATIONARY


class MemberTransition(models.TextChoices):
    RECOGNIZE_OFFICIAL = "recognize_official", "Công nhận chính thức"
    STRIKE_OFF = "strike_off", "Xóa tên"
    EXPEL = "expel", "Khai trừ"
    ALLOW_TO_LEAVE = "allow_to_leave", "Cho ra khỏi Đảng"
    RECORD_DEATH = "record_death", "Từ trần"
    TRANSFER_OUT = "transfer_out", "Chuyển sinh hoạt đi"
    REINSTATE = "reinstate", "Tiếp nhận trở lại / khôi phục đảng tịch"


_DECISION = ("decision_number", "decided_by", "decided_on")
# What each status change must carry on record: the one table, enforced by members.services.change_member_status
# (DomainError per missing field) and shown by the status form. Every change follows a document of a competent
# body: the committee's decision (công nhận chính thức, xóa tên, khai trừ, cho ra khỏi Đảng, phục hồi), the letter of
# introduction (chuyển sinh hoạt) or, for a death, the document that reports it. The exits that end membership for
# a fault or at the member's request also state their reason; the cause of a death is health data and is not asked.
TRANSITION_DECISION_FIELDS: dict[str, tuple[str, ...]] = {
    MemberTransition.RECOGNIZE_OFFICIAL: _DECISION,
    MemberTransition.STRIKE_OFF: (*_DECISION, "reason"),
    MemberTransition.EXPEL: (*_DECISION, "reason"),
    MemberTransition.ALLOW_TO_LEAVE: (*_DECISION, "reason"),
    MemberTransition.RECORD_DEATH: _DECISION,
    MemberTransition.TRANSFER_OUT: _DECISION,
    MemberTransition.REINSTATE: _DECISION,
}


class MemberStatusChange(models.Model):
    """The log of status transitions: who, when recorded, effective when, by which decision, why."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="status_changes")
    transition = models.CharField("thay đổi", max_length=30, choices=MemberTransition.choices)
    from_status = models.CharField("từ tình trạng", max_length=20, choices=MemberStatus.choices)
    to_status = models.CharField("sang tình trạng", max_length=20, choices=MemberStatus.choices)
    effective_on = models.DateField("ngày hiệu lực")
    decision_number = models.CharField("số quyết định", max_length=60, blank=True)
    decided_by = models.CharField("cơ quan quyết định", max_length=255, blank=True)
    decided_on = models.DateField("ngày quyết định", null=True, blank=True)
    reason = models.TextField("lý do", blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name="người thực hiện")
    recorded_at = models.DateTimeField("thời điểm ghi", auto_now_add=True)

    SCOPE_PATH = "member__branch__path"

    class Meta:
        verbose_name = "thay đổi tình trạng đảng viên"
        verbose_name_plural = "thay đổi tình trạng đảng viên"
        ordering = ["-effective_on", "-recorded_at"]

    @property
    def decision(self) -> str:
        return cite_decision(self.decision_number, self.decided_by, self.decided_on)


class BranchMembership(models.Model):
    """Which branch a member was active in, and when: survives moves and merges of the tree."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="memberships")
    branch = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="memberships", verbose_name="chi bộ"
    )
    started_on = models.DateField("từ ngày")
    ended_on = models.DateField("đến ngày", null=True, blank=True)
    reason = models.CharField("lý do", max_length=255, blank=True)
    decision_number = models.CharField("số quyết định", max_length=60, blank=True)

    SCOPE_PATH = "member__branch__path"

    class Meta:
        verbose_name = "quá trình sinh hoạt"
        verbose_name_plural = "quá trình sinh hoạt"
        ordering = ["-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=models.Q(ended_on__isnull=True), name="one_open_membership_per_member"
            )
        ]


class ActivityGap(models.Model):
    """A period without party activity, subtracted from party age (Điều lệ Đảng, Điều 5 khoản 4)."""

    class Reason(models.TextChoices):
        STRUCK_OFF = "struck_off", "Bị xóa tên"
        EXPELLED = "expelled", "Bị khai trừ"
        LOST_CONTACT = "lost_contact", "Mất liên lạc"
        TRANSFER = "transfer", "Gián đoạn khi chuyển sinh hoạt"

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="activity_gaps")
    reason = models.CharField("lý do", max_length=20, choices=Reason.choices)
    started_on = models.DateField("từ ngày")
    ended_on = models.DateField("đến ngày")

    SCOPE_PATH = "member__branch__path"

    class Meta:
        verbose_name = "thời gian gián đoạn sinh hoạt"
        verbose_name_plural = "thời gian gián đoạn sinh hoạt"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__gte=models.F("started_on")), name="gap_ends_after_start"
            )
        ]


class RosterImport(models.Model):
    """An uploaded roster sheet: checked first (preview), written only on confirmation, all rows or none."""

    class Status(models.TextChoices):
        CHECKING = "checking", "Đang kiểm tra"
        CHECKED = "checked", "Đã kiểm tra, chờ xác nhận"
        IMPORTING = "importing", "Đang nhập"
        DONE = "done", "Đã nhập"
        REJECTED = "rejected", "Bị từ chối"
        FAILED = "failed", "Lỗi hệ thống"

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name="tổ chức"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="người nhập",
    )
    file = models.FileField("tệp", upload_to="rosters/%Y/%m/")
    file_name = models.CharField("tên tệp", max_length=255)
    status = models.CharField("trạng thái", max_length=20, choices=Status.choices, default=Status.CHECKING)
    row_count = models.PositiveIntegerField("số dòng", default=0)
    new_count = models.PositiveIntegerField("số đảng viên mới", default=0)
    update_count = models.PositiveIntegerField("số đảng viên cập nhật", default=0)
    unchanged_count = models.PositiveIntegerField("số dòng không thay đổi", default=0)
    problem_count = models.PositiveIntegerField("số lỗi", default=0)
    report = models.JSONField("kết quả kiểm tra", default=dict, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    # Written when the check or the write is queued and while its task runs: a running import whose heartbeat
    # is older than ROSTER_IMPORT_STALE_AFTER lost its worker (roster_services.fail_stale_roster_imports).
    heartbeat_at = models.DateTimeField("tín hiệu gần nhất của tiến trình", null=True, blank=True)
    created_at = models.DateTimeField("thời điểm tải lên", auto_now_add=True)
    imported_at = models.DateTimeField("thời điểm nhập", null=True, blank=True)

    SCOPE_PATH = "organization__path"

    class Meta:
        verbose_name = "lần nhập danh sách đảng viên"
        verbose_name_plural = "lần nhập danh sách đảng viên"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Lần nhập số {self.pk} ({self.file_name})"

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.CHECKING, self.Status.IMPORTING)

    @property
    def is_stale(self) -> bool:
        """Running, but its task has sent no heartbeat for ROSTER_IMPORT_STALE_AFTER."""
        return self.is_running and is_silent(self, settings.ROSTER_IMPORT_STALE_AFTER)

    @property
    def can_retry(self) -> bool:
        # A purged upload has no file left to check again.
        return self.status == self.Status.FAILED and not self.is_purged

    @property
    def can_confirm(self) -> bool:
        return (
            self.status == self.Status.CHECKED and self.problem_count == 0 and self.row_count > 0 and not self.is_purged
        )

    @property
    def is_purged(self) -> bool:
        """Past the retention period: files deleted, report without personal data (members.roster_retention)."""
        return "purged_at" in (self.report or {})

    @property
    def progress_percent(self) -> int:
        if not self.progress_total:
            return 0
        return min(100, self.progress_done * 100 // self.progress_total)


class OrganizationMemberCount(models.Model):
    """How many members have this organization as their branch, per status: the member registry's aggregate.

    Pages and reports read member counts here instead of counting the members table (500,000 rows at province
    level): one row per (branch, status) that has ever held a member, so a subtree's totals are one indexed query
    over at most (branches in the subtree × statuses) rows, joined to the tree by the branch's `path` prefix.

    - Kept in step by every writer of a member's status or branch (members.counts.count_members_moved), in the
      writer's own transaction, as F() increments on rows created beforehand with ON CONFLICT DO NOTHING: two
      concurrent writers never lose a count, and each locks the rows it changes in one fixed order.
    - Keyed by the branch itself, not its path: moving a sub-tree (organizations.services) changes paths and
      no count; a merge moves its members one by one through members.services.transfer_member.
    - Rebuilt from the members table by members.counts.recount_organization_members (`manage.py
      recount_members`, and nightly by Celery beat), which logs and returns any drift it corrected: the members
      table stays the truth, this table its cache.
    - Exits (transferred out, deceased, struck off, …) keep their branch and are counted under their status, so
      reports can show them; "members" on the pages means ACTIVE_STATUSES.
    """

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+", verbose_name="chi bộ"
    )
    status = models.CharField("tình trạng", max_length=20, choices=MemberStatus.choices)
    count = models.IntegerField("số đảng viên", default=0)

    class Meta:
        verbose_name = "số đảng viên theo chi bộ"
        verbose_name_plural = "số đảng viên theo chi bộ"
        constraints = [
            models.UniqueConstraint(fields=["organization", "status"], name="one_member_count_per_branch_status")
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.status}: {self.count}"


class MemberExport(models.Model):
    """An export of the member list too large to build inside a request: built by a task, kept for its requester.

    Only the user who asked downloads it, and only while the organization it covers is still in their scope
    (members.views); the file is deleted after EXPORT_RETENTION_HOURS (members.exports.purge_old_member_exports),
    the row staying as the record of who exported what and when."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Đang chờ"
        RUNNING = "running", "Đang xuất"
        DONE = "done", "Đã xuất xong"
        FAILED = "failed", "Lỗi hệ thống"

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="người yêu cầu"
    )
    # The part of the tree the export covers (the list's organization filter, else the requester's scope):
    # the download is refused once it leaves the requester's scope.
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+", verbose_name="tổ chức"
    )
    filters = models.JSONField("bộ lọc", default=dict, blank=True)
    status = models.CharField("trạng thái", max_length=20, choices=Status.choices, default=Status.QUEUED)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    row_count = models.PositiveIntegerField("số dòng", default=0)
    file = models.FileField("tệp", upload_to="exports/%Y/%m/", blank=True)
    error = models.TextField("lỗi", blank=True)
    # Written while the task runs: a running export silent for ROSTER_IMPORT_STALE_AFTER lost its worker.
    heartbeat_at = models.DateTimeField("tín hiệu gần nhất của tiến trình", null=True, blank=True)
    created_at = models.DateTimeField("thời điểm yêu cầu", auto_now_add=True)
    finished_at = models.DateTimeField("thời điểm xong", null=True, blank=True)
    purged_at = models.DateTimeField("thời điểm xóa tệp", null=True, blank=True)

    SCOPE_PATH = "organization__path"

    class Meta:
        verbose_name = "lần xuất danh sách đảng viên"
        verbose_name_plural = "lần xuất danh sách đảng viên"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["requested_by", "created_at"], name="member_export_requester")]

    def __str__(self) -> str:
        return f"Lần xuất số {self.pk}"

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def is_stale(self) -> bool:
        return self.is_running and is_silent(self, settings.ROSTER_IMPORT_STALE_AFTER)

    @property
    def is_downloadable(self) -> bool:
        return self.status == self.Status.DONE and bool(self.file) and self.purged_at is None

    @property
    def file_name(self) -> str:
        return f"danh-sach-dang-vien-{timezone.localtime(self.created_at):%Y%m%d}-{self.pk}.xlsx"

    @property
    def progress_percent(self) -> int:
        if not self.progress_total:
            return 0
        return min(100, self.progress_done * 100 // self.progress_total)
