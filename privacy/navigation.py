"""This app's tab in the administration area and its buttons on the audit trail and a
person's page (registered from `apps.py`)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jobcenters.navigation import ADMIN_TABS, NavEntry, ObjectAction
from jobcenters.permissions import Perm
from participants.navigation import AUDIT_ACTIONS, PARTICIPANT_ACTIONS

RETENTION = NavEntry(_("Retention period"), "privacy:retention_settings", None, 50)
DELETION_PERIODS = NavEntry(_("Deletion periods"), "privacy:retention", Perm.RUN_RETENTION, 10)
SUBJECT_ACCESS = ObjectAction(
    "privacy:subject_access", _("Information on stored data"), Perm.SUBJECT_ACCESS, 10,
    url=lambda participant, jc: reverse("privacy:subject_access",
                                        kwargs={"jc": jc, "pk": participant.pk}))


def connect():
    ADMIN_TABS.register(RETENTION)
    AUDIT_ACTIONS.register(DELETION_PERIODS)
    PARTICIPANT_ACTIONS.register(SUBJECT_ACCESS)
