"""This app's pages in the top bar and the cohort's tabs (registered from `apps.py`), and
what other apps put on this app's pages: boxes above a cohort's participants, buttons
about a person and an enrolment, parts of an enrolment's timeline."""

from django.utils.translation import gettext_lazy as _

from cohorts.navigation import COHORT_TABS
from jobcenters.navigation import TOP_BAR, NavEntry, NavRegistry
from jobcenters.permissions import Perm

TOP_BAR_ENTRIES = (
    NavEntry(_("Participants"), "participants:list", Perm.VIEW_PARTICIPANTS, 30),
    NavEntry(_("Audit trail"), "participants:audit", Perm.VIEW_AUDIT, 70),
)
TABS = (
    # The first tab: a cohort's page opens with its participants.
    NavEntry(_("Participants"), "participants:cohort", Perm.VIEW_COHORTS, 10),
)

# Registered by the app whose data a box shows, as the tabs are: its template's name →
# a function (membership, enrolments, today) giving the box's rows, or None if the member
# does not see the box.
COHORT_BOXES = {}

# Buttons (`ObjectAction`s) about a person on their page, and about an enrolment in the
# cohort's list and on the person's page; buttons (`NavEntry`s) above the audit trail.
PARTICIPANT_ACTIONS = NavRegistry("participant actions")
ENROLMENT_ACTIONS = NavRegistry("enrolment actions")
AUDIT_ACTIONS = NavRegistry("audit trail actions")
# Templates of the entries other apps add to an enrolment's timeline on the person's page
# (given `e`, the enrolment, with what the page prefetches for it).
ENROLMENT_TIMELINE = []


def connect():
    TOP_BAR.register(*TOP_BAR_ENTRIES)
    COHORT_TABS.register(*TABS)
