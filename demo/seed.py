"""Deterministic, realistic demo data for an empty database (`manage.py seed_demo`).

Every value derives from the arguments and the reference date `today` through one
`random.Random` per jobcenter: the same arguments give the same rows, and jobcenter k
looks the same whether 2 or 90 are built. Rows are written with `bulk_create`, which
bypasses `TenantModel.save()`, so every row gets its jobcenter set explicitly here. The
current groups' plans and their absence cases go through the coaching app's own services
(`plan_generate`, `absence_rule_check`, `absence_step_record`), as staff would make them.
"""

import itertools
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from coaching.absence import absence_rule_check, absence_step_record
from coaching.models import (
    AbsenceCase,
    AbsenceStep,
    Attendance,
    CurriculumItem,
    GroupSession,
    IndividualSession,
    Module,
    WeeklySlot,
)
from coaching.planning import plan_generate, plan_preview
from cohorts.models import Cohort, CohortCoach, Programme
from documents.models import ApplicantProfile, CardLink, Consent
from employers.matching import name_key
from employers.models import (
    Application,
    ApplicationStep,
    ContactPerson,
    Employer,
    EmployerActivity,
    FollowUp,
    Integration,
    Vacancy,
)
from jobcenters.models import Jobcenter, Membership, Site, User
from jobcenters.pdf import render_pdf
from jobcenters.permissions import Role
from participants.models import Enrolment, Participant
from participants.services import COOPERATION_PLAN_REVIEW_AFTER
from reports.models import Network

from .tables import (
    ABSENCE_CASE_STEPS,
    AGE_BANDS,
    ANALYST_EMAIL,
    APPLICATION_COUNTS,
    ATTENDANCE,
    ATTENDANCE_BEFORE_DROPOUT,
    ATTENDANCE_DROPOUT,
    BATCH_SIZE,
    CALL_OUTCOMES,
    CARE_HOMES,
    CHANNELS,
    COHORTS_PER_YEAR,
    CONFIDENTIAL_NOTES,
    CURRICULA,
    DEMO_PASSWORD,
    DIRECTIONS,
    DROPOUT_REASONS,
    EMPLOYER_PATTERNS,
    ENROLMENT_NOTES,
    EXCUSE_NOTES,
    FINISHED_OUTCOMES,
    FOLLOWUP_ANSWERS,
    GENDERS,
    GERMAN,
    GOOD_REASONS,
    INNS,
    LATE_NOTES,
    LEGAL_FORM,
    MAX_YEARS,
    MINUTES,
    MODULES,
    MORNINGS,
    NEXT_STEPS,
    NEXT_STEPS_PARTICIPANT,
    NICE_NAMES,
    OPERATOR_EMAIL,
    ORIGINS_BEFORE_2022,
    ORIGINS_SINCE_2022,
    OUTREACH_ROOMS,
    OUTREACH_SITES,
    POSITIONS,
    PROGRAMME_CYCLE,
    PROGRAMMES,
    REGIONS,
    REGULAR_SITES,
    ROOMS,
    SESSION_NOTES,
    SESSION_WEEKDAYS,
    SESSIONS_PER_COHORT,
    SINGLE_PARENT_GENDERS,
    SLOT_PATTERNS,
    STAFF_ORIGINS,
    STAGES_CLOSED,
    STAGES_OPEN,
    STEP_NOTES,
    STREETS,
    SUBSIDIES,
    TURKISH,
    UKRAINE_WAR,
    VACANCIES,
    VACANCY_STATUSES,
    VISIT_OUTCOMES,
    WEEKLY_HOURS,
    ProgrammeSpec,
    Region,
    Weighted,
    ascii_slug,
)

# --- Results --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Login:
    email: str
    role: str  # a Role value, or "operator"
    jobcenter: str  # code, or "" for the operator
    password: str = DEMO_PASSWORD


@dataclass
class DemoResult:
    jobcenters: list[str] = field(default_factory=list)
    logins: list[Login] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)


def seed(*, jobcenters: int, years: int, today: date,
         progress: Callable[[str], None] | None = None) -> DemoResult:
    """Create `jobcenters` jobcenters with `years` years of history up to `today`."""
    if not 1 <= jobcenters <= len(REGIONS):
        raise ValueError(f"jobcenters must lie between 1 and {len(REGIONS)}")
    if not 1 <= years <= MAX_YEARS:
        raise ValueError(f"years must lie between 1 and {MAX_YEARS}")
    # One hash for every demo user: hashing is deliberately slow.
    password_hash = make_password(DEMO_PASSWORD)
    result = DemoResult()
    with scopes_disabled():
        with transaction.atomic():
            result.logins.append(_create_operator(password_hash))
        for number, region in enumerate(REGIONS[:jobcenters], start=1):
            seeder = _JobcenterSeeder(region=region, number=number, years=years, today=today,
                                      password_hash=password_hash)
            with transaction.atomic():
                seeder.run()
            result.jobcenters.append(region.code)
            result.logins.extend(seeder.logins)
            result.counts.update(seeder.counts)
            if progress:
                progress(f"Jobcenter {number}/{jobcenters}: {region.code} "
                         f"({seeder.counts['Enrolment']} enrolments, "
                         f"{seeder.counts['Attendance']} attendance records)")
        with transaction.atomic():
            result.logins.append(_create_network(password_hash, result.jobcenters))
    _update_statistics()
    return result


def _update_statistics():
    """After bulk inserts the planner still has the empty tables' statistics (autovacuum
    catches up only later) and chooses scans of whole tables; gather them now."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _create_network(password_hash: str, codes: list[str]) -> Login:
    """All demo jobcenters in one network, with an analyst who compares them."""
    analyst = User.objects.create(email=ANALYST_EMAIL, password=password_hash,
                                  first_name="Anna", last_name="Lyse")
    network = Network.objects.create(name="Demo-Netzwerk Werkakademien", slug="demo")
    network.jobcenters.set(Jobcenter.objects.filter(code__in=codes))
    network.analysts.add(analyst)
    return Login(ANALYST_EMAIL, "analyst", "")


def _create_operator(password_hash: str) -> Login:
    if not User.objects.filter(email=OPERATOR_EMAIL).exists():
        User.objects.create(email=OPERATOR_EMAIL, password=password_hash, first_name="Betrieb",
                            last_name="Werkakademie", is_staff=True, is_superuser=True)
    return Login(OPERATOR_EMAIL, "operator", "")


def _bulk(model, rows: list, counts: Counter) -> list:
    model.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    counts[model.__name__] += len(rows)
    return rows


def _day_between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


def _monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _weekday_on_or_before(day: date) -> date:
    return day - timedelta(days=max(0, day.weekday() - 4))


def _working_day_after(day: date) -> date:
    return day + timedelta(days=1 if day.weekday() < 4 else 7 - day.weekday())


def _clash(plan: "CohortPlan", slots: tuple, room: str, other: "CohortPlan") -> bool:
    """Would the group with these slots in this room take a coach or the room of the other
    group at the same time?"""
    a, b = plan.cohort, other.cohort
    if a.planned_start > b.planned_end or b.planned_start > a.planned_end:
        return False
    if not (set(plan.coaches) & set(other.coaches)
            or (a.site_id == b.site_id and room == other.room)):
        return False
    return any(set(days) & set(other_days) and starts < other_ends and other_starts < ends
               for days, starts, ends in slots
               for other_days, other_starts, other_ends in other.slots)


# --- Plans: what a row will be, with what the later steps need to know about it -------------


@dataclass
class EmployerPlan:
    employer: Employer
    vacancies: list[Vacancy] = field(default_factory=list)


@dataclass
class JobStart:
    kind: str
    start_on: date


@dataclass
class Outcome:
    exit_on: date | None = None
    exit_reason: str = ""
    dropout_reason: str = ""
    job: JobStart | None = None


@dataclass
class EnrolmentPlan:
    enrolment: Enrolment
    outcome: Outcome
    integration: Integration | None = None
    employer_plan: EmployerPlan | None = None


@dataclass
class CohortPlan:
    cohort: Cohort
    spec: ProgrammeSpec
    coaches: list[User]
    room: str
    enrolments: list[EnrolmentPlan] = field(default_factory=list)
    session_days: list[date] = field(default_factory=list)
    # The weekly slots of a running or planned group: (weekdays, from, until) each.
    slots: tuple = ()

    @property
    def is_under_way(self) -> bool:
        return self.cohort.status in (Cohort.Status.RUNNING, Cohort.Status.FINISHED)

    @property
    def is_current(self) -> bool:
        return self.cohort.status in (Cohort.Status.RUNNING, Cohort.Status.PLANNED)


class _JobcenterSeeder:
    """Builds one jobcenter; every random draw comes from `self.rng`, in a fixed order."""

    def __init__(self, *, region: Region, number: int, years: int, today: date,
                 password_hash: str):
        self.rng = random.Random(f"werkakademie-demo/{number}/{years}/{today.isoformat()}")
        self.region = region
        self.years = years
        self.today = today
        self.first_day = today - timedelta(days=365 * years)
        self.password_hash = password_hash
        self.counts = Counter()
        self.logins: list[Login] = []
        self.customer_numbers: set[str] = set()
        self.agency_number = self.rng.randint(101, 999)
        self.participants: list[Participant] = []
        # People who left without a job may be assigned again later: (available from, person).
        self.returners: list[tuple[date, Participant]] = []
        self._reviews_due = Counter()  # cohort code → plans made due for review around today

    def run(self):
        self.jobcenter = Jobcenter.objects.create(
            name=f"Jobcenter {self.region.name}", code=self.region.code, land=self.region.land
        )
        self._create_sites()
        self._create_catalogue()
        self._create_staff()
        self._create_employers()
        self._create_cohorts()
        self._create_enrolments()
        self._create_integrations()
        self._create_sessions()
        self._create_individual_sessions()
        self._create_applications()
        self._create_employer_activities()
        self._create_documents()
        Jobcenter.objects.filter(pk=self.jobcenter.pk).update(data_version=1)

    def _bulk(self, model, rows):
        return _bulk(model, rows, self.counts)

    # --- Organisation -------------------------------------------------------------------------

    def _create_sites(self):
        rng, region = self.rng, self.region
        count = rng.randint(2, 4)
        names = list(REGULAR_SITES[:2])
        if count == 4:
            names.append(REGULAR_SITES[2])
        if count >= 3:  # larger jobcenters also run groups in a community centre
            names.append(rng.choice(OUTREACH_SITES))
        streets = rng.sample(STREETS, len(names))
        self.sites = self._bulk(Site, [
            Site(jobcenter=self.jobcenter, name=name, street=f"{street} {rng.randint(1, 120)}",
                 postal_code=region.postal_code, town=region.towns[0],
                 is_outreach=name in OUTREACH_SITES)
            for name, street in zip(names, streets, strict=True)
        ])

    def _create_catalogue(self):
        self.programmes = dict(zip(
            (spec.key for spec in PROGRAMMES),
            self._bulk(Programme, [
                Programme(jobcenter=self.jobcenter, name=spec.name,
                          default_length_days=spec.length_days, default_capacity=spec.capacity,
                          participants_per_coach=spec.per_coach,
                          absences_in_row=spec.absences_in_row,
                          absences_total=spec.absences_total)
                for spec in PROGRAMMES
            ]),
            strict=True,
        ))
        self.modules = self._bulk(Module, [
            Module(jobcenter=self.jobcenter, name=name, description=description)
            for name, description in MODULES
        ])
        by_name = {module.name: module for module in self.modules}
        self._bulk(CurriculumItem, [
            CurriculumItem(jobcenter=self.jobcenter, programme=self.programmes[key],
                           module=by_name[name], position=position, sessions=sessions)
            for key, items in CURRICULA.items()
            for position, (name, sessions) in enumerate(items, start=1)
        ])

    def _create_staff(self):
        rng = self.rng
        roles = [("teamleitung", Role.TEAM_LEAD), ("admin", Role.ADMIN),
                 ("ags", Role.EMPLOYER_SERVICE)]
        roles += [(f"coach{n}", Role.COACH) for n in range(1, rng.randint(2, 4) + 1)]
        users = []
        for local_part, _role in roles:
            origin = STAFF_ORIGINS.pick(rng)
            first_name = rng.choice(origin.female if rng.random() < 0.6 else origin.male)
            users.append(User(email=f"{local_part}@{self.jobcenter.code}.example",
                              first_name=first_name, last_name=rng.choice(origin.last),
                              password=self.password_hash))
        self._bulk(User, users)
        self._bulk(Membership, [
            Membership(user=user, jobcenter=self.jobcenter, role=role)
            for user, (_, role) in zip(users, roles, strict=True)
        ])
        self.logins = [Login(user.email, role, self.jobcenter.code)
                       for user, (_, role) in zip(users, roles, strict=True)]
        self.employer_service = users[2]
        self.coaches = users[3:]

    # --- Employers ------------------------------------------------------------------------------

    def _create_employers(self):
        rng = self.rng
        patterns = list(EMPLOYER_PATTERNS)
        rng.shuffle(patterns)
        employers, names = [], set()
        for pattern, sector, sizes in itertools.islice(itertools.cycle(patterns),
                                                       rng.randint(15, 25)):
            town = self._town()
            name = self._employer_name(pattern, town)
            for _ in range(10):
                if name not in names:
                    break
                name = self._employer_name(pattern, town)
            else:
                continue
            names.add(name)
            employers.append(Employer(  # bulk_create skips save(): set the name key here
                jobcenter=self.jobcenter, name=name, name_key=name_key(name), sector=sector,
                town=town,
                size=rng.choice(sizes), consent_to_contact=rng.random() < 0.85,
            ))
        self.employers = [EmployerPlan(e) for e in self._bulk(Employer, employers)]
        self._create_contacts()
        self._create_vacancies()

    def _employer_name(self, pattern: str, town: str) -> str:
        rng = self.rng
        surname_origin = TURKISH if rng.random() < 0.15 else GERMAN
        return pattern.format(
            surname=rng.choice(surname_origin.last), town=town,
            nice=rng.choice(NICE_NAMES), home=rng.choice(CARE_HOMES), inn=rng.choice(INNS),
            direction=rng.choice(DIRECTIONS),
        )

    def _town(self) -> str:
        towns = self.region.towns
        return towns[0] if len(towns) == 1 or self.rng.random() < 0.6 else self.rng.choice(towns)

    def _phone(self) -> str:
        area = self.region.area_code
        digits = 11 - len(area)
        return f"{area} {self.rng.randint(2 * 10 ** (digits - 1), 10 ** digits - 1)}"

    def _create_contacts(self):
        rng, contacts = self.rng, []
        for plan in self.employers:
            domain = ascii_slug(LEGAL_FORM.sub("", plan.employer.name))
            for _ in range(rng.randint(1, 2)):
                origin = STAFF_ORIGINS.pick(rng)
                first = rng.choice(origin.female if rng.random() < 0.5 else origin.male)
                last = rng.choice(origin.last)
                contacts.append(ContactPerson(
                    jobcenter=self.jobcenter, employer=plan.employer, name=f"{first} {last}",
                    position=rng.choice(POSITIONS), phone=self._phone(),
                    email=f"{ascii_slug(first)}.{ascii_slug(last)}@{domain}.example",
                ))
        self._bulk(ContactPerson, contacts)

    def _create_vacancies(self):
        rng, rows = self.rng, []
        for plan in self.employers:
            employer = plan.employer
            for _ in range(rng.choice((0, 1, 1, 2))):
                title, occupation, hours = rng.choice(VACANCIES[employer.sector])
                status = VACANCY_STATUSES.pick(rng)
                if status == "open":
                    starts_on = self.today + timedelta(days=rng.randint(7, 60))
                else:
                    starts_on = _day_between(rng, self.first_day, self.today)
                vacancy = Vacancy(
                    jobcenter=self.jobcenter, employer=employer, title=title,
                    occupation=occupation, weekly_hours=Decimal(hours), location=employer.town,
                    starts_on=starts_on, places=rng.choice((1, 1, 1, 2, 3)), status=status,
                )
                plan.vacancies.append(vacancy)
                rows.append(vacancy)
        self._bulk(Vacancy, rows)

    # --- Cohorts --------------------------------------------------------------------------------

    def _cohort_starts(self) -> list[tuple[date, str]]:
        """Start dates and programme keys: about six a year up to today, then one or two planned."""
        rng, today = self.rng, self.today
        count = COHORTS_PER_YEAR * self.years
        spacing = 365 / COHORTS_PER_YEAR
        # The newest cohort started about two weeks ago, so it is running today.
        starts = [
            (_monday_of(today - timedelta(days=14 + round((count - 1 - i) * spacing)
                                          + rng.randint(-6, 6))),
             PROGRAMME_CYCLE[i % COHORTS_PER_YEAR])
            for i in range(count)
        ]
        for i in range(rng.randint(1, 2)):
            day = today + timedelta(days=10 + 35 * i + rng.randint(0, 6))
            starts.append((day + timedelta(days=(7 - day.weekday()) % 7), ("WA", "JC")[i]))
        return starts

    def _create_cohorts(self):
        rng, today = self.rng, self.today
        starts = self._cohort_starts()
        cancelled_index = len(starts) // 3
        sequence = Counter()
        site_weights = Weighted((site, 1 if site.is_outreach else 3) for site in self.sites)
        self.cohort_plans = []
        busy_until = None  # the end of the running groups of the printed demo coach
        for index, (start, key) in enumerate(starts):
            spec = next(p for p in PROGRAMMES if p.key == key)
            end = _weekday_on_or_before(start + timedelta(days=spec.length_days - 1))
            if index == cancelled_index:
                status = Cohort.Status.CANCELLED
            elif end < today:
                status = Cohort.Status.FINISHED
            elif start <= today:
                status = Cohort.Status.RUNNING
            else:
                status = Cohort.Status.PLANNED
            sequence[key, start.year] += 1
            focus, homogeneous = "", False
            if key == "JA":
                focus, homogeneous = Cohort.Focus.UNDER_25, True
            elif key == "WA" and rng.random() < 0.15:
                focus, homogeneous = Cohort.Focus.SINGLE_PARENTS, True
            site = site_weights.pick(rng)
            cohort = Cohort(
                jobcenter=self.jobcenter, programme=self.programmes[key], site=site,
                code=f"{key}-{self.region.plate}-{start.year}-{sequence[key, start.year]:02d}",
                planned_start=start, planned_end=end, capacity=spec.capacity, status=status,
                focus=focus, is_homogeneous=homogeneous,
                notes="Abgesagt: zu wenige Zuweisungen" if status == Cohort.Status.CANCELLED
                else "",
            )
            coach_count = 2 if key == "JA" or rng.random() < 0.35 else 1
            coaches = rng.sample(self.coaches, min(coach_count, len(self.coaches)))
            if status == Cohort.Status.RUNNING and self.coaches[0] not in coaches:
                # The printed demo coach (coach1) leads every running group, so that a
                # demo login shows a coach's working day.
                coaches = [self.coaches[0], *coaches[: coach_count - 1]]
            if status == Cohort.Status.RUNNING:
                busy_until = max(busy_until or end, end)
            elif (status == Cohort.Status.PLANNED and busy_until and start <= busy_until
                  and self.coaches[0] in coaches and len(self.coaches) > 1):
                # ... and so has no time for a group that starts before those end.
                free = [c for c in self.coaches if c not in coaches]
                coaches = [c for c in coaches if c != self.coaches[0]] or free[:1]
            room = rng.choice(OUTREACH_ROOMS if site.is_outreach else ROOMS)
            self.cohort_plans.append(CohortPlan(cohort, spec, coaches, room))
        self._bulk(Cohort, [plan.cohort for plan in self.cohort_plans])
        self._bulk(CohortCoach, [
            CohortCoach(jobcenter=self.jobcenter, cohort=plan.cohort, user=coach,
                        is_lead=position == 0)
            for plan in self.cohort_plans
            for position, coach in enumerate(plan.coaches)
        ])
        self._create_slots()

    def _create_slots(self):
        """The weekly slots of the running and planned groups, each in the first pattern
        and room of its programme that no earlier group of one of its coaches, or in its
        room, takes at the same time; the printed demo coach has a group every weekday."""
        current = [plan for plan in self.cohort_plans if plan.is_current]
        for plan in current:
            rooms = OUTREACH_ROOMS if plan.cohort.site.is_outreach else ROOMS
            rooms = (plan.room, *(room for room in rooms if room != plan.room))
            choices = [(slots, room) for slots in SLOT_PATTERNS[plan.spec.key] for room in rooms]
            plan.slots, plan.room = next(
                (choice for choice in choices
                 if not any(_clash(plan, *choice, other) for other in current if other.slots)),
                choices[0])
        coached = [plan for plan in current if plan.cohort.status == Cohort.Status.RUNNING
                   and self.coaches[0] in plan.coaches]
        covered = {day for plan in coached for days, *_ in plan.slots for day in days}
        if coached and (missing := tuple(sorted(set(range(5)) - covered))):
            coached[0].slots += ((missing, *MORNINGS),)
        self._bulk(WeeklySlot, [
            WeeklySlot(jobcenter=self.jobcenter, cohort=plan.cohort, weekday=weekday,
                       starts_at=time(*starts), ends_at=time(*ends), room=plan.room)
            for plan in current for weekdays, starts, ends in plan.slots for weekday in weekdays
        ])

    # --- Participants and enrolments ------------------------------------------------------------

    def _create_enrolments(self):
        for plan in self.cohort_plans:
            plan.enrolments = self._plan_enrolments(plan)
        self._bulk(Participant, self.participants)
        self._bulk(Enrolment, [ep.enrolment for plan in self.cohort_plans
                               for ep in plan.enrolments])

    def _plan_enrolments(self, plan: CohortPlan) -> list[EnrolmentPlan]:
        rng, today, cohort = self.rng, self.today, plan.cohort
        start, end = cohort.planned_start, cohort.planned_end
        if cohort.status == Cohort.Status.CANCELLED:
            total, no_shows = rng.randint(3, 6), 6
        else:
            # Jobcenters assign more people than there are places: some never come.
            no_shows = rng.randint(1, 3)
            total = cohort.capacity + no_shows - rng.randint(0, 1)
        plans, taken = [], []
        for slot in range(total):
            joined_on = None
            if slot >= no_shows:
                joined_on = start
                if rng.random() < 0.1:  # a late joiner
                    joined_on = min(start + timedelta(days=rng.randint(2, 10)),
                                    end - timedelta(days=7))
            assigned_on = min(start, joined_on or start) - timedelta(days=rng.randint(5, 21))
            if joined_on and joined_on > today:
                joined_on = None
            if assigned_on > today:
                continue
            participant = self._participant_for(plan, taken)
            taken.append(participant)
            outcome = self._outcome(plan, joined_on) if joined_on else Outcome()
            info_event_on = None
            if rng.random() < 0.6:
                info_event_on = min(assigned_on + timedelta(days=rng.randint(1, 4)), today)
            enrolment = Enrolment(
                jobcenter=self.jobcenter, participant=participant, cohort=cohort,
                assigned_on=assigned_on, info_event_on=info_event_on, joined_on=joined_on,
                **self._cooperation_plan(plan, assigned_on, joined_on),
                is_voluntary=rng.random() < 0.3, exit_on=outcome.exit_on,
                exit_reason=outcome.exit_reason, dropout_reason=outcome.dropout_reason,
                notes=rng.choice(ENROLMENT_NOTES) if rng.random() < 0.1 else "",
            )
            plans.append(EnrolmentPlan(enrolment, outcome))
            if outcome.exit_on and (outcome.job is None or outcome.job.kind == "minijob"):
                self.returners.append((outcome.exit_on + timedelta(days=90), participant))
        return plans

    def _cooperation_plan(self, plan: CohortPlan, assigned_on: date,
                          joined_on: date | None) -> dict:
        """Most entrants have a Kooperationsplan, usually made with the Integrationsfachkraft
        some months before the assignment; in each running group the plans of its first
        entrants come up for review around now, so that "Heute" shows reviews due."""
        rng = self.rng
        if not joined_on or rng.random() >= 0.8:
            return {}
        plan_on = assigned_on - timedelta(days=rng.randint(0, 150))
        if plan.cohort.status == Cohort.Status.RUNNING and self._reviews_due[plan.cohort.code] < 2:
            self._reviews_due[plan.cohort.code] += 1
            plan_on = (self.today + timedelta(days=rng.randint(-3, 12))
                       - COOPERATION_PLAN_REVIEW_AFTER)
        return {"cooperation_plan_on": plan_on,
                "cooperation_plan_review_on": plan_on + COOPERATION_PLAN_REVIEW_AFTER}

    def _participant_for(self, plan: CohortPlan, taken: list[Participant]) -> Participant:
        start = plan.cohort.planned_start
        if plan.cohort.focus == "" and self.rng.random() < 0.05:
            available = [i for i, (day, person) in enumerate(self.returners)
                         if day <= start and person not in taken]
            if available:
                return self.returners.pop(self.rng.choice(available))[1]
        return self._new_participant(plan.cohort)

    def _new_participant(self, cohort: Cohort) -> Participant:
        rng, start = self.rng, cohort.planned_start
        under_25 = cohort.focus == Cohort.Focus.UNDER_25
        single_parents = cohort.focus == Cohort.Focus.SINGLE_PARENTS
        origin = (ORIGINS_SINCE_2022 if start >= UKRAINE_WAR else ORIGINS_BEFORE_2022).pick(rng)
        gender = (SINGLE_PARENT_GENDERS if single_parents else GENDERS).pick(rng)
        if gender == "d":
            names = rng.choice((origin.female, origin.male))
        else:
            names = origin.female if gender == "f" else origin.male
        low, high = (18, 24) if under_25 else AGE_BANDS.pick(rng)
        age = rng.randint(low, high)
        language = origin.languages.pick(rng)
        if language != "native" and rng.random() < 0.05:
            language = ""
        participant = Participant(
            jobcenter=self.jobcenter, customer_number=self._customer_number(),
            first_name=rng.choice(names), last_name=rng.choice(origin.last),
            birth_year=start.year - age, gender=gender,
            long_term_unemployed=rng.random() < (0.15 if under_25 else 0.42),
            topping_up=rng.random() < 0.14,
            refugee=rng.random() < origin.refugee_share,
            single_parent=single_parents or rng.random() < (0.2 if gender == "f" else 0.03),
            health_limitations=rng.random() < (0.35 if age >= 50 else 0.18),
            language_level=language,
        )
        self.participants.append(participant)
        return participant

    def _customer_number(self) -> str:
        """Like the Federal Employment Agency's: agency number, a letter, six digits."""
        while True:
            number = f"{self.agency_number}D{self.rng.randint(0, 999_999):06d}"
            if number not in self.customer_numbers:
                self.customer_numbers.add(number)
                return number

    # --- Outcomes -------------------------------------------------------------------------------

    def _outcome(self, plan: CohortPlan, joined_on: date) -> Outcome:
        if plan.cohort.status == Cohort.Status.FINISHED:
            return self._finished_outcome(plan, joined_on)
        return self._running_outcome(plan, joined_on)

    def _finished_outcome(self, plan: CohortPlan, joined_on: date) -> Outcome:
        rng, end = self.rng, plan.cohort.planned_end
        under_25 = plan.spec.key == "JA"
        kind = FINISHED_OUTCOMES.pick(rng)
        if kind in ("job_during", "minijob"):
            # Job starts come in the later part of a course, after the first weeks of training.
            span = (end - joined_on).days
            earliest = joined_on + timedelta(days=min(max(7, span // 3), span) + 1)
            job = self._job_start(earliest, end + timedelta(days=1), under_25,
                                  minijob=kind == "minijob")
            return Outcome(job.start_on - timedelta(days=1), "job", job=job)
        if kind == "job_after":
            latest = min(end + timedelta(days=60), self.today)
            job = self._job_start(end + timedelta(days=1), latest, under_25)
            return Outcome(end, "completed", job=job)
        if kind == "dropout":
            return self._dropout(joined_on, end)
        if kind == "transfer":
            span = (end - joined_on).days
            return Outcome(_day_between(rng, joined_on + timedelta(days=span // 3), end),
                           "transfer")
        if kind == "other":
            return Outcome(_day_between(rng, joined_on, end), "other")
        return Outcome(end, "completed")

    def _running_outcome(self, plan: CohortPlan, joined_on: date) -> Outcome:
        """Exits so far, more of them the longer the cohort has run; none in the future."""
        rng, today, cohort = self.rng, self.today, plan.cohort
        last_exit = today - timedelta(days=1)
        if last_exit < joined_on:
            return Outcome()
        elapsed = (today - cohort.planned_start).days / (cohort.planned_end
                                                           - cohort.planned_start).days
        draw = rng.random()
        if draw < 0.2 * elapsed:
            return self._dropout(joined_on, last_exit)
        if draw < 0.5 * elapsed:
            job = self._job_start(joined_on + timedelta(days=1), today, plan.spec.key == "JA")
            return Outcome(job.start_on - timedelta(days=1), "job", job=job)
        if draw < 0.53 * elapsed:
            return Outcome(_day_between(rng, joined_on, last_exit), "transfer")
        return Outcome()

    def _dropout(self, joined_on: date, last_exit: date) -> Outcome:
        rng = self.rng
        # Most dropouts happen early: square the uniform draw.
        exit_on = joined_on + timedelta(days=int((last_exit - joined_on).days * rng.random() ** 2))
        outcome = Outcome(exit_on, "dropout", DROPOUT_REASONS.pick(rng))
        # Now and then someone drops out because they found work themselves.
        latest = min(exit_on + timedelta(days=60), self.today)
        if rng.random() < 0.06 and exit_on + timedelta(days=14) <= latest:
            outcome.job = self._job_start(exit_on + timedelta(days=14), latest, False)
        return outcome

    def _job_start(self, first: date, last: date, under_25: bool, minijob=False) -> JobStart:
        rng = self.rng
        if minijob:
            return JobStart("minijob", _day_between(rng, first, last))
        if under_25 and rng.random() < 0.45:
            # Apprenticeships start on 1 August or 1 September.
            starts = [date(year, month, 1) for year in range(first.year, last.year + 1)
                      for month in (8, 9) if first <= date(year, month, 1) <= last]
            if starts:
                return JobStart("apprenticeship", rng.choice(starts))
        kind = "self_employment" if not under_25 and rng.random() < 0.03 else "employment"
        return JobStart(kind, _day_between(rng, first, last))

    # --- Integrations and follow-ups ------------------------------------------------------------

    def _create_integrations(self):
        rng, integrations = self.rng, []
        for plan in self.cohort_plans:
            for ep in plan.enrolments:
                job = ep.outcome.job
                if job is None:
                    continue
                if rng.random() < 0.85:
                    ep.employer_plan = rng.choice(self.employers)
                ep.integration = Integration(
                    jobcenter=self.jobcenter, enrolment=ep.enrolment, kind=job.kind,
                    start_on=job.start_on,
                    employer=ep.employer_plan.employer if ep.employer_plan else None,
                    weekly_hours=self._weekly_hours(job.kind),
                    subsidy=SUBSIDIES.pick(rng) if job.kind == "employment" else "",
                )
                integrations.append(ep.integration)
        self._bulk(Integration, integrations)
        self._create_followups(i for i in integrations if i.counts)

    def _weekly_hours(self, kind: str) -> Decimal | None:
        if kind == "minijob":
            return Decimal(self.rng.choice(("8", "10", "12")))
        if kind == "apprenticeship":
            return Decimal(self.rng.choice(("39", "40")))
        if kind == "self_employment":
            return None
        return WEEKLY_HOURS.pick(self.rng)

    def _create_followups(self, integrations):
        rng, today, rows = self.rng, self.today, []
        for integration in integrations:
            previous = ""
            for month in (FollowUp.DueMonth.SIX, FollowUp.DueMonth.TWELVE):
                due_on = FollowUp.due_date(integration.start_on, month)
                answer, checked_on = "", None
                if due_on <= today and rng.random() < 0.85:
                    answer = "no" if previous == "no" else FOLLOWUP_ANSWERS.pick(rng)
                    checked_on = min(due_on + timedelta(days=rng.randint(0, 21)), today)
                previous = answer
                rows.append(FollowUp(jobcenter=self.jobcenter, integration=integration,
                                     due_month=month, due_on=due_on, still_employed=answer,
                                     checked_on=checked_on))
        self._bulk(FollowUp, rows)

    # --- Group sessions and attendance ----------------------------------------------------------

    def _session_days(self, cohort: Cohort) -> list[date]:
        """About three a week over the planned length, thinned out for long programmes."""
        span = (cohort.planned_end - cohort.planned_start).days
        slots = [day for day in (cohort.planned_start + timedelta(days=n) for n in range(span + 1))
                 if day.weekday() in SESSION_WEEKDAYS]
        if len(slots) > SESSIONS_PER_COHORT:
            slots = [slots[i * len(slots) // SESSIONS_PER_COHORT]
                     for i in range(SESSIONS_PER_COHORT)]
        return [day for day in slots if day <= self.today]

    def _held_sessions(self, plan: CohortPlan):
        """(day, from, until, module, room) of the group's sessions held so far: a finished
        group's as they were; a running group's its plan's up to yesterday (today's is
        still to be recorded)."""
        if plan.cohort.status == Cohort.Status.FINISHED:
            return [(day, time(9, 0), time(12, 0), self.modules[number % len(self.modules)],
                     plan.room) for number, day in enumerate(self._session_days(plan.cohort))]
        preview = plan_preview(cohort=plan.cohort, today=plan.cohort.planned_start)
        return [(item.held_on, item.starts_at, item.ends_at, item.module, item.room)
                for item in preview.items if item.held_on < self.today]

    def _create_sessions(self):
        rng, sessions, held = self.rng, [], []
        for plan in self.cohort_plans:
            if not plan.is_under_way:
                continue
            for day, starts_at, ends_at, module, room in self._held_sessions(plan):
                session = GroupSession(
                    jobcenter=self.jobcenter, cohort=plan.cohort, held_on=day,
                    starts_at=starts_at, ends_at=ends_at, module=module, room=room,
                    notes=rng.choice(SESSION_NOTES) if rng.random() < 0.1 else "",
                )
                plan.session_days.append(day)
                sessions.append(session)
                held.append((session, plan))
        self._bulk(GroupSession, sessions)
        self._bulk(GroupSession.coaches.through, [
            GroupSession.coaches.through(groupsession=session, user=coach)
            for session, plan in held for coach in plan.coaches
        ])
        attendance = [attendance for session, plan in held
                      for attendance in self._attendance(session, plan)]
        streaks = self._absence_streaks(attendance)
        self._bulk(Attendance, attendance)
        self._create_absence_cases(streaks, attendance)
        # What is still to come of the running and planned groups.
        for plan in self.cohort_plans:
            if plan.is_current:
                self.counts["GroupSession"] += plan_generate(cohort=plan.cohort,
                                                             today=self.today)

    # --- Absence follow-up ----------------------------------------------------------------------

    def _absence_streaks(self, attendance: list[Attendance]) -> dict:
        """Unexcused absences in a row, as the programme's rule counts them, for a few
        people of the running groups, one for each case of ABSENCE_CASE_STEPS: enrolment →
        (steps, absences). The earlier a case's absences, the further its follow-up."""
        running = [plan for plan in self.cohort_plans
                   if plan.cohort.status == Cohort.Status.RUNNING]
        rows = {}
        for record in attendance:
            if record.session.cohort.status == Cohort.Status.RUNNING:
                rows.setdefault(record.enrolment.pk, []).append(record)
        candidates = [(ep.enrolment, plan.spec) for plan in running for ep in plan.enrolments
                      if ep.enrolment.joined_on and not ep.enrolment.exit_on
                      and not ep.enrolment.is_voluntary]
        self.rng.shuffle(candidates)
        streaks, cases = {}, iter(ABSENCE_CASE_STEPS)
        steps = next(cases)
        for enrolment, spec in candidates:
            # Room for a step every other day up to today.
            latest = self.today - timedelta(days=2 * len(steps))
            records = [r for r in rows.get(enrolment.pk, ()) if r.session.held_on <= latest]
            if len(records) < spec.absences_in_row:
                continue
            streak = records[-spec.absences_in_row:]
            for record in streak:
                record.status, record.note = Attendance.Status.UNEXCUSED, ""
            streaks[enrolment.pk] = (steps, streak)
            if (steps := next(cases, None)) is None:
                break
        return streaks

    def _create_absence_cases(self, streaks: dict, attendance: list[Attendance]):
        """The rule's cases for the running groups, opened on the day of the last absence
        they count, and the steps the printed demo coach took since."""
        running = [ep.enrolment for plan in self.cohort_plans
                   if plan.cohort.status == Cohort.Status.RUNNING for ep in plan.enrolments]
        cases = absence_rule_check(enrolments=running)
        last_absence = {}
        for record in attendance:
            if record.status == Attendance.Status.UNEXCUSED:
                last_absence[record.enrolment.pk] = max(
                    record.session.held_on, last_absence.get(record.enrolment.pk, date.min))
        for case in cases:
            streak = streaks.get(case.enrolment_id, ((), ()))[1]
            case.opened_on = streak[-1].session.held_on if streak else last_absence[
                case.enrolment_id]
        AbsenceCase.objects.bulk_update(cases, ["opened_on"])
        self.counts["AbsenceCase"] += len(cases)
        coach = Membership.objects.get(jobcenter=self.jobcenter, user=self.coaches[0])
        for case in cases:
            steps, streak = streaks.get(case.enrolment_id, ((), ()))
            day = case.opened_on
            for kind in steps:
                day = min(_working_day_after(day + timedelta(days=1)), self.today)
                if day > timezone.localdate():  # a demo dated ahead has no steps yet
                    break
                absence_step_record(
                    case=case, by=coach, kind=kind, done_on=day,
                    note=self.rng.choice(STEP_NOTES.get(kind, ("",))),
                    reason=self.rng.choice(GOOD_REASONS)
                    if kind == AbsenceStep.Kind.GOOD_REASON else "",
                    covered=streak if kind == AbsenceStep.Kind.GOOD_REASON else ())
                self.counts["AbsenceStep"] += 1

    def _attendance(self, session: GroupSession, plan: CohortPlan):
        rng, day = self.rng, session.held_on
        for ep in plan.enrolments:
            enrolment = ep.enrolment
            if not enrolment.is_enrolled_on(day):
                continue
            if enrolment.exit_reason == "dropout":
                days_left = (enrolment.exit_on - day).days
                table = ATTENDANCE_BEFORE_DROPOUT if days_left < 7 else ATTENDANCE_DROPOUT
            else:
                table = ATTENDANCE
            status = table.pick(rng)
            note = ""
            if status == "excused" and rng.random() < 0.5:
                note = rng.choice(EXCUSE_NOTES)
            elif status == "late" and rng.random() < 0.3:
                note = rng.choice(LATE_NOTES)
            yield Attendance(jobcenter=self.jobcenter, session=session, enrolment=enrolment,
                             status=status, note=note)

    # --- Individual coaching and the placement pipeline -----------------------------------------

    def _last_day(self, plan: CohortPlan, enrolment: Enrolment) -> date:
        return min(enrolment.exit_on or plan.cohort.planned_end, self.today)

    def _create_individual_sessions(self):
        rng, rows = self.rng, []
        for plan in self.cohort_plans:
            for ep in plan.enrolments:
                enrolment = ep.enrolment
                if enrolment.joined_on is None:
                    continue
                count = rng.randint(3, 8) if plan.spec.key == "JA" else rng.randint(1, 3)
                last = self._last_day(plan, enrolment)
                days = sorted(_day_between(rng, enrolment.joined_on, last) for _ in range(count))
                rows += [
                    IndividualSession(
                        jobcenter=self.jobcenter, enrolment=enrolment,
                        coach=rng.choice(plan.coaches), held_on=day, minutes=MINUTES.pick(rng),
                        channel=CHANNELS.pick(rng),
                        confidential_note=rng.choice(CONFIDENTIAL_NOTES),
                        next_steps=rng.choice(NEXT_STEPS_PARTICIPANT),
                    )
                    for day in days
                ]
        self._bulk(IndividualSession, rows)

    def _create_applications(self):
        rng, rows = self.rng, []
        for plan in self.cohort_plans:
            for ep in plan.enrolments:
                enrolment = ep.enrolment
                if enrolment.joined_on is None:
                    continue
                last = min(self._last_day(plan, enrolment) + timedelta(days=21), self.today)
                others = [e for e in self.employers if e is not ep.employer_plan]
                count = min(APPLICATION_COUNTS.pick(rng), len(others))
                for employer_plan in rng.sample(others, count):
                    rows.append(self._application(ep, employer_plan, enrolment.joined_on, last))
                if ep.employer_plan is not None:
                    rows.append(self._hire(ep))
        self._bulk(Application, rows)
        # Each application's history, as far as the demo knows it: its current stage.
        self._bulk(ApplicationStep, [
            ApplicationStep(jobcenter=self.jobcenter, application=a, stage=a.stage,
                            moved_on=a.stage_changed_on)
            for a in rows
        ])

    def _application(self, ep: EnrolmentPlan, employer_plan: EmployerPlan, first: date,
                     last: date) -> Application:
        rng = self.rng
        source = "proposal" if rng.random() < 0.35 else "own"
        stage = (STAGES_CLOSED if ep.enrolment.exit_on else STAGES_OPEN).pick(rng)
        if stage == "proposed" and source == "own":
            stage = "applied"
        vacancy = None
        if employer_plan.vacancies and rng.random() < 0.4:
            vacancy = rng.choice(employer_plan.vacancies)
        return Application(
            jobcenter=self.jobcenter, enrolment=ep.enrolment, employer=employer_plan.employer,
            vacancy=vacancy, source=source, stage=stage,
            stage_changed_on=_day_between(rng, first, last),
            subsidy_offered="egz" if source == "proposal" and rng.random() < 0.15 else "",
        )

    def _hire(self, ep: EnrolmentPlan) -> Application:
        rng, integration = self.rng, ep.integration
        filled = [v for v in ep.employer_plan.vacancies if v.status == Vacancy.Status.FILLED]
        decided_on = max(ep.enrolment.joined_on,
                         integration.start_on - timedelta(days=rng.randint(2, 10)))
        return Application(
            jobcenter=self.jobcenter, enrolment=ep.enrolment,
            employer=ep.employer_plan.employer, vacancy=rng.choice(filled) if filled else None,
            source="proposal" if rng.random() < 0.4 else "own", stage="hired",
            stage_changed_on=min(decided_on, self.today), subsidy_offered=integration.subsidy,
            integration=integration,
        )

    def _create_employer_activities(self):
        rng, today, rows = self.rng, self.today, []
        for plan in self.employers:
            for _ in range(rng.randint(1, 3)):
                rows.append(self._contact_activity(plan.employer,
                                                   _day_between(rng, self.first_day, today)))
        # The current to-do list: recent calls whose next step is due in the coming days.
        for plan in rng.sample(self.employers, 3):
            day = today - timedelta(days=rng.randint(1, 6))
            activity = self._contact_activity(plan.employer, day, kind="call")
            activity.next_step = rng.choice(NEXT_STEPS)
            activity.next_step_due_on = today + timedelta(days=rng.randint(1, 10))
            rows.append(activity)
        rows += self._job_fairs()
        rows += self._cohort_events()
        self._bulk(EmployerActivity, rows)

    def _contact_activity(self, employer: Employer, day: date, kind=None) -> EmployerActivity:
        rng = self.rng
        kind = kind or ("call" if rng.random() < 0.7 else "visit")
        activity = EmployerActivity(
            jobcenter=self.jobcenter, employer=employer, kind=kind, happened_on=day,
            by=self.employer_service,
            outcome=rng.choice(CALL_OUTCOMES if kind == "call" else VISIT_OUTCOMES),
        )
        if rng.random() < 0.3:
            activity.next_step = rng.choice(NEXT_STEPS)
            activity.next_step_due_on = day + timedelta(days=rng.randint(3, 14))
        return activity

    def _job_fairs(self) -> list[EmployerActivity]:
        """One job fair a year, spring or autumn, with a handful of the employers."""
        rng, rows = self.rng, []
        for year in range(self.first_day.year, self.today.year + 1):
            days = [date(year, month, 10 + rng.randint(0, 14)) for month in (3, 9)]
            days = [day for day in days if self.first_day <= day <= self.today]
            if not days:
                continue
            for plan in rng.sample(self.employers, rng.randint(3, 6)):
                rows.append(EmployerActivity(
                    jobcenter=self.jobcenter, employer=plan.employer, kind="job_fair",
                    happened_on=days[0], by=self.employer_service,
                    outcome=f"Stand auf der Jobmesse, {rng.randint(4, 20)} Gespräche",
                ))
        return rows

    def _cohort_events(self) -> list[EmployerActivity]:
        """Employers who come into a group: a recruiting talk or a speed dating."""
        rng, rows = self.rng, []
        for plan in self.cohort_plans:
            if not plan.session_days:
                continue
            draw = rng.random()
            if draw < 0.4:
                kind, outcome = "recruiting", "Betrieb in der Gruppe vorgestellt, {} Bewerbungen"
            elif draw < 0.6:
                kind, outcome = "speed_dating", "Speed-Dating mit der Gruppe, {} Einladungen"
            else:
                continue
            day = plan.session_days[len(plan.session_days) // 2]
            rows.append(EmployerActivity(
                jobcenter=self.jobcenter, employer=rng.choice(self.employers).employer,
                cohort=plan.cohort, kind=kind, happened_on=day, by=self.employer_service,
                outcome=outcome.format(rng.randint(1, 6)),
            ))
        return rows

    # --- Documents ------------------------------------------------------------------------------

    def _create_documents(self):
        """For two people of coach1's running group: a short profile, a consent for a year
        and a card link; the first of them with a CV (a PDF made here, not a stored file)."""
        running = next((plan for plan in self.cohort_plans
                        if plan.cohort.status == Cohort.Status.RUNNING
                        and self.coaches[0] in plan.coaches), None)
        if running is None:
            return
        people = [ep.enrolment.participant for ep in running.enrolments
                  if ep.enrolment.exit_on is None][:2]
        for number, (person, details) in enumerate(zip(people, DEMO_PROFILES, strict=False)):
            profile = ApplicantProfile(jobcenter=self.jobcenter, participant=person, **details)
            if number == 0:
                content = render_pdf("demo/cv.html", {"person": person, "profile": profile})
                profile.cv.save("cv.pdf", ContentFile(content), save=False)
                profile.cv_name = f"Lebenslauf {person.first_name} {person.last_name}.pdf"
                profile.cv_uploaded_at = timezone.now()
                profile.cv_uploaded_by = self.coaches[0]
            profile.save()
            given_on = self.today - timedelta(days=14)
            consent = Consent.objects.create(
                jobcenter=self.jobcenter, participant=person, given_on=given_on,
                valid_until=given_on + timedelta(days=365), recorded_by=self.coaches[0])
            CardLink.objects.create(
                jobcenter=self.jobcenter, participant=person, consent=consent,
                created_by=self.coaches[0], expires_on=self.today + timedelta(days=76))
            self.counts.update(["ApplicantProfile", "Consent", "CardLink"])


# Short profiles of the demo's card holders, as a coach writes them down with the person.
DEMO_PROFILES = (
    {"wished_occupation": "Fachkraft für Lagerlogistik",
     "strengths": "zuverlässig, Staplerschein, Erfahrung mit Scannern und Kommissionierung",
     "availability": "ab sofort, Vollzeit, auch im Schichtdienst",
     "languages": "Deutsch (B2), Türkisch", "contact_phone": "0231 555 01 23"},
    {"wished_occupation": "Verkäuferin im Einzelhandel",
     "strengths": "freundlich, Kassenerfahrung, belastbar",
     "availability": "ab dem nächsten Monat, Teilzeit (25 Stunden)",
     "languages": "Deutsch (B1), Arabisch, Englisch",
     "contact_email": "bewerbung@example.org"},
)
