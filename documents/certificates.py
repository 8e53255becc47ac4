"""What a Teilnahmebescheinigung says, for one enrolment or a whole cohort at once.

A certificate names the jobcenter, the cohort's site and programme, the person, the period
of participation, the modules of the held sessions the person attended (each once, in the
order first attended), how many held sessions they attended out of those held while they
were enrolled, and the coach who signs it. Nothing else of the person goes in: no customer
number, no absences, no characteristics, no exit or dropout reason.

The certificates of any number of enrolments are built in four queries (the enrolments,
the cohorts' coaches, the attended sessions, the held sessions), never one per person.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from coaching.models import Attendance, GroupSession
from cohorts.models import Cohort, CohortCoach
from jobcenters.filenames import file_slug
from jobcenters.permissions import Data
from participants.models import Enrolment

ATTENDED = (Attendance.Status.PRESENT, Attendance.Status.LATE)



@dataclass
class Certificate:
    enrolment_id: int
    participant_id: int
    jobcenter: str
    programme: str
    cohort_code: str
    site_name: str
    site_street: str
    site_postal_code: str
    site_town: str
    first_name: str
    last_name: str
    starts_on: date
    # The last day of participation; `ongoing` when the person is still taking part.
    ends_on: date
    ongoing: bool
    modules: list[str] = field(default_factory=list)
    attended: int = 0
    held: int = 0
    coach: str = ""
    place: str = ""
    issued_on: date | None = None

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def filename(self) -> str:
        return certificate_filename(self.last_name, self.first_name, self.cohort_code)


def certificate_filename(last_name: str, first_name: str, cohort_code: str) -> str:
    """E.g. `teilnahmebescheinigung-jaeger-maria-wa-2026-03.pdf`."""
    return f"teilnahmebescheinigung-{file_slug(last_name, first_name, cohort_code) or 'person'}.pdf"


def cohort_has_ended(cohort: Cohort, today: date | None = None) -> bool:
    """Finished, or its planned end has passed (a cancelled cohort has not ended)."""
    today = today or timezone.localdate()
    if cohort.status == Cohort.Status.FINISHED:
        return True
    return cohort.status != Cohort.Status.CANCELLED and cohort.planned_end < today


def has_certificate(enrolment: Enrolment) -> bool:
    """Only a person who joined gets a certificate, and an anonymised person none."""
    return enrolment.joined_on is not None and enrolment.participant.anonymised_at is None


def certificate_enrolments(membership) -> QuerySet:
    """The enrolments the member may issue a certificate for: the course of the
    enrolment is theirs (coach: own groups, team lead: the jobcenter), the person joined
    and is not anonymised."""
    return (Enrolment.objects.visible_to(membership, kind=Data.COURSE)
            .filter(joined_on__isnull=False, participant__anonymised_at__isnull=True))


def period_end(enrolment: Enrolment, today: date) -> tuple[date, bool]:
    """The last day of participation and whether it is still going on.

    Exited: the exit day. Not exited, and the cohort's planned end has passed: the planned
    end (the group is over; an exit not yet recorded does not lengthen the stay). Not
    exited and the group still running: today, and the certificate says "seit …" (is
    taking part) rather than naming an end.
    """
    if enrolment.exit_on is not None:
        return enrolment.exit_on, False
    planned_end = enrolment.cohort.planned_end
    if planned_end < today:
        return planned_end, False
    return today, True


def certificates(enrolments: QuerySet, *, today: date | None = None) -> list[Certificate]:
    """The certificates of these enrolments (each one that joined and is not anonymised),
    in the order of the queryset (by default: last name, first name)."""
    today = today or timezone.localdate()
    rows = [e for e in enrolments.select_related(
        "jobcenter", "participant", "cohort__programme", "cohort__site") if has_certificate(e)]
    if not rows:
        return []
    cohort_ids = {e.cohort_id for e in rows}
    lead = {}
    for cc in (CohortCoach.objects.filter(cohort_id__in=cohort_ids).select_related("user")
               .order_by("cohort_id", "-is_lead", "user__last_name", "user__first_name", "pk")):
        lead.setdefault(cc.cohort_id, cc.user)  # the lead coach, else the first coach
    held_days = defaultdict(list)
    for cohort_id, held_on in (GroupSession.objects
                               .filter(cohort_id__in=cohort_ids, status=GroupSession.Status.HELD)
                               .values_list("cohort_id", "held_on")):
        held_days[cohort_id].append(held_on)
    attended = defaultdict(list)
    for a in (Attendance.objects
              .filter(enrolment__in=[e.pk for e in rows], status__in=ATTENDED,
                      session__status=GroupSession.Status.HELD)
              .select_related("session__module")
              .order_by("session__held_on", "session__starts_at", "session_id")):
        attended[a.enrolment_id].append(a.session)
    result = []
    for e in rows:
        ends_on, ongoing = period_end(e, today)
        sessions = [s for s in attended[e.pk] if e.joined_on <= s.held_on <= ends_on]
        modules = list(dict.fromkeys(s.module.name for s in sessions if s.module is not None))
        coach = lead.get(e.cohort_id)
        site = e.cohort.site
        result.append(Certificate(
            enrolment_id=e.pk, participant_id=e.participant_id, jobcenter=e.jobcenter.name,
            programme=e.cohort.programme.name, cohort_code=e.cohort.code,
            site_name=site.name, site_street=site.street, site_postal_code=site.postal_code,
            site_town=site.town, first_name=e.participant.first_name,
            last_name=e.participant.last_name, starts_on=e.joined_on, ends_on=ends_on,
            ongoing=ongoing, modules=modules, attended=len(sessions),
            held=sum(1 for day in held_days[e.cohort_id] if e.joined_on <= day <= ends_on),
            coach=(coach.get_full_name() or str(coach)) if coach is not None else "",
            place=site.town, issued_on=today,
        ))
    return result
