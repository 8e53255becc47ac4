"""This app's tabs and button on a cohort's page, its administration tab and its part of
an enrolment's timeline (registered from `apps.py`)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cohorts.navigation import COHORT_ACTIONS, COHORT_TABS, PROGRAMME_ACTIONS
from jobcenters.navigation import ADMIN_TABS, NavEntry, ObjectAction
from jobcenters.permissions import Perm
from participants.navigation import ENROLMENT_ACTIONS, ENROLMENT_TIMELINE, TimelinePart

from .timeline import enrolment_sessions

TABS = (
    NavEntry(_("Plan"), "coaching:plan", Perm.RECORD_SESSIONS, 15),
    NavEntry(_("Sessions"), "coaching:sessions", Perm.RECORD_SESSIONS, 20),
    NavEntry(_("Attendance"), "coaching:matrix", Perm.RECORD_SESSIONS, 30),
)


MODULES = NavEntry(_("Module catalogue"), "coaching:modules", None, 40)
RECORD_SESSION = NavEntry(_("Record session"), "coaching:session_create", Perm.RECORD_SESSIONS,
                          20, primary=True)
INDIVIDUAL = ObjectAction(
    "coaching:individual", _("Individual coaching"), Perm.RECORD_SESSIONS, 30,
    url=lambda enrolment, jc: reverse("coaching:individual", kwargs={"jc": jc, "pk": enrolment.pk}))
ABSENCES = ObjectAction(
    "coaching:absence_overview", _("Absence overview"), Perm.RECORD_SESSIONS, 35,
    url=lambda enrolment, jc: reverse("coaching:absence_overview",
                                      kwargs={"jc": jc, "pk": enrolment.pk}),
    shown=lambda enrolment: enrolment.joined_on is not None)
CURRICULUM = ObjectAction(
    "coaching:curriculum", _("Curriculum"), Perm.VIEW_SETUP, 10,
    url=lambda programme, jc: reverse("coaching:curriculum", kwargs={"jc": jc, "pk": programme.pk}))
SESSIONS = TimelinePart("coaching/_enrolment_sessions.html", 10, enrolment_sessions)


def connect():
    COHORT_TABS.register(*TABS)
    COHORT_ACTIONS.register(RECORD_SESSION)
    ADMIN_TABS.register(MODULES)
    PROGRAMME_ACTIONS.register(CURRICULUM)
    ENROLMENT_ACTIONS.register(INDIVIDUAL, ABSENCES)
    ENROLMENT_TIMELINE.register(SESSIONS)
