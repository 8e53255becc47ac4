from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("cohorts/<int:pk>/outcome/", views.CohortOutcomeView.as_view(), name="cohort_outcome"),
]
