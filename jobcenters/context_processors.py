from .navigation import navigation_for
from .permissions import REACH, Reach


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
        # Which kinds of data the member reaches, and where only their own groups:
        # `reach.characteristics`, `own_groups_only.cohorts` in templates.
        "reach": {kind.value: r != Reach.NONE
                  for kind, r in REACH.get(membership.role, {}).items()} if membership else {},
        "own_groups_only": {kind.value: r == Reach.OWN_GROUPS
                            for kind, r in REACH.get(membership.role, {}).items()}
        if membership else {},
    }
