"""This app's pages in the top bar and its tab on a cohort's page (registered from `apps.py`).

The start page ("Today", `home`) is this app's view (`reports.views.StartView`), so its
entry is registered here too.
"""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cohorts.navigation import COHORT_TABS
from jobcenters.navigation import TOP_BAR, NavEntry
from jobcenters.permissions import Perm
from privacy.processing import RECORD_DETAILS

from .dashboard import DRILLDOWN_METRICS
from .periods import period_for

TOP_BAR_ENTRIES = (
    # Its address is the jobcenter's root: active there only, not on every page below it.
    NavEntry(_("Today"), "home", Perm.VIEW_COHORTS, 10, exact=True),
    NavEntry(_("Reports"), "reports:dashboard", Perm.VIEW_REPORTS, 50),
)
TABS = (
    NavEntry(_("Outcome"), "reports:cohort_outcome", Perm.RECORD_SESSIONS, 50),
)


def connect():
    TOP_BAR.register(*TOP_BAR_ENTRIES)
    COHORT_TABS.register(*TABS)
    for kind in ("report_csv", "report_xlsx", "drilldown_xlsx", "drilldown_csv"):
        RECORD_DETAILS[kind] = export_details
    for kind in ("command_json", "command_csv", "command_xlsx"):
        RECORD_DETAILS[kind] = command_details


def export_details(parameters: dict) -> str:
    """What a download from the dashboard held, for the record of processing: its list and
    period ("„Abbruch“, 2025")."""
    metric = DRILLDOWN_METRICS.get(parameters.get("metric"))
    period = period_for(parameters.get("period") or "all", timezone.localdate())
    return ", ".join(part for part in (metric and f"„{metric}“", period and period.label)
                     if part)


def command_details(parameters: dict) -> str:
    days = [date.fromisoformat(parameters[key]).strftime("%d.%m.%Y")
            for key in ("from", "to") if parameters.get(key)]
    return "–".join(days) or str(period_for("all", timezone.localdate()).label)
