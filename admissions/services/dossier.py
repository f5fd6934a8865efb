"""Steps 0–6 of admission: source pool, sympathizer list, certificate, application, résumé, introductions,
verification, opinions.

State changes of admission dossiers. Each service is one transaction that checks its rule, writes the
rows, logs a DossierEvent and refreshes the dossier's next deadline. Refusals are DomainErrors whose
Vietnamese message names the rule (numbers in admissions.rules; the rules and their sources in
docs/rules/admission.md).
"""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction

from members.models import Member, MemberStatus
from members.personal_ids import ensure_personal_id_unused
from members.validation import personal_id_problems
from organizations.models import Organization
from organizations.scope import is_in_scope
from partyorg.lib.dates import full_months_between, full_years_between
from partyorg.lib.errors import DomainError
from partyorg.lib.text import fold, normalize_text

from .. import deadlines
from ..eligibility import has_lapsed
from ..models import (
    AWAITING_DECISION_STAGES,
    BEFORE_BRANCH_VOTE_STAGES,
    AwarenessCertificate,
    AwarenessCourse,
    Candidate,
    CandidateCategory,
    Dossier,
    DossierStage,
    DossierStep,
    Introduction,
    Opinion,
    ProposedBy,
    VerificationItem,
)
from ..organizations import base_organization_of
from ..permissions import Level, can_open_dossiers, recorded_by
from ..rules import Rule, rules_in_force
from .common import advance, check_official_member_of_branch, lock, log, not_before, not_in_future, require_stage

# ---------------------------------------------------------------- step 0: source pool, sympathizer list


def add_to_source_pool(
    *,
    actor,
    branch: Organization,
    proposed_by: str,
    proposed_on: dt.date,
    proposed_by_member: Member | None = None,
    categories: list[str] | None = None,
    merits: str = "",
    **person,
) -> Dossier:
    """Put a person proposed by a mass organization or a member in the branch's source pool.

    Whether the CCCD is already a member's or in an open dossier is asked last, through the registry's audited
    and limited check, which answers only "already in the system" (members.personal_ids)."""
    if not can_open_dossiers(actor, branch):
        raise PermissionDenied("Chỉ bí thư, phó bí thư chi bộ đưa quần chúng vào nguồn kết nạp của chi bộ mình.")
    if not branch.is_branch or not branch.is_active:
        raise DomainError("Nguồn kết nạp được quản lý tại chi bộ đang hoạt động.", field="branch")
    not_in_future(proposed_on, "Ngày giới thiệu vào nguồn", "proposed_on")
    # The source pool is fed by the mass organizations and by members (Hướng dẫn nghiệp vụ công tác đảng viên,
    # tạo nguồn; docs/rules/admission.md "Source pool and sympathizer list").
    if proposed_by not in ProposedBy.values:
        raise DomainError(
            "Quần chúng vào nguồn phải do Đoàn Thanh niên, Hội Liên hiệp Phụ nữ, Hội Nông dân, Hội Cựu chiến binh, "
            "Công đoàn, Mặt trận Tổ quốc hoặc một đảng viên giới thiệu.",
            field="proposed_by",
        )
    if proposed_by == ProposedBy.MEMBER:
        if proposed_by_member is None:
            raise DomainError("Chọn đảng viên đã giới thiệu quần chúng vào nguồn.", field="proposed_by_member")
        if proposed_by_member.status not in (MemberStatus.OFFICIAL, MemberStatus.PROBATIONARY):
            raise DomainError(
                f"{proposed_by_member} không còn là đảng viên, không giới thiệu quần chúng vào nguồn được.",
                field="proposed_by_member",
            )
    problems = personal_id_problems(
        person.get("personal_id", ""), gender=person.get("gender"), birth_date=person.get("birth_date")
    )
    if problems:
        raise DomainError(" ".join(message for _, message in problems), field="personal_id")
    unknown = set(categories or []) - set(CandidateCategory.values)
    if unknown:
        raise DomainError(f"Đối tượng không hợp lệ: {', '.join(sorted(unknown))}.", field="categories")
    open_dossiers = Dossier.objects.filter(candidate__personal_id=person["personal_id"]).exclude(
        stage__in=[DossierStage.OFFICIAL, DossierStage.STRUCK_OFF, DossierStage.CLOSED]
    )
    ensure_personal_id_unused(actor=actor, personal_id=person["personal_id"], also_held_by=(open_dossiers,))
    with transaction.atomic():
        candidate = Candidate.objects.create(
            branch=branch,
            proposed_by=proposed_by,
            proposed_by_member=proposed_by_member,
            proposed_on=proposed_on,
            categories=list(categories or []),
            merits=merits,
            **person,
        )
        dossier = Dossier(candidate=candidate, branch=branch, opened_on=proposed_on)
        log(
            dossier,
            actor=actor,
            step=DossierStep.SOURCE_POOL,
            effective_on=proposed_on,
            from_stage=DossierStage.SOURCE_POOL,
            notes=f"Giới thiệu: {ProposedBy(proposed_by).label}",
        )
    return dossier


@recorded_by(Level.BRANCH)
@transaction.atomic
def put_on_sympathizer_list(
    *, actor, dossier: Dossier, listed_on: dt.date, resolution_number: str, helper: Member | None
) -> Dossier:
    """Branch resolution: the candidate joins the sympathizer list and a full member helps them
    (docs/rules/admission.md "Source pool and sympathizer list")."""
    dossier = lock(dossier)
    not_in_future(listed_on, "Ngày nghị quyết", "listed_on")
    not_before(listed_on, dossier.opened_on, "Ngày nghị quyết", "ngày vào nguồn", "listed_on")
    check_official_member_of_branch(helper, dossier.branch, "đảng viên giúp đỡ", "helper")
    from_stage = dossier.stage
    advance(dossier, "list_as_sympathizer", "đưa vào danh sách cảm tình Đảng")
    dossier.sympathizer_listed_on = listed_on
    dossier.sympathizer_resolution_number = resolution_number
    dossier.helper = helper
    log(
        dossier,
        actor=actor,
        step=DossierStep.SYMPATHIZER,
        effective_on=listed_on,
        from_stage=from_stage,
        decision_number=resolution_number,
        notes=f"Đảng viên giúp đỡ: {helper}",
    )
    return dossier


# ---------------------------------------------------------------- steps 1–6: the dossier


@recorded_by(Level.BRANCH)
@transaction.atomic
def record_certificate(
    *, actor, dossier: Dossier, issued_on: dt.date, number: str = "", course: AwarenessCourse | None = None
) -> AwarenessCertificate:
    """The Party-awareness course certificate (valid 60 months, HD 06-HD/TW point 5.4)."""
    dossier = lock(dossier)
    require_stage(dossier, BEFORE_BRANCH_VOTE_STAGES, "ghi giấy chứng nhận bồi dưỡng nhận thức về Đảng")
    not_in_future(issued_on, "Ngày cấp giấy chứng nhận", "issued_on")
    if course and issued_on < course.ends_on:
        raise DomainError("Giấy chứng nhận được cấp sau khi kết thúc lớp học.", field="issued_on")
    certificate = AwarenessCertificate.objects.create(
        candidate=dossier.candidate, course=course, number=number, issued_on=issued_on
    )
    expires = deadlines.certificate_expires_on(issued_on)
    log(
        dossier,
        actor=actor,
        step=DossierStep.CERTIFICATE,
        effective_on=issued_on,
        from_stage=dossier.stage,
        decision_number=number,
        notes=f"Có giá trị đến hết ngày {expires - dt.timedelta(days=1):%d/%m/%Y}",
    )
    return certificate


@recorded_by(Level.BRANCH)
@transaction.atomic
def record_application(*, actor, dossier: Dossier, submitted_on: dt.date) -> Dossier:
    """The handwritten application (1-KNĐ); it opens the dossier proper."""
    dossier = lock(dossier)
    not_in_future(submitted_on, "Ngày nộp đơn", "submitted_on")
    not_before(
        submitted_on, dossier.sympathizer_listed_on, "Ngày nộp đơn", "ngày vào danh sách cảm tình Đảng", "submitted_on"
    )
    from_stage = dossier.stage
    advance(dossier, "start_dossier", "nộp đơn xin vào Đảng")
    dossier.application_submitted_on = submitted_on
    log(dossier, actor=actor, step=DossierStep.APPLICATION, effective_on=submitted_on, from_stage=from_stage)
    return dossier


@recorded_by(Level.BRANCH)
@transaction.atomic
def record_resume(*, actor, dossier: Dossier, submitted_on: dt.date) -> Dossier:
    """The applicant's résumé (2-KNĐ); it comes after the application
    (docs/rules/admission.md "The dossier, in order")."""
    dossier = lock(dossier)
    require_stage(dossier, [DossierStage.PREPARING], "nộp lý lịch")
    not_in_future(submitted_on, "Ngày nộp lý lịch", "submitted_on")
    not_before(submitted_on, dossier.application_submitted_on, "Ngày nộp lý lịch", "ngày nộp đơn", "submitted_on")
    dossier.resume_submitted_on = submitted_on
    log(dossier, actor=actor, step=DossierStep.RESUME, effective_on=submitted_on, from_stage=dossier.stage)
    return dossier


# What each step needs recorded before it, as the services refuse it and the step's page says before its form.


def stamp_problems(dossier: Dossier) -> list[str]:
    if dossier.resume_submitted_on is None:
        return ["Chưa có lý lịch của người xin vào Đảng (2-KNĐ) để đóng dấu giáp lai."]
    return []


def verification_problems(dossier: Dossier) -> list[str]:
    if dossier.resume_stamped_on is None:
        return [
            "Chưa thẩm tra lý lịch được: lý lịch (2-KNĐ) chưa được đảng ủy cơ sở đóng dấu giáp lai "
            "(Hướng dẫn 12-HD/BTCTW về nghiệp vụ công tác đảng viên: thẩm tra sau khi đóng dấu giáp lai lý lịch)."
        ]
    return []


def certification_problems(dossier: Dossier) -> list[str]:
    items = list(dossier.verification_items.all())
    if not any(i.relationship == "self" for i in items):
        return ["Chưa thẩm tra lý lịch của bản thân người vào Đảng."]
    pending = [i for i in items if not i.is_done]
    if pending:
        names = ", ".join(i.person_name for i in pending)
        return [f"Cấp ủy chỉ chứng nhận lý lịch sau khi có đủ kết quả thẩm tra; còn chờ: {names}."]
    if any(i.is_clear is False for i in items):
        return [
            "Kết quả thẩm tra còn vấn đề chưa rõ; báo cáo Ban Tổ chức cấp ủy cấp trên trước khi chứng nhận lý lịch."
        ]
    return []


def opinion_summary_problems(dossier: Dossier, phase: str) -> list[str]:
    """What the summary of opinions lacks whatever else is typed in its form: for 5-KNĐ the opinion of the mass
    organizations (the residence opinion may be the branch's own, a box of the form), for 12-KNĐ any opinion."""
    opinions = list(dossier.opinions.filter(phase=phase))
    if phase == Opinion.Phase.ADMISSION:
        missing = missing_opinions(opinions, resides_in_branch_area=True)
        return [opinions_missing_message(missing)] if missing else []
    if not opinions:
        return ["Chưa có ý kiến nhận xét của đoàn thể, chi bộ nơi cư trú về đảng viên dự bị để tổng hợp."]
    return []


@recorded_by(Level.BASE)
@transaction.atomic
def stamp_resume(*, actor, dossier: Dossier, stamped_on: dt.date) -> Dossier:
    """The base committee checks the résumé and stamps across its pages; verification starts after
    (docs/rules/admission.md "The dossier, in order")."""
    dossier = lock(dossier)
    require_stage(dossier, [DossierStage.PREPARING], "đóng dấu giáp lai lý lịch")
    problems = stamp_problems(dossier)
    if problems:
        raise DomainError(" ".join(problems))
    not_in_future(stamped_on, "Ngày đóng dấu", "stamped_on")
    not_before(stamped_on, dossier.resume_submitted_on, "Ngày đóng dấu", "ngày nộp lý lịch", "stamped_on")
    dossier.resume_stamped_on = stamped_on
    log(dossier, actor=actor, step=DossierStep.RESUME_STAMPED, effective_on=stamped_on, from_stage=dossier.stage)
    return dossier


@recorded_by(Level.BRANCH)
@transaction.atomic
def add_introduction(
    *,
    actor,
    dossier: Dossier,
    kind: str,
    introduced_on: dt.date,
    introducer: Member | None = None,
    introducer_name: str = "",
    introducer_confirmed: bool = False,
    known_since: dt.date | None = None,
    youth_union_resolution_number: str = "",
    youth_union_organization: str = "",
) -> Introduction:
    """An introduction: a full member who has worked or lived with the person ≥ 12 months under the same base
    organization (3-KNĐ), or the base Youth Union resolution (4-KNĐ) (Điều lệ Đảng Điều 4;
    docs/rules/admission.md "Introducers").

    The member is picked from the registry when the user may see them; one outside the user's scope (another
    branch of the base organization) is named by hand, and the branch committee confirms the conditions the
    system cannot check for a name (full member, same base organization)."""
    dossier = lock(dossier)
    require_stage(dossier, [DossierStage.PREPARING], "giới thiệu người vào Đảng")
    not_in_future(introduced_on, "Ngày giới thiệu", "introduced_on")
    rule = rules_in_force(on=introduced_on)
    # Introducers who have since left the Party do not count; another may replace them.
    existing = [i for i in dossier.introductions.select_related("introducer") if not has_lapsed(i)]
    if len(existing) >= 2:
        raise DomainError("Hồ sơ đã có đủ hai người / tổ chức giới thiệu (Điều lệ Đảng, Điều 4).")
    introducer_name = normalize_text(introducer_name or "")
    if kind == Introduction.Kind.YOUTH_UNION:
        _check_youth_union_introduction(dossier, introduced_on, rule, existing, youth_union_resolution_number)
        introducer, introducer_name, introducer_confirmed, known_since = None, "", False, None
    elif introducer is None and introducer_name:
        _check_named_introducer(introducer_name, introducer_confirmed, existing)
        _check_known_since(known_since, introduced_on, rule)
    else:
        _check_introducer_in_scope(actor, introducer, introducer_name)
        _check_member_introducer(dossier, introducer, known_since, introduced_on, rule, existing)
        introducer_confirmed = False
    introduction = Introduction.objects.create(
        dossier=dossier,
        kind=kind,
        introducer=introducer,
        introducer_name=introducer_name,
        introducer_confirmed=introducer_confirmed,
        known_since=known_since,
        youth_union_resolution_number=youth_union_resolution_number,
        youth_union_organization=youth_union_organization,
        introduced_on=introduced_on,
    )
    log(
        dossier,
        actor=actor,
        step=DossierStep.INTRODUCTION,
        effective_on=introduced_on,
        from_stage=dossier.stage,
        decision_number=youth_union_resolution_number,
        notes=str(introduction),
    )
    return introduction


def _check_introducer_in_scope(actor, introducer: Member | None, introducer_name: str) -> None:
    # The printed 3-KNĐ shows the introducer's dates and branch: only a member the user may see is picked.
    if introducer is not None and introducer_name:
        raise DomainError(
            "Chọn đảng viên trong danh sách hoặc nhập họ tên người giới thiệu, không cả hai.", field="introducer_name"
        )
    if introducer is not None and not is_in_scope(actor, introducer.branch):
        raise DomainError(
            "Đảng viên này ngoài phạm vi quản lý của bạn: nhập họ tên người giới thiệu thay vì chọn trong danh sách.",
            field="introducer",
        )


def _check_named_introducer(introducer_name: str, confirmed: bool, existing) -> None:
    if any(i.kind == Introduction.Kind.MEMBER and fold(str(i)) == fold(introducer_name) for i in existing):
        raise DomainError(f"{introducer_name} đã giới thiệu người này.", field="introducer_name")
    if not confirmed:
        raise DomainError(
            "Người giới thiệu nhập bằng họ tên không được hệ thống tự kiểm tra: chi ủy xác minh người này là đảng viên "
            "chính thức, cùng công tác, học tập hoặc cư trú trong cùng tổ chức cơ sở đảng, rồi đánh dấu xác nhận.",
            field="introducer_confirmed",
        )


def _check_known_since(known_since, introduced_on, rule: Rule) -> None:
    if known_since is None:
        raise DomainError("Nhập ngày bắt đầu cùng công tác, học tập hoặc cư trú.", field="known_since")
    months = full_months_between(known_since, introduced_on)
    if months < rule.introducer_known_months:
        raise DomainError(
            f"Người giới thiệu phải cùng công tác, học tập hoặc cư trú với người vào Đảng ít nhất "
            f"{rule.introducer_known_months} tháng; mới được {max(months, 0)} tháng ({rule.document}).",
            field="known_since",
        )


def _check_member_introducer(dossier, introducer, known_since, introduced_on, rule: Rule, existing) -> None:
    if introducer is None:
        raise DomainError(
            "Chọn đảng viên giới thiệu, hoặc nhập họ tên nếu người giới thiệu sinh hoạt ở chi bộ ngoài phạm vi "
            "quản lý của bạn.",
            field="introducer",
        )
    if any(i.introducer_id == introducer.pk for i in existing):
        raise DomainError(f"{introducer} đã giới thiệu người này.", field="introducer")
    if introducer.status != MemberStatus.OFFICIAL or (
        introducer.official_on and introducer.official_on > introduced_on
    ):
        raise DomainError(
            f"Người giới thiệu {introducer} phải là đảng viên chính thức vào ngày giới thiệu "
            f"(Điều lệ Đảng, Điều 4; {rule.document}).",
            field="introducer",
        )
    if base_organization_of(introducer.branch).pk != base_organization_of(dossier.branch).pk:
        raise DomainError(
            f"Người giới thiệu {introducer} phải cùng công tác, học tập hoặc cư trú trong cùng tổ chức cơ sở đảng "
            f"với người vào Đảng ({rule.document}).",
            field="introducer",
        )
    _check_known_since(known_since, introduced_on, rule)


def _check_youth_union_introduction(dossier, introduced_on, rule: Rule, existing, resolution_number) -> None:
    candidate = dossier.candidate
    if any(i.kind == Introduction.Kind.YOUTH_UNION for i in existing):
        raise DomainError("Hồ sơ đã có nghị quyết giới thiệu của BCH Đoàn cơ sở.")
    if CandidateCategory.YOUTH_UNION_MEMBER not in candidate.categories:
        raise DomainError(
            "Chỉ đoàn viên mới được BCH Đoàn cơ sở giới thiệu vào Đảng (Điều lệ Đảng, Điều 4).", field="kind"
        )
    if full_years_between(candidate.birth_date, introduced_on) > rule.youth_union_max_age:
        raise DomainError(
            f"Đoàn viên quá tuổi thanh niên ({rule.youth_union_max_age}) phải do hai đảng viên chính thức "
            "giới thiệu (Điều lệ Đảng, Điều 4).",
            field="kind",
        )
    if not resolution_number:
        raise DomainError("Nhập số nghị quyết của BCH Đoàn cơ sở (4-KNĐ).", field="youth_union_resolution_number")


@recorded_by(Level.BRANCH)
@transaction.atomic
def record_verification_request(
    *,
    actor,
    dossier: Dossier,
    relationship: str,
    person_name: str,
    is_party_member: bool = False,
    request_sent_to: str = "",
    request_sent_on: dt.date | None = None,
) -> VerificationItem:
    """A person to verify and the request sent; relatives who are party members are exempted (docs/rules/admission.md).
    Verification starts only after the base committee stamped the résumé."""
    dossier = lock(dossier)
    require_stage(dossier, [DossierStage.PREPARING], "thẩm tra lý lịch")
    problems = verification_problems(dossier)
    if problems:
        raise DomainError(" ".join(problems))
    exempt = is_party_member and relationship != "self"
    if not exempt:
        if request_sent_on is None:
            raise DomainError("Nhập ngày gửi yêu cầu thẩm tra.", field="request_sent_on")
        not_in_future(request_sent_on, "Ngày gửi yêu cầu", "request_sent_on")
        not_before(
            request_sent_on,
            dossier.resume_stamped_on,
            "Ngày gửi yêu cầu thẩm tra",
            "ngày đóng dấu giáp lai lý lịch",
            "request_sent_on",
        )
    item = VerificationItem.objects.create(
        dossier=dossier,
        relationship=relationship,
        person_name=person_name,
        is_party_member=exempt,
        request_sent_to="" if exempt else request_sent_to,
        request_sent_on=None if exempt else request_sent_on,
    )
    log(
        dossier,
        actor=actor,
        step=DossierStep.VERIFICATION_REQUEST,
        effective_on=request_sent_on or dossier.resume_stamped_on,
        from_stage=dossier.stage,
        notes=f"{item.get_relationship_display()}: {person_name}"
        + (" — là đảng viên, không phải thẩm tra" if exempt else f" — gửi {request_sent_to}"),
    )
    return item


@recorded_by(Level.BRANCH)
@transaction.atomic
def record_verification_result(
    *, actor, item: VerificationItem, result_received_on: dt.date, result: str, is_clear: bool = True
) -> VerificationItem:
    """The written result of a verification request."""
    dossier = lock(item.dossier)
    item = VerificationItem.objects.select_for_update().get(pk=item.pk)
    require_stage(dossier, [DossierStage.PREPARING], "ghi kết quả thẩm tra")
    if item.is_party_member:
        raise DomainError("Người này là đảng viên, không phải thẩm tra.")
    not_in_future(result_received_on, "Ngày nhận kết quả", "result_received_on")
    not_before(result_received_on, item.request_sent_on, "Ngày nhận kết quả", "ngày gửi yêu cầu", "result_received_on")
    item.result_received_on, item.result, item.is_clear = result_received_on, result, is_clear
    item.save()
    log(
        dossier,
        actor=actor,
        step=DossierStep.VERIFICATION_RESULT,
        effective_on=result_received_on,
        from_stage=dossier.stage,
        notes=f"{item.get_relationship_display()}: {item.person_name} — {result}",
    )
    return item


@recorded_by(Level.BASE)
@transaction.atomic
def certify_resume(*, actor, dossier: Dossier, certified_on: dt.date) -> Dossier:
    """The base committee certifies the résumé once every verification result is in (docs/rules/admission.md)."""
    dossier = lock(dossier)
    require_stage(dossier, [DossierStage.PREPARING], "chứng nhận lý lịch")
    problems = certification_problems(dossier)
    if problems:
        raise DomainError(" ".join(problems))
    items = list(dossier.verification_items.all())
    not_in_future(certified_on, "Ngày chứng nhận", "certified_on")
    last_result = max((i.result_received_on for i in items if i.result_received_on), default=None)
    not_before(
        certified_on, last_result, "Ngày chứng nhận lý lịch", "ngày nhận kết quả thẩm tra cuối cùng", "certified_on"
    )
    dossier.resume_certified_on = certified_on
    log(dossier, actor=actor, step=DossierStep.RESUME_CERTIFIED, effective_on=certified_on, from_stage=dossier.stage)
    return dossier


@recorded_by(Level.BRANCH)
@transaction.atomic
def record_opinion(
    *,
    actor,
    dossier: Dossier,
    source: str,
    organization_name: str,
    given_on: dt.date,
    phase: str = Opinion.Phase.ADMISSION,
    summary: str = "",
    participants_count: int | None = None,
    agreeing_count: int | None = None,
) -> Opinion:
    """An opinion of a mass organization at work or of the residence branch (sources of 5-KNĐ / 12-KNĐ)."""
    dossier = lock(dossier)
    stages = [DossierStage.PREPARING] if phase == Opinion.Phase.ADMISSION else [DossierStage.PROBATION]
    require_stage(dossier, stages, "ghi ý kiến nhận xét")
    not_in_future(given_on, "Ngày nhận xét", "given_on")
    if participants_count is not None and agreeing_count is not None and agreeing_count > participants_count:
        raise DomainError("Số người tán thành không được lớn hơn số người tham gia.", field="agreeing_count")
    opinion = Opinion.objects.create(
        dossier=dossier,
        phase=phase,
        source=source,
        organization_name=organization_name,
        given_on=given_on,
        summary=summary,
        participants_count=participants_count,
        agreeing_count=agreeing_count,
    )
    log(
        dossier,
        actor=actor,
        step=DossierStep.OPINION,
        effective_on=given_on,
        from_stage=dossier.stage,
        notes=f"{opinion.get_source_display()}: {organization_name}",
    )
    return opinion


# The opinions the summary (5-KNĐ) stands on (docs/rules/admission.md "The dossier, in order"): the socio-political
# organizations (đoàn thể chính trị –
# xã hội) where the candidate works or takes part, and the committee of the branch where they live (chi ủy nơi cư trú).
# The residence opinion is not taken apart when the candidate lives in the area of the branch that considers them:
# that branch's committee is then the residence committee and speaks in the summary itself.
REQUIRED_OPINIONS = {
    Opinion.Source.MASS_ORGANIZATION: "ý kiến nhận xét của đoàn thể chính trị – xã hội nơi người vào Đảng công tác, "
    "sinh hoạt",
    Opinion.Source.RESIDENCE_BRANCH: "ý kiến nhận xét của chi ủy (chi bộ) nơi người vào Đảng cư trú",
}


def missing_opinions(opinions, *, resides_in_branch_area: bool) -> list[str]:
    """What the summary still lacks, as the refusal names it."""
    given = {o.source for o in opinions}
    required = dict(REQUIRED_OPINIONS)
    if resides_in_branch_area:
        required.pop(Opinion.Source.RESIDENCE_BRANCH)
    return [label for source, label in required.items() if source not in given]


def opinions_missing_message(missing: list[str]) -> str:
    return f"Chưa đủ ý kiến để tổng hợp (5-KNĐ): còn thiếu {'; '.join(missing)}."


@recorded_by(Level.BRANCH)
@transaction.atomic
def summarize_opinions(
    *, actor, dossier: Dossier, summarized_on: dt.date, resides_in_branch_area: bool = False
) -> Dossier:
    """The branch committee's summary of the opinions (5-KNĐ): the mass organizations' and the residence branch's."""
    dossier = lock(dossier)
    require_stage(dossier, [DossierStage.PREPARING], "tổng hợp ý kiến nhận xét")
    opinions = list(dossier.opinions.filter(phase=Opinion.Phase.ADMISSION))
    missing = missing_opinions(opinions, resides_in_branch_area=resides_in_branch_area)
    if missing:
        hint = ""
        if REQUIRED_OPINIONS[Opinion.Source.RESIDENCE_BRANCH] in missing:
            hint = (
                " Nếu người vào Đảng cư trú trên địa bàn của chi bộ, đánh dấu «Người vào Đảng cư trú trên địa bàn "
                "chi bộ»: chi ủy chi bộ nhận xét thay chi ủy nơi cư trú."
            )
        raise DomainError(opinions_missing_message(missing) + hint)
    not_in_future(summarized_on, "Ngày tổng hợp", "summarized_on")
    not_before(
        summarized_on, max(o.given_on for o in opinions), "Ngày tổng hợp", "ngày của ý kiến cuối", "summarized_on"
    )
    dossier.opinions_summarized_on = summarized_on
    dossier.resides_in_branch_area = resides_in_branch_area
    log(
        dossier,
        actor=actor,
        step=DossierStep.OPINIONS_SUMMARIZED,
        effective_on=summarized_on,
        from_stage=dossier.stage,
        notes="Người vào Đảng cư trú trên địa bàn chi bộ" if resides_in_branch_area else "",
    )
    return dossier


@recorded_by(Level.PROVINCE)
@transaction.atomic
def record_province_consent(*, actor, dossier: Dossier, consented_on: dt.date, reference: str) -> Dossier:
    """Written consent of the province standing committee to admit a person over the age limit
    (docs/rules/admission.md "Age")."""
    dossier = lock(dossier)
    require_stage(
        dossier,
        BEFORE_BRANCH_VOTE_STAGES + AWAITING_DECISION_STAGES,
        "ghi ý kiến đồng ý của Tỉnh ủy",
    )
    not_in_future(consented_on, "Ngày đồng ý", "consented_on")
    if not reference:
        raise DomainError("Nhập số văn bản đồng ý của Ban Thường vụ Tỉnh ủy.", field="reference")
    dossier.province_consent_on, dossier.province_consent_number = consented_on, reference
    log(
        dossier,
        actor=actor,
        step=DossierStep.PROVINCE_CONSENT,
        effective_on=consented_on,
        from_stage=dossier.stage,
        decision_number=reference,
    )
    return dossier
