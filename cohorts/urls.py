from django.urls import path

from . import views

app_name = "cohorts"
urlpatterns = [
    path("", views.CohortListView.as_view(), name="list"),
    path("<int:pk>/", views.CohortDetailView.as_view(), name="detail"),
]
