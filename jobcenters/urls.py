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
    path("staff/<int:pk>/resend/", views.StaffInvitationResendView.as_view(),
         name="staff_resend"),
    # The retention period's page is the reports app's (it counts who would be anonymised).
]
