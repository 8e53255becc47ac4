from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Jobcenter, Membership, Site, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["jobcenter"]
    filter_horizontal = ["sites"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),
    )


@admin.register(Jobcenter)
class JobcenterAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "land", "kind"]
    list_filter = ["land", "kind"]
    search_fields = ["name", "code"]


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["name", "jobcenter", "town", "is_active"]
    list_filter = ["jobcenter", "is_active"]
    search_fields = ["name", "town"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "jobcenter", "role"]
    list_filter = ["jobcenter", "role"]
    search_fields = ["user__email", "user__last_name"]
    autocomplete_fields = ["user", "jobcenter"]
