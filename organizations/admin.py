from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from .models import Organization, OrganizationEvent, ResidentialGroup, Role


@admin.register(Organization)
class OrganizationAdmin(TreeAdmin, SimpleHistoryAdmin):
    form = movenodeform_factory(Organization)
    list_display = ("name", "code", "kind", "place_name", "authorized_to_admit", "active_to")
    list_filter = ("kind", "authorized_to_admit")
    search_fields = ("name", "code")


@admin.register(Role)
class RoleAdmin(SimpleHistoryAdmin):
    list_display = ("user", "kind", "organization", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("user__username", "user__full_name", "organization__name")
    autocomplete_fields = ("user", "organization")


@admin.register(ResidentialGroup)
class ResidentialGroupAdmin(SimpleHistoryAdmin):
    list_display = ("name", "organization", "leader_name")
    search_fields = ("name", "organization__name")
    raw_id_fields = ("organization", "leader_member")


@admin.register(OrganizationEvent)
class OrganizationEventAdmin(admin.ModelAdmin):
    list_display = ("organization", "action", "effective_on", "decision_number", "decided_by", "actor")
    list_filter = ("action",)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
