from django.urls import path

from . import views

app_name = "coaching"
urlpatterns = [
    path("cohorts/<int:pk>/sessions/", views.CohortSessionsView.as_view(), name="sessions"),
    path("cohorts/<int:pk>/sessions/new/", views.SessionCreateView.as_view(),
         name="session_create"),
    path("cohorts/<int:cohort_pk>/sessions/<int:pk>/", views.SessionUpdateView.as_view(),
         name="session_update"),
    path("cohorts/<int:cohort_pk>/sessions/<int:pk>/delete/", views.SessionDeleteView.as_view(),
         name="session_delete"),
    path("cohorts/<int:pk>/attendance/", views.AttendanceMatrixView.as_view(), name="matrix"),
    path("cohorts/<int:pk>/attendance/print/", views.SessionPrintView.as_view(),
         name="print"),
    path("manage/modules/", views.ModuleListView.as_view(), name="modules"),
    path("manage/modules/new/", views.ModuleFormView.as_view(), name="module_create"),
    path("manage/modules/<int:pk>/", views.ModuleFormView.as_view(), name="module_update"),
    path("enrolments/<int:pk>/coaching/", views.IndividualSessionsView.as_view(),
         name="individual"),
    path("coaching/<int:pk>/edit/", views.IndividualSessionUpdateView.as_view(),
         name="individual_update"),
    path("coaching/<int:pk>/remove/", views.IndividualSessionRemoveView.as_view(),
         name="individual_remove"),
]
