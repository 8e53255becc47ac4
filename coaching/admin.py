from django.contrib import admin

from .models import (
    AbsenceCase,
    AbsenceStep,
    Attendance,
    CurriculumItem,
    GroupSession,
    IndividualSession,
    Module,
    WeeklySlot,
)


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ["name", "jobcenter", "is_active"]
    list_filter = ["jobcenter", "is_active"]
    search_fields = ["name"]


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    raw_id_fields = ["enrolment"]
    exclude = ["jobcenter"]


@admin.register(GroupSession)
class GroupSessionAdmin(admin.ModelAdmin):
    list_display = ["cohort", "held_on", "status", "module", "jobcenter"]
    list_filter = ["jobcenter", "status"]
    date_hierarchy = "held_on"
    raw_id_fields = ["cohort", "module", "coaches"]
    inlines = [AttendanceInline]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["session", "enrolment", "status"]
    list_filter = ["jobcenter", "status"]
    raw_id_fields = ["session", "enrolment"]


@admin.register(IndividualSession)
class IndividualSessionAdmin(admin.ModelAdmin):
    list_display = ["enrolment", "coach", "held_on", "minutes", "channel"]
    list_filter = ["jobcenter", "channel"]
    raw_id_fields = ["enrolment", "coach"]


@admin.register(CurriculumItem)
class CurriculumItemAdmin(admin.ModelAdmin):
    list_display = ["programme", "position", "module", "sessions"]
    list_filter = ["jobcenter"]
    raw_id_fields = ["programme", "module"]


@admin.register(WeeklySlot)
class WeeklySlotAdmin(admin.ModelAdmin):
    list_display = ["cohort", "weekday", "starts_at", "ends_at", "room"]
    list_filter = ["jobcenter", "weekday"]
    raw_id_fields = ["cohort"]


class AbsenceStepInline(admin.TabularInline):
    model = AbsenceStep
    extra = 0
    raw_id_fields = ["recorded_by", "covered"]
    exclude = ["jobcenter"]


@admin.register(AbsenceCase)
class AbsenceCaseAdmin(admin.ModelAdmin):
    list_display = ["enrolment", "trigger", "opened_on", "closed_on"]
    list_filter = ["jobcenter", "trigger"]
    raw_id_fields = ["enrolment"]
    inlines = [AbsenceStepInline]


@admin.register(AbsenceStep)
class AbsenceStepAdmin(admin.ModelAdmin):
    list_display = ["case", "kind", "done_on", "recorded_by"]
    list_filter = ["jobcenter", "kind"]
    raw_id_fields = ["case", "recorded_by", "covered"]
