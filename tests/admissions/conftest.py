"""A dossier driven through the real services, stopping at the stage a test needs.

The walk happens in branch_a (under the base committee authorized to admit) with the official members
An and Đạt as introducers and helpers; all dates are in 2024–2025, in the past for the services.
`to(stage, branch=tree.base_branch)` walks a base branch instead: Bình and a second member of it introduce and
help, there is no base committee vote, and the ward's superior staff decide.
"""

import datetime as dt
from types import SimpleNamespace

import pytest

from admissions import services
from admissions.models import CandidateCategory, DossierStage, DossierStep, Introduction, Opinion, ProposedBy
from admissions.organizations import has_base_committee_vote
from tests.factories import make_member, personal_id_for

D = dt.date

# One date per step; tests override what they are about.
DATES = dict(
    proposed_on=D(2024, 1, 10),
    listed_on=D(2024, 2, 1),
    certificate_on=D(2024, 3, 1),
    application_on=D(2024, 3, 5),
    resume_on=D(2024, 3, 6),
    stamped_on=D(2024, 3, 11),
    introduced_on=D(2024, 3, 12),
    known_since=D(2022, 1, 1),
    request_on=D(2024, 3, 12),
    result_on=D(2024, 4, 1),
    certified_on=D(2024, 4, 5),
    opinion_on=D(2024, 4, 8),
    summary_on=D(2024, 4, 9),
    branch_vote_on=D(2024, 4, 15),
    base_vote_on=D(2024, 4, 25),
    decision_on=D(2024, 5, 10),
    received_on=D(2024, 5, 13),
    ceremony_on=D(2024, 5, 20),
    course_on=D(2024, 9, 6),
    papers_on=D(2025, 5, 21),
    recognition_vote_on=D(2025, 5, 26),
    recognition_base_on=D(2025, 6, 2),
    recognition_decision_on=D(2025, 6, 10),
)

STAGE_ORDER = [
    DossierStage.SOURCE_POOL,
    DossierStage.SYMPATHIZER,
    DossierStage.PREPARING,
    "ready_for_vote",  # PREPARING with a complete file
    DossierStage.BRANCH_PROPOSED,
    DossierStage.BASE_PROPOSED,
    DossierStage.ADMITTED,
    DossierStage.PROBATION,
    "ready_for_recognition",  # PROBATION with the recognition file complete
    DossierStage.RECOGNITION_BRANCH,
    DossierStage.RECOGNITION_BASE,
    DossierStage.OFFICIAL,
]


def person(**overrides) -> dict:
    data = dict(
        full_name="Lê Thị Hồng Nhung",
        gender="female",
        birth_date=D(2000, 5, 10),
        ethnicity="Kinh",
        religion="Không",
        occupation="Giáo viên",
        general_education="upper_secondary",
    )
    data.update(overrides)
    data.setdefault("personal_id", personal_id_for(data["gender"], data["birth_date"]))
    return data


class Pipeline:
    """Drive a dossier step by step; `to(stage)` runs every step up to that stage."""

    def __init__(self, tree, personas, members, **dates):
        self.tree, self.personas, self.members = tree, personas, members
        self.d = {**DATES, **dates}
        self.dossier = None
        self.helpers = (members.an, members.dat)

    def _helpers_of(self, branch):
        """Two official members of the branch: they introduce the candidate and help them."""
        if branch.pk != self.tree.base_branch.pk:
            return (self.members.an, self.members.dat)
        second = make_member(branch, self.personas.admin, full_name="Đỗ Thị Thu", gender="female",
                             birth_date=D(1982, 8, 3))  # fmt: skip
        return (self.members.binh, second)

    def refresh(self):
        self.dossier.refresh_from_db()
        return self.dossier

    def to(self, stage, *, branch=None, categories=None, **person_overrides):
        d, p = self.d, self.personas
        branch = branch or self.tree.branch_a
        target = STAGE_ORDER.index(stage)
        # The services refuse an actor without the step's role over the dossier: each branch has its own secretary
        # (the base branch has no secretary persona; the administrator records for it).
        secretary = {self.tree.branch_a.pk: p.secretary_a, self.tree.branch_b.pk: p.secretary_b}.get(branch.pk, p.admin)
        base, actor = p.base, p.admin
        self.helpers = helper, second = self._helpers_of(branch)
        # A base branch has no base committee vote; it is its own base level, and the ward above it decides.
        via_base = has_base_committee_vote(branch)
        decider = base if via_base else p.superior
        self.secretary, self.base_actor = secretary, base if via_base else secretary
        self.dossier = services.add_to_source_pool(
            actor=secretary,
            branch=branch,
            proposed_by=ProposedBy.YOUTH_UNION,
            proposed_on=d["proposed_on"],
            categories=categories if categories is not None else [CandidateCategory.WOMAN],
            merits="Giáo viên dạy giỏi cấp tỉnh",
            **person(**person_overrides),
        )
        steps = [
            lambda: services.put_on_sympathizer_list(
                actor=secretary, dossier=self.dossier, listed_on=d["listed_on"], resolution_number="05-NQ/CB",
                helper=helper,
            ),
            lambda: (
                services.record_certificate(actor=secretary, dossier=self.dossier, issued_on=d["certificate_on"],
                                            number="123/CN"),
                services.record_application(actor=secretary, dossier=self.dossier, submitted_on=d["application_on"]),
            ),
            self._complete_file,
            lambda: services.record_branch_vote(
                actor=secretary, dossier=self.dossier, held_on=d["branch_vote_on"], resolution_number="07-NQ/CB",
                members_count=9, in_favour_count=7, against_count=0,
            ),
            lambda: via_base and services.record_base_committee_vote(
                actor=base, dossier=self.dossier, held_on=d["base_vote_on"], resolution_number="45-NQ/ĐU",
                members_count=9, in_favour_count=8,
            ),
            lambda: services.record_admission_decision(
                actor=decider, dossier=self.dossier, decision_number="112-QĐ/ĐU", signed_on=d["decision_on"],
            ),
            lambda: (
                services.record_decision_received(actor=secretary, dossier=self.dossier, received_on=d["received_on"]),
                services.record_ceremony(actor=secretary, dossier=self.dossier, held_on=d["ceremony_on"],
                                         probation_helper=second),
            ),
            self._complete_recognition_file,
            lambda: services.record_recognition_branch_vote(
                actor=secretary, dossier=self.dossier, proposal="official", held_on=d["recognition_vote_on"],
                resolution_number="20-NQ/CB", members_count=10, in_favour_count=9,
            ),
            lambda: via_base and services.record_recognition_base_vote(
                actor=base, dossier=self.dossier, held_on=d["recognition_base_on"], resolution_number="60-NQ/ĐU",
                members_count=9, in_favour_count=9,
            ),
            lambda: services.record_recognition_decision(
                actor=decider, dossier=self.dossier, outcome="official", decision_number="150-QĐ/ĐU",
                decided_on=d["recognition_decision_on"],
            ),
        ]  # fmt: skip
        del actor
        for step in steps[:target]:
            step()
            self.refresh()
        return self.dossier

    def _complete_file(self):
        d, s, base = self.d, self.secretary, self.base_actor
        services.record_resume(actor=s, dossier=self.dossier, submitted_on=d["resume_on"])
        services.stamp_resume(actor=base, dossier=self.dossier, stamped_on=d["stamped_on"])
        for introducer in self.helpers:
            services.add_introduction(
                actor=s,
                dossier=self.dossier,
                kind=Introduction.Kind.MEMBER,
                introducer=introducer,
                known_since=d["known_since"],
                introduced_on=d["introduced_on"],
            )
        item = services.record_verification_request(
            actor=s,
            dossier=self.dossier,
            relationship="self",
            person_name=self.dossier.candidate.full_name,
            request_sent_to="Công an phường Xương Giang",
            request_sent_on=d["request_on"],
        )
        services.record_verification_request(
            actor=s, dossier=self.dossier, relationship="father", person_name="Lê Văn Hùng", is_party_member=True
        )
        services.record_verification_result(
            actor=s, item=item, result_received_on=d["result_on"], result="Chấp hành tốt chủ trương, pháp luật."
        )
        services.certify_resume(actor=base, dossier=self.dossier, certified_on=d["certified_on"])
        services.record_opinion(
            actor=s,
            dossier=self.dossier,
            source=Opinion.Source.MASS_ORGANIZATION,
            organization_name="Công đoàn Trường THPT Ngô Sĩ Liên",
            given_on=d["opinion_on"],
            participants_count=40,
            agreeing_count=38,
        )
        services.record_opinion(
            actor=s,
            dossier=self.dossier,
            source=Opinion.Source.RESIDENCE_BRANCH,
            organization_name="Chi bộ Khu phố 1",
            given_on=d["opinion_on"],
            summary="Gương mẫu ở nơi cư trú.",
        )
        services.summarize_opinions(actor=s, dossier=self.dossier, summarized_on=d["summary_on"])

    def _complete_recognition_file(self):
        d, s = self.d, self.secretary
        services.record_new_member_course(actor=s, dossier=self.dossier, completed_on=d["course_on"])
        services.record_opinion(
            actor=s,
            dossier=self.dossier,
            phase=Opinion.Phase.RECOGNITION,
            source=Opinion.Source.RESIDENCE_BRANCH,
            organization_name="Chi bộ Khu phố 1",
            given_on=d["papers_on"],
        )
        for step in (DossierStep.SELF_ASSESSMENT, DossierStep.HELPER_COMMENT, DossierStep.RECOGNITION_OPINIONS):
            services.record_recognition_paper(actor=s, dossier=self.dossier, step=step, dated_on=d["papers_on"])


@pytest.fixture
def pipeline(tree, personas, members):
    def make(**dates):
        return Pipeline(tree, personas, members, **dates)

    return SimpleNamespace(new=make, default=make())
