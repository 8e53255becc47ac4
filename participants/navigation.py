"""This app's pages in the top bar and the cohort's tabs (registered from `apps.py`)."""

from django.utils.translation import gettext_lazy as _

from cohorts.navigation import COHORT_TABS
from jobcenters.navigation import TOP_BAR, NavEntry
from jobcenters.permissions import Perm

TOP_BAR_ENTRIES = (
    NavEntry(_("Participants"), "participants:list", Perm.VIEW_PARTICIPANTS, 30),
    NavEntry(_("Audit trail"), "participants:audit", Perm.VIEW_AUDIT, 70),
)
TABS = (
    # The first tab: a cohort's page opens with its participants.
    NavEntry(_("Participants"), "participants:cohort", Perm.VIEW_COHORTS, 10),
)


def connect():
    TOP_BAR.register(*TOP_BAR_ENTRIES)
    COHORT_TABS.register(*TABS)
