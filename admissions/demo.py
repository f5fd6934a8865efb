# ruff: noqa: E501 - demo data reads better with one call per line
"""Demo dossiers at every stage, some overdue, driven through the real services (settings.DEMO_SEEDERS).

Branches: Chi bộ Khu phố 1 and 2 of phường Xương Giang (base branches: decided by the ward) and the
branches of the first base committee (authorized to admit), where bithu.coso and dangbo.coso work.
"""

import datetime as dt
import random

from accounts.models import User
from members.choices import Gender
from members.demo import FAMILY_NAMES, GIVEN_NAMES, MIDDLE_NAMES, _weighted, personal_id_for
from members.models import Member, MemberStatus
from members.rules import probation_ends_on
from organizations.models import Organization, OrganizationKind, Role, RoleKind
from partyorg.lib.dates import add_months

from . import services
from .models import CandidateCategory, DossierStage, DossierStep, Introduction, Opinion, ProposedBy
from .organizations import deciding_organization_of, has_base_committee_vote
from .rules import rules_in_force

S = DossierStage

# Day of each step counted from the day the person enters the source pool.
OFFSETS = dict(
    listed=20, certificate=40, application=45, resume=46, stamped=50, introduced=52, request=52, result=70,
    certified=74, opinion=76, summary=78, branch_vote=85, base_vote=95, decision=110, received=112, ceremony=120,
    course=200,
)  # fmt: skip
# Stage → (steps done, offset of the last step), in order. PREPARING_PARTIAL stops after the résumé.
PLAN = [
    ("source_pool", 0),
    ("sympathizer", OFFSETS["listed"]),
    ("preparing_partial", OFFSETS["resume"]),
    ("preparing", OFFSETS["summary"]),
    ("branch_proposed", OFFSETS["branch_vote"]),
    ("base_proposed", OFFSETS["base_vote"]),
    ("admitted", OFFSETS["received"]),
    ("probation", OFFSETS["course"]),
]
ORDER = [name for name, _ in PLAN] + ["recognition_branch", "recognition_base", "official"]
# Days after the ceremony of the recognition steps: branch vote, base committee vote, decision.
RECOGNITION_DAYS = {"recognition_branch": 365 + 6, "recognition_base": 365 + 12, "official": 365 + 20}


def _actor_for(organization: Organization, kinds, fallback: User) -> User:
    role = (
        Role.objects.filter(kind__in=kinds, is_active=True, organization__path__in=_prefixes(organization))
        .select_related("user")
        .order_by("-organization__depth")
        .first()
    )
    return role.user if role else fallback


def _prefixes(organization: Organization) -> list[str]:
    step = Organization.steplen
    return [organization.path[:end] for end in range(step, len(organization.path) + 1, step)]


class DemoDossier:
    def __init__(self, rng, branch, admin, today):
        self.rng, self.branch, self.today = rng, branch, today
        self.secretary = _actor_for(branch, [RoleKind.BRANCH_SECRETARY], admin)
        decider_org = deciding_organization_of(branch)
        if has_base_committee_vote(branch):
            self.base = _actor_for(branch, [RoleKind.BASE_STAFF], admin)
        else:
            self.base = self.secretary
        decider_kinds = (
            [RoleKind.BASE_STAFF] if decider_org.kind == OrganizationKind.BASE_COMMITTEE else [RoleKind.SUPERIOR_STAFF]
        )
        self.decider = _actor_for(decider_org, decider_kinds, admin)
        self.officials = list(
            Member.objects.filter(
                # Official long before the earliest demo introduction (about 20 months ago).
                branch=branch,
                status=MemberStatus.OFFICIAL,
                official_on__lt=add_months(today, -30),
            ).order_by("id")[:12]
        )

    def run(self, target: str, start: dt.date, used_ids: set[str]):
        rng, d = self.rng, lambda key: start + dt.timedelta(days=OFFSETS[key])
        gender = Gender.FEMALE if rng.random() < 0.5 else Gender.MALE
        birth = dt.date(rng.randint(1988, 2004), rng.randint(1, 12), rng.randint(1, 28))
        youth = birth.year >= 1997
        categories = [CandidateCategory.YOUTH_UNION_MEMBER] if youth else []
        if gender == Gender.FEMALE:
            categories.append(CandidateCategory.WOMAN)
        categories.append(rng.choice([CandidateCategory.PRIVATE_SECTOR_WORKER, CandidateCategory.MILITIA,
                                      CandidateCategory.INTELLECTUAL, CandidateCategory.RESIDENTIAL_GROUP_LEADER]))  # fmt: skip
        name = " ".join(
            [_weighted(rng, FAMILY_NAMES), rng.choice(MIDDLE_NAMES[gender]), rng.choice(GIVEN_NAMES[gender])]
        )
        dossier = services.add_to_source_pool(
            actor=self.secretary,
            branch=self.branch,
            proposed_by=ProposedBy.YOUTH_UNION if youth else rng.choice([ProposedBy.WOMENS_UNION, ProposedBy.VETERANS_UNION,
                                                                         ProposedBy.TRADE_UNION, ProposedBy.FATHERLAND_FRONT]),
            proposed_on=start,
            categories=categories,
            merits=rng.choice(["Lao động tiên tiến 3 năm liền", "Giấy khen của UBND phường", "Tích cực trong phong trào thanh niên", ""]),
            full_name=name,
            gender=gender,
            birth_date=birth,
            personal_id=personal_id_for(rng, gender, birth, used_ids),
            occupation=rng.choice(["Giáo viên", "Công nhân", "Kỹ sư", "Kinh doanh", "Nhân viên văn phòng"]),
            general_education="upper_secondary",
            permanent_address=f"Số {rng.randint(1, 200)}, {self.branch.name}",
        )  # fmt: skip
        reached = ORDER.index(target)
        s, b = self.secretary, self.base
        helper, second = self.officials[0], self.officials[1]
        steps = [
            lambda: services.put_on_sympathizer_list(actor=s, dossier=dossier, listed_on=d("listed"),
                                                     resolution_number=f"{rng.randint(1, 40)}-NQ/CB", helper=helper),
            lambda: (
                services.record_certificate(actor=s, dossier=dossier, issued_on=d("certificate"),
                                            number=f"{rng.randint(100, 999)}/CN-TTCT"),
                services.record_application(actor=s, dossier=dossier, submitted_on=d("application")),
                services.record_resume(actor=s, dossier=dossier, submitted_on=d("resume")),
            ),
            lambda: self._complete(dossier, d, helper, second),
            lambda: services.record_branch_vote(actor=s, dossier=dossier, held_on=d("branch_vote"),
                                                resolution_number=f"{rng.randint(1, 40)}-NQ/CB", members_count=15,
                                                temporarily_attached_count=1, in_favour_count=12),
            lambda: has_base_committee_vote(self.branch) and services.record_base_committee_vote(
                actor=b, dossier=dossier, held_on=d("base_vote"), resolution_number=f"{rng.randint(1, 90)}-NQ/ĐU",
                members_count=9, in_favour_count=8),
            lambda: (
                services.record_admission_decision(actor=self.decider, dossier=dossier,
                                                   decision_number=f"{rng.randint(100, 999)}-QĐ/ĐU", signed_on=d("decision")),
                services.record_decision_received(actor=s, dossier=dossier, received_on=d("received")),
            ),
            lambda: (
                services.record_ceremony(actor=s, dossier=dossier, held_on=d("ceremony"), probation_helper=second),
                services.record_new_member_course(actor=s, dossier=dossier, completed_on=d("course")),
            ),
            lambda: self._recognize_by_branch(dossier, d),
            lambda: self._recognize_by_base(dossier, d),
            lambda: self._recognize(dossier, d),
        ]  # fmt: skip
        for step in steps[:reached]:
            step()
            dossier.refresh_from_db()
        return dossier

    def _complete(self, dossier, d, helper, second):
        s = self.secretary
        services.stamp_resume(actor=self.base, dossier=dossier, stamped_on=d("stamped"))
        for introducer in (helper, second):
            services.add_introduction(
                actor=s, dossier=dossier, kind=Introduction.Kind.MEMBER, introducer=introducer,
                known_since=d("introduced") - dt.timedelta(days=800), introduced_on=d("introduced"),
            )  # fmt: skip
        item = services.record_verification_request(
            actor=s, dossier=dossier, relationship="self", person_name=dossier.candidate.full_name,
            request_sent_to="Công an phường nơi cư trú", request_sent_on=d("request"),
        )  # fmt: skip
        services.record_verification_request(
            actor=s, dossier=dossier, relationship="father", person_name="Cha đẻ (đảng viên)", is_party_member=True
        )
        services.record_verification_result(
            actor=s, item=item, result_received_on=d("result"), result="Lịch sử chính trị rõ ràng, chấp hành tốt."
        )
        services.certify_resume(actor=self.base, dossier=dossier, certified_on=d("certified"))
        services.record_opinion(
            actor=s, dossier=dossier, source=Opinion.Source.MASS_ORGANIZATION, organization_name="Đoàn Thanh niên phường",
            given_on=d("opinion"), participants_count=25, agreeing_count=24,
        )  # fmt: skip
        services.record_opinion(
            actor=s, dossier=dossier, source=Opinion.Source.RESIDENCE_BRANCH, organization_name="Chi bộ nơi cư trú",
            given_on=d("opinion"),
        )  # fmt: skip
        services.summarize_opinions(actor=s, dossier=dossier, summarized_on=d("summary"))

    def _recognize_by_branch(self, dossier, d):
        s, end = self.secretary, probation_ends_on(d("ceremony"))
        services.record_opinion(
            actor=s, dossier=dossier, phase=Opinion.Phase.RECOGNITION, source=Opinion.Source.RESIDENCE_BRANCH,
            organization_name="Chi bộ nơi cư trú", given_on=end,
        )  # fmt: skip
        for step in (DossierStep.SELF_ASSESSMENT, DossierStep.HELPER_COMMENT, DossierStep.RECOGNITION_OPINIONS):
            services.record_recognition_paper(actor=s, dossier=dossier, step=step, dated_on=end)
        services.record_recognition_branch_vote(
            actor=s, dossier=dossier, proposal="official", held_on=end + dt.timedelta(days=6),
            resolution_number="NQ-CT", members_count=15, in_favour_count=14,
        )  # fmt: skip

    def _recognize_by_base(self, dossier, d):
        if has_base_committee_vote(self.branch):
            services.record_recognition_base_vote(
                actor=self.base, dossier=dossier, held_on=probation_ends_on(d("ceremony")) + dt.timedelta(days=12),
                resolution_number="NQ-ĐU", members_count=9, in_favour_count=9,
            )  # fmt: skip

    def _recognize(self, dossier, d):
        services.record_recognition_decision(
            actor=self.decider, dossier=dossier, outcome="official", decision_number="QĐ-CT",
            decided_on=probation_ends_on(d("ceremony")) + dt.timedelta(days=20),
        )  # fmt: skip

    def close(self, dossier, on: dt.date, reason: str):
        services.close_dossier(actor=self.secretary, dossier=dossier, closed_on=on, reason=reason)


def _start_for(target: str, today: dt.date, *, overdue: bool, rng) -> dt.date:
    """Start date so that the last step lies a little before today (or long enough before to be overdue)."""
    if target in RECOGNITION_DAYS:
        last = OFFSETS["ceremony"] + RECOGNITION_DAYS[target]
    else:
        last = dict(PLAN)[target]
    gap = rng.randint(130, 170) if overdue else rng.randint(3, 30)
    if overdue and target == "probation":
        gap = 365 - (OFFSETS["course"] - OFFSETS["ceremony"]) + 60  # 12 months and ~45 working days ago
    if overdue and target == "preparing_partial":
        gap = 0
    return today - dt.timedelta(days=last + gap)


def seed(*, seed: int, today: dt.date) -> None:
    rng = random.Random(seed + 4)
    admin = User.objects.filter(is_superuser=True).order_by("id").first()
    used = set(Member.objects.values_list("personal_id", flat=True))
    xg = [Organization.objects.get(code=f"BN-XG-{i:02d}") for i in (1, 2)]
    base = Organization.objects.filter(kind=OrganizationKind.BASE_COMMITTEE).order_by("path").first()
    under_base = list(Organization.objects.filter(path__startswith=base.path, kind=OrganizationKind.BRANCH)[:2])
    for branch in [*xg, *under_base]:
        maker = DemoDossier(rng, branch, admin, today)
        if len(maker.officials) < 2:
            continue
        for target in ORDER:
            if target in ("base_proposed", "recognition_base") and not has_base_committee_vote(branch):
                continue
            maker.run(target, _start_for(target, today, overdue=False, rng=rng), used)
        # Overdue: the decision, the ceremony and the recognition review are late.
        for target in ("branch_proposed", "admitted", "probation"):
            maker.run(target, _start_for(target, today, overdue=True, rng=rng), used)
        # A dossier stopped before the vote: it leaves the board and stays on the candidate's page.
        stopped = maker.run("sympathizer", today - dt.timedelta(days=90), used)
        maker.close(stopped, today - dt.timedelta(days=30), "Quần chúng chuyển nơi cư trú sang tỉnh khác")
    # A probationary member found not qualified: struck off, no extension of probation (docs/rules/probation.md).
    maker = DemoDossier(rng, under_base[0], admin, today)
    if len(maker.officials) >= 2:
        start = _start_for("official", today, overdue=False, rng=rng)
        dossier = maker.run("probation", start, used)
        end = probation_ends_on(start + dt.timedelta(days=OFFSETS["ceremony"]))
        services.record_recognition_branch_vote(
            actor=maker.secretary, dossier=dossier, proposal="struck_off", held_on=end + dt.timedelta(days=6),
            resolution_number="NQ-XT", members_count=15, in_favour_count=13,
        )  # fmt: skip
        dossier.refresh_from_db()
        services.record_recognition_base_vote(
            actor=maker.base, dossier=dossier, held_on=end + dt.timedelta(days=12), resolution_number="NQ-ĐU-XT",
            members_count=9, in_favour_count=9,
        )  # fmt: skip
        dossier.refresh_from_db()
        services.record_recognition_decision(
            actor=maker.decider, dossier=dossier, outcome="struck_off", decision_number="QĐ-XT",
            decided_on=end + dt.timedelta(days=20),
        )  # fmt: skip
    # A certificate that runs out next month: the branch must vote before it does.
    maker = DemoDossier(rng, xg[0], admin, today)
    dossier = maker.run("sympathizer", today - dt.timedelta(days=60), used)
    services.record_certificate(
        actor=maker.secretary,
        dossier=dossier,
        issued_on=add_months(today, 1 - rules_in_force(on=today).certificate_valid_months),
        number="045/CN-TTCT",
    )
    services.record_application(actor=maker.secretary, dossier=dossier, submitted_on=today - dt.timedelta(days=20))
    services.record_overdue_dossiers(on=today)
