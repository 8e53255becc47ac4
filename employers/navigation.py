"""This app's page in the top bar and its tab on a cohort's page (registered from `apps.py`)."""

from django.utils.translation import gettext_lazy as _

from cohorts.navigation import COHORT_TABS
from jobcenters.navigation import TOP_BAR, NavEntry
from jobcenters.permissions import Perm

TOP_BAR_ENTRIES = (
    NavEntry(_("Employers"), "employers:list", Perm.VIEW_EMPLOYERS, 40),
)
TABS = (
    NavEntry(_("Applications"), "employers:board", Perm.VIEW_COHORTS, 40),
)


def connect():
    TOP_BAR.register(*TOP_BAR_ENTRIES)
    COHORT_TABS.register(*TABS)
