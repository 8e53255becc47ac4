from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.generic import ListView

from werkakademie.celery import app as celery_app

from .models import Membership, Site
from .permissions import Perm


class TenantMixin:
    """A view inside a jobcenter: the middleware resolved it; this checks the role's right.

    A role without the right gets 403 for the jobcenter's own objects, but 404 for an
    object the jobcenter does not have: nobody learns which ids exist elsewhere.
    """

    permission: Perm | None = None
    model = None

    def dispatch(self, request, *args, **kwargs):
        if request.membership is None:
            raise PermissionDenied
        if self.permission is not None and not request.membership.can(self.permission):
            pk = kwargs.get("pk")
            if pk is not None and not self.model.objects.filter(pk=pk).exists():
                raise Http404
            raise PermissionDenied
        self.jobcenter = request.jobcenter
        self.membership = request.membership
        self.load_objects()
        return super().dispatch(request, *args, **kwargs)

    def load_objects(self):
        """Fetch the objects named in the URL (404 when not visible) before any handler."""


def choose_jobcenter(request):
    """Entry after login: straight into the only jobcenter, else a choice."""
    memberships = list(request.user.memberships.select_related("jobcenter"))
    networks = list(request.user.networks.all())  # analysts' network views (reports app)
    if len(memberships) == 1 and not networks:
        return redirect("home", jc=memberships[0].jobcenter.code)
    return render(request, "jobcenters/choose_jobcenter.html",
                  {"choices": memberships, "networks": networks})


class SiteListView(TenantMixin, ListView):
    permission = Perm.ADMINISTER
    template_name = "jobcenters/site_list.html"
    context_object_name = "sites"

    def get_queryset(self):
        return Site.objects.visible_to(self.membership)


class StaffListView(TenantMixin, ListView):
    permission = Perm.ADMINISTER
    template_name = "jobcenters/staff_list.html"
    context_object_name = "staff"
    paginate_by = 50

    def get_queryset(self):
        return (
            Membership.objects.filter(jobcenter=self.jobcenter)
            .select_related("user")
            .prefetch_related("sites")
            .order_by("user__last_name", "user__first_name")
        )


def _broker_state() -> str:
    if celery_app.conf.task_always_eager:
        return "in-process"
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception:  # any failure to reach the broker is reported, not raised
        return "unavailable"


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception:  # a broken database is what this endpoint reports
        return "unavailable"


@login_not_required
@never_cache
def health(request):
    state = {"database": _database_state(), "broker": _broker_state()}
    healthy = state["database"] == "ok" and state["broker"] in ("ok", "in-process")
    return JsonResponse({"status": "ok" if healthy else "error", **state},
                        status=200 if healthy else 503)


def safe_next(request, default: str) -> str:
    """The `next` address from the form, if it points into this site; else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
