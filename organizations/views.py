from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from members.selectors import members_visible_to, status_counts
from partyorg.lib.errors import DomainError
from partyorg.lib.views import attach_domain_error

from . import services
from .forms import ChildOrganizationForm, MergeOrganizationForm, MoveOrganizationForm
from .models import Organization
from .permissions import Action, may_act, require_action
from .scope import get_object_in_scope, is_in_scope, scope_paths
from .selectors import organizations_visible_to, subunits_with_counts


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Open the user's own unit; an administrator starts at the top of the tree."""
    role = (
        request.user.roles.filter(is_active=True).select_related("organization").order_by("organization__depth").first()
    )
    if role:
        return redirect("organizations:detail", pk=role.organization_id)
    return redirect("organizations:list")


@login_required
def organization_list(request: HttpRequest) -> HttpResponse:
    paths = scope_paths(request.user)
    roots = organizations_visible_to(request.user)
    roots = roots.filter(depth=1) if paths is None else roots.filter(path__in=paths)
    return render(request, "organizations/organization_list.html", {"roots": roots})


@login_required
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_object_in_scope(request.user, Organization, pk=pk)
    ancestors = [a for a in Organization.objects.get_ancestors(organization) if is_in_scope(request.user, a)]
    members = members_visible_to(request.user).filter(branch__path__startswith=organization.path)
    return render(
        request,
        "organizations/organization_detail.html",
        {
            "organization": organization,
            "ancestors": ancestors,
            "subunits": subunits_with_counts(organization),
            "counts": status_counts(members),
            "residential_groups": organization.residential_groups.select_related("leader_member"),
            "events": organization.events.select_related("actor")[:20],
            "can_edit_tree": may_act(request.user, Action.EDIT_TREE, organization),
            "panels": settings.ORGANIZATION_PANELS,
        },
    )


@login_required
def organization_create_child(request: HttpRequest, pk: int) -> HttpResponse:
    parent = get_object_in_scope(request.user, Organization, pk=pk)
    require_action(request.user, Action.EDIT_TREE, parent)
    form = ChildOrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            child = services.create_organization(actor=request.user, parent=parent, **form.cleaned_data)
        except DomainError as error:
            attach_domain_error(form, error)
        else:
            messages.success(request, f"Đã thành lập {child.name}.")
            return redirect("organizations:detail", pk=child.pk)
    return render(
        request,
        "organizations/organization_form.html",
        {"form": form, "organization": parent, "title": f"Thành lập tổ chức trực thuộc {parent.name}"},
    )


def _tree_change(request, pk, form_class, service, title, success):
    organization = get_object_in_scope(request.user, Organization, pk=pk)
    require_action(request.user, Action.EDIT_TREE, organization)
    form = form_class(request.POST or None, user=request.user, organization=organization)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        target = data.pop("target")
        try:
            result = service(actor=request.user, organization=organization, target=target, **data)
        except DomainError as error:
            attach_domain_error(form, error)
        else:
            messages.success(request, success)
            return redirect("organizations:detail", pk=result.pk)
    return render(
        request,
        "organizations/organization_form.html",
        {"form": form, "organization": organization, "title": f"{title}: {organization.name}"},
    )


@login_required
def organization_move(request: HttpRequest, pk: int) -> HttpResponse:
    def move(*, actor, organization, target, **data):
        return services.move_organization(actor=actor, organization=organization, new_parent=target, **data)

    return _tree_change(request, pk, MoveOrganizationForm, move, "Chuyển trực thuộc", "Đã chuyển trực thuộc.")


@login_required
def organization_merge(request: HttpRequest, pk: int) -> HttpResponse:
    def merge(*, actor, organization, target, **data):
        return services.merge_organizations(actor=actor, source=organization, target=target, **data)

    return _tree_change(request, pk, MergeOrganizationForm, merge, "Hợp nhất", "Đã hợp nhất tổ chức.")
