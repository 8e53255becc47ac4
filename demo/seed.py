"""Deterministic, realistic demo data for an empty database (`manage.py seed_demo`).

Every value derives from the arguments and the reference date `today` through one
`random.Random` per jobcenter: the same arguments give the same rows, and jobcenter k
looks the same whether 2 or 90 are built. Rows are written with `bulk_create`, which
bypasses `TenantModel.save()`, so every row gets its jobcenter set explicitly here.
"""

import itertools
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django_scopes import scopes_disabled

from coaching.models import Attendance, GroupSession, IndividualSession, Module
from cohorts.models import Cohort, CohortCoach, Programme
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
from jobcenters.permissions import Role
from participants.models import Enrolment, Participant
from reports.models import Network

from .tables import (
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
    INNS,
    LATE_NOTES,
    LEGAL_FORM,
    MAX_YEARS,
    MINUTES,
    MODULES,
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
    STAFF_ORIGINS,
    STAGES_CLOSED,
    STAGES_OPEN,
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

    @property
    def is_under_way(self) -> bool:
        return self.cohort.status in (Cohort.Status.RUNNING, Cohort.Status.FINISHED)


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
                          participants_per_coach=spec.per_coach)
                for spec in PROGRAMMES
            ]),
            strict=True,
        ))
        self.modules = self._bulk(Module, [
            Module(jobcenter=self.jobcenter, name=name, description=description)
            for name, description in MODULES
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
            room = rng.choice(OUTREACH_ROOMS if site.is_outreach else ROOMS)
            self.cohort_plans.append(CohortPlan(cohort, spec, coaches, room))
        self._bulk(Cohort, [plan.cohort for plan in self.cohort_plans])
        self._bulk(CohortCoach, [
            CohortCoach(jobcenter=self.jobcenter, cohort=plan.cohort, user=coach,
                        is_lead=position == 0)
            for plan in self.cohort_plans
            for position, coach in enumerate(plan.coaches)
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
                agreement_on=joined_on if joined_on and rng.random() < 0.8 else None,
                is_voluntary=rng.random() < 0.3, exit_on=outcome.exit_on,
                exit_reason=outcome.exit_reason, dropout_reason=outcome.dropout_reason,
                notes=rng.choice(ENROLMENT_NOTES) if rng.random() < 0.1 else "",
            )
            plans.append(EnrolmentPlan(enrolment, outcome))
            if outcome.exit_on and (outcome.job is None or outcome.job.kind == "minijob"):
                self.returners.append((outcome.exit_on + timedelta(days=90), participant))
        return plans

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

    def _create_sessions(self):
        rng, sessions, held = self.rng, [], []
        for plan in self.cohort_plans:
            if not plan.is_under_way:
                continue
            for number, day in enumerate(self._session_days(plan.cohort)):
                session = GroupSession(
                    jobcenter=self.jobcenter, cohort=plan.cohort, held_on=day,
                    starts_at=time(9, 0), ends_at=time(12, 0),
                    module=self.modules[number % len(self.modules)], room=plan.room,
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
        self._bulk(Attendance, [
            attendance for session, plan in held for attendance in self._attendance(session, plan)
        ])

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
