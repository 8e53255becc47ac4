"""Writes of the employer service's data, and the one way an integration comes about."""

from datetime import date
from decimal import Decimal

from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jobcenters.audit import audit_bulk
from jobcenters.models import Jobcenter
from jobcenters.services import named_for
from participants.models import Enrolment

from .models import (
    ALLOWED_MOVES,
    CLOSED_STAGES,
    Application,
    ApplicationStep,
    ContactPerson,
    Employer,
    EmployerActivity,
    FollowUp,
    Integration,
    Vacancy,
)
from .selectors import employer_duplicates


@transaction.atomic
def employer_for_name(*, jobcenter, name: str, town: str = "") -> Employer:
    if not name.strip():
        raise ValidationError({"employer_name": _("Please enter the employer's name.")})
    return named_for(Employer, jobcenter=jobcenter, name=name, town=town)


@transaction.atomic
def integration_record(
    *,
    enrolment: Enrolment,
    kind: str,
    start_on: date,
    employer: Employer | None = None,
    employer_name: str = "",
    weekly_hours: Decimal | None = None,
    subsidy: str = "",
) -> Integration:
    """Record a job start; counting kinds get their 6- and 12-month follow-ups. An employer
    typed by name (`employer_name`) is found or created in the same transaction."""
    if employer is None and employer_name:
        employer = employer_for_name(jobcenter=enrolment.jobcenter, name=employer_name)
    integration = Integration(
        jobcenter=enrolment.jobcenter, enrolment=enrolment, kind=kind, start_on=start_on,
        employer=employer, weekly_hours=weekly_hours, subsidy=subsidy,
    )
    if Integration.objects.filter(enrolment=enrolment, kind=kind, start_on=start_on).exists():
        raise ValidationError(_("This job start is already recorded."))
    integration.full_clean()
    integration.save()
    if integration.counts:
        followups = FollowUp.objects.bulk_create(
            FollowUp(jobcenter=enrolment.jobcenter, integration=integration, due_month=month,
                     due_on=FollowUp.due_date(start_on, month))
            for month in FollowUp.DueMonth
        )
        audit_bulk(followups, LogEntry.Action.CREATE,
                   lambda f: {"due_on": [None, f.due_on.isoformat()]})
    return integration


def _followups_follow(integration: Integration) -> None:
    """A counting job start has its 6- and 12-month follow-ups, due from its start; another
    kind has none. Answers already recorded stay with a moved start."""
    if not integration.counts:
        integration.followups.all().delete()  # each delete is in the audit trail
        return
    existing = {f.due_month: f for f in integration.followups.all()}
    for month in FollowUp.DueMonth:
        due_on = FollowUp.due_date(integration.start_on, month)
        followup = existing.get(month)
        if followup is None:
            FollowUp.objects.create(jobcenter=integration.jobcenter, integration=integration,
                                    due_month=month, due_on=due_on)
        elif followup.due_on != due_on:
            followup.due_on = due_on
            followup.save(update_fields=["due_on"])


@transaction.atomic
def integration_update(
    *,
    integration: Integration,
    kind: str,
    start_on: date,
    employer: Employer | None = None,
    employer_name: str = "",
    weekly_hours: Decimal | None = None,
    subsidy: str = "",
) -> Integration:
    """Correct a job start; its follow-ups follow the new kind and start."""
    if employer is None and employer_name:
        employer = employer_for_name(jobcenter=integration.jobcenter, name=employer_name)
    if Integration.objects.filter(enrolment=integration.enrolment_id, kind=kind,
                                  start_on=start_on).exclude(pk=integration.pk).exists():
        raise ValidationError(_("This job start is already recorded."))
    integration.kind, integration.start_on, integration.employer = kind, start_on, employer
    integration.weekly_hours, integration.subsidy = weekly_hours, subsidy
    integration.full_clean()
    integration.save()
    _followups_follow(integration)
    return integration


@transaction.atomic
def integration_remove(*, integration: Integration) -> int:
    """Remove a job start recorded by mistake, with its follow-ups; returns how many
    follow-ups went with it. A hire it came from stays in the pipeline, without it."""
    followups = integration.followups.count()
    integration.delete()
    return followups


@transaction.atomic
def followup_record(*, followup: FollowUp, still_employed: str, checked_on: date) -> FollowUp:
    if not still_employed:
        raise ValidationError({"still_employed": _("Please choose an answer.")})
    followup.still_employed = still_employed
    followup.checked_on = checked_on
    followup.full_clean()
    followup.save()
    return followup


@transaction.atomic
def employer_save(*, jobcenter: Jobcenter, employer: Employer | None = None, name: str,
                  sector: str = "", town: str = "", size: str = "",
                  consent_to_contact: bool = False, notes: str = "",
                  accept_duplicate: bool = False) -> Employer:
    """Create or change an employer; a likely duplicate is refused unless accepted."""
    if not accept_duplicate:
        duplicates = employer_duplicates(jobcenter=jobcenter, name=name, town=town,
                                         exclude=employer)
        if duplicates:
            raise DuplicateEmployer(duplicates)
    employer = employer or Employer(jobcenter=jobcenter)
    employer.name, employer.sector, employer.town, employer.size = name, sector, town, size
    employer.consent_to_contact, employer.notes = consent_to_contact, notes
    employer.full_clean()
    employer.save()
    return employer


class DuplicateEmployer(ValidationError):
    def __init__(self, duplicates: list[Employer]):
        super().__init__(_("This employer seems to exist already."), code="duplicate")
        self.duplicates = duplicates


@transaction.atomic
def contact_save(*, employer: Employer, contact: ContactPerson | None = None, name: str,
                 position: str = "", phone: str = "", email: str = "") -> ContactPerson:
    """Add a contact person to the employer, or correct one."""
    contact = contact or ContactPerson(jobcenter=employer.jobcenter, employer=employer)
    contact.name, contact.position, contact.phone, contact.email = name, position, phone, email
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def contact_remove(*, contact: ContactPerson) -> None:
    """A contact person who has left the company (activities keep their text)."""
    contact.delete()


@transaction.atomic
def vacancy_save(*, employer: Employer, vacancy: Vacancy | None = None, title: str,
                 occupation: str = "", weekly_hours: Decimal | None = None,
                 location: str = "", starts_on: date | None = None, places: int = 1,
                 status: str = Vacancy.Status.OPEN) -> Vacancy:
    """Create or change a vacancy of the employer."""
    vacancy = vacancy or Vacancy(jobcenter=employer.jobcenter, employer=employer)
    for name, value in (("title", title), ("occupation", occupation),
                        ("weekly_hours", weekly_hours), ("location", location),
                        ("starts_on", starts_on), ("places", places), ("status", status)):
        setattr(vacancy, name, value)
    vacancy.full_clean()
    vacancy.save()
    return vacancy


@transaction.atomic
def activity_record(*, employer: Employer, by, kind: str, happened_on: date,
                    cohort=None, outcome: str = "", next_step: str = "",
                    next_step_due_on: date | None = None) -> EmployerActivity:
    """A call, visit, job fair … of the employer service with this employer."""
    activity = EmployerActivity(
        jobcenter=employer.jobcenter, employer=employer, by=by, kind=kind,
        happened_on=happened_on, cohort=cohort, outcome=outcome, next_step=next_step,
        next_step_due_on=next_step_due_on)
    activity.full_clean()
    activity.save()
    return activity


@transaction.atomic
def activity_next_step_done(*, activity: EmployerActivity, by) -> EmployerActivity:
    """Mark the activity's next step done, by whom and when; done twice keeps the first."""
    activity = EmployerActivity.objects.select_for_update().get(pk=activity.pk)
    if not activity.next_step:
        raise ValidationError(_("This contact has no next step."))
    if activity.next_step_done_on is None:
        activity.next_step_done_on = timezone.localdate()
        activity.next_step_done_by = by
        # An employer's answer on an application card has no author on staff.
        activity.full_clean(exclude=["by"] if activity.by_id is None else None)
        activity.save()
    return activity


MERGED_BLANKS = ("sector", "town", "size")


@transaction.atomic
def employer_merge(*, keep: Employer, remove: Employer) -> Employer:
    """Move everything of `remove` to `keep`, then delete `remove`. Nothing is lost."""
    if keep.pk == remove.pk or keep.jobcenter_id != remove.jobcenter_id:
        raise ValidationError(_("Only two different employers of one jobcenter can be merged."))
    # Applications and integrations are in the audit trail: their move is logged too.
    audited = [row for model in (Application, Integration)
               for row in model.objects.filter(employer=remove)]
    for model in (ContactPerson, Vacancy, Application, EmployerActivity, Integration):
        model.objects.filter(employer=remove).update(employer=keep)
    for model in (Application, Integration):
        audit_bulk([row for row in audited if isinstance(row, model)], LogEntry.Action.UPDATE,
                   lambda row: {"employer": [str(remove), str(keep)]})
    for field in MERGED_BLANKS:  # what only the removed one knew
        if not getattr(keep, field):
            setattr(keep, field, getattr(remove, field))
    keep.consent_to_contact = keep.consent_to_contact or remove.consent_to_contact
    if remove.notes:
        keep.notes = "\n".join(n for n in (keep.notes, remove.notes) if n)
    keep.save()
    remove.delete()
    return keep


def _step(application: Application, stage: str, on: date, by):
    application.stage = stage
    application.stage_changed_on = on
    application.save()
    ApplicationStep.objects.create(jobcenter=application.jobcenter, application=application,
                                   stage=stage, moved_on=on, by=by)


@transaction.atomic
def application_record(*, enrolment: Enrolment, source: str, on: date, by,
                       employer: Employer | None = None, employer_name: str = "",
                       vacancy: Vacancy | None = None, stage: str = "") -> Application:
    """A participant's own application, or a placement proposal of the employer service.

    The employer is the one chosen, else one typed by name (found or created), else the
    vacancy's; a vacancy of another employer is refused (`Application.check_same_jobcenter`).
    """
    if employer is None and employer_name:
        employer = employer_for_name(jobcenter=enrolment.jobcenter, name=employer_name)
    if employer is None and vacancy is not None:
        employer = vacancy.employer
    if employer is None:
        raise ValidationError({"employer": _("Choose an employer or type a new name.")})
    stage = stage or (Application.Stage.PROPOSED if source == Application.Source.PROPOSAL
                      else Application.Stage.APPLIED)
    if stage in CLOSED_STAGES:
        raise ValidationError({"stage": _("A new application cannot start closed.")})
    application = Application(jobcenter=enrolment.jobcenter, enrolment=enrolment,
                              employer=employer, vacancy=vacancy, source=source, stage=stage,
                              stage_changed_on=on)
    application.full_clean()
    application.save()
    ApplicationStep.objects.create(jobcenter=application.jobcenter, application=application,
                                   stage=stage, moved_on=on, by=by)
    return application


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update(of=("self",)).select_related(
        "enrolment", "vacancy").get(pk=application.pk)


@transaction.atomic
def application_move(*, application: Application, stage: str, on: date, by) -> Application:
    """Move to the next stage; a hire goes through application_hire."""
    application = _locked(application)
    if stage == Application.Stage.HIRED:
        raise ValidationError(_("A hire needs the start of work: please use “hired”."))
    if stage not in ALLOWED_MOVES[application.stage]:
        raise ValidationError(_("From “%(from)s” the application cannot move to “%(to)s”.") % {
            "from": application.get_stage_display(),
            "to": Application.Stage(stage).label})
    _step(application, stage, on, by)
    return application


@transaction.atomic
def application_hire(*, application: Application, on: date, start_on: date, kind: str, by,
                     weekly_hours: Decimal | None = None, subsidy: str = "") -> Integration:
    """The hire: the integration, the application's last step and a filled vacancy, at once.

    The application row is locked: of two clicks at once, the second finds it hired and
    gets the same integration back.
    """
    application = _locked(application)
    if application.stage == Application.Stage.HIRED and application.integration_id:
        return application.integration
    if Application.Stage.HIRED not in ALLOWED_MOVES[application.stage]:
        raise ValidationError(_("From “%(from)s” the application cannot move to “%(to)s”.") % {
            "from": application.get_stage_display(),
            "to": Application.Stage.HIRED.label})
    integration = integration_record(enrolment=application.enrolment, kind=kind,
                                     start_on=start_on, employer=application.employer,
                                     weekly_hours=weekly_hours, subsidy=subsidy)
    application.integration = integration
    _step(application, Application.Stage.HIRED, on, by)
    vacancy = application.vacancy
    if vacancy is not None and vacancy.status == Vacancy.Status.OPEN:
        hires = vacancy.applications.filter(stage=Application.Stage.HIRED).count()
        if hires >= vacancy.places:
            vacancy.status = Vacancy.Status.FILLED
            vacancy.save(update_fields=["status"])
    return integration
