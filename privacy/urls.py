from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("manage/retention/due/", views.RetentionDueView.as_view(), name="retention"),
    path("manage/retention/", views.RetentionSettingsView.as_view(),
         name="retention_settings"),
    path("participants/<int:pk>/data.json", views.SubjectAccessJsonView.as_view(),
         name="subject_access_json"),
    path("participants/<int:pk>/data/", views.SubjectAccessPageView.as_view(),
         name="subject_access"),
]
