from django.contrib import admin

from .models import (
    Application,
    ApplicationStep,
    ContactPerson,
    Employer,
    EmployerActivity,
    FollowUp,
    Integration,
    Vacancy,
)


class ContactPersonInline(admin.TabularInline):
    model = ContactPerson
    extra = 0
    exclude = ["jobcenter"]


@admin.register(Employer)
class EmployerAdmin(admin.ModelAdmin):
    list_display = ["name", "town", "sector", "jobcenter"]
    list_filter = ["jobcenter"]
    search_fields = ["name", "town"]
    inlines = [ContactPersonInline]


@admin.register(ContactPerson)
class ContactPersonAdmin(admin.ModelAdmin):
    list_display = ["name", "employer", "phone", "email"]
    search_fields = ["name"]
    raw_id_fields = ["employer"]


@admin.register(Vacancy)
class VacancyAdmin(admin.ModelAdmin):
    list_display = ["title", "employer", "status", "places"]
    list_filter = ["jobcenter", "status"]
    raw_id_fields = ["employer"]


@admin.register(EmployerActivity)
class EmployerActivityAdmin(admin.ModelAdmin):
    list_display = ["kind", "employer", "happened_on", "by"]
    list_filter = ["jobcenter", "kind"]
    raw_id_fields = ["employer", "cohort", "by"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["enrolment", "employer", "stage", "source", "stage_changed_on"]
    list_filter = ["jobcenter", "stage", "source"]
    raw_id_fields = ["enrolment", "employer", "vacancy"]


@admin.register(ApplicationStep)
class ApplicationStepAdmin(admin.ModelAdmin):
    list_display = ["application", "stage", "moved_on", "by"]
    list_filter = ["jobcenter", "stage"]
    raw_id_fields = ["application", "by"]


@admin.register(Integration)
class IntegrationAdmin(admin.ModelAdmin):
    list_display = ["enrolment", "kind", "start_on", "employer"]
    list_filter = ["jobcenter", "kind"]
    raw_id_fields = ["enrolment", "employer"]


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ["integration", "due_month", "due_on", "still_employed"]
    list_filter = ["jobcenter", "due_month", "still_employed"]
    raw_id_fields = ["integration"]
