from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import BranchMembership, Member, MemberStatusChange


class BranchMembershipInline(admin.TabularInline):
    model = BranchMembership
    extra = 0
    raw_id_fields = ("branch",)


@admin.register(Member)
class MemberAdmin(SimpleHistoryAdmin):
    """For system administrators. Status changes still belong to members.services."""

    list_display = ("full_name", "gender", "birth_date", "branch", "status", "admission_decided_on")
    list_filter = ("status", "gender", "political_theory")
    # No CCCD here, in search or in the form: the full number is seen and searched only through the app's audited
    # reveal and search, and changed through members.services.change_personal_id.
    search_fields = ("full_name", "search_name", "card_number")
    exclude = ("personal_id",)
    raw_id_fields = ("temporary_attachment", "residential_group")
    # Status and branch change only through members.services, which also keep the member counts per branch.
    readonly_fields = ("status", "branch", "masked_personal_id")
    inlines = [BranchMembershipInline]

    # Members are registered through members.services.create_member (history, branch period, counts).
    def has_add_permission(self, request):
        return False

    # Members are never deleted (Nothing lost): exits are statuses.
    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MemberStatusChange)
class MemberStatusChangeAdmin(admin.ModelAdmin):
    list_display = ("member", "transition", "effective_on", "decision_number", "decided_by", "actor", "recorded_at")
    list_filter = ("transition",)
    raw_id_fields = ("member",)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
