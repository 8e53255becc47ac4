"""What the dashboards and drill-down lists show, for one member."""

from dataclasses import dataclass
from datetime import date

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobcenters.permissions import Data, Reach, reach_of
from participants.models import Enrolment

from .engine import KEY_DIMENSIONS, period_counters, population, target_groups, with_age
from .metrics import INTEGRATED, OUTCOME_CLASSES, TRANSFERRED, entrants, with_outcome
from .models import ReportJob, ReportSnapshot
from .periods import Period, parse_key, period_for, periods_with_data
from .rollup import report


@dataclass(frozen=True)
class Card:
    field: str
    label: str
    numerator: str | None
    denominator: str | None
    metric: str  # the drill-down list behind the figure

    @property
    def kind(self) -> str:
        """How the value reads: a share in percent, a ratio, or a count (linked)."""
        if "_rate" in self.field or self.field == "hires_from_proposals":
            return "rate"
        return "ratio" if self.field == "applications_per_entrant" else "count"


CARDS = (
    Card("integration_rate", _("Integration rate"), "integrated", "entrants", INTEGRATED),
    Card("dropout_rate", _("Dropout rate"), "dropped_out", "entrants", "dropped_out"),
    Card("positive_rate", _("Positive outcome"), None, "entrants", "positive"),
    Card("attendance_rate", _("Attendance rate"), None, None, "entrants"),
    Card("sustainability_rate_12m", _("Still employed after 12 months"), None, None,
         INTEGRATED),
    Card("median_days_to_integration", _("Median days to integration"), None, None,
         INTEGRATED),
    Card("applications_per_entrant", _("Applications per entrant"), None, None, "entrants"),
    Card("hires_from_proposals", _("Hires from placement proposals"), None, None, "entrants"),
    Card("entrants", _("Entrants"), None, None, "entrants"),
    Card("active", _("Still active"), None, None, "active"),
)

DRILLDOWN_METRICS = {
    "assigned": _("Assigned"), "entrants": _("Entrants"), "positive": _("Positive outcome"),
    "integrated": _("Integrated"), "dropped_out": _("Dropped out"),
    "transferred": _("Transferred"), "completed": _("Completed without integration"),
    "other_exit": _("Other exit"), "active": _("Still active"),
}


def uses_snapshot(membership) -> bool:
    """Coaches see their few cohorts computed live; the jobcenter's figures come from the
    snapshot, so a page view never recomputes a whole jobcenter."""
    return not own_groups_only(membership)


def own_groups_only(membership) -> bool:
    return reach_of(membership.role, Data.COHORTS) == Reach.OWN_GROUPS


def member_population(membership) -> QuerySet:
    coach = membership.user if own_groups_only(membership) else None
    return population(membership.jobcenter, coach=coach)


class Figures:
    """A member's report figures: the jobcenter's snapshot, or their cohorts computed live.

    A snapshot's reports are rolled up once per period and kept in the cache for as long as
    the snapshot is current, so a page view neither loads the counters nor sums them again.
    """

    CACHE_SECONDS = 24 * 60 * 60

    def __init__(self, membership):
        self.snapshot = None
        self._counters = None
        if uses_snapshot(membership):
            self.snapshot = (ReportSnapshot.objects.defer("payload")
                             .filter(jobcenter=membership.jobcenter).first())
        else:
            self._counters = period_counters(member_population(membership),
                                             timezone.localdate())

    @property
    def exists(self) -> bool:
        return self.snapshot is not None or bool(self._counters)

    @property
    def as_of(self) -> date:
        return self.snapshot.as_of if self.snapshot else timezone.localdate()

    def counters(self) -> dict:
        if self._counters is None:
            self._counters = self.snapshot.counters  # the deferred field: one query
        return self._counters

    def _cached(self, key: str, compute):
        if self.snapshot is None:
            return compute()
        name = f"reports:{self.snapshot.pk}:{self.snapshot.computed_at.timestamp()}:{key}"
        return cache.get_or_set(name, compute, self.CACHE_SECONDS)

    def rendered(self, key: str, render) -> str:
        """A fragment of HTML made from these figures only (no user, no form)."""
        return self._cached(key, render)

    def report(self, period: Period) -> dict:
        return self._cached(period.key, lambda: report(self.counters(), period.start,
                                                       period.end))

    def period_choices(self) -> list[Period]:
        """The period picker: only years and quarters that hold data (periods.py)."""
        keys = self._cached("period_keys", lambda: [
            p.key for p in periods_with_data(self.counters().get("total", {}).get("", {}),
                                             self.as_of)])
        return [period_for(key, self.as_of) for key in keys]


def cards(totals: dict, previous: dict | None) -> list[dict]:
    shown = []
    for card in CARDS:
        value = totals.get(card.field)
        before = previous.get(card.field) if previous else None
        change = None
        is_rate = card.kind == "rate"
        if is_rate and value is not None and before is not None:
            change = round((value - before) * 100)
        shown.append({
            "card": card, "value": value, "change": change,
            "is_rate": is_rate,
            "numerator": totals.get(card.numerator) if card.numerator else (
                totals["integrated"] + totals["transferred"] if card.field == "positive_rate"
                else None),
            "denominator": totals.get(card.denominator) if card.denominator else None,
        })
    return shown


def reason_rows(reasons: dict) -> dict:
    """The exit and dropout reason counts of a report, with their labels, largest first."""
    choices = {"exit_reason": Enrolment.ExitReason, "dropout_reason": Enrolment.DropoutReason}
    return {kind: sorted(((choices[kind](value).label, count)
                          for value, count in counts.items() if count),
                         key=lambda row: -row[1])
            for kind, counts in reasons.items()}


def latest_job(jobcenter) -> ReportJob | None:
    return ReportJob.objects.filter(jobcenter=jobcenter).order_by("-requested_at").first()


def is_known_group(dimension: str, key: str) -> bool:
    """Whether a drill-down's dimension and key name a group the dashboard can show.

    Cohorts, sites and programmes are looked up by their key (an unknown one lists
    nobody); target groups and quarters must be ones that exist.
    """
    if not dimension:
        return not key
    if dimension in KEY_DIMENSIONS:
        return True
    if dimension == "target_group":
        return key in target_groups()
    if dimension == "quarter":
        parsed = parse_key(key)
        return parsed is not None and parsed[1] is not None
    return False


def drilldown(membership, *, metric: str, period: Period, as_of: date, dimension: str = "",
              key: str = "") -> QuerySet:
    """Exactly the enrolments a dashboard count counts (same definitions, same filters)."""
    enrolments = member_population(membership)
    if dimension in KEY_DIMENSIONS:
        enrolments = enrolments.filter(**{KEY_DIMENSIONS[dimension]: key})
    elif dimension == "target_group" and key in target_groups():
        enrolments = with_age(enrolments).filter(target_groups()[key])
    if metric == "assigned":
        rows = enrolments.filter(assigned_on__isnull=False, assigned_on__lte=as_of)
        day = "assigned_on"
    else:
        rows = with_outcome(entrants(enrolments, as_of), as_of)
        day = "joined_on"
        if metric in OUTCOME_CLASSES:
            rows = rows.filter(outcome=metric)
        elif metric == "positive":
            rows = rows.filter(outcome__in=(INTEGRATED, TRANSFERRED))
    if dimension == "quarter" and (parsed := parse_key(key)) and parsed[1]:
        year, quarter = parsed
        rows = rows.filter(**{f"{day}__year": year, f"{day}__quarter": quarter})
    if period.start:
        rows = rows.filter(**{f"{day}__gte": period.start})
    if period.end:
        rows = rows.filter(**{f"{day}__lte": period.end})
    return rows.select_related("participant", "cohort").order_by(
        "participant__last_name", "participant__first_name", "pk")


def reported_count(report: dict, *, metric: str, dimension: str = "", key: str = "") -> int:
    """The count a report shows for a drill-down's metric and group (0 for a group it
    does not list), to set beside the list's own count."""
    if dimension:
        row = next((r for r in report["groups"][dimension] if str(r["key"]) == key), {})
    else:
        row = report["totals"]
    if metric == "positive":
        return row.get(INTEGRATED, 0) + row.get(TRANSFERRED, 0)
    return row.get(metric, 0)


def visible_enrolments(membership, rows: QuerySet) -> QuerySet:
    """The same rows, limited again by who may see which enrolment."""
    return rows.filter(pk__in=Enrolment.objects.visible_to(membership).values("pk"))


