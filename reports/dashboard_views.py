"""Dashboards, their refresh, drill-down lists, exports and the network view."""

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import ListView, TemplateView

from jobcenters.permissions import Perm
from jobcenters.views import TenantMixin, safe_next
from privacy.services import export_record

from . import charts, dashboard, services
from .exports import csv_bytes, drilldown_xlsx, report_document, to_xlsx
from .labels import DIMENSION_LABELS, OUTCOME_LABELS, TARGET_GROUP_LABELS
from .metrics import OUTCOME_CLASSES
from .models import Network, ReportJob, ReportSnapshot
from .network import NETWORK_RATES, network_rows
from .periods import Period, period_for, periods_between, quarter_label

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
        choices = figures.period_choices()
        current = figures.report(period)
        previous_period = period.previous()
        previous = figures.report(previous_period)["totals"] if previous_period else None
        groups = current["groups"]
        reasons = dashboard.reason_rows(current["reasons"])
        context.update(
            period=period, choices=choices, report=current, as_of=as_of,
            cards=dashboard.cards(current["totals"], previous),
            quarter_chart=charts.grouped_columns(groups["quarter"][-8:], [
                ("integration_rate", _("integration rate"), "#198754"),
                ("dropout_rate", _("dropout rate"), "#dc3545")]),
            outcome_chart=charts.stacked_outcomes(groups["cohort"]),
            attendance_chart=charts.horizontal_bars(groups["cohort"], "attendance_rate"),
            outcome_legend=[{"label": OUTCOME_LABELS[k], "colour": charts.OUTCOME_COLOURS[k]}
                            for k in OUTCOME_CLASSES],
            tables=[(dimension, DIMENSION_LABELS[dimension], groups[dimension])
                    for dimension in ("site", "programme", "cohort", "quarter",
                                      "target_group")],
            target_labels=TARGET_GROUP_LABELS,
            quarter_labels={r["key"]: quarter_label(int(r["key"][:4]), int(r["key"][-1]))
                            for r in groups["quarter"]},
            reason_tables=[
                (_("Exit reasons of entrants"), reasons["exit_reason"]),
                (_("Dropout reasons"), reasons["dropout_reason"])],
        )
        return context


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
        as_of = dashboard.Figures(self.membership).as_of if dashboard.uses_snapshot(
            self.membership) else timezone.localdate()
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
        rows = dashboard.drilldown(self.membership, metric=self.metric, period=self.period,
                                   as_of=self.as_of, dimension=self.dimension, key=self.key)
        return dashboard.visible_enrolments(self.membership, rows)

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "xlsx" and self.membership.can(Perm.EXPORT_REPORTS):
            return self.xlsx()
        return super().get(request, *args, **kwargs)

    def xlsx(self):
        rows = [{"customer_number": e.participant.customer_number,
                 "name": str(e.participant), "cohort": e.cohort.code,
                 "joined_on": e.joined_on, "exit_on": e.exit_on,
                 "exit_reason": e.get_exit_reason_display()}
                for e in self.get_queryset()]
        columns = [("customer_number", _("Customer number")), ("name", _("Name")),
                   ("cohort", _("Cohort")), ("joined_on", _("Joined on")),
                   ("exit_on", _("Exit on")), ("exit_reason", _("Exit reason"))]
        export_record(jobcenter=self.jobcenter, user=self.request.user,
                               kind="drilldown_xlsx", parameters=dict(self.request.GET.items()))
        response = HttpResponse(drilldown_xlsx(rows, [(f, str(label)) for f, label in columns]),
                                content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="liste-{self.metric}.xlsx"'
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(metric_label=dashboard.DRILLDOWN_METRICS[self.metric],
                       period=self.period, dimension=self.dimension, key=self.key,
                       query=query.urlencode(), as_of=self.as_of,
                       can_export=self.membership.can(Perm.EXPORT_REPORTS),
                       key_label=TARGET_GROUP_LABELS.get(self.key, self.key))
        return context


class ReportExportView(TenantMixin, View):
    """The dashboard's report as CSV or XLSX (FORMATS.md), recorded."""

    permission = Perm.EXPORT_REPORTS

    def get(self, request, *args, **kwargs):
        figures = dashboard.Figures(self.membership)
        fmt = request.GET.get("format", "xlsx")
        if fmt not in ("csv", "xlsx"):
            raise Http404
        period = requested_period(request, "all", figures.as_of)
        if not figures.exists:
            messages.info(request, _("There are no figures to export yet."))
            return redirect("reports:dashboard", jc=self.jobcenter.code)
        as_of = figures.as_of
        document = report_document(jobcenter=self.jobcenter, as_of=as_of, start=period.start,
                                   end=period.end, report=figures.report(period))
        export_record(jobcenter=self.jobcenter, user=request.user,
                               kind=f"report_{fmt}", parameters={"period": period.key})
        if fmt == "csv":
            response = HttpResponse(csv_bytes(document), content_type="text/csv; charset=utf-8")
        else:
            response = HttpResponse(to_xlsx(document), content_type=XLSX)
        name = f"auswertung-{self.jobcenter.code}-{period.key}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


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
