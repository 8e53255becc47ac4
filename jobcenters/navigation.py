"""The top bar: which entries a role sees (UX.md, Navigation)."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .permissions import Perm


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    permission: Perm | None


ENTRIES = (
    NavEntry(_("Today"), "home", Perm.VIEW_COHORTS),
    NavEntry(_("Cohorts"), "cohorts:list", Perm.VIEW_COHORTS),
    NavEntry(_("Participants"), "participants:list", Perm.VIEW_PARTICIPANTS),
    NavEntry(_("Employers"), "employers:list", Perm.VIEW_EMPLOYERS),
    NavEntry(_("Reports"), "reports:dashboard", Perm.VIEW_REPORTS),
    NavEntry(_("Administration"), "jobcenters:staff", Perm.VIEW_SETUP),
    NavEntry(_("Audit trail"), "participants:audit", Perm.VIEW_AUDIT),
)


def navigation_for(membership, current_path):
    items = []
    for entry in ENTRIES:
        if entry.permission is not None and not membership.can(entry.permission):
            continue
        url = reverse(entry.url_name, kwargs={"jc": membership.jobcenter.code})
        active = current_path == url if entry.url_name == "home" else current_path.startswith(url)
        items.append({"label": entry.label, "url": url, "active": active})
    return items
