"""This app's pages in the top bar and its tab on a cohort's page (registered from `apps.py`).

The start page ("Today", `home`) is this app's view (`reports.views.StartView`), so its
entry is registered here too.
"""

from django.utils.translation import gettext_lazy as _

from cohorts.navigation import COHORT_TABS
from jobcenters.navigation import TOP_BAR, NavEntry
from jobcenters.permissions import Perm

TOP_BAR_ENTRIES = (
    # Its address is the jobcenter's root: active there only, not on every page below it.
    NavEntry(_("Today"), "home", Perm.VIEW_COHORTS, 10, exact=True),
    NavEntry(_("Reports"), "reports:dashboard", Perm.VIEW_REPORTS, 50),
)
TABS = (
    NavEntry(_("Outcome"), "reports:cohort_outcome", Perm.RECORD_SESSIONS, 50),
)


def connect():
    TOP_BAR.register(*TOP_BAR_ENTRIES)
    COHORT_TABS.register(*TABS)
