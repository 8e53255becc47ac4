from django.contrib import admin

from .models import Enrolment, Participant


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
