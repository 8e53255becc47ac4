from django.urls import path

from . import views

app_name = "jobcenters"
urlpatterns = [
    path("sites/", views.SiteListView.as_view(), name="sites"),
    path("staff/", views.StaffListView.as_view(), name="staff"),
]
