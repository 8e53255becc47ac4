from django.contrib import admin

from .models import Network, ReportJob, ReportSnapshot


@admin.register(ReportSnapshot)
class ReportSnapshotAdmin(admin.ModelAdmin):
    list_display = ["jobcenter", "as_of", "computed_at", "data_version"]
    list_filter = ["jobcenter"]
    exclude = ["payload"]


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    list_display = ["jobcenter", "status", "requested_at", "finished_at", "attempts"]
    list_filter = ["status", "jobcenter"]


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    filter_horizontal = ["jobcenters", "analysts"]
