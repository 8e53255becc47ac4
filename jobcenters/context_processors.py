from .navigation import navigation_for


def tenant(request):
    membership = getattr(request, "membership", None)
    user = getattr(request, "user", None)
    memberships = []
    if user is not None and user.is_authenticated:
        memberships = list(user.memberships.filter(is_active=True).select_related("jobcenter"))
    return {
        "jobcenter": getattr(request, "jobcenter", None),
        "membership": membership,
        "memberships": memberships,
        "nav_items": navigation_for(membership, request.path) if membership else [],
    }
