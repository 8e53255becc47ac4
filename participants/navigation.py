"""This app's pages in the top bar and the cohort's tabs (registered from `apps.py`), and
what other apps put on this app's pages: boxes above a cohort's participants, buttons
about a person and an enrolment, parts of an enrolment's timeline."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
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
# The same on a person's page: template name → a function (membership, participant) giving
# the box's context, or None if the member does not see the box.
PARTICIPANT_BOXES = {}

# Buttons (`ObjectAction`s) about a person on their page, and about an enrolment in the
# cohort's list and on the person's page; buttons (`NavEntry`s) above the audit trail.
PARTICIPANT_ACTIONS = NavRegistry("participant actions")
ENROLMENT_ACTIONS = NavRegistry("enrolment actions")
AUDIT_ACTIONS = NavRegistry("audit trail actions")
# The parts other apps add to an enrolment's timeline on the person's page (`TimelinePart`).
ENROLMENT_TIMELINE = NavRegistry("enrolment timeline")


@dataclass(frozen=True)
class TimelinePart:
    """Entries of an enrolment's timeline, registered by the app whose data they show.

    `template` is given `e`, the enrolment, as `prefetch(enrolments, membership)` left the
    page's queryset of enrolments: that function adds what the template reads, for all the
    page's enrolments at once (annotations, a `Prefetch` through `visible_to`), never a
    query per enrolment, and only what the member reaches.
    """

    template: str
    position: int
    prefetch: Callable[[QuerySet, object], QuerySet]
    # Between joining and the exit (sessions, applications) or after the exit (job start).
    after_exit: bool = False
    permission: Perm | None = None

    @property
    def key(self) -> str:
        return self.template


def connect():
    TOP_BAR.register(*TOP_BAR_ENTRIES)
    COHORT_TABS.register(*TABS)
