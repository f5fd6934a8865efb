"""The steps a user can record on a dossier: who (level), when (stages), with which form and service.

The candidate page lists `allowed_actions`; the action view refuses anything not in that list.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from partyorg.lib.text import fraction_text

from . import forms, services
from .eligibility import branch_vote_problems, has_lapsed
from .models import AWAITING_DECISION_STAGES, BEFORE_BRANCH_VOTE_STAGES, Dossier, DossierStage, DossierStep, Opinion
from .organizations import has_base_committee_vote
from .permissions import LEVEL_LABELS, Level, levels_for
from .rules import LATEST_RULE
from .services.common import lock
from .services.dossier import certification_problems, opinion_summary_problems, stamp_problems, verification_problems
from .services.probation import RECOGNITION_PAPERS, is_recognition_escalated, recognition_vote_problems

S = DossierStage


@dataclass(frozen=True)
class Action:
    key: str
    label: str
    stages: tuple
    form: type
    run: Callable
    # Extra condition on the dossier (e.g. only under a base committee); None means always.
    applies: Callable[[Dossier], bool] | None = None
    primary: bool = False
    # A paper recorded once (the application, the résumé…): once `done`, the step is no longer offered.
    done: Callable[[Dossier], bool] | None = None
    # What the step's service would refuse for on a given day, before any field is typed: the step's page says it
    # first (the recognition vote asked for eight fields before saying that 10-, 11- and 12-KNĐ were missing).
    problems: Callable[[Dossier, dt.date], list[str]] | None = None

    @property
    def level(self) -> Level:
        # Declared once, on the service (admissions.permissions.recorded_by), which also enforces it.
        return self.run.level

    def record(self, actor, dossier: Dossier, data: dict, *, seen_version: int):
        """Record the step from a form that showed the dossier at `seen_version`: refused (EditConflict, nothing
        written) if anyone recorded anything on it since. The check holds the dossier's row lock through the
        step's service, in one transaction."""
        with transaction.atomic():
            lock(dossier, seen_version=seen_version)
            return self.run(actor, dossier, data)


def _call(service, **fixed):
    def run(actor, dossier, data):
        return service(actor=actor, dossier=dossier, **fixed, **data)

    run.level = service.level
    return run


def _result(actor, dossier, data):
    item = data.pop("item")
    return services.record_verification_result(actor=actor, item=item, **data)


_result.level = services.record_verification_result.level


def _under_base_committee(dossier):
    return has_base_committee_vote(dossier.branch)


def _base_branch(dossier):
    return not has_base_committee_vote(dossier.branch)


def _recognition_escalated(dossier):
    # Three votes below the threshold at a lower level: the competent committee decides without it
    # (docs/rules/probation.md "Three failed votes").
    return (dossier.stage == S.PROBATION or has_base_committee_vote(dossier.branch)) and is_recognition_escalated(
        dossier
    )


def _recorded(field: str) -> Callable[[Dossier], bool]:
    return lambda dossier: getattr(dossier, field) is not None


def _paper_recorded(step: DossierStep) -> Callable[[Dossier], bool]:
    return _recorded(RECOGNITION_PAPERS[step][0])


def _has_two_introducers(dossier):
    # The service takes no third introduction; one who has left the Party may be replaced (eligibility.has_lapsed).
    return sum(not has_lapsed(i) for i in dossier.introductions.select_related("introducer")) >= 2


def _nothing_to_verify(dossier):
    return not dossier.verification_items.filter(is_party_member=False, result_received_on__isnull=True).exists()


def _problems(check, *args):
    """A problems helper that does not depend on the day, as an Action.problems."""
    return lambda dossier, on: check(dossier, *args)


PREP = (S.PREPARING,)
BEFORE_VOTE = BEFORE_BRANCH_VOTE_STAGES

# Labels that name a number quote the latest rule; the services judge each case by the rule of its own dates.
OVER_AGE_CONSENT_LABEL = f"Ghi ý kiến đồng ý của Ban Thường vụ Tỉnh ủy (trên {LATEST_RULE.maximum_age_years} tuổi)"
ESCALATED_DECISION_LABEL = (
    f"Quyết định công nhận chính thức / xóa tên (16-KNĐ) khi cấp dưới {LATEST_RULE.failed_votes_before_escalation} "
    f"lần không đạt {fraction_text(LATEST_RULE.branch_vote_threshold)}"
)

ACTIONS = [
    Action("sympathizer", "Đưa vào danh sách cảm tình Đảng", (S.SOURCE_POOL,), forms.SympathizerForm,
           _call(services.put_on_sympathizer_list), primary=True),
    Action("certificate", "Ghi giấy chứng nhận bồi dưỡng nhận thức về Đảng", BEFORE_VOTE, forms.CertificateForm,
           _call(services.record_certificate)),
    Action("application", "Nhận đơn xin vào Đảng (1-KNĐ)", (S.SYMPATHIZER,), forms.SubmittedForm,
           _call(services.record_application), primary=True, done=_recorded("application_submitted_on")),
    Action("resume", "Nhận lý lịch (2-KNĐ)", PREP, forms.SubmittedForm, _call(services.record_resume),
           done=_recorded("resume_submitted_on")),
    Action("stamp_resume", "Đóng dấu giáp lai lý lịch", PREP, forms.StampForm, _call(services.stamp_resume),
           done=_recorded("resume_stamped_on"), problems=_problems(stamp_problems)),
    Action("introduction", "Ghi giới thiệu (3-KNĐ / 4-KNĐ)", PREP, forms.IntroductionForm,
           _call(services.add_introduction), done=_has_two_introducers),
    Action("verification_request", "Gửi yêu cầu thẩm tra lý lịch", PREP, forms.VerificationRequestForm,
           _call(services.record_verification_request), problems=_problems(verification_problems)),
    Action("verification_result", "Ghi kết quả thẩm tra", PREP, forms.VerificationResultForm, _result,
           done=_nothing_to_verify),
    Action("certify_resume", "Chứng nhận lý lịch sau thẩm tra", PREP, forms.CertifyForm,
           _call(services.certify_resume), done=_recorded("resume_certified_on"),
           problems=_problems(certification_problems)),
    Action("opinion", "Ghi ý kiến đoàn thể, chi bộ nơi cư trú", PREP, forms.OpinionForm,
           _call(services.record_opinion, phase=Opinion.Phase.ADMISSION)),
    Action("summarize_opinions", "Tổng hợp ý kiến nhận xét (5-KNĐ)", PREP, forms.SummaryForm,
           _call(services.summarize_opinions), done=_recorded("opinions_summarized_on"),
           problems=_problems(opinion_summary_problems, Opinion.Phase.ADMISSION)),
    Action("province_consent", OVER_AGE_CONSENT_LABEL, BEFORE_VOTE + AWAITING_DECISION_STAGES, forms.ConsentForm,
           _call(services.record_province_consent), done=_recorded("province_consent_on")),
    Action("branch_vote", "Chi bộ xét kết nạp (6-KNĐ)", PREP, forms.BranchVoteForm,
           _call(services.record_branch_vote), primary=True,
           problems=lambda dossier, on: branch_vote_problems(dossier, on=on)),
    Action("base_vote", "Đảng ủy cơ sở xét kết nạp (8-KNĐ)", (S.BRANCH_PROPOSED,), forms.BaseVoteForm,
           _call(services.record_base_committee_vote), applies=_under_base_committee, primary=True),
    Action("extend_decision", "Gia hạn thời gian ra quyết định", AWAITING_DECISION_STAGES,
           forms.ExtensionForm, _call(services.extend_decision_deadline)),
    Action("decision", "Quyết định kết nạp (9-KNĐ)", (S.BASE_PROPOSED,), forms.DecisionForm,
           _call(services.record_admission_decision), applies=_under_base_committee, primary=True),
    Action("decision_base_branch", "Quyết định kết nạp (9-KNĐ)", (S.BRANCH_PROPOSED,), forms.DecisionForm,
           _call(services.record_admission_decision), applies=_base_branch, primary=True),
    Action("decision_received", "Ghi ngày nhận quyết định", (S.ADMITTED,), forms.ReceivedForm,
           _call(services.record_decision_received), done=_recorded("decision_received_on")),
    Action("ceremony", "Tổ chức lễ kết nạp", (S.ADMITTED,), forms.CeremonyForm,
           _call(services.record_ceremony), primary=True),
    Action("new_member_course", "Ghi lớp bồi dưỡng đảng viên mới", (S.PROBATION,), forms.CourseForm,
           _call(services.record_new_member_course), done=_recorded("new_member_course_completed_on")),
    Action("self_assessment", "Bản tự kiểm điểm (10-KNĐ)", (S.PROBATION,), forms.PaperForm,
           _call(services.record_recognition_paper, step=DossierStep.SELF_ASSESSMENT),
           done=_paper_recorded(DossierStep.SELF_ASSESSMENT)),
    Action("helper_comment", "Nhận xét của đảng viên giúp đỡ (11-KNĐ)", (S.PROBATION,), forms.PaperForm,
           _call(services.record_recognition_paper, step=DossierStep.HELPER_COMMENT),
           done=_paper_recorded(DossierStep.HELPER_COMMENT)),
    Action("recognition_opinion", "Ghi ý kiến nhận xét đảng viên dự bị", (S.PROBATION,), forms.OpinionForm,
           _call(services.record_opinion, phase=Opinion.Phase.RECOGNITION)),
    Action("recognition_opinions", "Tổng hợp ý kiến nhận xét (12-KNĐ)", (S.PROBATION,), forms.PaperForm,
           _call(services.record_recognition_paper, step=DossierStep.RECOGNITION_OPINIONS),
           done=_paper_recorded(DossierStep.RECOGNITION_OPINIONS),
           problems=_problems(opinion_summary_problems, Opinion.Phase.RECOGNITION)),
    Action("recognition_branch_vote", "Chi bộ xét công nhận chính thức (13-KNĐ)", (S.PROBATION,),
           forms.RecognitionBranchVoteForm, _call(services.record_recognition_branch_vote), primary=True,
           problems=lambda dossier, on: recognition_vote_problems(dossier, on=on)),
    Action("recognition_base_vote", "Đảng ủy cơ sở xét công nhận chính thức (15-KNĐ)",
           (S.RECOGNITION_BRANCH,), forms.BaseVoteForm, _call(services.record_recognition_base_vote),
           applies=_under_base_committee, primary=True),
    Action("recognition_decision", "Quyết định công nhận chính thức / xóa tên (16-KNĐ)",
           (S.RECOGNITION_BASE,), forms.RecognitionDecisionForm, _call(services.record_recognition_decision),
           applies=_under_base_committee, primary=True),
    Action("recognition_decision_base_branch", "Quyết định công nhận chính thức / xóa tên (16-KNĐ)",
           (S.RECOGNITION_BRANCH,), forms.RecognitionDecisionForm, _call(services.record_recognition_decision),
           applies=_base_branch, primary=True),
    Action("recognition_decision_escalated", ESCALATED_DECISION_LABEL, (S.PROBATION, S.RECOGNITION_BRANCH),
           forms.RecognitionDecisionForm, _call(services.record_recognition_decision), applies=_recognition_escalated,
           primary=True),
    Action("close", "Dừng xem xét", BEFORE_VOTE, forms.CloseForm, _call(services.close_dossier)),
]  # fmt: skip
ACTIONS_BY_KEY = {action.key: action for action in ACTIONS}


def actions_now(dossier: Dossier) -> list[Action]:
    """Every step that can be recorded on this dossier at its stage, whoever records it; a paper already recorded
    is not offered again."""
    return [
        a
        for a in ACTIONS
        if dossier.stage in a.stages and (a.applies is None or a.applies(dossier)) and not (a.done and a.done(dossier))
    ]


def allowed_actions(user, dossier: Dossier) -> list[Action]:
    """The steps this user may record on this dossier now."""
    candidates = actions_now(dossier)
    if not candidates:
        return []
    levels = levels_for(user, dossier)
    return [a for a in candidates if a.level in levels]


def awaited_steps(dossier: Dossier) -> list[tuple[str, str]]:
    """The main steps the dossier waits for, with who records them: (label, level label)."""
    return [(a.label, LEVEL_LABELS[a.level]) for a in actions_now(dossier) if a.primary]
