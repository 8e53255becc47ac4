from django.contrib import admin

from .models import ExportRecord


@admin.register(ExportRecord)
class ExportRecordAdmin(admin.ModelAdmin):
    list_display = ["jobcenter", "kind", "user", "created_at"]
    list_filter = ["kind", "jobcenter"]
