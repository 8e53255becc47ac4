"""The cohort's plan (DESIGN.md): its programme's curriculum laid onto its weekly slots,
around the public holidays of the jobcenter's Land; planned sessions moved, added,
cancelled; clashes of one coach or one room shown before they are saved."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta

import holidays
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from cohorts.models import Cohort, Programme
from jobcenters.models import Jobcenter, Membership, Site, User

from .models import CurriculumItem, GroupSession, Module, WeeklySlot
from .services import check_may_record_for

PLANNED, HELD, CANCELLED = (GroupSession.Status.PLANNED, GroupSession.Status.HELD,
                            GroupSession.Status.CANCELLED)
# The longest a module may last, as the database's constraint says.
MAX_MODULE_SESSIONS = 100


@dataclass(frozen=True)
class SlotData:
    weekday: int
    starts_at: time
    ends_at: time
    room: str = ""


@dataclass(frozen=True)
class Clash:
    """A session that takes a coach or the room of the one being planned at the same time."""

    session: GroupSession
    coaches: tuple[User, ...]  # the coaches both share
    same_room: bool


@dataclass(frozen=True)
class PlannedItem:
    held_on: date
    starts_at: time
    ends_at: time
    room: str
    module: Module | None
    clashes: tuple[Clash, ...] = ()


@dataclass(frozen=True)
class SkippedDay:
    day: date
    name: str  # the holiday's German name, e.g. "Fronleichnam"


@dataclass(frozen=True)
class PlanPreview:
    """What `plan_generate` would write, and what it leaves as it is."""

    cohort: Cohort
    start: date  # today, or the cohort's start if that is later
    items: list[PlannedItem]
    skipped: list[SkippedDay]
    coaches: list[User]  # the cohort's coaches, who lead every planned session
    has_slots: bool
    held: int  # the cohort's held sessions: the curriculum continues after them
    kept: int  # held sessions on a slot of the period, left as they are
    replaced_planned: int  # the cohort's planned sessions from `start` on, replaced
    replaced_cancelled: int  # and its cancelled ones then, removed
    unplaced: int  # module sessions of the curriculum for which no date is left
    curriculum_sessions: int

    @property
    def clash_count(self) -> int:
        return sum(1 for item in self.items if item.clashes)


# Writing the curriculum and the weekly slots.

@transaction.atomic
def curriculum_save(*, programme: Programme, items: list[tuple[Module, int]]) -> None:
    """Replace the programme's curriculum: the modules in this order, each lasting this many
    sessions."""
    for position, (module, sessions) in enumerate(items, start=1):
        if module.jobcenter_id != programme.jobcenter_id:
            raise ValidationError(_("%(field)s belongs to another jobcenter.") % {
                "field": module}, code="foreign_jobcenter")
        if not 1 <= sessions <= MAX_MODULE_SESSIONS:
            raise ValidationError(
                _("Row %(row)s: a module lasts between 1 and 100 sessions.") % {"row": position},
                code="sessions_range")
    CurriculumItem.objects.filter(programme=programme).delete()
    CurriculumItem.objects.bulk_create(
        CurriculumItem(jobcenter_id=programme.jobcenter_id, programme=programme, module=module,
                       position=position, sessions=sessions)
        for position, (module, sessions) in enumerate(items, start=1))


def slots_check(slots: Sequence[SlotData]) -> None:
    """Refuse a weekday out of range, an end before the start, and two slots of one day
    that overlap (they would plan two sessions of the group at once)."""
    weekdays = dict(WeeklySlot.Weekday.choices)
    for slot in slots:
        if slot.weekday not in weekdays:
            raise ValidationError({"weekday": _("Please choose a weekday from Monday to "
                                                "Sunday.")})
        if slot.ends_at <= slot.starts_at:
            raise ValidationError({"ends_at": _("The session must end after it starts.")})
    by_day = sorted(slots, key=lambda s: (s.weekday, s.starts_at))
    for first, second in zip(by_day, by_day[1:], strict=False):
        if first.weekday == second.weekday and second.starts_at < first.ends_at:
            raise ValidationError(_("Two weekly slots on %(day)s overlap (%(first)s and "
                                    "%(second)s).") % {
                "day": weekdays[first.weekday], "first": _span(first), "second": _span(second)},
                code="slots_overlap")


@transaction.atomic
def weekly_slots_save(*, cohort: Cohort, slots: list[SlotData]) -> None:
    """Replace the cohort's weekly slots (the plan itself changes only when generated)."""
    slots_check(slots)
    WeeklySlot.objects.filter(cohort=cohort).delete()
    WeeklySlot.objects.bulk_create(
        WeeklySlot(jobcenter_id=cohort.jobcenter_id, cohort=cohort, weekday=s.weekday,
                   starts_at=s.starts_at, ends_at=s.ends_at, room=s.room.strip())
        for s in slots)


# Clashes: one coach or one room at the same time.

@dataclass(frozen=True)
class _Booking:
    held_on: date
    starts_at: time | None
    ends_at: time | None
    room: str
    site_id: int
    coach_ids: frozenset[int]


def _booked(jobcenter, days: Iterable[date] | None = None, *, between=None,
            leave_out: Q | None = None) -> dict[date, list[GroupSession]]:
    """The jobcenter's planned and held sessions of these days, by day: two queries
    whatever their number (the sessions with their cohorts, and their coaches)."""
    sessions = GroupSession.objects.for_jobcenter(jobcenter).filter(status__in=(PLANNED, HELD))
    if between is not None:
        sessions = sessions.filter(held_on__range=between)
    else:
        sessions = sessions.filter(held_on__in=set(days))
    if leave_out is not None:
        sessions = sessions.exclude(leave_out)
    by_day = defaultdict(list)
    for session in sessions.select_related("cohort").prefetch_related("coaches"):
        by_day[session.held_on].append(session)
    return by_day


def _clashes(booking: _Booking, booked: dict[date, list[GroupSession]],
             exclude: int | None = None) -> tuple[Clash, ...]:
    room = booking.room.strip().casefold()
    found = []
    for other in booked.get(booking.held_on, ()):
        # Without both times, whether two sessions overlap is unknown: not a clash.
        if other.pk == exclude or None in (booking.starts_at, booking.ends_at,
                                           other.starts_at, other.ends_at):
            continue
        if not (other.starts_at < booking.ends_at and booking.starts_at < other.ends_at):
            continue
        shared = tuple(c for c in other.coaches.all() if c.pk in booking.coach_ids)
        same_room = bool(room) and other.cohort.site_id == booking.site_id \
            and other.room.strip().casefold() == room
        if shared or same_room:
            found.append(Clash(session=other, coaches=shared, same_room=same_room))
    return tuple(found)


def session_clashes(*, jobcenter: Jobcenter, held_on: date, starts_at: time | None,
                    ends_at: time | None, room: str, site: Site, coach_ids: Iterable[int],
                    exclude: GroupSession | None = None) -> tuple[Clash, ...]:
    """The jobcenter's planned or held sessions that day whose time overlaps and that share
    a coach, or the room (the same name at the same site, in any case)."""
    booking = _Booking(held_on, starts_at, ends_at, room, site.pk, frozenset(coach_ids))
    return _clashes(booking, _booked(jobcenter, [held_on]),
                    exclude=exclude.pk if exclude is not None else None)


def planned_clashes(*, cohort: Cohort, sessions: Iterable[GroupSession]
                    ) -> dict[int, tuple[Clash, ...]]:
    """The clashes of each planned one of these sessions of the cohort (with their coaches
    prefetched), by the session's id: two queries however many there are."""
    planned = [s for s in sessions if s.status == PLANNED]
    if not planned:
        return {}
    booked = _booked(cohort.jobcenter, {s.held_on for s in planned})
    found = {}
    for s in planned:
        booking = _Booking(s.held_on, s.starts_at, s.ends_at, s.room, cohort.site_id,
                           frozenset(c.pk for c in s.coaches.all()))
        if clashes := _clashes(booking, booked, exclude=s.pk):
            found[s.pk] = clashes
    return found


def clash_text(clash: Clash, visible_cohorts: set[int]) -> str:
    """A clash in words; a cohort the reader does not reach stays unnamed."""
    s = clash.session
    params = {
        "cohort": s.cohort.code if s.cohort_id in visible_cohorts else _("another cohort"),
        "date": date_format(s.held_on, "SHORT_DATE_FORMAT"),
        "time": f"{time_format(s.starts_at, 'H:i')}–{time_format(s.ends_at, 'H:i')}",
    }
    reasons = []
    if clash.coaches:
        reasons.append(_("same coach: %(names)s") % {
            "names": ", ".join(str(c) for c in clash.coaches)})
    if clash.same_room:
        reasons.append(_("same room: %(room)s") % {"room": s.room})
    params["reasons"] = "; ".join(reasons)
    if s.status == HELD:
        return _("%(cohort)s on %(date)s, %(time)s (held; %(reasons)s)") % params
    return _("%(cohort)s on %(date)s, %(time)s (planned; %(reasons)s)") % params


# The plan from curriculum and slots.

def _span(slot) -> str:
    return f"{time_format(slot.starts_at, 'H:i')}–{time_format(slot.ends_at, 'H:i')}"


def _coaches(cohort: Cohort) -> list[User]:
    """The cohort's coaches who may lead its sessions (active staff)."""
    return list(User.objects.session_leaders(cohort.jobcenter)
                .filter(coached_cohorts__cohort=cohort))


def plan_preview(*, cohort: Cohort, today: date | None = None) -> PlanPreview:
    """The planned sessions `plan_generate` would write: from today (or the cohort's start)
    to its end, one on each weekly slot except on the public holidays of the jobcenter's
    Land and where a held session already takes the slot; modules in curriculum order, each
    for its number of sessions, continuing after the sessions held so far. A constant
    number of queries, however long the period."""
    today = today or timezone.localdate()
    start, end = max(cohort.planned_start, today), cohort.planned_end
    slots = list(WeeklySlot.objects.filter(cohort=cohort).order_by("weekday", "starts_at"))
    held = list(GroupSession.objects.filter(cohort=cohort, status=HELD)
                .values_list("held_on", "starts_at"))
    taken = set(held)
    replaced = GroupSession.objects.filter(cohort=cohort, held_on__gte=start).exclude(
        status=HELD).aggregate(planned=Count("pk", filter=Q(status=PLANNED)),
                               cancelled=Count("pk", filter=Q(status=CANCELLED)))
    curriculum = list(CurriculumItem.objects.filter(programme_id=cohort.programme_id)
                      .select_related("module").order_by("position"))
    modules = [item.module for item in curriculum for _n in range(item.sessions)]
    remaining = modules[len(held):]
    coaches = _coaches(cohort)

    holiday_names = holidays.country_holidays(
        "DE", subdiv=cohort.jobcenter.land, language="de",
        years=range(start.year, end.year + 1)) if start <= end else {}
    by_weekday = defaultdict(list)
    for slot in slots:
        by_weekday[slot.weekday].append(slot)
    dates, skipped, kept = [], [], 0
    day = start
    while day <= end:
        day_slots = by_weekday.get(day.weekday(), ())
        if day_slots and day in holiday_names:
            skipped.append(SkippedDay(day, holiday_names[day]))
        elif day_slots:
            for slot in day_slots:
                if (day, slot.starts_at) in taken:
                    kept += 1
                else:
                    dates.append((day, slot))
        day += timedelta(days=1)

    booked = _booked(cohort.jobcenter, between=(start, end),
                     leave_out=Q(cohort=cohort) & ~Q(status=HELD)) if dates else {}
    coach_ids = frozenset(c.pk for c in coaches)
    items = []
    for index, (day, slot) in enumerate(dates):
        booking = _Booking(day, slot.starts_at, slot.ends_at, slot.room, cohort.site_id,
                           coach_ids)
        items.append(PlannedItem(
            held_on=day, starts_at=slot.starts_at, ends_at=slot.ends_at, room=slot.room,
            module=remaining[index] if index < len(remaining) else None,
            clashes=_clashes(booking, booked)))
    return PlanPreview(
        cohort=cohort, start=start, items=items, skipped=skipped, coaches=coaches,
        has_slots=bool(slots), held=len(held), kept=kept,
        replaced_planned=replaced["planned"], replaced_cancelled=replaced["cancelled"],
        unplaced=max(len(remaining) - len(dates), 0), curriculum_sessions=len(modules))


def plan_generate(*, cohort: Cohort, by: Membership | None = None,
                  today: date | None = None) -> int:
    """Write the plan of `plan_preview`: the cohort's sessions from today on that are not
    held (planned and cancelled ones) make way for the new planned sessions, led by the
    cohort's coaches. Held sessions and their attendance stay as they are. Returns the
    number of sessions planned."""
    if by is not None:
        check_may_record_for(by, cohort)
    today = today or timezone.localdate()
    with transaction.atomic():
        # One plan at a time per cohort: a second generation waits for the first.
        Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
        preview = plan_preview(cohort=cohort, today=today)
        if not preview.has_slots:  # it would only remove the planned sessions
            raise ValidationError(_("The cohort has no weekly slots yet."), code="no_slots")
        GroupSession.objects.filter(cohort=cohort, held_on__gte=preview.start).exclude(
            status=HELD).delete()
        sessions = GroupSession.objects.bulk_create(
            GroupSession(jobcenter_id=cohort.jobcenter_id, cohort=cohort, status=PLANNED,
                         held_on=item.held_on, starts_at=item.starts_at, ends_at=item.ends_at,
                         module=item.module, room=item.room)
            for item in preview.items)
        link = GroupSession.coaches.through
        link.objects.bulk_create(link(groupsession_id=s.pk, user_id=coach.pk)
                                 for s in sessions for coach in preview.coaches)
    return len(sessions)


# One planned session: add, move, cancel.

def _not_planned(session: GroupSession) -> ValidationError:
    if session.status == HELD:
        return ValidationError(_("This session has been held: its date and times are "
                                 "changed with its attendance."), code="held")
    return ValidationError(_("This session was cancelled."), code="cancelled")


def _slot_taken(cohort, held_on, starts_at, session) -> ValidationError | None:
    twins = GroupSession.objects.filter(cohort=cohort, held_on=held_on,
                                        starts_at=starts_at).exclude(status=CANCELLED)
    if session is not None:
        twins = twins.exclude(pk=session.pk)
    if not twins.exists():
        return None
    return ValidationError({"held_on": ValidationError(
        _("The cohort already has a session on %(date)s at %(time)s."),
        code="duplicate_session", params={
            "date": date_format(held_on, "SHORT_DATE_FORMAT"),
            "time": time_format(starts_at, "H:i")})})


def planned_session_save(
    *, cohort: Cohort, by: Membership, session: GroupSession | None = None, held_on: date,
    starts_at: time, ends_at: time, module: Module | None, room: str,
    coaches: Iterable[User], confirm_clash: bool = False,
) -> GroupSession:
    """Add a planned session to the cohort, or move or change one of its planned sessions.

    A session that takes a coach or the room at the same time is refused with the clashes
    named (code "clash"), unless `confirm_clash`: then it is saved all the same.
    """
    check_may_record_for(by, cohort)
    coaches = list(coaches)
    if session is not None and (session.cohort_id != cohort.pk or session.status != PLANNED):
        raise _not_planned(session) if session.cohort_id == cohort.pk else ValidationError(
            _("This session belongs to another cohort."), code="wrong_cohort")
    if not cohort.planned_start <= held_on <= cohort.planned_end:
        raise ValidationError({"held_on": _(
            "The date lies outside the cohort's period (%(start)s – %(end)s)."
        ) % {"start": date_format(cohort.planned_start, "SHORT_DATE_FORMAT"),
             "end": date_format(cohort.planned_end, "SHORT_DATE_FORMAT")}})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The session must end after it starts.")})
    if not User.objects.may_lead_sessions(cohort.jobcenter_id, [c.pk for c in coaches]):
        raise ValidationError({"coaches": _("Only staff of this jobcenter can lead a session.")})
    if (taken := _slot_taken(cohort, held_on, starts_at, session)) is not None:
        raise taken
    clashes = session_clashes(jobcenter=cohort.jobcenter, held_on=held_on, starts_at=starts_at,
                              ends_at=ends_at, room=room, site=cohort.site,
                              coach_ids=[c.pk for c in coaches], exclude=session)
    if clashes and not confirm_clash:
        visible = set(Cohort.objects.visible_to(by).filter(
            pk__in={c.session.cohort_id for c in clashes}).values_list("pk", flat=True))
        raise ValidationError([
            ValidationError(_("At the same time: %(clash)s") % {"clash": clash_text(c, visible)},
                            code="clash")
            for c in clashes])
    try:
        with transaction.atomic():
            if session is None:
                session = GroupSession(jobcenter_id=cohort.jobcenter_id, cohort=cohort,
                                       status=PLANNED)
            else:
                session.version += 1  # an attendance form opened before the move is stale
            session.held_on, session.starts_at, session.ends_at = held_on, starts_at, ends_at
            session.module, session.room = module, room.strip()
            session.full_clean(exclude=["cohort", "jobcenter"])
            session.save()
            session.coaches.set(coaches)
    except IntegrityError as error:  # the slot was taken by a concurrent save
        taken = _slot_taken(cohort, held_on, starts_at, session if session.pk else None)
        if taken is None:
            raise
        raise taken from error
    return session


@transaction.atomic
def planned_session_cancel(*, session: GroupSession, by: Membership) -> GroupSession:
    """Cancel a planned session: it stays in the plan as cancelled and leaves its slot free."""
    check_may_record_for(by, session.cohort)
    claimed = GroupSession.objects.filter(pk=session.pk, status=PLANNED).update(
        status=CANCELLED, version=F("version") + 1)
    if not claimed:
        session.refresh_from_db(fields=["status"])
        raise _not_planned(session)
    session.refresh_from_db()
    return session
