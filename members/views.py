import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from audit.models import AuditAction
from audit.services import record_audit_event
from organizations.models import Organization, attach_parent_names, qualify, with_unit_parent_name
from organizations.permissions import REFUSALS, Action, may_act, may_act_anywhere, require_action
from organizations.scope import get_object_in_scope, in_scope
from partyorg.lib.dates import today
from partyorg.lib.errors import DomainError
from partyorg.lib.pagination import ListPaginator
from partyorg.lib.views import attach_domain_error, confirm_then_apply

from . import exports, roster_services, services
from .forms import MemberForm, PersonalIdChangeForm, RosterUploadForm, StatusChangeForm, TransferForm
from .models import Member, MemberExport, MemberStatus, RosterImport
from .personal_ids import PersonalIdLookupsExhausted, PersonalIdTaken
from .selectors import (
    filtered_members,
    history_entries,
    members_visible_to,
    party_age_years,
    probation_badge,
    probation_overview,
    status_counts,
    subunits_with_counts,
)

# What the list shows: fetching only these keeps the sort of large result sets small.
LIST_COLUMNS = (
    "full_name",
    "gender",
    "birth_date",
    "personal_id",
    "status",
    "admission_decided_on",
    "official_on",
    "ceremony_held_on",
    "branch__name",
)


def _list_rows(members) -> list[dict]:
    """The cells of the list, formatted once here: per-row template filters and {% url %} cost more than the
    queries on a page of 50."""
    detail_url = reverse("members:detail", args=[0]).removesuffix("0/")

    def day(value):
        return f"{value:%d/%m/%Y}" if value else "—"

    on = today()

    def probation(member):
        ends_on = member.probation_ends_on if member.status == MemberStatus.PROBATIONARY else None
        return {"ends_on": day(ends_on), "badge": probation_badge(ends_on, on=on)} if ends_on else None

    return [
        {
            "url": f"{detail_url}{m.pk}/",
            "full_name": m.full_name,
            "gender": m.get_gender_display(),
            "birth_date": day(m.birth_date),
            "personal_id": m.masked_personal_id,
            "branch": qualify(m.branch.name, m.branch_parent_name),
            "status": m.get_status_display(),
            "probation": probation(m),
            "admitted_on": day(m.admission_decided_on),
            "official_on": day(m.official_on),
        }
        for m in members
    ]


@login_required
def member_list(request: HttpRequest) -> HttpResponse:
    member_filter = filtered_members(request.user, request.GET)
    members = member_filter.qs.order_by("sort_key", "id")
    rows = with_unit_parent_name(Member.objects.select_related("branch").only(*LIST_COLUMNS))
    # Without filters nearly every row of the list's index matches: count and page stop early in it.
    unfiltered = not any(value for key, value in request.GET.items() if key != "page")
    paginator = ListPaginator(
        members, settings.LIST_PAGE_SIZE, rows=rows, count_cap=settings.LIST_COUNT_CAP, unfiltered=unfiltered
    )
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "members/member_list.html",
        {
            "filter": member_filter,
            # Filters in use other than the search: they keep the folded filters open on a phone.
            "active_filter_count": sum(
                1 for name in member_filter.form.fields if name != "q" and request.GET.get(name, "").strip()
            ),
            "page": page,
            "rows": _list_rows(page),
            "query": query.urlencode(),
            "export_fields": [(name, value) for name, values in query.lists() for value in values],
            "can_import_roster": may_act_anywhere(request.user, Action.IMPORT_ROSTER),
            "can_register_member": may_act_anywhere(request.user, Action.REGISTER_MEMBER),
        },
    )


@login_required
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_in_scope(request.user, Member.objects.select_related("branch", "residential_group"), pk=pk)
    return render(
        request,
        "members/member_detail.html",
        {
            "member": member,
            "party_age": party_age_years(member),
            "memberships": attach_parent_names(with_unit_parent_name(member.memberships.select_related("branch"))),
            "status_changes": member.status_changes.select_related("actor"),
            "history": history_entries(member),
            "gaps": member.activity_gaps.all(),
            "can_record_decisions": may_act(request.user, Action.RECORD_DECISION, member.branch),
            "can_edit": may_act(request.user, Action.EDIT_MEMBER, member.branch),
        },
    )


@login_required
def member_create(request: HttpRequest) -> HttpResponse:
    if not may_act_anywhere(request.user, Action.REGISTER_MEMBER):
        raise PermissionDenied(REFUSALS[Action.REGISTER_MEMBER])
    form = MemberForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        branch = data.pop("branch")
        try:
            member = services.create_member(actor=request.user, branch=branch, **data)
        except (PersonalIdTaken, PersonalIdLookupsExhausted) as error:
            form.forget_personal_id()
            attach_domain_error(form, error)
        except DomainError as error:
            attach_domain_error(form, error)
        else:
            messages.success(request, f"Đã thêm đảng viên {member.full_name}.")
            return redirect("members:detail", pk=member.pk)
    return render(request, "members/member_form.html", {"form": form, "title": "Thêm đảng viên"})


@login_required
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_in_scope(request.user, Member, pk=pk)
    require_action(request.user, Action.EDIT_MEMBER, member.branch)
    form = MemberForm(request.POST or None, instance=member, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.update_member(actor=request.user, member=member, seen_version=data.pop("version"), **data)
        except DomainError as error:
            attach_domain_error(form, error)
        else:
            messages.success(request, "Đã lưu hồ sơ.")
            return redirect("members:detail", pk=member.pk)
    return render(
        request, "members/member_form.html", {"form": form, "title": f"Sửa hồ sơ: {member.full_name}", "member": member}
    )


@login_required
def member_change_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Only the transitions open from the member's status; the change is written after its summary is confirmed."""
    member = get_object_in_scope(request.user, Member.objects.select_related("branch"), pk=pk)
    require_action(request.user, Action.RECORD_DECISION, member.branch)
    form = StatusChangeForm(request.POST or None, member=member)
    plan, change = confirm_then_apply(
        request,
        form,
        check=lambda: services.plan_status_change(actor=request.user, member=member, **form.cleaned_data),
        apply=lambda: services.change_member_status(actor=request.user, member=member, **form.cleaned_data),
    )
    if change is not None:
        messages.success(request, "Đã ghi nhận thay đổi tình trạng.")
        return redirect("members:detail", pk=member.pk)
    return render(
        request,
        "members/member_action.html",
        {"form": form, "member": member, "plan": plan, "title": "Thay đổi tình trạng đảng viên"},
    )


@login_required
def member_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_in_scope(request.user, Member, pk=pk)
    require_action(request.user, Action.RECORD_DECISION, member.branch)
    form = TransferForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.transfer_member(actor=request.user, member=member, **form.cleaned_data)
        except DomainError as error:
            attach_domain_error(form, error)
        else:
            messages.success(request, "Đã chuyển sinh hoạt.")
            return redirect("members:detail", pk=member.pk)
    return render(
        request,
        "members/member_action.html",
        {"form": form, "member": member, "title": "Chuyển sinh hoạt trong phạm vi quản lý"},
    )


@login_required
def member_change_personal_id(request: HttpRequest, pk: int) -> HttpResponse:
    """Replace the CCCD on file: its own audited act, for the level that keeps member files."""
    member = get_object_in_scope(request.user, Member, pk=pk)
    require_action(request.user, Action.CHANGE_PERSONAL_ID, member.branch)
    form = PersonalIdChangeForm(request.POST or None, member=member)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.change_personal_id(
                actor=request.user, member=member, new_personal_id=data.pop("personal_id"), **data
            )
        except (PersonalIdTaken, PersonalIdLookupsExhausted) as error:
            form.forget_personal_id()
            attach_domain_error(form, error)
        except DomainError as error:
            attach_domain_error(form, error)
        else:
            messages.success(request, "Đã đổi số CCCD; việc thay đổi được ghi vào lịch sử hồ sơ và nhật ký truy cập.")
            return redirect("members:detail", pk=member.pk)
    return render(
        request,
        "members/member_action.html",
        {"form": form, "member": member, "title": f"Đổi số CCCD (số đang lưu: {member.masked_personal_id})"},
    )


@login_required
@require_POST
def member_reveal_personal_id(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the full CCCD once, and log who looked (personal data is sensitive)."""
    member = get_object_in_scope(request.user, Member, pk=pk)
    require_action(request.user, Action.REVEAL_PERSONAL_ID, member.branch)
    record_audit_event(actor=request.user, action=AuditAction.REVEAL_PERSONAL_ID, target=member)
    return render(request, "members/_personal_id.html", {"member": member, "revealed": True})


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_POST
def member_export(request: HttpRequest) -> HttpResponse:
    """The list as filtered (the list's filters posted back), as an .xlsx roster in the import's layout.

    Up to EXPORT_IMMEDIATE_MAX_ROWS members the answer is the file; above, a task builds it and the user lands on
    its page, which shows the progress and then the download (members.exports). A POST with its CSRF token: the
    export writes an audit row and hands out personal data, so a link on another site or a prefetching browser
    must not be able to trigger it."""
    data = request.POST.copy()
    data.pop("csrfmiddlewaretoken", None)
    member_filter = filtered_members(request.user, data)
    filters = {key: value for key, value in data.items() if key != "page" and value}
    members = member_filter.qs
    organization = exports.export_organization(request.user, member_filter.form.cleaned_data.get("org"))
    if organization is None or exports.export_is_immediate(members):
        stream = io.BytesIO()
        roster_services.export_roster(actor=request.user, members=members, stream=stream, filters=filters)
        response = HttpResponse(stream.getvalue(), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="danh-sach-dang-vien-{today():%Y%m%d}.xlsx"'
        return response
    export = exports.start_member_export(actor=request.user, filters=filters, organization=organization)
    return redirect("members:export_detail", pk=export.pk)


def _own_export(request: HttpRequest, pk: int) -> MemberExport:
    # Another user's export is 404, in scope or not: the file is the requester's alone. Its organization must
    # still be in the requester's scope (a role given up since the request takes the file away).
    export = get_object_in_scope(
        request.user, MemberExport.objects.filter(requested_by=request.user).select_related("organization"), pk=pk
    )
    return exports.fail_if_stale(export)


@login_required
def member_export_list(request: HttpRequest) -> HttpResponse:
    """The user's own recent exports (and nobody else's)."""
    exports.fail_stale_member_exports()
    own = MemberExport.objects.filter(requested_by=request.user).select_related("organization")
    recent = in_scope(request.user, own)
    return render(
        request,
        "members/member_export_list.html",
        {"exports": recent[:20], "retention_hours": settings.EXPORT_RETENTION_HOURS},
    )


@login_required
def member_export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    context = {"export": _own_export(request, pk), "retention_hours": settings.EXPORT_RETENTION_HOURS}
    return render(request, "members/member_export_detail.html", context)


@login_required
def member_export_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The part of the page that htmx polls while the export runs."""
    context = {"export": _own_export(request, pk), "retention_hours": settings.EXPORT_RETENTION_HOURS}
    return render(request, "members/_member_export_status.html", context)


@login_required
def member_export_download(request: HttpRequest, pk: int) -> HttpResponse:
    export = _own_export(request, pk)
    if not export.is_downloadable:
        raise Http404("Tệp chưa xuất xong hoặc đã hết thời hạn lưu giữ.")
    exports.record_export_download(actor=request.user, export=export)
    return FileResponse(export.file.open("rb"), as_attachment=True, filename=export.file_name, content_type=XLSX_TYPE)


def _require_roster_importer(user) -> None:
    # Member files are kept by the base level: base committees and the levels above import them.
    if not may_act_anywhere(user, Action.IMPORT_ROSTER):
        raise PermissionDenied(REFUSALS[Action.IMPORT_ROSTER])


@login_required
def roster_import(request: HttpRequest) -> HttpResponse:
    """Upload a roster; its check runs as a task and the user lands on its preview."""
    _require_roster_importer(request.user)
    roster_services.fail_stale_roster_imports()  # the list below shows no import running on a dead worker
    form = RosterUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        roster_import = roster_services.start_roster_import(
            actor=request.user, organization=form.cleaned_data["organization"], file=upload, file_name=upload.name
        )
        return redirect("members:import_detail", pk=roster_import.pk)
    recent = in_scope(request.user, RosterImport.objects.select_related("organization", "uploaded_by"))
    recent = attach_parent_names(with_unit_parent_name(recent, "organization")[:20], "organization")
    return render(request, "members/roster_import.html", {"form": form, "recent": recent})


def _roster_import_context(request: HttpRequest, pk: int) -> dict:
    # Out of scope is 404 before any role question, as everywhere.
    roster_import = get_object_in_scope(
        request.user, RosterImport.objects.select_related("organization", "uploaded_by"), pk=pk
    )
    require_action(request.user, Action.IMPORT_ROSTER, roster_import.organization)
    roster_import = roster_services.fail_if_stale(roster_import)
    return {"roster_import": roster_import, "report": roster_import.report}


@login_required
def roster_import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "members/roster_import_detail.html", _roster_import_context(request, pk))


@login_required
def roster_import_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The part of the page that htmx polls while the import runs."""
    return render(request, "members/_roster_import_status.html", _roster_import_context(request, pk))


def _roster_import_step(request: HttpRequest, pk: int, service) -> HttpResponse:
    context = _roster_import_context(request, pk)
    try:
        service(actor=request.user, roster_import=context["roster_import"])
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("members:import_detail", pk=pk)


@login_required
@require_POST
def roster_import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    return _roster_import_step(request, pk, roster_services.confirm_roster_import)


@login_required
@require_POST
def roster_import_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Check the upload of a failed import again (its worker died; nothing was written)."""
    return _roster_import_step(request, pk, roster_services.retry_roster_import)


@login_required
def organization_members_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """Member counts of an organization and of each of its sub-units (htmx panel of the organization page,
    settings.ORGANIZATION_PANELS): the tree's page is composed from above, the tree importing no member code."""
    organization = get_object_in_scope(request.user, Organization, pk=pk)
    # Scope is a set of subtrees: an organization in scope has its whole subtree in scope, so its counts (read
    # from the count table, not the members) are all of members the user may see.
    context = {
        "organization": organization,
        "counts": status_counts(organization),
        "subunits": subunits_with_counts(organization),
    }
    return render(request, "members/_organization_panel.html", context)


@login_required
def probation_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """Probationary members under an organization and when each is due for recognition (htmx panel of its page)."""
    organization = get_object_in_scope(request.user, Organization, pk=pk)
    members = members_visible_to(request.user).filter(branch__path__startswith=organization.path)
    on = today()
    context = {"organization": organization, "today": on, **probation_overview(members, on=on)}
    return render(request, "members/_probation_panel.html", context)
