from django.urls import path

from . import views

app_name = "jobcenters"
urlpatterns = [
    path("sites/", views.SiteListView.as_view(), name="sites"),
    path("sites/new/", views.SiteFormView.as_view(), name="site_create"),
    path("sites/<int:pk>/", views.SiteFormView.as_view(), name="site_update"),
    path("staff/", views.StaffListView.as_view(), name="staff"),
    path("staff/invite/", views.StaffFormView.as_view(), name="staff_invite"),
    path("staff/<int:pk>/", views.StaffFormView.as_view(), name="staff_update"),
    path("retention/", views.RetentionView.as_view(), name="retention"),
]
