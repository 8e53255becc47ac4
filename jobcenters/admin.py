from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.utils.translation import gettext_lazy as _

from .models import Jobcenter, Membership, Site, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["jobcenter"]
    filter_horizontal = ["sites"]


class UserCreationForm(AdminUserCreationForm):
    """The operator's "add user": the address stored as logins compare it (lower case), so
    that a second spelling of one address is refused as taken."""

    class Meta:
        model = User
        fields = ("email",)

    def clean_email(self):
        return User.objects.normalize_email(self.cleaned_data["email"]).lower()


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    add_form = UserCreationForm
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
        (None, {"classes": ("wide",),
                "fields": ("email", "usable_password", "password1", "password2")}),
    )

    def get_inline_instances(self, request, obj=None):
        # Memberships are given once the account exists (as on Django's own user pages).
        return super().get_inline_instances(request, obj) if obj is not None else []


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
