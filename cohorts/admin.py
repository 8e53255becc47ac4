from django.contrib import admin

from .models import Cohort, CohortCoach, Programme


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "jobcenter", "default_length_days", "default_capacity", "legal_basis"]
    list_filter = ["jobcenter"]
    search_fields = ["name"]


class CohortCoachInline(admin.TabularInline):
    model = CohortCoach
    extra = 0
    raw_id_fields = ["user"]
    exclude = ["jobcenter"]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["code", "jobcenter", "programme", "site", "planned_start", "status"]
    list_filter = ["jobcenter", "status"]
    search_fields = ["code"]
    date_hierarchy = "planned_start"
    raw_id_fields = ["programme", "site"]
    inlines = [CohortCoachInline]


@admin.register(CohortCoach)
class CohortCoachAdmin(admin.ModelAdmin):
    list_display = ["user", "cohort", "is_lead"]
    list_filter = ["jobcenter", "is_lead"]
    raw_id_fields = ["cohort", "user"]
