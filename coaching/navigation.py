"""This app's tabs on a cohort's page (registered from `apps.py`)."""

from django.utils.translation import gettext_lazy as _

from cohorts.navigation import COHORT_TABS
from jobcenters.navigation import NavEntry
from jobcenters.permissions import Perm

TABS = (
    NavEntry(_("Sessions"), "coaching:sessions", Perm.RECORD_SESSIONS, 20),
    NavEntry(_("Attendance"), "coaching:matrix", Perm.RECORD_SESSIONS, 30),
)


def connect():
    COHORT_TABS.register(*TABS)
