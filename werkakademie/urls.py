from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from coaching.views import CalendarFeedView
from reports.dashboard_views import NetworkView
from reports.views import StartView

from . import entry, health, keepalive

tenant_patterns = [
    path("", StartView.as_view(), name="home"),
    path("ping/", health.PingView.as_view(), name="ping"),
    path("", include("cohorts.urls")),
    path("", include("participants.urls")),
    path("", include("coaching.urls")),
    path("", include("employers.urls")),
    path("", include("privacy.urls")),
    path("", include("documents.urls")),
    path("", include("imports.urls")),
    path("", include("reports.urls")),
    path("manage/", include("jobcenters.urls")),
]

urlpatterns = [
    path("", entry.choose_jobcenter, name="choose_jobcenter"),
    path("health/", health.health, name="health"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True),
         name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/stay/", keepalive.stay_logged_in, name="stay_logged_in"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(),
         name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(),
         name="password_change_done"),
    path("accounts/password/set/<uidb64>/<token>/",
         auth_views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("accounts/password/set/done/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
    path("admin/", admin.site.urls),
    path("network/<slug:slug>/", NetworkView.as_view(), name="network"),
    # A calendar program's address: no login, the token is the secret (coaching/calendar.py).
    path("calendar/<str:token>.ics", CalendarFeedView.as_view(), name="calendar_feed"),
    # An application card's page for employers: no login, the token is the secret.
    path("card/", include("documents.public_urls")),
    path("<slug:jc>/", include(tenant_patterns)),
]
