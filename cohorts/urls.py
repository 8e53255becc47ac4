from django.urls import path

from . import views

app_name = "cohorts"
urlpatterns = [
    path("cohorts/", views.CohortListView.as_view(), name="list"),
    path("cohorts/new/", views.CohortCreateView.as_view(), name="create"),
    path("cohorts/<int:pk>/edit/", views.CohortUpdateView.as_view(), name="update"),
]
