from django.urls import path

from . import views

app_name = "employers"
urlpatterns = [
    path("enrolments/<int:pk>/integration/", views.IntegrationCreateView.as_view(),
         name="integration_create"),
]
