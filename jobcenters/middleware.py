import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.urls import Resolver404, resolve
from django_scopes import scope, scopes_disabled

from .audit import acting
from .models import Membership


class TenantMiddleware:
    """Resolve the jobcenter in the URL from the user's memberships and scope the request.

    The whole response, template rendering included, runs inside `scope(jobcenter=…)`.
    A user without a membership in that jobcenter gets 404, whatever the object.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.jobcenter = None
        request.membership = None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            match = None
        code = match.kwargs.get("jc") if match else None

        if match and match.app_name == "admin":
            # The operator's Django admin spans all jobcenters (staff only).
            with scopes_disabled():
                return self.get_response(request)
        if code is None or not request.user.is_authenticated:
            # No jobcenter: tenant models stay unreachable (queries raise ScopeError).
            with scope():
                return self.get_response(request)

        membership = (
            Membership.objects.select_related("jobcenter")
            .filter(user=request.user, jobcenter__code=code, is_active=True)
            .first()
        )
        if membership is None:
            raise Http404
        request.membership = membership
        request.jobcenter = membership.jobcenter
        with scope(jobcenter=membership.jobcenter):
            return self.get_response(request)


class AuditActorMiddleware:
    """Who acts in this request, for audit entries written in bulk (see audit.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user if request.user.is_authenticated else None
        with acting(user, request.META.get("REMOTE_ADDR")):
            return self.get_response(request)


class SessionLifetimeMiddleware:
    """A session ends after SESSION_ABSOLUTE_AGE seconds however active it is (the idle
    timeout is SESSION_COOKIE_AGE): a forgotten tablet does not stay logged in for days."""

    KEY = "session_started_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            started = request.session.setdefault(self.KEY, now)
            if now - started > settings.SESSION_ABSOLUTE_AGE:
                logout(request)
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)
