from django.urls import path

from . import views

app_name = "cohorts"
urlpatterns = [
    path("cohorts/", views.CohortListView.as_view(), name="list"),
    path("cohorts/new/", views.CohortCreateView.as_view(), name="create"),
    path("cohorts/<int:pk>/edit/", views.CohortUpdateView.as_view(), name="update"),
    path("manage/programmes/", views.ProgrammeListView.as_view(), name="programmes"),
    path("manage/programmes/new/", views.ProgrammeFormView.as_view(), name="programme_create"),
    path("manage/programmes/<int:pk>/", views.ProgrammeFormView.as_view(),
         name="programme_update"),
]
