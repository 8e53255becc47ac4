from django.contrib import admin

from .models import Attendance, GroupSession, IndividualSession, Module


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
    list_display = ["cohort", "held_on", "module", "jobcenter"]
    list_filter = ["jobcenter"]
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
