from django.urls import path

from . import dashboard_views, import_views, retention_views, views

app_name = "reports"
urlpatterns = [
    path("cohorts/<int:pk>/outcome/", views.CohortOutcomeView.as_view(), name="cohort_outcome"),
    path("import/", import_views.ImportUploadView.as_view(), name="import_upload"),
    path("import/confirm/", import_views.ImportConfirmView.as_view(), name="import_confirm"),
    path("import/example.csv", import_views.ImportExampleView.as_view(), name="import_example"),
    path("employers/import/", import_views.ImportUploadView.as_view(
        importer=import_views.EMPLOYERS), name="employer_import_upload"),
    path("employers/import/confirm/", import_views.ImportConfirmView.as_view(
        importer=import_views.EMPLOYERS), name="employer_import_confirm"),
    path("employers/import/example.csv", import_views.ImportExampleView.as_view(
        importer=import_views.EMPLOYERS), name="employer_import_example"),
    path("reports/", dashboard_views.DashboardView.as_view(), name="dashboard"),
    path("reports/status/", dashboard_views.ReportStatusView.as_view(), name="status"),
    path("reports/refresh/", dashboard_views.ReportRefreshView.as_view(), name="refresh"),
    path("reports/list/", dashboard_views.DrilldownView.as_view(), name="drilldown"),
    path("reports/export/", dashboard_views.ReportExportView.as_view(), name="export"),
    path("manage/retention/due/", retention_views.RetentionDueView.as_view(), name="retention"),
    path("manage/retention/", retention_views.RetentionSettingsView.as_view(),
         name="retention_settings"),
    path("participants/<int:pk>/data.json", retention_views.SubjectAccessJsonView.as_view(),
         name="subject_access_json"),
    path("participants/<int:pk>/data/", retention_views.SubjectAccessPageView.as_view(),
         name="subject_access"),
]
