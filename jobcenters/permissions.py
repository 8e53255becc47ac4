"""What each role may do: the one table of rights."""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COACH = "coach", _("job coach")
    TEAM_LEAD = "team_lead", _("team lead")
    EMPLOYER_SERVICE = "employer_service", _("employer service")
    ADMIN = "admin", _("administrator")


class Perm(StrEnum):
    VIEW_COHORTS = "view_cohorts"
    MANAGE_COHORTS = "manage_cohorts"
    RECORD_SESSIONS = "record_sessions"
    VIEW_PARTICIPANTS = "view_participants"
    MANAGE_PARTICIPANTS = "manage_participants"
    VIEW_EMPLOYERS = "view_employers"
    MANAGE_EMPLOYERS = "manage_employers"
    RECORD_APPLICATIONS = "record_applications"
    VIEW_REPORTS = "view_reports"
    EXPORT_REPORTS = "export_reports"
    ADMINISTER = "administer"
    VIEW_AUDIT = "view_audit"
    RUN_RETENTION = "run_retention"
    SUBJECT_ACCESS = "subject_access"


_COACH = {
    Perm.VIEW_COHORTS, Perm.RECORD_SESSIONS, Perm.VIEW_PARTICIPANTS,
    Perm.MANAGE_PARTICIPANTS, Perm.VIEW_EMPLOYERS, Perm.RECORD_APPLICATIONS, Perm.VIEW_REPORTS,
}

ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    Role.COACH: frozenset(_COACH),
    Role.TEAM_LEAD: frozenset(
        _COACH | {Perm.MANAGE_COHORTS, Perm.MANAGE_EMPLOYERS, Perm.EXPORT_REPORTS, Perm.VIEW_AUDIT,
                  Perm.RUN_RETENTION, Perm.SUBJECT_ACCESS}
    ),
    # The employer service's pipeline figures come with the employers' pages.
    Role.EMPLOYER_SERVICE: frozenset(
        {Perm.VIEW_COHORTS, Perm.VIEW_PARTICIPANTS, Perm.VIEW_EMPLOYERS, Perm.MANAGE_EMPLOYERS,
         Perm.RECORD_APPLICATIONS}
    ),
    Role.ADMIN: frozenset({Perm.ADMINISTER, Perm.VIEW_AUDIT, Perm.RUN_RETENTION}),
}


def role_can(role: str, permission: Perm) -> bool:
    return permission in ROLE_PERMISSIONS.get(role, frozenset())
