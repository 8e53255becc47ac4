import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import Http404
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
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


class PrivatePagesMiddleware:
    """No page or file shown to a logged-in user is kept by the browser or a proxy.

    Jobcenter PCs are shared: after logging out, "Back" or the disk cache must not bring
    back a participant's page or an export. Static files never reach this (WhiteNoise
    answers them first) and keep their long caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            add_never_cache_headers(response)  # no-store, no-cache, private, max-age=0
        return response


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
    timeout is SESSION_COOKIE_AGE): a forgotten tablet does not stay logged in for days.

    The request goes on as an anonymous one, so that the login-required middleware sends it
    to the login and keeps a form it carries (kept_form.py), as after the idle timeout."""

    KEY = "session_started_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            started = request.session.setdefault(self.KEY, now)
            if now - started > settings.SESSION_ABSOLUTE_AGE:
                logout(request)
        return self.get_response(request)


class NulByteMiddleware:
    """A NUL byte in the address or in a GET/POST name or value is refused with 400.

    PostgreSQL cannot store or compare text with NUL in it and raises, so a crafted
    `?q=%00` would end in a 500 wherever the value reaches a query. No form or link of
    the application sends one; the German error page says what went wrong.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            return render(request, "400.html", {"reason": _(
                "The request contains a character that is not allowed (a NUL byte).")},
                status=400)
        return self.get_response(request)

    @staticmethod
    def _has_nul(request) -> bool:
        if "\x00" in request.path:
            return True
        for data in (request.GET, request.POST):
            for key, values in data.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    return True
        return False
