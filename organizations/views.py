from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from partyorg.lib.text import natural_sort_key
from partyorg.lib.views import confirm_then_apply

from . import services
from .forms import ChildOrganizationForm, MergeOrganizationForm, MoveOrganizationForm
from .models import Organization, natural_order, with_parent_name
from .permissions import Action, may_act, require_action
from .scope import get_object_in_scope, is_in_scope, scope_paths
from .selectors import merge_targets, move_targets, organizations_visible_to


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
    return render(request, "organizations/organization_list.html", {"roots": natural_order(with_parent_name(roots))})


def _child_kinds_unavailable(parent: Organization) -> str | None:
    if not parent.is_active:
        return f"{parent.name} đã ngừng hoạt động."
    if not services.ALLOWED_CHILD_KINDS[parent.kind]:
        return f"«{parent.get_kind_display()}» không có tổ chức đảng trực thuộc."
    return None


def _tree_actions(user, organization: Organization) -> dict:
    """Which tree changes to offer on the page: none the user may not take, none without a valid choice."""
    can_edit_tree = organization.is_active and may_act(user, Action.EDIT_TREE, organization)
    return {
        "can_edit_tree": can_edit_tree,
        "can_create_child": can_edit_tree and _child_kinds_unavailable(organization) is None,
        "can_move": can_edit_tree and move_targets(user, organization).exists(),
        "can_merge": can_edit_tree and merge_targets(user, organization).exists(),
    }


@login_required
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_object_in_scope(request.user, Organization, pk=pk)
    all_ancestors = list(Organization.objects.get_ancestors(organization))
    ancestors = [a for a in all_ancestors if is_in_scope(request.user, a)]
    return render(
        request,
        "organizations/organization_detail.html",
        {
            "organization": organization,
            "ancestors": ancestors,
            "parent": all_ancestors[-1] if all_ancestors else None,
            "residential_groups": sorted(
                organization.residential_groups.select_related("leader_member"), key=lambda g: natural_sort_key(g.name)
            ),
            "events": organization.events.select_related("actor")[:20],
            **_tree_actions(request.user, organization),
            "panels": settings.ORGANIZATION_PANELS,
        },
    )


@login_required
def organization_create_child(request: HttpRequest, pk: int) -> HttpResponse:
    parent = get_object_in_scope(request.user, Organization, pk=pk)
    require_action(request.user, Action.EDIT_TREE, parent)
    form = ChildOrganizationForm(request.POST or None, parent=parent)
    unavailable = _child_kinds_unavailable(parent)
    plan = child = None
    if unavailable is None:
        plan, child = confirm_then_apply(
            request,
            form,
            check=lambda: services.plan_create_organization(actor=request.user, parent=parent, **form.cleaned_data),
            apply=lambda: services.create_organization(actor=request.user, parent=parent, **form.cleaned_data),
        )
    if child is not None:
        messages.success(request, f"Đã thành lập {child.name}.")
        return redirect("organizations:detail", pk=child.pk)
    return render(
        request,
        "organizations/organization_form.html",
        {
            "form": form,
            "plan": plan,
            "unavailable": unavailable,
            "organization": parent,
            "title": f"Thành lập tổ chức trực thuộc {parent.name}",
        },
    )


def _tree_change(request, pk, form_class, check, apply, title, success):
    """Move or merge: only valid targets are offered (none: a message, no form); the change is written once its
    summary is confirmed."""
    organization = get_object_in_scope(request.user, Organization, pk=pk)
    require_action(request.user, Action.EDIT_TREE, organization)
    form = form_class(request.POST or None, user=request.user, organization=organization)
    unavailable = None
    if not organization.is_active:
        unavailable = f"{organization.name} đã ngừng hoạt động."
    elif not form.has_choices:
        unavailable = form.no_target
    plan = result = None
    if unavailable is None:

        def arguments():
            data = dict(form.cleaned_data)
            return dict(actor=request.user, organization=organization, target=data.pop("target"), **data)

        plan, result = confirm_then_apply(
            request, form, check=lambda: check(**arguments()), apply=lambda: apply(**arguments())
        )
    if result is not None:
        messages.success(request, success)
        return redirect("organizations:detail", pk=result.pk)
    return render(
        request,
        "organizations/organization_form.html",
        {
            "form": form,
            "plan": plan,
            "unavailable": unavailable,
            "organization": organization,
            "title": f"{title}: {organization.name}",
        },
    )


@login_required
def organization_move(request: HttpRequest, pk: int) -> HttpResponse:
    def check(*, organization, target, **data):
        return services.plan_move_organization(organization=organization, new_parent=target, **data)

    def move(*, organization, target, **data):
        return services.move_organization(organization=organization, new_parent=target, **data)

    return _tree_change(request, pk, MoveOrganizationForm, check, move, "Chuyển trực thuộc", "Đã chuyển trực thuộc.")


@login_required
def organization_merge(request: HttpRequest, pk: int) -> HttpResponse:
    def check(*, organization, target, **data):
        return services.plan_merge_organizations(source=organization, target=target, **data)

    def merge(*, organization, target, **data):
        return services.merge_organizations(source=organization, target=target, **data)

    return _tree_change(request, pk, MergeOrganizationForm, check, merge, "Hợp nhất", "Đã hợp nhất tổ chức.")
