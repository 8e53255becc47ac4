from django.urls import path

from . import dashboard_views, views

app_name = "reports"
urlpatterns = [
    path("cohorts/<int:pk>/outcome/", views.CohortOutcomeView.as_view(), name="cohort_outcome"),
    path("reports/", dashboard_views.DashboardView.as_view(), name="dashboard"),
    path("reports/status/", dashboard_views.ReportStatusView.as_view(), name="status"),
    path("reports/refresh/", dashboard_views.ReportRefreshView.as_view(), name="refresh"),
    path("reports/list/", dashboard_views.DrilldownView.as_view(), name="drilldown"),
    path("reports/export/", dashboard_views.ReportExportView.as_view(), name="export"),
]
