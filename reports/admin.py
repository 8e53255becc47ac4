from django.contrib import admin

from .models import ReportSnapshot


@admin.register(ReportSnapshot)
class ReportSnapshotAdmin(admin.ModelAdmin):
    list_display = ["jobcenter", "as_of", "computed_at", "data_version"]
    list_filter = ["jobcenter"]
    readonly_fields = ["payload"]
