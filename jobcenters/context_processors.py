from .navigation import navigation_for
from .permissions import REACH, Reach

# Per role, once: {kind: whether it reaches it at all} and {kind: only its own groups}.
_REACHES = {role: {kind.value: r != Reach.NONE for kind, r in kinds.items()}
            for role, kinds in REACH.items()}
_OWN_GROUPS_ONLY = {role: {kind.value: r == Reach.OWN_GROUPS for kind, r in kinds.items()}
                    for role, kinds in REACH.items()}


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
        "reach": _REACHES.get(membership.role, {}) if membership else {},
        "own_groups_only": _OWN_GROUPS_ONLY.get(membership.role, {}) if membership else {},
    }
