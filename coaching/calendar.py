"""A member's private calendar feed (ICS, RFC 5545): the planned and held sessions they
coach, in Europe/Berlin times, for Outlook and Thunderbird. It holds no participant data."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vDuration

from jobcenters.models import Membership
from jobcenters.permissions import Perm

from .models import GroupSession

BERLIN = ZoneInfo("Europe/Berlin")
# How far back the feed reaches; forward it holds every session planned.
FEED_DAYS_BACK = 60
# How often a client should fetch the feed again (the response may be cached as long).
REFRESH = timedelta(minutes=5)


def feed_membership(*, token: str) -> Membership | None:
    """The active member whose calendar address this is, if any."""
    membership = (Membership.objects.filter(calendar_token=token, is_active=True,
                                            user__is_active=True)
                  .select_related("jobcenter", "user").first())
    if membership is None or not membership.can(Perm.LEAD_SESSIONS):
        return None
    return membership


def feed_sessions(*, membership: Membership, today) -> QuerySet:
    """The member's planned and held sessions from FEED_DAYS_BACK days before `today`."""
    return (GroupSession.objects.visible_to(membership)
            .filter(coaches=membership.user_id, held_on__gte=today - timedelta(days=FEED_DAYS_BACK),
                    status__in=(GroupSession.Status.PLANNED, GroupSession.Status.HELD))
            .select_related("cohort__site", "module").order_by("held_on", "starts_at", "pk"))


def _event(session: GroupSession) -> Event:
    event = Event()
    event.add("uid", f"session-{session.pk}@werkakademie")
    event.add("dtstamp", session.updated_at)
    event.add("last-modified", session.updated_at)
    # Every save raises the version: clients take the event with the higher sequence.
    event.add("sequence", session.version)
    if session.starts_at is None:  # a whole day
        event.add("dtstart", session.held_on)
        event.add("dtend", session.held_on + timedelta(days=1))
    else:
        event.add("dtstart", datetime.combine(session.held_on, session.starts_at, BERLIN))
        if session.ends_at is not None:
            event.add("dtend", datetime.combine(session.held_on, session.ends_at, BERLIN))
    module = session.module.name if session.module else _("Group session")
    event.add("summary", f"{module} · {session.cohort.code}")
    event.add("location", ", ".join(part for part in (session.room, session.cohort.site.name)
                                    if part))
    event.add("description", session.get_status_display())
    return event


def calendar_feed(*, membership: Membership) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Werkakademie//Sitzungen//DE")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"Werkakademie – {membership.user}")
    calendar.add("x-wr-timezone", "Europe/Berlin")
    calendar.add("refresh-interval", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    sessions = list(feed_sessions(membership=membership, today=timezone.localdate()))
    for session in sessions:
        calendar.add_component(_event(session))
    if sessions:  # the time zone's rules for the feed's years only, not since 1970
        calendar.add_missing_timezones(first_date=sessions[0].held_on - timedelta(days=366),
                                       last_date=sessions[-1].held_on + timedelta(days=366))
    return calendar.to_ical()
