from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("cohorts/<int:pk>/outcome/", views.CohortOutcomeView.as_view(), name="cohort_outcome"),
    path("import/", views.ImportUploadView.as_view(), name="import_upload"),
    path("import/confirm/", views.ImportConfirmView.as_view(), name="import_confirm"),
    path("import/example.csv", views.ImportExampleView.as_view(), name="import_example"),
]
