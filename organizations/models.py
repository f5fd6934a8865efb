from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Length, Substr
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node

from partyorg.lib.decisions import cite_decision
from partyorg.lib.text import natural_sort_key


class OrganizationKind(models.TextChoices):
    PROVINCE = "province", "Đảng bộ tỉnh, thành phố"
    # Since 1/7/2025 (QĐ 294-QĐ/TW) the ward/commune or bloc committee; before, the district.
    SUPERIOR = "superior", "Đảng bộ cấp trên trực tiếp cơ sở"
    BASE_COMMITTEE = "base_committee", "Đảng bộ cơ sở"
    BASE_BRANCH = "base_branch", "Chi bộ cơ sở"
    SUB_COMMITTEE = "sub_committee", "Đảng bộ bộ phận"
    BRANCH = "branch", "Chi bộ trực thuộc"


# Members are kept in a branch: a branch under a base committee, or a base branch.
BRANCH_KINDS = (OrganizationKind.BRANCH, OrganizationKind.BASE_BRANCH)
# The base level (tổ chức cơ sở đảng): it stamps dossiers, keeps member files, rates members.
BASE_KINDS = (OrganizationKind.BASE_COMMITTEE, OrganizationKind.BASE_BRANCH)

# A party organization (đảng bộ) acts and signs through its committee (cấp ủy): the documents of "Đảng bộ
# phường Xương Giang" are issued by "Đảng ủy phường Xương Giang", those of "Đảng bộ tỉnh Bắc Giang" by "Tỉnh ủy
# Bắc Giang" (Hướng dẫn 36-HD/VPTW: the issuer's name is the body that issues). Longest prefix first; there is
# no district level since 01/07/2025 (docs/glossary.md).
COMMITTEE_OF_PARTY_ORGANIZATION = (
    ("đảng bộ thành phố ", "Thành ủy "),
    ("đảng bộ tỉnh ", "Tỉnh ủy "),
    ("đảng bộ ", "Đảng ủy "),
)


class Organization(MP_Node):
    """A party organization, at any depth of the tree (materialized path)."""

    code = models.CharField("mã tổ chức", max_length=30, unique=True)
    name = models.CharField("tên tổ chức", max_length=255)
    kind = models.CharField("loại hình", max_length=20, choices=OrganizationKind.choices)
    authorized_to_admit = models.BooleanField(
        "được ủy quyền quyết định kết nạp",
        default=False,
        help_text="Đảng ủy cơ sở được cấp ủy cấp trên ủy quyền quyết định kết nạp, công nhận chính thức.",
    )
    place_name = models.CharField(
        "địa danh trên văn bản",
        max_length=100,
        blank=True,
        help_text="Địa danh ở dòng ngày tháng của văn bản tổ chức ban hành, ví dụ «Bắc Giang». "
        "Để trống thì lấy địa danh của tổ chức cấp trên.",
    )
    active_from = models.DateField("hoạt động từ ngày", null=True, blank=True)
    active_to = models.DateField("hoạt động đến ngày", null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
        verbose_name="đã hợp nhất vào",
    )
    history = HistoricalRecords(excluded_fields=["path", "depth", "numchild"])

    SCOPE_PATH = "path"

    class Meta:
        verbose_name = "tổ chức đảng"
        verbose_name_plural = "tổ chức đảng"

    def __str__(self) -> str:
        return self.name

    @property
    def qualified_name(self) -> str:
        """The name with its parent's (see `qualify`). Read from the `parent_name` annotation (`with_parent_name`)
        when the queryset has it; otherwise one query for the parent."""
        if "parent_name" not in self.__dict__:
            self.parent_name = Organization.objects.get_parent(self).name if self.depth > 1 else None
        return qualify(self.name, self.parent_name)

    @property
    def is_branch(self) -> bool:
        return self.kind in BRANCH_KINDS

    @property
    def is_active(self) -> bool:
        return self.active_to is None

    @property
    def committee_name(self) -> str:
        """The body that issues the organization's documents: its committee ("Đảng ủy phường Xương Giang" for
        "Đảng bộ phường Xương Giang"); a branch issues under its own name."""
        if self.is_branch:
            return self.name
        folded = self.name.casefold()
        for prefix, committee in COMMITTEE_OF_PARTY_ORGANIZATION:
            if folded.startswith(prefix):
                return committee + self.name[len(prefix) :]
        return self.name

    def document_place_name(self) -> str:
        """The place name of the date line of its documents: its own, else the nearest ancestor's; "" if none."""
        if self.place_name:
            return self.place_name
        step = self.steplen
        ancestors = [self.path[:end] for end in range(step, len(self.path), step)]
        return (
            Organization.objects.filter(path__in=ancestors)
            .exclude(place_name="")
            .order_by("-depth")
            .values_list("place_name", flat=True)
            .first()
            or ""
        )


# Between a unit's name and its parent's, in every select, list and board.
QUALIFIER = " — "


def qualify(name: str, parent_name: str | None) -> str:
    """'Chi bộ Khu phố 1 — Đảng bộ phường Xương Giang'. Names repeat across the tree (every ward has its
    «Chi bộ Khu phố 1»): with the parent's name a unit reads unambiguously wherever units are listed together."""
    return f"{name}{QUALIFIER}{parent_name}" if parent_name else name


def parent_name_of(path: str = "path") -> Subquery:
    """The name of the parent of the unit whose materialized path is the field `path` ('path', 'branch__path'),
    as a subquery: a list annotates it and qualifies its names without a query per row."""
    parent_path = Substr(OuterRef(path), 1, Length(OuterRef(path)) - Organization.steplen)
    return Subquery(Organization.objects.filter(path=parent_path).order_by().values("name")[:1])


def with_parent_name(queryset):
    """Units annotated with `parent_name`, which `Organization.qualified_name` reads."""
    return queryset.annotate(parent_name=parent_name_of("path"))


def with_unit_parent_name(queryset, relation: str = "branch"):
    """Rows annotated with the parent's name of their unit `relation`; `attach_parent_names` hands it to the unit."""
    return queryset.annotate(**{f"{relation}_parent_name": parent_name_of(f"{relation}__path")})


def attach_parent_names(rows, relation: str = "branch") -> list:
    """Rows of `with_unit_parent_name`, whose `row.<relation>.qualified_name` then needs no query."""
    rows = list(rows)
    for row in rows:
        getattr(row, relation).parent_name = getattr(row, f"{relation}_parent_name")
    return rows


def natural_order(units, *, name=lambda unit: unit.name, parent_name=lambda unit: unit.parent_name) -> list:
    """Units sorted by name the way people count (Khu phố 2 before Khu phố 10), then by their parent's name."""
    return sorted(units, key=lambda unit: (natural_sort_key(name(unit)), natural_sort_key(parent_name(unit))))


class OrganizationEvent(models.Model):
    """A change to the tree itself (creation, move, merge, closure), with its decision."""

    class Action(models.TextChoices):
        CREATED = "created", "Thành lập"
        MOVED = "moved", "Chuyển trực thuộc"
        MERGED = "merged", "Hợp nhất"
        RENAMED = "renamed", "Đổi tên"
        CLOSED = "closed", "Giải thể"

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="events")
    action = models.CharField("sự kiện", max_length=20, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name="người thực hiện")
    at = models.DateTimeField("thời điểm ghi", auto_now_add=True)
    effective_on = models.DateField("ngày hiệu lực")
    decision_number = models.CharField("số quyết định", max_length=60, blank=True)
    decided_by = models.CharField("cơ quan quyết định", max_length=255, blank=True)
    reason = models.TextField("lý do", blank=True)
    details = models.JSONField(default=dict, blank=True)

    SCOPE_PATH = "organization__path"

    class Meta:
        verbose_name = "sự kiện tổ chức"
        verbose_name_plural = "sự kiện tổ chức"
        ordering = ["-effective_on", "-at"]

    @property
    def decision(self) -> str:
        return cite_decision(self.decision_number, self.decided_by)


class RoleKind(models.TextChoices):
    BRANCH_SECRETARY = "branch_secretary", "Bí thư chi bộ"
    BRANCH_DEPUTY = "branch_deputy", "Phó bí thư chi bộ"
    BASE_STAFF = "base_staff", "Cán bộ đảng ủy cơ sở"
    SUPERIOR_STAFF = "superior_staff", "Cán bộ cấp ủy cấp trên trực tiếp cơ sở"
    PROVINCE_STAFF = "province_staff", "Cán bộ Ban Tổ chức Tỉnh ủy"


class Role(models.Model):
    """A user's office at one node: it opens that node's subtree to them, nothing else."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="roles")
    kind = models.CharField("chức trách", max_length=30, choices=RoleKind.choices)
    is_active = models.BooleanField("đang hiệu lực", default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "vai trò"
        verbose_name_plural = "vai trò"
        constraints = [
            models.UniqueConstraint(fields=["user", "organization", "kind"], name="unique_role_per_node"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.organization}"


class ResidentialGroup(models.Model):
    """A tổ dân phố / thôn under an organization, with its leader (for the coverage indicators)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="residential_groups", verbose_name="tổ chức đảng"
    )
    name = models.CharField("tên tổ dân phố / thôn", max_length=150)
    leader_name = models.CharField("tổ trưởng / trưởng thôn", max_length=150, blank=True)
    leader_member = models.ForeignKey(
        "members.Member",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="tổ trưởng là đảng viên",
    )
    history = HistoricalRecords()

    SCOPE_PATH = "organization__path"

    class Meta:
        verbose_name = "tổ dân phố / thôn"
        verbose_name_plural = "tổ dân phố / thôn"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="unique_group_name_per_org"),
        ]

    def __str__(self) -> str:
        return self.name
