"""This app's page in the top bar, its tab on a cohort's page, its box above the cohort's
participants, its buttons about an enrolment and its parts of an enrolment's timeline
(registered from `apps.py`)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cohorts.navigation import COHORT_TABS
from jobcenters.navigation import TOP_BAR, NavEntry, NavRegistry, ObjectAction
from jobcenters.permissions import Perm
from participants.navigation import (
    COHORT_BOXES,
    ENROLMENT_ACTIONS,
    ENROLMENT_TIMELINE,
    TimelinePart,
)

from .selectors import cohort_followups_due
from .timeline import enrolment_applications, enrolment_job_starts

TOP_BAR_ENTRIES = (
    NavEntry(_("Employers"), "employers:list", Perm.VIEW_EMPLOYERS, 40),
)
TABS = (
    NavEntry(_("Applications"), "employers:board", Perm.VIEW_COHORTS, 40),
)
# Buttons above the employer list.
EMPLOYER_LIST_ACTIONS = NavRegistry("employer list actions")
NEW_EMPLOYER = NavEntry(_("New employer"), "employers:create", Perm.MANAGE_EMPLOYERS, 90,
                        primary=True)
ENROLMENT = (
    ObjectAction(
        "employers:application_create", _("Record application"), Perm.RECORD_APPLICATIONS, 10,
        url=lambda e, jc: reverse("employers:application_create",
                                  kwargs={"jc": jc, "pk": e.cohort_id}) + f"?enrolment={e.pk}",
        shown=lambda e: e.joined_on is not None and e.exit_on is None),
    ObjectAction(
        "employers:integration_create", _("Start of work"), Perm.MANAGE_PARTICIPANTS, 20,
        url=lambda e, jc: reverse("employers:integration_create", kwargs={"jc": jc, "pk": e.pk}),
        shown=lambda e: not e.is_integrated),
    # Where the enrolment has its job start, the same place corrects it.
    ObjectAction(
        "employers:integration_update", _("Edit start of work"), Perm.MANAGE_PARTICIPANTS, 25,
        url=lambda e, jc: reverse("employers:integration_update", kwargs={"jc": jc, "pk": e.pk}),
        shown=lambda e: e.is_integrated),
)

TIMELINE = (
    TimelinePart("employers/_enrolment_applications.html", 20, enrolment_applications),
    TimelinePart("employers/_enrolment_job_starts.html", 30, enrolment_job_starts,
                 after_exit=True),
)


def connect():
    TOP_BAR.register(*TOP_BAR_ENTRIES)
    COHORT_TABS.register(*TABS)
    COHORT_BOXES["employers/_cohort_followups_due.html"] = cohort_followups_due
    ENROLMENT_ACTIONS.register(*ENROLMENT)
    EMPLOYER_LIST_ACTIONS.register(NEW_EMPLOYER)
    ENROLMENT_TIMELINE.register(*TIMELINE)
