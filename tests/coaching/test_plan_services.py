"""The cohort's plan: generated from the curriculum and the weekly slots around the Land's
public holidays, regenerated without touching what was held, clashes of a coach or a room."""

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope

from coaching.models import Attendance, CurriculumItem, GroupSession, WeeklySlot
from coaching.planning import (
    SlotData,
    curriculum_save,
    plan_generate,
    plan_preview,
    planned_session_cancel,
    planned_session_save,
    session_clashes,
    weekly_slots_save,
)
from jobcenters.permissions import Role
from tests.factories import (
    AttendanceFactory,
    CohortCoachFactory,
    CohortFactory,
    EnrolmentFactory,
    JobcenterFactory,
    MembershipFactory,
    ModuleFactory,
)

PLANNED, HELD, CANCELLED = (GroupSession.Status.PLANNED, GroupSession.Status.HELD,
                            GroupSession.Status.CANCELLED)
# Monday 1 June to Friday 12 June 2026; Thursday 4 June is Fronleichnam in NW, not in BE.
START, END = date(2026, 6, 1), date(2026, 6, 12)
FRONLEICHNAM = date(2026, 6, 4)
BEFORE = date(2026, 5, 20)  # "today" for a plan made ahead
MON_TUE_THU = [SlotData(weekday=d, starts_at=time(9), ends_at=time(12), room="Raum 2.07")
               for d in (0, 1, 3)]


def planned_cohort(land="NW", curriculum=(("Kompetenzprofil", 2), ("Bewerbungsunterlagen", 2),
                                          ("Vorstellungsgespräch", 3))):
    """A cohort of two weeks with a coach, slots Mon/Tue/Thu 09–12 and a curriculum."""
    jobcenter = JobcenterFactory(code=f"jc-{land.lower()}", land=land)
    cohort = CohortFactory(programme__jobcenter=jobcenter, planned_start=START, planned_end=END)
    coach = MembershipFactory(jobcenter=jobcenter, role=Role.COACH)
    CohortCoachFactory(cohort=cohort, user=coach.user)
    with scope(jobcenter=jobcenter):
        weekly_slots_save(cohort=cohort, slots=MON_TUE_THU)
        curriculum_save(programme=cohort.programme, items=[
            (ModuleFactory(jobcenter=jobcenter, name=name), n) for name, n in curriculum])
    cohort.coach = coach
    return cohort


def plan_of(cohort):
    return list(GroupSession.objects.filter(cohort=cohort).order_by("held_on", "starts_at")
                .select_related("module"))


@pytest.mark.django_db
def test_the_plan_has_a_session_on_each_slot_with_the_modules_in_order_and_skips_fronleichnam():
    cohort = planned_cohort("NW")
    version = cohort.jobcenter.data_version
    with scope(jobcenter=cohort.jobcenter):
        preview = plan_preview(cohort=cohort, today=BEFORE)
        assert [(d.day, d.name) for d in preview.skipped] == [(FRONLEICHNAM, "Fronleichnam")]
        assert plan_generate(cohort=cohort, today=BEFORE) == 5
        sessions = plan_of(cohort)
    cohort.jobcenter.refresh_from_db()
    assert cohort.jobcenter.data_version > version  # the reports notice the new plan
    assert [s.held_on.day for s in sessions] == [1, 2, 8, 9, 11]
    assert [s.module.name for s in sessions] == [
        "Kompetenzprofil", "Kompetenzprofil", "Bewerbungsunterlagen", "Bewerbungsunterlagen",
        "Vorstellungsgespräch"]
    assert {(s.status, s.starts_at, s.ends_at, s.room) for s in sessions} == {
        (PLANNED, time(9), time(12), "Raum 2.07")}
    assert all([c.pk for c in s.coaches.all()] == [cohort.coach.user_id] for s in sessions)
    assert preview.unplaced == 2  # two sessions of Vorstellungsgespräch find no date


@pytest.mark.django_db
def test_in_berlin_fronleichnam_is_a_working_day():
    cohort = planned_cohort("BE")
    with scope(jobcenter=cohort.jobcenter):
        assert plan_preview(cohort=cohort, today=BEFORE).skipped == []
        assert plan_generate(cohort=cohort, today=BEFORE) == 6
        assert FRONLEICHNAM in [s.held_on for s in plan_of(cohort)]


@pytest.mark.django_db
def test_the_curriculum_sets_the_modules_and_dates_beyond_it_get_none():
    cohort = planned_cohort("BE", curriculum=(("Berufskunde", 4),))
    with scope(jobcenter=cohort.jobcenter):
        preview = plan_preview(cohort=cohort, today=BEFORE)
        plan_generate(cohort=cohort, today=BEFORE)
        modules = [s.module.name if s.module else None for s in plan_of(cohort)]
    assert modules == ["Berufskunde"] * 4 + [None, None]
    assert (preview.curriculum_sessions, preview.unplaced) == (4, 0)


@pytest.mark.django_db
def test_the_plan_starts_today_when_the_cohort_is_running():
    cohort = planned_cohort("NW")
    with scope(jobcenter=cohort.jobcenter):
        plan_generate(cohort=cohort, today=date(2026, 6, 9))
        assert [s.held_on.day for s in plan_of(cohort)] == [9, 11]


@pytest.mark.django_db
def test_regenerating_keeps_held_sessions_with_their_attendance_and_continues_the_modules():
    cohort = planned_cohort("NW")
    enrolment = EnrolmentFactory(cohort=cohort)
    with scope(jobcenter=cohort.jobcenter):
        plan_generate(cohort=cohort, today=BEFORE)
        first, second, third, *_rest = plan_of(cohort)
        for held in (first, second):  # recorded: held, with attendance
            GroupSession.objects.filter(pk=held.pk).update(status=HELD, notes="gut gelaufen")
            AttendanceFactory(session=held, enrolment=enrolment,
                              status=Attendance.Status.UNEXCUSED)
        planned_session_cancel(session=third, by=cohort.coach)
        # A slot is moved to Wednesday afternoons; the plan is made again on Monday 8 June.
        weekly_slots_save(cohort=cohort, slots=[
            *MON_TUE_THU[:2], SlotData(weekday=2, starts_at=time(13), ends_at=time(16))])
        preview = plan_preview(cohort=cohort, today=third.held_on)
        assert (preview.held, preview.replaced_planned, preview.replaced_cancelled) == (2, 2, 1)
        assert plan_generate(cohort=cohort, today=third.held_on) == 3
        sessions = plan_of(cohort)
        assert Attendance.objects.filter(session__in=sessions[:2],
                                         status=Attendance.Status.UNEXCUSED).count() == 2
    assert [(s.held_on.day, s.starts_at.hour, s.status) for s in sessions] == [
        (1, 9, HELD), (2, 9, HELD), (8, 9, PLANNED), (9, 9, PLANNED), (10, 13, PLANNED)]
    assert [s.module.name for s in sessions] == [
        "Kompetenzprofil", "Kompetenzprofil", "Bewerbungsunterlagen", "Bewerbungsunterlagen",
        "Vorstellungsgespräch"]
    assert {s.pk for s in sessions[:2]} == {first.pk, second.pk}
    assert sessions[0].notes == "gut gelaufen"


@pytest.mark.django_db
def test_a_held_session_on_a_slot_stays_and_takes_no_second_one():
    cohort = planned_cohort("NW")
    with scope(jobcenter=cohort.jobcenter):
        plan_generate(cohort=cohort, today=BEFORE)
        monday = plan_of(cohort)[2]  # 8 June, recorded ahead of today (say, by mistake)
        GroupSession.objects.filter(pk=monday.pk).update(status=HELD)
        preview = plan_preview(cohort=cohort, today=date(2026, 6, 3))
        assert preview.kept == 1
        plan_generate(cohort=cohort, today=date(2026, 6, 3))
        assert [(s.held_on.day, s.status) for s in plan_of(cohort)][2:] == [
            (8, HELD), (9, PLANNED), (11, PLANNED)]


@pytest.mark.django_db
def test_the_preview_takes_the_same_queries_for_two_weeks_and_for_half_a_year():
    short, long = planned_cohort("NW"), planned_cohort("BE")
    long.planned_end = START + timedelta(days=180)
    long.save()
    counts = []
    for cohort in (short, long):
        with scope(jobcenter=cohort.jobcenter), CaptureQueriesContext(connection) as queries:
            items = len(plan_preview(cohort=cohort, today=BEFORE).items)
        counts.append((items, len(queries)))
    assert counts[0][0] == 5 and counts[1][0] > 70
    assert counts[0][1] == counts[1][1]


def _other_cohort(cohort, **kwargs):
    return CohortFactory(programme=cohort.programme, planned_start=START, planned_end=END,
                         **kwargs)


@pytest.mark.django_db
def test_a_coach_in_two_sessions_at_once_is_a_clash_shown_before_saving():
    cohort = planned_cohort("NW")
    other = _other_cohort(cohort)
    CohortCoachFactory(cohort=other, user=cohort.coach.user)
    with scope(jobcenter=cohort.jobcenter):
        plan_generate(cohort=cohort, today=BEFORE)
        data = {"held_on": date(2026, 6, 2), "starts_at": time(11), "ends_at": time(13),
                "module": None, "room": "Raum 1", "coaches": [cohort.coach.user]}
        with pytest.raises(ValidationError) as refused:
            planned_session_save(cohort=other, by=cohort.coach, **data)
        assert refused.value.error_list[0].code == "clash"
        assert cohort.code in refused.value.messages[0]
        assert "02.06.2026" in refused.value.messages[0]
        assert not GroupSession.objects.filter(cohort=other).exists()
        saved = planned_session_save(cohort=other, by=cohort.coach, confirm_clash=True, **data)
        assert saved.status == PLANNED and list(saved.coaches.all()) == [cohort.coach.user]
        # Back to back is no clash.
        assert not session_clashes(
            jobcenter=cohort.jobcenter, held_on=date(2026, 6, 1), starts_at=time(12),
            ends_at=time(14), room="", site=other.site, coach_ids=[cohort.coach.user_id])
        # The first cohort's plan, made again, shows the clash with the session just saved.
        clashing = [i for i in plan_preview(cohort=cohort, today=BEFORE).items if i.clashes]
        assert [(i.held_on, i.clashes[0].session) for i in clashing] == [
            (date(2026, 6, 2), saved)]


@pytest.mark.django_db
def test_one_room_at_one_site_at_once_is_a_clash_whoever_leads():
    cohort = planned_cohort("NW")
    same_site = _other_cohort(cohort, site=cohort.site)
    elsewhere = _other_cohort(cohort)
    lead = MembershipFactory(jobcenter=cohort.jobcenter, role=Role.TEAM_LEAD)
    with scope(jobcenter=cohort.jobcenter):
        plan_generate(cohort=cohort, today=BEFORE)
        data = {"held_on": date(2026, 6, 1), "starts_at": time(10), "ends_at": time(11),
                "module": None, "room": " raum 2.07 ", "coaches": []}
        with pytest.raises(ValidationError) as refused:
            planned_session_save(cohort=same_site, by=lead, **data)
        assert "Raum 2.07" in refused.value.messages[0]
        # The same room name at another site is another room.
        assert planned_session_save(cohort=elsewhere, by=lead, **data).room == "raum 2.07"


@pytest.mark.django_db
def test_moving_a_planned_session_and_refusing_a_held_one():
    cohort = planned_cohort("NW")
    with scope(jobcenter=cohort.jobcenter):
        plan_generate(cohort=cohort, today=BEFORE)
        first, second, *_rest = plan_of(cohort)
        moved = planned_session_save(
            cohort=cohort, by=cohort.coach, session=first, held_on=date(2026, 6, 5),
            starts_at=time(9), ends_at=time(12), module=first.module, room="Raum 3",
            coaches=[cohort.coach.user])
        assert (moved.held_on, moved.room, moved.version) == (date(2026, 6, 5), "Raum 3", 2)
        with pytest.raises(ValidationError) as refused:  # onto the slot of another session
            planned_session_save(
                cohort=cohort, by=cohort.coach, session=moved, held_on=second.held_on,
                starts_at=time(9), ends_at=time(12), module=None, room="",
                coaches=[cohort.coach.user])
        assert "held_on" in refused.value.message_dict
        GroupSession.objects.filter(pk=second.pk).update(status=HELD)
        second.refresh_from_db()
        with pytest.raises(ValidationError):
            planned_session_save(cohort=cohort, by=cohort.coach, session=second,
                                 held_on=date(2026, 6, 10), starts_at=time(9),
                                 ends_at=time(12), module=None, room="", coaches=[])
        with pytest.raises(ValidationError):
            planned_session_cancel(session=second, by=cohort.coach)
        second.refresh_from_db()
        assert (second.held_on, second.status) == (date(2026, 6, 2), HELD)


@pytest.mark.django_db
def test_a_cancelled_session_leaves_its_slot_free():
    cohort = planned_cohort("NW")
    with scope(jobcenter=cohort.jobcenter):
        plan_generate(cohort=cohort, today=BEFORE)
        first = plan_of(cohort)[0]
        assert planned_session_cancel(session=first, by=cohort.coach).status == CANCELLED
        again = planned_session_save(cohort=cohort, by=cohort.coach, held_on=first.held_on,
                                     starts_at=time(9), ends_at=time(12), module=None,
                                     room="Raum 2.07", coaches=[])
        assert again.pk != first.pk


@pytest.mark.django_db
def test_without_weekly_slots_no_plan_is_made_and_the_planned_sessions_stay():
    cohort = planned_cohort("NW")
    with scope(jobcenter=cohort.jobcenter):
        plan_generate(cohort=cohort, today=BEFORE)
        weekly_slots_save(cohort=cohort, slots=[])
        with pytest.raises(ValidationError):
            plan_generate(cohort=cohort, today=BEFORE)
        assert GroupSession.objects.filter(cohort=cohort, status=PLANNED).count() == 5


@pytest.mark.django_db
def test_only_the_cohorts_coaches_and_team_leads_change_its_plan():
    cohort = planned_cohort("NW")
    stranger = MembershipFactory(jobcenter=cohort.jobcenter, role=Role.COACH)
    admin = MembershipFactory(jobcenter=cohort.jobcenter, role=Role.ADMIN)
    with scope(jobcenter=cohort.jobcenter):
        for member in (stranger, admin):
            with pytest.raises(PermissionDenied):
                plan_generate(cohort=cohort, by=member, today=BEFORE)
        assert not GroupSession.objects.filter(cohort=cohort).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("slot, field", [
    (SlotData(weekday=0, starts_at=time(12), ends_at=time(9)), "ends_at"),
    (SlotData(weekday=7, starts_at=time(9), ends_at=time(12)), "weekday"),
])
def test_bad_slots_are_refused_and_the_old_ones_stay(slot, field):
    cohort = planned_cohort("NW")
    with scope(jobcenter=cohort.jobcenter):
        with pytest.raises(ValidationError) as refused:
            weekly_slots_save(cohort=cohort, slots=[slot])
        assert field in refused.value.message_dict
        with pytest.raises(ValidationError):  # Monday 09–12 and 11–13 overlap
            weekly_slots_save(cohort=cohort, slots=[
                MON_TUE_THU[0], SlotData(weekday=0, starts_at=time(11), ends_at=time(13))])
        assert WeeklySlot.objects.filter(cohort=cohort).count() == 3


@pytest.mark.django_db
def test_the_curriculum_is_replaced_in_order_and_foreign_modules_are_refused():
    cohort = planned_cohort("NW")
    programme = cohort.programme
    foreign = ModuleFactory(jobcenter=JobcenterFactory(code="jc-fremd"))
    with scope(jobcenter=cohort.jobcenter):
        a, b = ModuleFactory(jobcenter=cohort.jobcenter), ModuleFactory(jobcenter=cohort.jobcenter)
        curriculum_save(programme=programme, items=[(b, 3), (a, 1)])
        assert list(CurriculumItem.objects.filter(programme=programme)
                    .values_list("position", "module", "sessions")) == [(1, b.pk, 3), (2, a.pk, 1)]
        for items in ([(a, 2), (foreign, 1)], [(a, 0)], [(a, 101)]):
            with pytest.raises(ValidationError):
                curriculum_save(programme=programme, items=items)
        assert CurriculumItem.objects.filter(programme=programme).count() == 2
