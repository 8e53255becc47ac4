"""The cohort's pages: its entry in the top bar, and the registry of the tabs under the
cohort header.

Each tab is a view of the app that owns its data (participants, sessions, applications,
outcome); that app registers it in `COHORT_TABS` from its own `navigation.py`, so this app
names none of their URLs. A tab's URL takes the jobcenter's code and the cohort's pk.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jobcenters.navigation import TOP_BAR, NavEntry, NavRegistry
from jobcenters.permissions import Perm

COHORT_TABS = NavRegistry("cohort tabs")

COHORTS = NavEntry(_("Cohorts"), "cohorts:list", Perm.VIEW_COHORTS, 20)


def connect():
    TOP_BAR.register(COHORTS)


def cohort_tabs_for(membership, cohort, current: str) -> list[dict]:
    """The tabs the member sees on a cohort's page; `current` is the shown tab's URL name."""
    kwargs = {"jc": membership.jobcenter.code, "pk": cohort.pk}
    return [{"label": tab.label, "url": reverse(tab.url_name, kwargs=kwargs),
             "active": tab.url_name == current}
            for tab in COHORT_TABS.visible_to(membership)]


def cohort_url(membership, cohort) -> str:
    """A cohort's page: the first of its tabs the member sees."""
    tab = COHORT_TABS.visible_to(membership)[0]
    return reverse(tab.url_name, kwargs={"jc": membership.jobcenter.code, "pk": cohort.pk})
