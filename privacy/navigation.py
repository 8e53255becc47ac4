"""This app's tab in the administration area, its buttons on the audit trail and a
person's page, and how the trail words its records (registered from `apps.py`)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jobcenters.audit import DESCRIBED
from jobcenters.navigation import ADMIN_TABS, NavEntry, ObjectAction
from jobcenters.permissions import Perm
from participants.navigation import AUDIT_ACTIONS, PARTICIPANT_ACTIONS

from .processing import describe_records

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
    DESCRIBED["privacy.exportrecord"] = describe_records
