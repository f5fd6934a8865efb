from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import User


@admin.register(User)
class PartyUserAdmin(UserAdmin):
    fieldsets = UserAdmin.fieldsets + (("Hồ sơ", {"fields": ("full_name",)}),)
    list_display = ("username", "full_name", "email", "is_staff", "is_active")
    search_fields = ("username", "full_name", "email")
