from django.contrib import admin

from .models import Enrolment, FollowUp, Integration, Participant


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "customer_number", "jobcenter"]
    list_filter = ["jobcenter"]
    search_fields = ["last_name", "first_name", "customer_number"]


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["participant", "cohort", "joined_on", "exit_on", "exit_reason"]
    list_filter = ["jobcenter", "exit_reason"]
    raw_id_fields = ["participant", "cohort"]


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
