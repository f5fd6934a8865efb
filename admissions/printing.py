"""The printed KNĐ forms of an admission dossier (Hướng dẫn 12-HD/BTCTW family; docs/rules/admission.md "Forms").

Each form is built from the dossier's rows into a `documents.rendering.Printable` whose context holds
plain values only (strings, numbers, dates), so that the cache fingerprint is the data on paper. A form
whose data are not recorded yet raises `FormNotReady` with a Vietnamese message naming what is missing.

Forms whose step the app does not record are printed with what the dossier knows and dotted blanks for the
rest, as a user fills a paper form by hand: 4_1-KNĐ (the youth cell's proposal to the base Youth Union
committee, before its 4-KNĐ) and 7-KNĐ / 14-KNĐ (the resolutions of a sub-committee, đảng ủy bộ phận, between
the branch and the base committee; only for a branch under one).

Headers name the body that issues (Hướng dẫn 36-HD/VPTW): a committee for a đảng bộ (Organization.committee_name),
the branch itself for a branch; the date line takes the issuer's place name (Organization.place_name, else an
ancestor's, else dots to fill in).
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from documents.rendering import Printable
from documents.services import Bundle
from organizations.models import Organization, OrganizationKind
from partyorg.lib.errors import DomainError

from .models import CandidateCategory, Dossier, DossierStage, Introduction, Opinion, RecognitionOutcome, VoteKind
from .organizations import base_organization_of, deciding_organization_of, sub_committee_of
from .rules import rules_in_force

TEMPLATES = "admissions/print/"


class FormNotReady(DomainError):
    """The dossier has not reached the step that produces this form."""


def form_slug(code: str) -> str:
    """'6-KNĐ' → '6-knd' (the slug in the URL of admissions:print_form)."""
    return code.lower().replace("đ", "d")


def vietnamese_date(on: dt.date | None) -> str:
    """dd/mm/yyyy, or dots to fill in by hand."""
    return on.strftime("%d/%m/%Y") if on else "…/…/……"


def date_line(on: dt.date | None, place: str = "") -> str:
    """'……, ngày 05 tháng 3 năm 2024': days below 10 and months 1–2 take a leading zero (HD 36-HD/VPTW)."""
    place = place or "……………"
    if on is None:
        return f"{place}, ngày … tháng … năm 20…"
    month = f"{on.month:02d}" if on.month <= 2 else str(on.month)
    return f"{place}, ngày {on.day:02d} tháng {month} năm {on.year}"


def _name(organization) -> str:
    return organization.name if organization else ""


def _parent_name(organization) -> str:
    return _name(Organization.objects.get_parent(organization)) if organization else ""


@dataclass
class Facts:
    """Everything the forms print, read once per dossier."""

    dossier: Dossier
    base: Organization  # the base committee above the branch, or the base branch itself
    decider: Organization  # the committee competent to decide (9-KNĐ, 16-KNĐ)
    sub_committee: Organization | None  # the đảng ủy bộ phận between the branch and the base committee, if any
    introductions: list
    opinions: list
    votes: list
    verification_items: list
    certificate: object
    places: dict = field(default_factory=dict)

    @property
    def under_base_committee(self) -> bool:
        return self.base != self.dossier.branch

    def date_line(self, on: dt.date | None, issuer: Organization | None) -> str:
        """The date line of a document issued by `issuer`, with its place name (read once per organization)."""
        if issuer is None:
            return date_line(on)
        if issuer.pk not in self.places:
            self.places[issuer.pk] = issuer.document_place_name()
        return date_line(on, self.places[issuer.pk])


def load_facts(dossier: Dossier) -> Facts:
    branch = dossier.branch
    return Facts(
        dossier=dossier,
        base=base_organization_of(branch),
        decider=dossier.deciding_organization or deciding_organization_of(branch),
        sub_committee=sub_committee_of(branch),
        introductions=list(dossier.introductions.select_related("introducer__branch")),
        opinions=list(dossier.opinions.all()),
        votes=list(dossier.votes.all()),
        verification_items=list(dossier.verification_items.all()),
        certificate=dossier.candidate.certificates.select_related("course").first(),
    )


def _candidate(facts: Facts) -> dict:
    c = facts.dossier.candidate
    return {
        "full_name": c.full_name,
        "gender": c.get_gender_display(),
        "birth_date": vietnamese_date(c.birth_date),
        "ethnicity": c.ethnicity,
        "religion": c.religion,
        "home_town": c.home_town,
        "permanent_address": c.permanent_address,
        "occupation": c.occupation,
        "workplace": c.workplace,
        "general_education": c.get_general_education_display(),
        "merits": c.merits,
    }


def _header(facts: Facts, issuer: Organization, on: dt.date | None, **extra) -> dict:
    """The header of documents/_header.html for a document issued by `issuer` (its committee, for a đảng bộ)."""
    return {
        "issuer_parent": _parent_name(issuer),
        "issuer": issuer.committee_name,
        "date_line": facts.date_line(on, issuer),
        **extra,
    }


def _deciding_body(organization: Organization) -> str:
    """Who decides, as the decision names itself: the standing committee above the base, the base's committee."""
    if organization.kind in (OrganizationKind.BASE_COMMITTEE, OrganizationKind.BASE_BRANCH):
        return organization.committee_name
    return f"Ban Thường vụ {organization.committee_name}"


def _next_level(facts: Facts) -> str:
    """Where a branch sends its proposal: its sub-committee, its base committee, or (a base branch) the decider."""
    if facts.sub_committee is not None:
        return facts.sub_committee.committee_name
    if facts.under_base_committee:
        return facts.base.committee_name
    return _deciding_body(facts.decider)


def _vote(facts: Facts, kind: str, missing: str) -> dict:
    passed = [v for v in facts.votes if v.kind == kind and v.passed]
    if not passed:
        raise FormNotReady(missing)
    vote = passed[-1]
    return {
        "held_on": vietnamese_date(vote.held_on),
        "members_count": vote.members_count,
        "excluded_count": vote.temporarily_attached_count + vote.exempted_absent_count,
        "present_count": vote.present_count,
        "in_favour_count": vote.in_favour_count,
        "against_count": vote.against_count,
        "eligible_count": vote.eligible_count,
        "in_favour_percent": round(100 * vote.in_favour_count / vote.eligible_count, 1) if vote.eligible_count else 0,
        "rule_source": vote.rule_source,
        "proposal": vote.get_proposal_display(),
        "number": vote.resolution_number,
        "date": vote.held_on,
    }


def _signer(on_behalf: str, office: str, hint: str = "", name: str = "") -> dict:
    return {"on_behalf": on_behalf, "office": office, "hint": hint, "name": name}


def _committee_signer(organization: Organization) -> dict:
    """The signature of a resolution or certificate of the base level: its committee, or a base branch itself."""
    if organization.kind == OrganizationKind.BASE_BRANCH:
        return _signer("T/M Chi bộ", "Bí thư", "(Ký tên, đóng dấu)")
    return _signer("T/M Đảng ủy", "Bí thư", "(Ký tên, đóng dấu)")


# Each builder: Facts → (template, context). Contexts carry the header fields of documents/_header.html.


def _application(facts: Facts) -> tuple[str, dict]:
    # The application is handwritten by the applicant (HD 12-HD/BTCTW): only the addressee is printed.
    branch = facts.dossier.branch
    return "1-knd.html", {
        "candidate": _candidate(facts),
        "branch_name": branch.name,
        "date_line": facts.date_line(None, branch),
        "signer": _signer("", "Người làm đơn"),
    }


def _resume(facts: Facts) -> tuple[str, dict]:
    d = facts.dossier
    certificate = facts.certificate
    # A base branch is its own base level: the party organization above it is the superior one.
    party_organization = facts.base.name if facts.under_base_committee else _parent_name(d.branch)
    return "2-knd.html", {
        "candidate": _candidate(facts),
        "branch_name": d.branch.name,
        "party_organization": party_organization,
        "certifier": facts.base.committee_name,
        "date_line": facts.date_line(d.resume_submitted_on, d.branch),
        "certificate": {
            "number": certificate.number,
            "issued_on": vietnamese_date(certificate.issued_on),
            "course": certificate.course.name if certificate.course else "",
        }
        if certificate
        else None,
        "family": [
            {"relationship": item.get_relationship_display(), "name": item.person_name, "member": item.is_party_member}
            for item in facts.verification_items
            if item.relationship != "self"
        ],
        "stamped_on": vietnamese_date(d.resume_stamped_on) if d.resume_stamped_on else "",
        "certified_line": facts.date_line(d.resume_certified_on, facts.base),
        "signer": _signer("", "Người khai lý lịch", name=d.candidate.full_name),
        "certifier_signer": _committee_signer(facts.base),
    }


def _introduction(facts: Facts) -> tuple[str, dict]:
    members = [i for i in facts.introductions if i.kind == Introduction.Kind.MEMBER]
    if not members:
        raise FormNotReady("Chưa có đảng viên chính thức nào giới thiệu người vào Đảng (mẫu 3-KNĐ).")
    sheets = []
    for intro in members:
        member = intro.introducer
        if member is None:
            # Named by hand, outside the recording user's scope: the introducer fills in their own details.
            introducer = {
                "introducer": intro.introducer_name,
                "introducer_birth_date": vietnamese_date(None),
                "introducer_admitted_on": vietnamese_date(None),
                "introducer_official_on": vietnamese_date(None),
                "introducer_branch": "……………………………………",
            }
        else:
            introducer = {
                "introducer": member.full_name,
                "introducer_birth_date": vietnamese_date(member.birth_date),
                "introducer_admitted_on": vietnamese_date(member.admission_decided_on),
                "introducer_official_on": vietnamese_date(member.official_on) if member.official_on else "",
                "introducer_branch": member.branch.name,
            }
        # The introducer dates the sheet where they belong (dots when named by hand: their branch is not known).
        where = member.branch if member is not None else None
        dates = {
            "known_since": vietnamese_date(intro.known_since),
            "date_line": facts.date_line(intro.introduced_on, where),
        }
        sheets.append({**introducer, **dates})
    return "3-knd.html", {"candidate": _candidate(facts), "sheets": sheets, "branch_name": facts.dossier.branch.name}


YOUTH_UNION_HEADER = "Đoàn TNCS Hồ Chí Minh"


def _youth_union(facts: Facts) -> tuple[str, dict]:
    intro = next((i for i in facts.introductions if i.kind == Introduction.Kind.YOUTH_UNION), None)
    if intro is None:
        raise FormNotReady("Hồ sơ không có nghị quyết của Ban Chấp hành Đoàn cơ sở giới thiệu đoàn viên (mẫu 4-KNĐ).")
    return "4-knd.html", {
        "candidate": _candidate(facts),
        "party_name": YOUTH_UNION_HEADER,
        "issuer_parent": "",
        "issuer": intro.youth_union_organization or "Ban Chấp hành Đoàn cơ sở",
        "number": intro.youth_union_resolution_number,
        # The Youth Union is not in the party tree: the place is the branch's, the same locality.
        "date_line": facts.date_line(intro.introduced_on, facts.dossier.branch),
        "branch_name": facts.dossier.branch.name,
        "signer": _signer("T/M Ban Chấp hành", "Bí thư", "(Ký tên, đóng dấu)"),
    }


def _youth_cell(facts: Facts) -> tuple[str, dict]:
    # The youth cell (chi đoàn) proposes its member to the base Youth Union committee, which then passes 4-KNĐ.
    # Nothing of the cell is recorded: its name, meeting and counts are left to fill in by hand.
    intro = next((i for i in facts.introductions if i.kind == Introduction.Kind.YOUTH_UNION), None)
    categories = facts.dossier.candidate.categories
    if intro is None and CandidateCategory.YOUTH_UNION_MEMBER not in categories:
        raise FormNotReady(
            "Mẫu 4_1-KNĐ chỉ dùng khi người vào Đảng là đoàn viên được Đoàn giới thiệu; hồ sơ không ghi người "
            "vào Đảng là đoàn viên thanh niên."
        )
    youth_union = intro.youth_union_organization if intro else ""
    return "4_1-knd.html", {
        "candidate": _candidate(facts),
        "party_name": YOUTH_UNION_HEADER,
        "issuer_parent": youth_union,
        "issuer": "Chi đoàn ……………………",
        "number": "",
        "date_line": date_line(None),
        "youth_union": youth_union,
        "branch_name": facts.dossier.branch.name,
        "signer": _signer("T/M Ban Chấp hành chi đoàn", "Bí thư"),
    }


def _opinions_context(facts: Facts, phase: str, on: dt.date | None) -> dict:
    return {
        "opinions": [
            {
                "organization": o.organization_name,
                "source": o.get_source_display(),
                "given_on": vietnamese_date(o.given_on),
                "participants_count": o.participants_count,
                "agreeing_count": o.agreeing_count,
                "summary": o.summary,
            }
            for o in facts.opinions
            if o.phase == phase
        ],
        "candidate": _candidate(facts),
        "branch_name": facts.dossier.branch.name,
        "signer": _signer("T/M Chi ủy", "Bí thư"),
    }


def _opinions(facts: Facts) -> tuple[str, dict]:
    on = facts.dossier.opinions_summarized_on
    if on is None:
        raise FormNotReady("Chi ủy chưa tổng hợp ý kiến nhận xét của đoàn thể và chi bộ nơi cư trú (mẫu 5-KNĐ).")
    context = _opinions_context(facts, Opinion.Phase.ADMISSION, on)
    return "5-knd.html", {
        **_header(facts, facts.dossier.branch, on),
        **context,
        "about": "người xin vào Đảng",
        "resides_in_branch_area": facts.dossier.resides_in_branch_area,
    }


def _branch_resolution(facts: Facts) -> tuple[str, dict]:
    vote = _vote(
        facts,
        VoteKind.BRANCH_ADMISSION,
        "Chi bộ chưa có nghị quyết đề nghị kết nạp (mẫu 6-KNĐ): chưa có lần biểu quyết nào đạt tỷ lệ.",
    )
    branch = facts.dossier.branch
    return "6-knd.html", {
        **_header(facts, branch, vote["date"], number=vote["number"]),
        "branch_name": branch.name,
        "vote": vote,
        "candidate": _candidate(facts),
        "introducers": [str(i) for i in facts.introductions],
        "signer": _signer("T/M Chi bộ", "Bí thư"),
        "recipients": [_next_level(facts)],
    }


def _sub_committee_resolution(facts: Facts, code: str, kind: str, about: str) -> dict:
    """7-KNĐ / 14-KNĐ: the sub-committee's review of the branch resolution. The app records no sub-committee
    meeting: the branch resolution is printed, the meeting and its counts are left to fill in by hand."""
    sub_committee = facts.sub_committee
    if sub_committee is None:
        raise FormNotReady(f"{facts.dossier.branch.name} không trực thuộc đảng ủy bộ phận: hồ sơ không có mẫu {code}.")
    vote = _vote(facts, kind, f"Chi bộ chưa có nghị quyết {about}: chưa có nội dung để đảng ủy bộ phận xét ({code}).")
    return {
        **_header(facts, sub_committee, None),
        "sub_committee_name": sub_committee.name,
        "branch_name": facts.dossier.branch.name,
        "branch_vote": vote,
        "candidate": _candidate(facts),
        "base_committee": facts.base.committee_name,
        "signer": _signer("T/M Đảng ủy", "Bí thư", "(Ký tên, đóng dấu)"),
        "recipients": [facts.base.committee_name, facts.dossier.branch.name],
    }


def _sub_committee_admission(facts: Facts) -> tuple[str, dict]:
    return "7-knd.html", _sub_committee_resolution(facts, "7-KNĐ", VoteKind.BRANCH_ADMISSION, "đề nghị kết nạp")


def _base_resolution(facts: Facts) -> tuple[str, dict]:
    vote = _vote(
        facts,
        VoteKind.BASE_ADMISSION,
        "Đảng ủy cơ sở chưa có nghị quyết đề nghị kết nạp (mẫu 8-KNĐ).",
    )
    return "8-knd.html", {
        **_header(facts, facts.base, vote["date"], number=vote["number"]),
        "base_name": facts.base.name,
        "vote": vote,
        "candidate": _candidate(facts),
        "branch_name": facts.dossier.branch.name,
        "signer": _committee_signer(facts.base),
        "recipients": _base_recipients(facts),
    }


def _base_recipients(facts: Facts) -> list[str]:
    # The base committee's resolution goes up to the competent committee, unless it decides itself.
    above = [] if facts.decider == facts.base else [_deciding_body(facts.decider)]
    return [*above, facts.dossier.branch.name]


def _decision_signer(organization: Organization) -> dict:
    if organization.kind in (OrganizationKind.BASE_COMMITTEE, OrganizationKind.BASE_BRANCH):
        return _committee_signer(organization)
    return _signer("T/M Ban Thường vụ", "Bí thư", "(Ký tên, đóng dấu)")


def _admission_decision(facts: Facts) -> tuple[str, dict]:
    d = facts.dossier
    if not d.decision_signed_on:
        raise FormNotReady("Cấp ủy có thẩm quyền chưa ra quyết định kết nạp (mẫu 9-KNĐ).")
    decider = facts.decider
    branch_vote = next((v for v in reversed(facts.votes) if v.kind == VoteKind.BRANCH_ADMISSION and v.passed), None)
    base_vote = next((v for v in reversed(facts.votes) if v.kind == VoteKind.BASE_ADMISSION and v.passed), None)
    return "9-knd.html", {
        **_header(facts, decider, d.decision_signed_on, number=d.decision_number),
        "deciding_body": _deciding_body(decider),
        "candidate": _candidate(facts),
        "branch_name": d.branch.name,
        "base_name": facts.base.committee_name,
        "branch_resolution": branch_vote.resolution_number if branch_vote else "",
        "branch_resolution_on": vietnamese_date(branch_vote.held_on) if branch_vote else "",
        "base_resolution": base_vote.resolution_number if base_vote else "",
        "base_resolution_on": vietnamese_date(base_vote.held_on) if base_vote else "",
        "signer": _decision_signer(decider),
        "recipients": [d.branch.name, "Đảng viên có tên tại Điều 1"],
        # Probation starts at the ceremony, after the decision: the decision states the rule of its own date.
        "probation_months": rules_in_force(on=d.decision_signed_on).probation_months,
    }


def _probation_started(facts: Facts, code: str) -> None:
    if not facts.dossier.ceremony_held_on:
        raise FormNotReady(f"Chưa tổ chức lễ kết nạp: chưa có đảng viên dự bị để lập mẫu {code}.")


def _self_assessment(facts: Facts) -> tuple[str, dict]:
    # Written by the probationary member: printed with blank lines.
    _probation_started(facts, "10-KNĐ")
    d = facts.dossier
    return "10-knd.html", {
        "candidate": _candidate(facts),
        "branch_name": d.branch.name,
        "ceremony_on": vietnamese_date(d.ceremony_held_on),
        "decision_number": d.decision_number,
        "probation_months": rules_in_force(on=d.ceremony_held_on).probation_months,
        "date_line": facts.date_line(d.self_assessment_on, d.branch),
        "signer": _signer("", "Người tự kiểm điểm", name=d.candidate.full_name),
    }


def _helper_comment(facts: Facts) -> tuple[str, dict]:
    _probation_started(facts, "11-KNĐ")
    d = facts.dossier
    helper = d.probation_helper
    if helper is None:
        raise FormNotReady("Chi bộ chưa phân công đảng viên giúp đỡ đảng viên dự bị (mẫu 11-KNĐ).")
    return "11-knd.html", {
        "candidate": _candidate(facts),
        "helper": helper.full_name,
        "branch_name": d.branch.name,
        "ceremony_on": vietnamese_date(d.ceremony_held_on),
        "date_line": facts.date_line(d.helper_comment_on, d.branch),
        "signer": _signer("", "Đảng viên giúp đỡ", name=helper.full_name),
    }


def _recognition_opinions(facts: Facts) -> tuple[str, dict]:
    on = facts.dossier.recognition_opinions_on
    if on is None:
        raise FormNotReady("Chi ủy chưa tổng hợp ý kiến nhận xét đảng viên dự bị (mẫu 12-KNĐ).")
    context = _opinions_context(facts, Opinion.Phase.RECOGNITION, on)
    return "5-knd.html", {**_header(facts, facts.dossier.branch, on), **context, "about": "đảng viên dự bị"}


def _recognition_branch_resolution(facts: Facts) -> tuple[str, dict]:
    vote = _vote(
        facts,
        VoteKind.BRANCH_RECOGNITION,
        "Chi bộ chưa có nghị quyết xét công nhận đảng viên chính thức (mẫu 13-KNĐ).",
    )
    branch = facts.dossier.branch
    return "13-knd.html", {
        **_header(facts, branch, vote["date"], number=vote["number"]),
        "branch_name": branch.name,
        "vote": vote,
        "candidate": _candidate(facts),
        "ceremony_on": vietnamese_date(facts.dossier.ceremony_held_on),
        "signer": _signer("T/M Chi bộ", "Bí thư"),
        "recipients": [_next_level(facts)],
    }


def _sub_committee_recognition(facts: Facts) -> tuple[str, dict]:
    context = _sub_committee_resolution(
        facts, "14-KNĐ", VoteKind.BRANCH_RECOGNITION, "xét công nhận đảng viên chính thức"
    )
    return "14-knd.html", {**context, "ceremony_on": vietnamese_date(facts.dossier.ceremony_held_on)}


def _recognition_base_resolution(facts: Facts) -> tuple[str, dict]:
    vote = _vote(
        facts,
        VoteKind.BASE_RECOGNITION,
        "Đảng ủy cơ sở chưa có nghị quyết xét công nhận đảng viên chính thức (mẫu 15-KNĐ).",
    )
    return "15-knd.html", {
        **_header(facts, facts.base, vote["date"], number=vote["number"]),
        "base_name": facts.base.name,
        "vote": vote,
        "candidate": _candidate(facts),
        "branch_name": facts.dossier.branch.name,
        "signer": _committee_signer(facts.base),
        "recipients": _base_recipients(facts),
    }


def _recognition_decision(facts: Facts) -> tuple[str, dict]:
    d = facts.dossier
    if not d.recognition_decided_on:
        raise FormNotReady("Cấp ủy có thẩm quyền chưa ra quyết định công nhận đảng viên chính thức (mẫu 16-KNĐ).")
    decider = facts.decider
    return "16-knd.html", {
        **_header(facts, decider, d.recognition_decided_on, number=d.recognition_decision_number),
        "deciding_body": _deciding_body(decider),
        "candidate": _candidate(facts),
        "is_official": d.recognition_outcome == RecognitionOutcome.OFFICIAL,
        "branch_name": d.branch.name,
        "decision_number": d.decision_number,
        "decision_on": vietnamese_date(d.decision_signed_on),
        "ceremony_on": vietnamese_date(d.ceremony_held_on),
        "signer": _decision_signer(decider),
        "recipients": [d.branch.name, "Đảng viên có tên tại Điều 1"],
    }


@dataclass(frozen=True)
class FormSpec:
    code: str
    title: str
    build: Callable[[Facts], tuple[str, dict]]


# Each form with its title, as the contents page and the print buttons name it.
FORMS = [
    FormSpec("1-KNĐ", "Đơn xin vào Đảng", _application),
    FormSpec("2-KNĐ", "Lý lịch của người xin vào Đảng", _resume),
    FormSpec("3-KNĐ", "Giấy giới thiệu người vào Đảng", _introduction),
    FormSpec("4-KNĐ", "Nghị quyết giới thiệu đoàn viên ưu tú vào Đảng", _youth_union),
    FormSpec("4_1-KNĐ", "Nghị quyết của chi đoàn đề nghị giới thiệu đoàn viên ưu tú vào Đảng", _youth_cell),
    FormSpec("5-KNĐ", "Tổng hợp ý kiến nhận xét của tổ chức đoàn thể và chi bộ nơi cư trú", _opinions),
    FormSpec("6-KNĐ", "Nghị quyết đề nghị kết nạp đảng viên của chi bộ", _branch_resolution),
    FormSpec("7-KNĐ", "Nghị quyết đề nghị kết nạp đảng viên của đảng ủy bộ phận", _sub_committee_admission),
    FormSpec("8-KNĐ", "Nghị quyết đề nghị kết nạp đảng viên của đảng ủy cơ sở", _base_resolution),
    FormSpec("9-KNĐ", "Quyết định kết nạp đảng viên", _admission_decision),
    FormSpec("10-KNĐ", "Bản tự kiểm điểm của đảng viên dự bị", _self_assessment),
    FormSpec("11-KNĐ", "Bản nhận xét đảng viên dự bị của đảng viên giúp đỡ", _helper_comment),
    FormSpec("12-KNĐ", "Tổng hợp ý kiến nhận xét đảng viên dự bị", _recognition_opinions),
    FormSpec("13-KNĐ", "Nghị quyết đề nghị công nhận đảng viên chính thức của chi bộ", _recognition_branch_resolution),
    FormSpec(
        "14-KNĐ", "Nghị quyết đề nghị công nhận đảng viên chính thức của đảng ủy bộ phận", _sub_committee_recognition
    ),
    FormSpec(
        "15-KNĐ", "Nghị quyết đề nghị công nhận đảng viên chính thức của đảng ủy cơ sở", _recognition_base_resolution
    ),
    FormSpec("16-KNĐ", "Quyết định công nhận đảng viên chính thức", _recognition_decision),
]
FORMS_BY_SLUG = {form_slug(spec.code): spec for spec in FORMS}


def _printable(spec: FormSpec, facts: Facts) -> Printable:
    template, context = spec.build(facts)
    if spec.code == "16-KNĐ" and not context["is_official"]:
        title = "Quyết định xóa tên đảng viên dự bị"
    else:
        title = spec.title
    return Printable(spec.code, title, TEMPLATES + template, {**context, "code": spec.code, "title": title})


def printable_form(dossier: Dossier, slug: str) -> Printable:
    """The form `slug` ('6-knd') of the dossier. KeyError for an unknown form, FormNotReady before its step."""
    spec = FORMS_BY_SLUG[slug]
    return _printable(spec, load_facts(dossier))


def available_forms(dossier: Dossier, facts: Facts | None = None) -> list[Printable]:
    """Every form the dossier's data support, in the order of the file."""
    facts = facts or load_facts(dossier)
    printables = []
    for spec in FORMS:
        if spec.code == "2-KNĐ" and not dossier.resume_submitted_on:
            continue  # the blank résumé is for the applicant, not part of the file yet
        if spec.code == "1-KNĐ" and not dossier.application_submitted_on:
            continue
        if spec.code == "4_1-KNĐ" and not any(i.kind == Introduction.Kind.YOUTH_UNION for i in facts.introductions):
            continue  # the youth cell's proposal belongs to the file once the Youth Union has introduced
        try:
            printables.append(_printable(spec, facts))
        except FormNotReady:
            continue
    return printables


def dossier_bundle(dossier: Dossier) -> Bundle:
    """The whole dossier as printed (settings.PRINT_BUNDLES): contents page, then each available form."""
    closed = dossier.stage in (DossierStage.OFFICIAL, DossierStage.STRUCK_OFF)
    title = "Hồ sơ đảng viên dự bị" if dossier.ceremony_held_on and not closed else "Hồ sơ kết nạp đảng viên"
    subtitle = f"{dossier.candidate.full_name} – {dossier.branch.name}"
    return Bundle(title=title, subtitle=subtitle, printables=available_forms(dossier))
