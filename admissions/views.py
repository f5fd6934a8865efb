from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse

from members.personal_ids import PersonalIdLookupsExhausted, PersonalIdTaken
from organizations.models import (
    BRANCH_KINDS,
    Organization,
    attach_parent_names,
    natural_order,
    with_parent_name,
    with_unit_parent_name,
)
from organizations.permissions import Action, may_act
from organizations.scope import get_object_in_scope, in_scope
from partyorg.lib.dates import today
from partyorg.lib.errors import DomainError
from partyorg.lib.locking import EditConflict, conflict_message
from partyorg.lib.views import attach_domain_error

from . import printing, selectors, services
from .actions import ACTIONS_BY_KEY, allowed_actions, awaited_steps
from .eligibility import branch_vote_problems
from .forms import CandidateForm, PlanForm
from .models import Dossier, DossierStage
from .permissions import can_open_dossiers, levels_for

# Plans are kept for these years; anything else in ?nam= falls back to the current year.
PLAN_YEARS = range(2000, 2101)


def _reverse_or_empty(name: str, *args) -> str:
    # The printed forms are another module's URLs; the page links to them once they are mounted.
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _year(request: HttpRequest) -> int:
    """The year asked for in ?nam=, or this year when it is missing or not a plausible year."""
    value = request.GET.get("nam", "")
    # isdecimal(), not isdigit(): "²" is a digit int() refuses; and int() refuses 5,000-digit strings.
    year = int(value) if value.isdecimal() and len(value) == 4 else 0
    return year if year in PLAN_YEARS else today().year


# The title of each printed form, named once in admissions.printing.FORMS.
FORM_TITLES = {spec.code: spec.title for spec in printing.FORMS}


def _print_url(dossier: Dossier, form_code: str) -> str:
    """'6-KNĐ' → the URL of admissions:print_form with the slug '6-knd'."""
    return _reverse_or_empty("admissions:print_form", dossier.pk, form_code.lower().replace("đ", "d"))


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The board of the highest organization the user works for."""
    organizations = in_scope(request.user, Organization.objects.all()).order_by("depth", "path")
    roles = request.user.roles.filter(is_active=True).select_related("organization").order_by("organization__depth")
    role = roles.first()
    organization = role.organization if role else organizations.first()
    if organization is None:
        raise Http404("Bạn chưa được phân công ở tổ chức nào.")
    return redirect("admissions:board", pk=organization.pk)


def _dress_cards(columns: list[dict], *, branch_names: dict[int, str]) -> None:
    """Give each card its link, its due date as text and its branch's qualified name (from the branch filter's
    list: no query). One reverse() and strftime per card instead of {% url %} and |date in the loop: those two
    were half the time of a 200-card board."""
    marker = 999_999_999
    link = reverse("admissions:dossier", args=[marker]).replace(str(marker), "{}")
    for column in columns:
        for card in column["cards"]:
            card["url"] = link.format(card["id"])
            card["branch_name"] = branch_names.get(card["branch_id"], card["branch_name"])
            card["due"] = f"{card['next_deadline_on']:%d/%m/%Y}" if card["next_deadline_on"] else ""


@login_required
def board(request: HttpRequest, pk: int) -> HttpResponse:
    """Pipeline board: stages as columns, due dates on cards; base and superior levels filter by branch."""
    organization = get_object_in_scope(request.user, Organization, pk=pk)
    branches = []
    branch = None
    if organization.kind not in BRANCH_KINDS:
        units = Organization.objects.filter(path__startswith=organization.path, kind__in=BRANCH_KINDS)
        branches = natural_order(with_parent_name(in_scope(request.user, units).only("id", "name", "path")))
        selected = request.GET.get("chi_bo")
        branch = next((b for b in branches if str(b.pk) == selected), None)
    on = today()
    columns = selectors.board_columns(request.user, organization, branch=branch, on=on)
    _dress_cards(columns, branch_names={b.pk: b.qualified_name for b in branches})
    return render(
        request,
        "admissions/board.html",
        {
            "organization": organization,
            "columns": columns,
            "open_count": sum(column["count"] for column in columns),
            "overdue_count": sum(column["overdue_count"] for column in columns),
            "branches": branches,
            "branch": branch,
            "show_branch": bool(branches) and branch is None,
            "today": on,
            "can_open": organization.kind in BRANCH_KINDS and can_open_dossiers(request.user, organization),
        },
    )


@login_required
def candidate_create(request: HttpRequest) -> HttpResponse:
    """Put a person in the source pool of a branch the user is secretary or deputy of."""
    branch_pk = request.GET.get("chi_bo", "")
    form = CandidateForm(
        request.POST or None, user=request.user, initial={"branch": branch_pk if branch_pk.isdecimal() else None}
    )
    if not form.fields["branch"].queryset.exists():
        raise PermissionDenied("Chỉ bí thư, phó bí thư chi bộ đưa quần chúng vào nguồn kết nạp.")
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        branch = data.pop("branch")
        try:
            dossier = services.add_to_source_pool(actor=request.user, branch=branch, **data)
        except (PersonalIdTaken, PersonalIdLookupsExhausted) as error:
            form.forget_personal_id()
            attach_domain_error(form, error)
        except DomainError as error:
            attach_domain_error(form, error)
        else:
            messages.success(request, f"Đã đưa {dossier.candidate.full_name} vào nguồn kết nạp.")
            return redirect("admissions:dossier", pk=dossier.pk)
    return render(request, "admissions/candidate_form.html", {"form": form})


def _dossier(request, pk) -> Dossier:
    related = Dossier.objects.select_related("candidate", "branch", "helper", "member", "probation_helper")
    dossier = get_object_in_scope(request.user, with_unit_parent_name(related), pk=pk)
    return attach_parent_names([dossier])[0]


@login_required
def dossier_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The candidate's page: identity (CCCD masked), next deadline, every step and paper, the allowed actions."""
    dossier = _dossier(request, pk)
    on = today()
    events = list(dossier.events.select_related("actor"))
    for event in events:
        event.print_url = _print_url(dossier, event.form_code) if event.form_code else ""
        event.form_title = FORM_TITLES.get(event.form_code, "")
    actions = allowed_actions(request.user, dossier)
    problems = []
    if dossier.stage == DossierStage.PREPARING:
        problems = branch_vote_problems(dossier, on=on)
    return render(
        request,
        "admissions/dossier_detail.html",
        {
            "dossier": dossier,
            "candidate": dossier.candidate,
            "events": events,
            "certificates": dossier.candidate.certificates.all(),
            "introductions": dossier.introductions.select_related("introducer"),
            "verification_items": dossier.verification_items.all(),
            "opinions": dossier.opinions.all(),
            "votes": dossier.votes.all(),
            "actions": actions,
            "awaited": [] if actions else awaited_steps(dossier),
            "problems": problems,
            "is_overdue": bool(dossier.next_deadline_on and dossier.next_deadline_on < on),
            "print_links": [
                (code, FORM_TITLES.get(code, ""), url)
                for code in dict.fromkeys(e.form_code for e in events if e.form_code)
                if (url := _print_url(dossier, code))
            ],
            "print_dossier_url": _reverse_or_empty("admissions:print_dossier", dossier.pk),
        },
    )


def _moved_on_under_form(request: HttpRequest, step, dossier: Dossier) -> EditConflict | None:
    """A step no longer open because the dossier moved on while the user filled its form in: the refusal
    says who recorded what since, rather than a bare 403. Only for users who record this kind of step."""
    posted = request.POST.get("version", "") if request.method == "POST" else ""
    if not (posted.isdecimal() and len(posted) < 10 and int(posted) < dossier.version):
        return None
    if step.level not in levels_for(request.user, dossier):
        return None
    return EditConflict(conflict_message(dossier, int(posted)), current_version=dossier.version)


@login_required
def dossier_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Record one step; only the steps allowed to this user at this stage are accepted."""
    dossier = _dossier(request, pk)
    step = ACTIONS_BY_KEY.get(action)
    if step is None:
        raise Http404("Không có bước này.")
    if step not in allowed_actions(request.user, dossier):
        conflict = _moved_on_under_form(request, step, dossier)
        if conflict is None:
            raise PermissionDenied("Bạn không ghi được bước này ở giai đoạn hiện tại của hồ sơ.")
        form = step.form(request.POST, dossier=dossier, user=request.user)
        form.is_valid()
        attach_domain_error(form, conflict)
        return render(request, "admissions/dossier_action.html", {"dossier": dossier, "action": step, "form": form})
    # What the service would refuse for today is said before the form, not after it is filled in.
    problems = step.problems(dossier, today()) if step.problems else []
    form = step.form(request.POST or None, dossier=dossier, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v is not None}
        try:
            step.record(request.user, dossier, data, seen_version=data.pop("version"))
        except DomainError as error:
            attach_domain_error(form, error)
        else:
            messages.success(request, f"Đã ghi: {step.label}.")
            return redirect("admissions:dossier", pk=dossier.pk)
    context = {"dossier": dossier, "action": step, "form": form, "problems": problems}
    return render(request, "admissions/dossier_action.html", context)


@login_required
def deadlines_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """Due this month and overdue under an organization (htmx panel of the organization page)."""
    organization = get_object_in_scope(request.user, Organization, pk=pk)
    on = today()
    context = {"organization": organization, "today": on, **selectors.deadlines_of(request.user, organization, on=on)}
    return render(request, "admissions/_deadlines_panel.html", context)


@login_required
def plan_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """Progress against the admission plan of the year (htmx panel of the organization page)."""
    organization = get_object_in_scope(request.user, Organization, pk=pk)
    year = _year(request)
    return render(
        request,
        "admissions/_plan_panel.html",
        {
            "organization": organization,
            "progress": selectors.plan_progress(organization, year),
            "can_edit": may_act(request.user, Action.EDIT_ADMISSION_PLAN, organization),
        },
    )


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_object_in_scope(request.user, Organization, pk=pk)
    if not may_act(request.user, Action.EDIT_ADMISSION_PLAN, organization):
        raise PermissionDenied("Bạn không lập kế hoạch cho tổ chức này.")
    year = _year(request)
    progress = selectors.plan_progress(organization, year)
    initial = {"year": year, "target_count": progress["target"]}
    form = PlanForm(request.POST or None, instance=progress["plan"], initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_admission_plan(actor=request.user, organization=organization, **form.cleaned_data)
        except DomainError as error:
            attach_domain_error(form, error)
        else:
            messages.success(request, "Đã lưu kế hoạch kết nạp.")
            return redirect("organizations:detail", pk=organization.pk)
    return render(
        request, "admissions/plan_form.html", {"organization": organization, "form": form, "progress": progress}
    )
