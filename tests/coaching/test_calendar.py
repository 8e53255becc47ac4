"""The private calendar feed (ICS): parses, carries Europe/Berlin times, holds only the
member's own sessions, and its address is created, renewed and deleted from "Mein Kalender"."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope
from icalendar import Calendar

from coaching.models import GroupSession
from coaching.services import calendar_token_renew
from jobcenters.models import Membership
from tests.factories import (
    CohortCoachFactory,
    CohortFactory,
    EnrolmentFactory,
    GroupSessionFactory,
    MembershipFactory,
)

TODAY = timezone.localdate()
SUMMER = date(TODAY.year + 1, 7, 6)
WINTER = date(TODAY.year + 1, 1, 12)


@pytest.fixture
def cohort(coach):
    cohort = CohortFactory(programme__jobcenter=coach.jobcenter, code="WA-DO-2027-01",
                           site__name="Standort Mitte",
                           planned_start=TODAY - timedelta(days=90),
                           planned_end=date(TODAY.year + 1, 12, 31))
    CohortCoachFactory(cohort=cohort, user=coach.user)
    return cohort


def session(cohort, day, coaches, **fields):
    s = GroupSessionFactory(cohort=cohort, held_on=day, **fields)
    s.coaches.set(coaches)
    return s


def feed_of(client, membership):
    membership.refresh_from_db()
    return client.get(reverse("calendar_feed", kwargs={"token": membership.calendar_token}))


def events(response):
    return {str(e["uid"]): e for e in Calendar.from_ical(response.content).walk("VEVENT")}


@pytest.fixture
def with_address(coach):
    calendar_token_renew(membership=coach)
    return coach


@pytest.mark.django_db
def test_the_feed_carries_the_sessions_in_berlin_time_summer_and_winter(client, cohort,
                                                                        with_address):
    coach = with_address
    EnrolmentFactory(cohort=cohort, participant__last_name="Geheimname")
    summer = session(cohort, SUMMER, [coach.user], status=GroupSession.Status.PLANNED,
                     starts_at=time(9, 0), ends_at=time(12, 0), room="Raum 2.07")
    winter = session(cohort, WINTER, [coach.user], starts_at=time(9, 0), ends_at=time(10, 30))

    response = feed_of(client, coach)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, max-age=300"
    assert response["Referrer-Policy"] == "no-referrer"
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == f"Werkakademie – {coach.user}"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    found = events(response)
    first = found[f"session-{summer.pk}@werkakademie"]
    start = first["DTSTART"].dt
    assert first["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert start.astimezone(UTC) == datetime(SUMMER.year, 7, 6, 7, 0,
                                                         tzinfo=UTC)  # CEST +2
    assert str(first["SUMMARY"]) == f"{summer.module.name} · WA-DO-2027-01"
    assert str(first["LOCATION"]) == "Raum 2.07, Standort Mitte"
    assert str(first["DESCRIPTION"]) == "geplant"
    second = found[f"session-{winter.pk}@werkakademie"]
    assert second["DTSTART"].dt.astimezone(UTC) == datetime(
        WINTER.year, 1, 12, 8, 0, tzinfo=UTC)  # CET +1
    assert second["DTEND"].dt.astimezone(UTC).time() == time(9, 30)
    assert str(second["DESCRIPTION"]) == "durchgeführt"
    assert b"Geheimname" not in response.content  # no participant data


@pytest.mark.django_db
def test_a_session_without_times_is_a_whole_day_and_a_change_raises_the_sequence(
        client, cohort, with_address):
    coach = with_address
    whole_day = session(cohort, SUMMER, [coach.user], status=GroupSession.Status.PLANNED,
                        starts_at=None, ends_at=None)
    uid = f"session-{whole_day.pk}@werkakademie"
    event = events(feed_of(client, coach))[uid]
    assert event["DTSTART"].dt == SUMMER and event["DTEND"].dt == SUMMER + timedelta(days=1)
    before = int(event["SEQUENCE"])

    with scope(jobcenter=cohort.jobcenter):
        GroupSession.objects.filter(pk=whole_day.pk).update(version=whole_day.version + 1)

    assert int(events(feed_of(client, coach))[uid]["SEQUENCE"]) == before + 1


@pytest.mark.django_db
def test_the_feed_holds_only_the_members_own_sessions(client, cohort, with_address,
                                                      outsider):
    coach = with_address
    own = session(cohort, TODAY, [coach.user])
    colleague = MembershipFactory(jobcenter=coach.jobcenter)
    colleagues = session(cohort, TODAY, [colleague.user], starts_at=time(14, 0),
                         ends_at=time(16, 0))
    cancelled = session(cohort, TODAY + timedelta(days=1), [coach.user],
                        status=GroupSession.Status.CANCELLED)
    too_old = session(cohort, TODAY - timedelta(days=61), [coach.user])
    # The same person in another jobcenter: that jobcenter's sessions are in its own feed.
    elsewhere = MembershipFactory(user=coach.user, jobcenter=outsider.jobcenter)
    foreign_cohort = CohortFactory(programme__jobcenter=outsider.jobcenter,
                                   planned_start=TODAY, planned_end=TODAY + timedelta(days=40))
    CohortCoachFactory(cohort=foreign_cohort, user=coach.user)
    foreign = session(foreign_cohort, TODAY, [coach.user])

    uids = set(events(feed_of(client, coach)))

    assert uids == {f"session-{own.pk}@werkakademie"}
    assert f"session-{colleagues.pk}@werkakademie" not in uids
    assert not {cancelled.pk, too_old.pk, foreign.pk} & {int(u[8:].split("@")[0]) for u in uids}
    calendar_token_renew(membership=elsewhere)
    assert set(events(feed_of(client, elsewhere))) == {f"session-{foreign.pk}@werkakademie"}


@pytest.mark.django_db
def test_a_wrong_renewed_or_deleted_address_answers_404(client, coach):
    page = reverse("coaching:calendar", kwargs={"jc": "jc-a"})
    client.force_login(coach.user)

    html = client.post(page, {"action": "renew"}, follow=True).content.decode()
    coach.refresh_from_db()
    first = coach.calendar_token
    assert len(first) >= 43  # 32 random bytes
    assert reverse("calendar_feed", kwargs={"token": first}) in html
    client.logout()  # a calendar program has no session
    assert client.get(reverse("calendar_feed", kwargs={"token": first})).status_code == 200
    assert client.get(reverse("calendar_feed", kwargs={"token": first[:-1] + "x"})
                      ).status_code == 404

    client.force_login(coach.user)
    client.post(page, {"action": "renew"})
    coach.refresh_from_db()
    assert coach.calendar_token != first
    client.logout()
    assert client.get(reverse("calendar_feed", kwargs={"token": first})).status_code == 404
    second = coach.calendar_token
    assert client.get(reverse("calendar_feed", kwargs={"token": second})).status_code == 200

    client.force_login(coach.user)
    html = client.post(page, {"action": "revoke"}, follow=True).content.decode()
    assert "Kalenderadresse erstellen" in html
    assert Membership.objects.get(pk=coach.pk).calendar_token is None
    client.logout()
    assert client.get(reverse("calendar_feed", kwargs={"token": second})).status_code == 404


@pytest.mark.django_db
def test_a_member_who_left_or_leads_no_sessions_has_no_feed(client, coach, jc_admin):
    token = calendar_token_renew(membership=coach)
    Membership.objects.filter(pk=coach.pk).update(is_active=False)
    assert client.get(reverse("calendar_feed", kwargs={"token": token})).status_code == 404
    client.force_login(jc_admin.user)
    assert client.get(reverse("coaching:calendar", kwargs={"jc": "jc-a"})).status_code == 403


@pytest.mark.django_db
def test_my_calendar_explains_the_subscription(client, with_address):
    client.force_login(with_address.user)
    response = client.get(reverse("coaching:calendar", kwargs={"jc": "jc-a"}))
    html = response.content.decode()
    # The address is in the page, never in its URL: no other site learns it as referrer.
    assert response["Referrer-Policy"] == "same-origin"
    assert "<h1>Mein Kalender</h1>" in html
    assert 'for="feed-url"' in html and "Outlook" in html and "Thunderbird" in html
    assert "Neue Adresse erstellen (alte wird ungültig)" in html and "Adresse löschen" in html
    home = client.get(reverse("home", kwargs={"jc": "jc-a"})).content.decode()
    assert 'href="/jc-a/my/calendar/">Mein Kalender</a>' in home
