"""Is the service up: `/health/` for the load balancer and compose, and the benchmark's
floor `/<jc>/ping/`. Both are the project's, not a domain app's."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views import View
from django.views.decorators.cache import never_cache

from jobcenters.views import TenantMixin

from .celery import app as celery_app


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


class PingView(TenantMixin, View):
    """The smallest logged-in page of a jobcenter: the benchmark's floor for throughput."""

    def get(self, request, *args, **kwargs):
        return HttpResponse("ok", content_type="text/plain")
