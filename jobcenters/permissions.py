"""Who may do what, and how far each role reaches: the one table of rights.

DESIGN.md's reach table lives here and nowhere else. `ROLE_PERMISSIONS` says what a role may
do; `REACH` says, per kind of data, how far it sees. Every tenant model names its kind and
its paths to cohort and enrolment (`jobcenters.scoping.TenantModel`), and
`TenantQuerySet.visible_to(membership)` builds its filter from both, as netbox's
`RestrictedQuerySet.restrict(user, action)` does from one permission store.
"""

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
    # May be named as a coach of a group session or a cohort.
    LEAD_SESSIONS = "lead_sessions"
    VIEW_PARTICIPANTS = "view_participants"
    MANAGE_PARTICIPANTS = "manage_participants"
    VIEW_EMPLOYERS = "view_employers"
    MANAGE_EMPLOYERS = "manage_employers"
    RECORD_APPLICATIONS = "record_applications"
    VIEW_REPORTS = "view_reports"
    EXPORT_REPORTS = "export_reports"
    # Read staff, sites, programmes, modules and the retention period (the reach table's
    # last row); changing them is ADMINISTER.
    VIEW_SETUP = "view_setup"
    ADMINISTER = "administer"
    VIEW_AUDIT = "view_audit"
    RUN_RETENTION = "run_retention"
    SUBJECT_ACCESS = "subject_access"
    # Certificates, CV, consent and the application card of the people one reaches.
    MANAGE_DOCUMENTS = "manage_documents"


_COACH = {
    Perm.VIEW_COHORTS, Perm.RECORD_SESSIONS, Perm.LEAD_SESSIONS, Perm.VIEW_PARTICIPANTS,
    Perm.MANAGE_PARTICIPANTS, Perm.VIEW_EMPLOYERS, Perm.RECORD_APPLICATIONS, Perm.VIEW_REPORTS,
    Perm.VIEW_AUDIT, Perm.MANAGE_DOCUMENTS,
}

ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    Role.COACH: frozenset(_COACH),
    Role.TEAM_LEAD: frozenset(
        _COACH | {Perm.MANAGE_COHORTS, Perm.MANAGE_EMPLOYERS, Perm.EXPORT_REPORTS,
                  Perm.RUN_RETENTION, Perm.SUBJECT_ACCESS, Perm.VIEW_SETUP}
    ),
    # The employer service's pipeline figures come with the employers' pages.
    Role.EMPLOYER_SERVICE: frozenset(
        {Perm.VIEW_COHORTS, Perm.VIEW_PARTICIPANTS, Perm.VIEW_EMPLOYERS, Perm.MANAGE_EMPLOYERS,
         Perm.RECORD_APPLICATIONS, Perm.VIEW_AUDIT}
    ),
    Role.ADMIN: frozenset({Perm.VIEW_SETUP, Perm.ADMINISTER, Perm.VIEW_AUDIT,
                           Perm.RUN_RETENTION}),
}


def role_can(role: str, permission: Perm) -> bool:
    return permission in ROLE_PERMISSIONS.get(role, frozenset())


def roles_with(permission: Perm) -> tuple[str, ...]:
    return tuple(role for role, perms in ROLE_PERMISSIONS.items() if permission in perms)


class Data(StrEnum):
    """Kinds of data: the rows of DESIGN.md's reach table.

    The table's row "enrolments, exits, integrations, follow-ups, Kooperationsplan" is two
    kinds here, because the employer service reaches only part of it: PLACEMENT (which
    group a person is in, their hire and job start) and COURSE (the rest).
    """

    COHORTS = "cohorts"  # groups and who coaches them
    IDENTITY = "identity"  # name, customer number, birth year, gender, language
    CHARACTERISTICS = "characteristics"  # health, refugee, single parent, …, notes
    PLACEMENT = "placement"  # enrolment in a group, job starts
    COURSE = "course"  # assignment, Kooperationsplan, exit and its reasons, follow-ups, notes
    ATTENDANCE = "attendance"  # group sessions and attendance
    COACHING_NOTES = "coaching_notes"  # individual coaching with its confidential note
    EMPLOYERS = "employers"  # employers, contacts, vacancies, activities
    APPLICATIONS = "applications"
    # Name and group of current participants, to pick one for a placement proposal.
    CANDIDATES = "candidates"
    CATALOGUE = "catalogue"  # sites, programmes, modules: names every member picks from
    STAFF = "staff"  # memberships and retention settings
    PROCESSING = "processing"  # the record of processing: exports, imports, subject access


class Reach(StrEnum):
    JOBCENTER = "jobcenter"
    OWN_GROUPS = "own_groups"  # the cohorts the person coaches
    PIPELINE = "pipeline"  # people with an application (the placement pipeline)
    NONE = "none"


# Social data (§ 67 SGB X): what the administration's view of the audit trail never shows.
SOCIAL_DATA = frozenset({Data.IDENTITY, Data.CHARACTERISTICS, Data.PLACEMENT, Data.COURSE,
                         Data.ATTENDANCE, Data.COACHING_NOTES, Data.APPLICATIONS})

_J, _O, _P, _N = Reach.JOBCENTER, Reach.OWN_GROUPS, Reach.PIPELINE, Reach.NONE

REACH: dict[str, dict[Data, Reach]] = {
    Role.COACH: {
        Data.COHORTS: _O, Data.IDENTITY: _O, Data.CHARACTERISTICS: _O, Data.PLACEMENT: _O,
        Data.COURSE: _O, Data.ATTENDANCE: _O, Data.COACHING_NOTES: _O, Data.EMPLOYERS: _J,
        Data.APPLICATIONS: _O, Data.CANDIDATES: _O, Data.CATALOGUE: _J, Data.STAFF: _N,
        Data.PROCESSING: _N,
    },
    Role.TEAM_LEAD: dict.fromkeys(Data, _J),
    Role.EMPLOYER_SERVICE: {
        Data.COHORTS: _J, Data.IDENTITY: _P, Data.CHARACTERISTICS: _N, Data.PLACEMENT: _P,
        Data.COURSE: _N, Data.ATTENDANCE: _N, Data.COACHING_NOTES: _N, Data.EMPLOYERS: _J,
        Data.APPLICATIONS: _J, Data.CANDIDATES: _J, Data.CATALOGUE: _J, Data.STAFF: _N,
        Data.PROCESSING: _N,
    },
    # The administration reaches no person's data; in the audit trail it sees that social
    # data changed (who, when, which record, which fields), never the values.
    Role.ADMIN: {
        **dict.fromkeys(Data, _N), Data.CATALOGUE: _J, Data.STAFF: _J, Data.PROCESSING: _J,
    },
}


def reach_of(role: str, kind: Data) -> Reach:
    return REACH.get(role, {}).get(kind, Reach.NONE)


def reaches(role: str, kind: Data) -> bool:
    return reach_of(role, kind) != Reach.NONE


def audit_overview(role: str) -> bool:
    """Whether the role sees every entry of the trail, social data as metadata only."""
    return role_can(role, Perm.ADMINISTER)
