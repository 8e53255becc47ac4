"""The warning before the idle timeout (static/js/session-expiry.js) and its
"stay logged in" request."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.views.decorators.http import require_POST


def session_timer(request) -> dict:
    """For the page's timer: seconds until the idle timeout, and how long before it to warn."""
    if not request.user.is_authenticated:
        return {}
    return {"session_seconds": request.session.get_expiry_age(),
            "session_warning_seconds": settings.SESSION_WARNING_SECONDS}


@login_not_required  # an expired session gets this answer, not the login page
@require_POST
def stay_logged_in(request):
    """Every request renews the session (SESSION_SAVE_EVERY_REQUEST); this one does nothing
    else and says for how long."""
    if not request.user.is_authenticated:
        return JsonResponse({"logged_in": False}, status=401)
    return JsonResponse({"logged_in": True, "seconds": request.session.get_expiry_age()})
