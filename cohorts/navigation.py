"""The cohort's pages: its entry in the top bar, and the registry of the tabs under the
cohort header.

Each tab is a view of the app that owns its data (participants, sessions, applications,
outcome); that app registers it in `COHORT_TABS` from its own `navigation.py`, so this app
names none of their URLs. A tab's URL takes the jobcenter's code and the cohort's pk.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jobcenters.navigation import ADMIN_TABS, TOP_BAR, NavEntry, NavRegistry
from jobcenters.permissions import Perm

COHORT_TABS = NavRegistry("cohort tabs")
# Buttons in the cohort header (URL: jobcenter, cohort pk) and above the cohort list.
COHORT_ACTIONS = NavRegistry("cohort actions")
# Buttons in the cohort header that depend on the cohort (`ObjectAction`s, e.g. once it ended).
COHORT_OBJECT_ACTIONS = NavRegistry("cohort object actions")
COHORT_LIST_ACTIONS = NavRegistry("cohort list actions")
# Buttons of a programme's row in the administration's list (URL: jobcenter, programme pk).
PROGRAMME_ACTIONS = NavRegistry("programme actions")

COHORTS = NavEntry(_("Cohorts"), "cohorts:list", Perm.VIEW_COHORTS, 20)
PROGRAMMES = NavEntry(_("Programmes"), "cohorts:programmes", None, 30)
EDIT = NavEntry(_("Edit cohort"), "cohorts:update", Perm.MANAGE_COHORTS, 10)
NEW = NavEntry(_("New cohort"), "cohorts:create", Perm.MANAGE_COHORTS, 90, primary=True)


def connect():
    TOP_BAR.register(COHORTS)
    ADMIN_TABS.register(PROGRAMMES)
    COHORT_ACTIONS.register(EDIT)
    COHORT_LIST_ACTIONS.register(NEW)


def cohort_page(membership) -> str:
    """The URL name of a cohort's page for this member: the first of its tabs they see."""
    return COHORT_TABS.visible_to(membership)[0].url_name


def cohort_url(membership, cohort) -> str:
    return reverse(cohort_page(membership),
                   kwargs={"jc": membership.jobcenter.code, "pk": cohort.pk})
