"""Dashboards, their refresh, drill-down lists, exports and the network view."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import ListView, TemplateView

from jobcenters.permissions import Perm
from jobcenters.views import TenantMixin, safe_next
from privacy.services import export_record

from . import charts, dashboard, people_exports, services
from .labels import DIMENSION_LABELS, OUTCOME_LABELS, TARGET_GROUP_LABELS
from .metrics import OUTCOME_CLASSES
from .models import Network, ReportJob, ReportSnapshot
from .network import NETWORK_RATES, network_rows
from .periods import Period, period_for, periods_between, quarter_label


def requested_period(request, default: str, as_of: date) -> Period:
    """The period of the address (`?period=2025-Q3`), or the default without one. An
    unknown period is a 404 (German page), never a silent other period or a 500."""
    period = period_for(request.GET.get("period") or default, as_of)
    if period is None:
        raise Http404
    return period


class DashboardView(TenantMixin, TemplateView):
    """Key figures, tables and charts for a period; every count leads to its list."""

    permission = Perm.VIEW_REPORTS
    template_name = "reports/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if dashboard.uses_snapshot(self.membership):
            services.snapshot_keep_current(jobcenter=self.jobcenter)
        figures = dashboard.Figures(self.membership)
        snapshot, as_of = figures.snapshot, figures.as_of
        context.update(snapshot=snapshot, uses_snapshot=dashboard.uses_snapshot(self.membership),
                       job=dashboard.latest_job(self.jobcenter),
                       can_refresh=self.membership.can(Perm.EXPORT_REPORTS),
                       can_export=self.membership.can(Perm.EXPORT_REPORTS))
        period = requested_period(self.request, "last12", as_of)
        if snapshot is not None:
            context["outdated"] = snapshot.is_outdated(self.jobcenter)
        if not figures.exists:
            return context
        context.update(period=period, choices=figures.period_choices(), as_of=as_of,
                       report=figures.report(period))
        # The same for everyone who reads this snapshot: rendered once per period and
        # language while the snapshot is current, not at every look.
        context["figures_html"] = figures.rendered(
            f"figures:{period.key}:{get_language()}",
            lambda: render_to_string("reports/_dashboard_figures.html",
                                     figures_context(figures, period, self.jobcenter)))
        return context


def figures_context(figures: dashboard.Figures, period: Period, jobcenter) -> dict:
    """Cards, charts and tables of a period's report."""
    current = figures.report(period)
    previous_period = period.previous()
    previous = figures.report(previous_period)["totals"] if previous_period else None
    groups = current["groups"]
    reasons = dashboard.reason_rows(current["reasons"])
    return {
        "jobcenter": jobcenter, "period": period, "report": current,
        "cards": dashboard.cards(current["totals"], previous),
        "quarter_chart": charts.grouped_columns(groups["quarter"][-8:], [
            ("integration_rate", _("integration rate"), "#198754"),
            ("dropout_rate", _("dropout rate"), "#dc3545")]),
        "outcome_chart": charts.stacked_outcomes(groups["cohort"]),
        "attendance_chart": charts.horizontal_bars(groups["cohort"], "attendance_rate"),
        "outcome_legend": [{"label": OUTCOME_LABELS[k], "colour": charts.OUTCOME_COLOURS[k]}
                        for k in OUTCOME_CLASSES],
        "tables": [(dimension, DIMENSION_LABELS[dimension], groups[dimension])
                for dimension in ("site", "programme", "cohort", "quarter", "target_group")],
        "target_labels": TARGET_GROUP_LABELS,
        "quarter_labels": {r["key"]: quarter_label(int(r["key"][:4]), int(r["key"][-1]))
                        for r in groups["quarter"]},
        "reason_tables": [
            (_("Exit reasons of entrants"), reasons["exit_reason"]),
            (_("Dropout reasons"), reasons["dropout_reason"])],
    }


class ReportStatusView(TenantMixin, TemplateView):
    """The refresh status, polled by htmx while a job waits or runs. When the job is done,
    the page's figures are replaced in place (the `figures-ready` event)."""

    permission = Perm.VIEW_REPORTS
    template_name = "reports/_refresh_status.html"

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        job = response.context_data["job"]
        if job is not None and job.status == ReportJob.Status.DONE:
            response["HX-Trigger"] = "figures-ready"
        return response

    def get_context_data(self, **kwargs):
        snapshot = ReportSnapshot.objects.filter(jobcenter=self.jobcenter).first()
        return {**super().get_context_data(**kwargs), "snapshot": snapshot,
                "job": dashboard.latest_job(self.jobcenter),
                "outdated": snapshot is not None and snapshot.is_outdated(self.jobcenter),
                "can_refresh": self.membership.can(Perm.EXPORT_REPORTS), "polled": True}


class ReportRefreshView(TenantMixin, View):
    permission = Perm.EXPORT_REPORTS
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        services.refresh_request(jobcenter=self.jobcenter, by=request.user)
        if request.headers.get("HX-Request"):  # the status box swaps itself, no reload
            return redirect(reverse("reports:status", kwargs={"jc": self.jobcenter.code}))
        messages.info(request, _("The figures are being recalculated."))
        return redirect(safe_next(request, reverse("reports:dashboard",
                                                   kwargs={"jc": self.jobcenter.code})))


class DrilldownView(TenantMixin, ListView):
    """The enrolments behind one count of the dashboard."""

    permission = Perm.VIEW_REPORTS
    template_name = "reports/drilldown.html"
    context_object_name = "enrolments"
    paginate_by = 50

    def setup_list(self):
        self.figures = (dashboard.Figures(self.membership)
                        if dashboard.uses_snapshot(self.membership) else None)
        as_of = self.figures.as_of if self.figures else timezone.localdate()
        get = self.request.GET
        self.metric = get.get("metric", "entrants")
        if self.metric not in dashboard.DRILLDOWN_METRICS:
            raise Http404
        self.period = requested_period(self.request, "all", as_of)
        self.dimension, self.key = get.get("dimension", ""), get.get("key", "")
        if not dashboard.is_known_group(self.dimension, self.key):
            raise Http404
        self.as_of = as_of

    def get_queryset(self):
        self.setup_list()
        self.columns = people_exports.list_columns(self.metric)
        self.key_label = people_exports.group_label(self.dimension, self.key)
        rows = dashboard.drilldown(self.membership, metric=self.metric, period=self.period,
                                   as_of=self.as_of, dimension=self.dimension, key=self.key)
        return people_exports.with_job_start(dashboard.visible_enrolments(self.membership, rows),
                                             metric=self.metric, as_of=self.as_of)

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("format")
        if fmt in people_exports.FORMATS:
            if not self.membership.can(Perm.EXPORT_REPORTS):
                raise PermissionDenied
            return self.download(fmt)
        return super().get(request, *args, **kwargs)

    def heading(self) -> str:
        label = str(dashboard.DRILLDOWN_METRICS[self.metric])
        return f"{label}: {self.key_label}" if self.key else label

    def download(self, fmt: str):
        enrolments = self.get_queryset()
        download = people_exports.list_download(
            jobcenter=self.jobcenter, metric=self.metric, heading=self.heading(),
            group=self.key_label, period=self.period, as_of=self.as_of, columns=self.columns,
            rows=people_exports.list_rows(self.membership, enrolments, self.columns))
        export_record(jobcenter=self.jobcenter, user=self.request.user,
                      kind=f"drilldown_{fmt}", parameters=dict(self.request.GET.items()))
        return people_exports.http_response(download, fmt)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        snapshot = self.figures and self.figures.snapshot
        if snapshot is not None:
            # The figure of the dashboard beside the list: while a save waits for its
            # recalculation, the list (read now) may already differ from it.
            reported = dashboard.reported_count(self.figures.report(self.period),
                                                metric=self.metric, dimension=self.dimension,
                                                key=self.key)
            context.update(snapshot=snapshot, reported=reported,
                           differs=reported != context["paginator"].count)
            if context["differs"]:
                services.snapshot_keep_current(jobcenter=self.jobcenter)
        context.update(metric_label=dashboard.DRILLDOWN_METRICS[self.metric],
                       heading=self.heading(), period=self.period, key=self.key,
                       query=query.urlencode(), as_of=self.as_of,
                       can_export=self.membership.can(Perm.EXPORT_REPORTS),
                       columns=self.columns,
                       rows=people_exports.list_rows(self.membership, context["enrolments"],
                                                     self.columns))
        return context


class ReportExportView(TenantMixin, View):
    """The dashboard's report for German Excel, as CSV or XLSX (FORMATS.md, "Exports for
    people"), recorded."""

    permission = Perm.EXPORT_REPORTS

    def get(self, request, *args, **kwargs):
        figures = dashboard.Figures(self.membership)
        fmt = request.GET.get("format", "xlsx")
        if fmt not in people_exports.FORMATS:
            raise Http404
        period = requested_period(request, "all", figures.as_of)
        if not figures.exists:
            messages.info(request, _("There are no figures to export yet."))
            return redirect("reports:dashboard", jc=self.jobcenter.code)
        download = people_exports.report_download(
            jobcenter=self.jobcenter, period=period, as_of=figures.as_of,
            report=figures.report(period))
        export_record(jobcenter=self.jobcenter, user=request.user,
                      kind=f"report_{fmt}", parameters={"period": period.key})
        return people_exports.http_response(download, fmt)


class NetworkView(TemplateView):
    """Analysts compare their network's jobcenters: aggregates only, no drill-down."""

    template_name = "reports/network.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        network = get_object_or_404(Network, slug=self.kwargs["slug"],
                                    analysts=self.request.user)
        as_of = timezone.localdate()
        period = requested_period(self.request, "last12", as_of)
        rows, medians = network_rows(network, period)
        context.update(network=network, period=period, rows=rows, medians=medians,
                       rate_names=NETWORK_RATES,
                       choices=periods_between(date(as_of.year - 9, 1, 1), as_of))
        return context
