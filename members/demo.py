"""Reproducible demo data: a province → wards → base organizations → branches tree with members.

Proportions follow Bắc Giang (about 38 base organizations and 315 branches for 10,000 members).
`generate_members` is also what bench/ uses to build 500,000 members.
"""

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from organizations.models import Organization, OrganizationKind, ResidentialGroup, Role, RoleKind
from partyorg.lib.dates import add_months, full_years_between

from .choices import Gender, PoliticalTheory
from .counts import apply_count_deltas
from .models import BranchMembership, Member, MemberStatus
from .rules import member_rules_in_force, probation_ends_on
from .validation import _CENTURY_GENDER_DIGIT, PERSONAL_ID_PROVINCE_CODES

DEMO_PASSWORD = "partyorg-demo"

FAMILY_NAMES = [
    ("Nguyễn", 38),
    ("Trần", 11),
    ("Lê", 9),
    ("Phạm", 7),
    ("Hoàng", 5),
    ("Phan", 4),
    ("Vũ", 4),
    ("Đặng", 2),
    ("Bùi", 2),
    ("Đỗ", 2),
    ("Hồ", 1),
    ("Ngô", 1),
    ("Dương", 1),
    ("Lý", 1),
    ("Thân", 2),
    ("Giáp", 1),
    ("Hà", 1),
    ("Đào", 1),
    ("Lương", 1),
]
MIDDLE_NAMES = {
    Gender.MALE: ["Văn", "Hữu", "Đức", "Minh", "Quang", "Công", "Xuân", "Thành", "Đình", "Ngọc", "Tuấn"],
    Gender.FEMALE: ["Thị", "Thị", "Thị", "Ngọc", "Thu", "Kim", "Thanh", "Minh", "Phương", "Hồng", "Bích"],
}
GIVEN_NAMES = {
    Gender.MALE: [
        "An",
        "Anh",
        "Bình",
        "Cường",
        "Dũng",
        "Đạt",
        "Định",
        "Giang",
        "Hải",
        "Hùng",
        "Huy",
        "Khánh",
        "Long",
        "Lâm",
        "Mạnh",
        "Nam",
        "Phong",
        "Phúc",
        "Quân",
        "Sơn",
        "Thắng",
        "Toàn",
        "Trung",
        "Tuấn",
        "Việt",
        "Vinh",
        "Ân",
        "Ẩn",
        "Ước",
    ],
    Gender.FEMALE: [
        "An",
        "Anh",
        "Ánh",
        "Châu",
        "Dung",
        "Giang",
        "Hà",
        "Hạnh",
        "Hằng",
        "Hoa",
        "Hương",
        "Lan",
        "Linh",
        "Loan",
        "Mai",
        "Ngân",
        "Nhung",
        "Oanh",
        "Phương",
        "Quỳnh",
        "Thảo",
        "Trang",
        "Uyên",
        "Vân",
        "Yến",
        "Ánh",
    ],
}
ETHNICITIES = [
    ("Kinh", 85),
    ("Tày", 3),
    ("Nùng", 4),
    ("Sán Dìu", 2),
    ("Hoa", 1),
    ("Sán Chay", 2),
    ("Dao", 2),
    ("Mường", 1),
]
RELIGIONS = [("Không", 92), ("Phật giáo", 4), ("Công giáo", 3), ("Tin lành", 1)]
THEORY = [
    (PoliticalTheory.NONE, 15),
    (PoliticalTheory.ELEMENTARY, 45),
    (PoliticalTheory.INTERMEDIATE, 25),
    (PoliticalTheory.ADVANCED, 10),
    (PoliticalTheory.BACHELOR, 5),
]
OCCUPATIONS = [
    "Hưu trí",
    "Cán bộ, công chức",
    "Viên chức",
    "Giáo viên",
    "Công nhân",
    "Nông dân",
    "Kinh doanh",
    "Bác sĩ",
    "Lực lượng vũ trang",
    "Sinh viên",
    "Lao động tự do",
]
HOME_TOWNS = ["Bắc Giang", "Bắc Ninh", "Hải Dương", "Hà Nội", "Lạng Sơn", "Thái Nguyên", "Nam Định", "Thanh Hóa"]

# The demo ward, with its six branches: the sample roster (members/sample_roster.py) is theirs.
XUONG_GIANG_BRANCHES = [
    "Chi bộ Khu phố 1",
    "Chi bộ Khu phố 2",
    "Chi bộ Khu phố 3",
    "Chi bộ Khu phố 4",
    "Chi bộ Trạm Y tế phường",
    "Chi bộ Trường Tiểu học Đông Thành",
]
WARDS = [
    "Bắc Giang",
    "Đa Mai",
    "Tân An",
    "Yên Dũng",
    "Việt Yên",
    "Nếnh",
    "Lạng Giang",
    "Kép",
    "Tân Yên",
    "Nhã Nam",
    "Lục Nam",
    "Chũ",
    "Sơn Động",
    "Hiệp Hòa",
    "Yên Thế",
]
BASE_UNITS = [
    "Trường THPT {}",
    "Trung tâm Y tế {}",
    "Công ty Cổ phần {}",
    "Bệnh viện Đa khoa {}",
    "Trường THCS {}",
    "Ban Chỉ huy Quân sự {}",
    "Công an {}",
    "Ngân hàng {}",
    "Khu dân cư {}",
]
BRANCH_UNITS = [
    "Chi bộ Khu phố {}",
    "Chi bộ Thôn {}",
    "Chi bộ Tổ công tác {}",
    "Chi bộ Phòng nghiệp vụ {}",
    "Chi bộ Phân xưởng {}",
    "Chi bộ Tổ dân phố {}",
]


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs)
    return rng.choices(values, weights)[0]


@dataclass
class Tree:
    province: Organization
    xuong_giang: Organization
    branches: list[Organization]


def build_tree(*, actor, rng: random.Random, base_count: int, branches_per_base: int) -> Tree:
    """The province with its wards, base organizations and branches (sizes scale with the member count)."""
    province = Organization.objects.add_root(
        dict(
            code="BN",
            name="Đảng bộ tỉnh Bắc Ninh",
            kind=OrganizationKind.PROVINCE,
            active_from=dt.date(2025, 7, 1),
            place_name="Bắc Ninh",  # the date line of every printed form below it
        )
    )
    xuong_giang = Organization.objects.add_child(
        province,
        dict(
            code="BN-XG",
            name="Đảng bộ phường Xương Giang",
            kind=OrganizationKind.SUPERIOR,
            active_from=dt.date(2025, 7, 1),
        ),
    )
    branches = []
    for i, name in enumerate(XUONG_GIANG_BRANCHES, start=1):
        branches.append(
            Organization.objects.add_child(
                xuong_giang, dict(code=f"BN-XG-{i:02d}", name=name, kind=OrganizationKind.BASE_BRANCH)
            )
        )
    wards = [
        Organization.objects.add_child(
            province, dict(code=f"BN-W{i:02d}", name=f"Đảng bộ phường {ward}", kind=OrganizationKind.SUPERIOR)
        )
        for i, ward in enumerate(WARDS[: max(2, base_count // 3)], start=1)
    ]
    for b in range(base_count):
        ward = wards[b % len(wards)]
        ward_name = ward.name.removeprefix("Đảng bộ phường ")
        unit = BASE_UNITS[b % len(BASE_UNITS)].format(ward_name if b % 3 else f"số {b + 1}")
        base = Organization.objects.add_child(
            ward,
            dict(
                code=f"{ward.code}-B{b + 1:03d}",
                name=f"Đảng bộ {unit}",
                kind=OrganizationKind.BASE_COMMITTEE,
                authorized_to_admit=(b % 4 == 0),
            ),
        )
        for k in range(branches_per_base):
            label = BRANCH_UNITS[(b + k) % len(BRANCH_UNITS)].format(k + 1)
            branches.append(
                Organization.objects.add_child(
                    base, dict(code=f"{base.code}-C{k + 1:02d}", name=label, kind=OrganizationKind.BRANCH)
                )
            )
    for i in range(1, 21):
        ResidentialGroup.objects.create(
            organization=xuong_giang, name=f"Tổ dân phố số {i}", leader_name=f"Tổ trưởng tổ {i}"
        )
    return Tree(province=province, xuong_giang=Organization.objects.get(pk=xuong_giang.pk), branches=branches)


def personal_id_for(rng: random.Random, gender: str, birth: dt.date, used: set[str]) -> str:
    """A CCCD not in `used` whose 4th to 6th digits agree with gender and birth (members/validation.py)."""
    codes = sorted(PERSONAL_ID_PROVINCE_CODES)
    while True:
        code = rng.choice(["024", "024", "027", "030", "001", "019", "020"] if rng.random() < 0.8 else codes)
        century_gender = _CENTURY_GENDER_DIGIT[(birth.year // 100 * 100, gender)]
        value = f"{code}{century_gender}{birth.year % 100:02d}{rng.randrange(10**6):06d}"
        if value not in used:
            used.add(value)
            return value


def _occupation(drawn: str, *, age: int) -> str:
    """The drawn occupation, made plausible for the age: retired from 62, a student only up to 25."""
    if age >= 62:
        return "Hưu trí"
    if drawn == "Hưu trí" or (drawn == "Sinh viên" and age > 25):
        return "Lao động tự do"
    return drawn


def member_fields(rng: random.Random, *, residence: str, today: dt.date, used_ids: set[str]) -> dict:
    """A realistic member record: a Vietnamese name, a CCCD agreeing with birth date and gender, party dates that
    obey members.rules (admitted from full 18, official when probation ends), nothing after `today`."""
    gender = Gender.MALE if rng.random() < 0.55 else Gender.FEMALE
    full_name = " ".join(
        [_weighted(rng, FAMILY_NAMES), rng.choice(MIDDLE_NAMES[gender]), rng.choice(GIVEN_NAMES[gender])]
    )
    birth = dt.date(rng.randint(1938, 2005), rng.randint(1, 12), rng.randint(1, 28))
    earliest = add_months(birth, member_rules_in_force(on=birth).minimum_age_months + 1)
    latest = min(today - dt.timedelta(days=40), add_months(birth, 45 * 12))
    decided = earliest + dt.timedelta(days=rng.randrange(max((latest - earliest).days, 1)))
    ceremony = decided + dt.timedelta(days=rng.randint(7, 35))
    if ceremony > today:
        ceremony = today
    probation_end = probation_ends_on(ceremony)
    official_on = probation_end if probation_end <= today else None
    status = MemberStatus.OFFICIAL if official_on else MemberStatus.PROBATIONARY
    if official_on and rng.random() < 0.02:
        status = rng.choice([MemberStatus.DECEASED, MemberStatus.TRANSFERRED_OUT, MemberStatus.STRUCK_OFF])
    fields = dict(
        full_name=full_name,
        gender=gender,
        birth_date=birth,
        personal_id=personal_id_for(rng, gender, birth, used_ids),
        home_town=rng.choice(HOME_TOWNS),
        permanent_address=f"Số {rng.randint(1, 200)}, {residence}",
        ethnicity=_weighted(rng, ETHNICITIES),
        religion=_weighted(rng, RELIGIONS),
        occupation=_occupation(rng.choice(OCCUPATIONS), age=full_years_between(birth, today)),
        general_education="12/12" if birth.year > 1965 or rng.random() < 0.5 else "10/10",
        professional_level=rng.choice(["Đại học", "Cao đẳng", "Trung cấp", "Thạc sĩ", ""]),
        political_theory=_weighted(rng, THEORY),
        admission_decided_on=decided,
        ceremony_held_on=ceremony,
        official_on=official_on,
        status=status,
        status_since=official_on or ceremony,
        profile_number=f"{rng.randrange(10**9):010d}",
        card_number=f"{rng.randrange(10**12):012d}" if official_on else "",
        card_issued_on=(official_on + dt.timedelta(days=rng.randint(30, 200))) if official_on else None,
    )
    if fields["card_issued_on"] and fields["card_issued_on"] > today:
        fields["card_issued_on"] = today
    return fields


def make_member(rng: random.Random, branch: Organization, *, today: dt.date, used_ids: set[str]) -> Member:
    member = Member(branch=branch, **member_fields(rng, residence=branch.name, today=today, used_ids=used_ids))
    member.refresh_derived_fields()
    return member


def generate_members(
    *,
    branches,
    count: int,
    rng: random.Random,
    actor,
    today: dt.date,
    with_history: bool = True,
    batch_size: int = 5000,
) -> int:
    """Create `count` members spread over `branches` (weighted, as real branches differ in size)."""
    used_ids = set(Member.objects.values_list("personal_id", flat=True))
    weights = [rng.uniform(0.4, 1.6) for _ in branches]
    created = 0
    while created < count:
        batch = [
            make_member(rng, rng.choices(branches, weights)[0], today=today, used_ids=used_ids)
            for _ in range(min(batch_size, count - created))
        ]
        with transaction.atomic():
            if with_history:
                members = bulk_create_with_history(
                    batch, Member, batch_size=batch_size, default_user=actor, default_change_reason="Dữ liệu mẫu"
                )
            else:
                members = Member.objects.bulk_create(batch, batch_size=batch_size)
            if not members or members[0].pk is None:  # SQLite before RETURNING support
                ids = dict(
                    Member.objects.filter(personal_id__in=[m.personal_id for m in batch]).values_list(
                        "personal_id", "id"
                    )
                )
                for m in batch:
                    m.pk = m.id = ids[m.personal_id]
                members = batch
            BranchMembership.objects.bulk_create(
                [
                    BranchMembership(
                        member=m,
                        branch=m.branch,
                        started_on=m.ceremony_held_on,
                        ended_on=None
                        if m.status in (MemberStatus.OFFICIAL, MemberStatus.PROBATIONARY)
                        else m.status_since,
                        reason="Dữ liệu mẫu",
                    )
                    for m in members
                ],
                batch_size=batch_size,
            )
            apply_count_deltas(Counter((m.branch_id, m.status) for m in members))
        created += len(batch)
    return created


@dataclass
class DemoAccount:
    username: str
    full_name: str
    kind: str | None
    organization: Organization | None


def create_accounts(tree: Tree) -> list[DemoAccount]:
    """One account per role, the personas of the tests and the README."""
    xg = tree.xuong_giang
    kp1, kp2 = (Organization.objects.get(code=f"BN-XG-{i:02d}") for i in (1, 2))
    base = Organization.objects.filter(kind=OrganizationKind.BASE_COMMITTEE).order_by("path").first()
    base_branch = Organization.objects.get_children(base).first()
    accounts = [
        DemoAccount("quantri", "Quản trị hệ thống", None, None),
        DemoAccount("tinh.btc", "Trần Thị Hồng (Ban Tổ chức Tỉnh ủy)", RoleKind.PROVINCE_STAFF, tree.province),
        DemoAccount("phuong.xg", "Nguyễn Văn Bình (Đảng ủy phường Xương Giang)", RoleKind.SUPERIOR_STAFF, xg),
        DemoAccount("dangbo.coso", f"Lê Minh Tuấn ({base.name})", RoleKind.BASE_STAFF, base),
        DemoAccount("bithu.kp1", "Phạm Thị Lan (Bí thư Chi bộ Khu phố 1)", RoleKind.BRANCH_SECRETARY, kp1),
        DemoAccount("bithu.kp2", "Hoàng Văn Nam (Bí thư Chi bộ Khu phố 2)", RoleKind.BRANCH_SECRETARY, kp2),
        DemoAccount("bithu.coso", f"Vũ Thị Mai (Bí thư {base_branch.name})", RoleKind.BRANCH_SECRETARY, base_branch),
    ]
    for account in accounts:
        user = User.objects.create_user(
            username=account.username,
            password=DEMO_PASSWORD,
            full_name=account.full_name,
            is_superuser=account.kind is None,
            is_staff=account.kind is None,
        )
        if account.kind:
            Role.objects.create(user=user, organization=account.organization, kind=account.kind)
    return accounts


@transaction.atomic
def seed(*, members: int, seed: int, today: dt.date) -> list[DemoAccount]:
    rng = random.Random(seed)
    base_count = max(3, round(38 * members / 10_000))
    branches_per_base = max(2, round((315 - 6) / 38))
    tree = build_tree(actor=None, rng=rng, base_count=base_count, branches_per_base=branches_per_base)
    accounts = create_accounts(tree)
    actor = User.objects.get(username="quantri")
    # The sample ward keeps a realistic share, so its pages look like a real ward's.
    ward_share = min(members, 320)
    generate_members(branches=tree.branches[:6], count=ward_share, rng=rng, actor=actor, today=today)
    generate_members(branches=tree.branches[6:], count=members - ward_share, rng=rng, actor=actor, today=today)
    leaders = list(
        Member.objects.filter(branch__in=tree.branches[:4], status=MemberStatus.OFFICIAL).order_by("id")[:18]
    )
    for group, leader in zip(ResidentialGroup.objects.filter(organization=tree.xuong_giang).order_by("id"), leaders):
        group.leader_member, group.leader_name = leader, leader.full_name
        group.save()
    return accounts
