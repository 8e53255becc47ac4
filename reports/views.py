"""The start page ("Heute") and a cohort's outcome tab."""

from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import TemplateView

from coaching.absence_selectors import open_absence_cases
from coaching.selectors import todays_sessions, unrecorded_sessions
from cohorts.models import Cohort
from cohorts.navigation import cohort_page
from cohorts.selectors import cohort_list
from cohorts.views import CohortTabMixin
from employers.selectors import FOLLOWUP_HORIZON, due_followups
from jobcenters.permissions import Perm
from jobcenters.views import TenantMixin
from participants.models import Enrolment
from participants.selectors import REVIEW_HORIZON, cooperation_plan_reviews_due

from .dashboard import own_groups_only
from .labels import OUTCOME_LABELS
from .metrics import (
    OUTCOME_CLASSES,
    RATE_NAMES,
    outcome_counts,
)

# Follow-ups listed on "Heute" before "Alle anzeigen".
FOLLOWUPS_SHOWN = 8


class StartView(TenantMixin, TemplateView):
    """"Heute": the start page of a jobcenter, by role."""

    template_name = "reports/start.html"

    def get(self, request, *args, **kwargs):
        if not self.membership.can(Perm.VIEW_COHORTS):
            return redirect("jobcenters:staff", jc=self.jobcenter.code)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        open_statuses = (Cohort.Status.PLANNED, Cohort.Status.RUNNING)
        context["cohorts"] = cohort_list(self.membership).filter(status__in=open_statuses)
        context["cohort_page"] = cohort_page(self.membership)
        context["is_coach"] = own_groups_only(self.membership)
        context["today"] = today
        if self.membership.can(Perm.RECORD_SESSIONS):
            context["todays_sessions"] = list(
                todays_sessions(membership=self.membership, today=today))
            context["unrecorded_sessions"] = list(
                unrecorded_sessions(membership=self.membership, today=today))
            # "Sitzung erfassen" for each running group the member coaches.
            context["session_cohorts"] = (
                Cohort.objects.visible_to(self.membership)
                .filter(status=Cohort.Status.RUNNING, cohort_coaches__user=self.request.user)
                .distinct().order_by("code")
            )
            followups = due_followups(
                Enrolment.objects.visible_to(self.membership), today + FOLLOWUP_HORIZON
            )
            # Counted in the database; only the rows shown are loaded.
            context["followups_total"] = followups.count()
            context["all_followups"] = self.request.GET.get("followups") == "all"
            context["followups_shown"] = FOLLOWUPS_SHOWN
            context["followups"] = list(followups if context["all_followups"]
                                        else followups[:FOLLOWUPS_SHOWN])
            context["reviews_due"] = list(cooperation_plan_reviews_due(
                membership=self.membership, until=today + REVIEW_HORIZON))
            context["absence_cases"] = list(open_absence_cases(self.membership))
        return context


class CohortOutcomeView(CohortTabMixin, TemplateView):
    """The cohort's entrants by outcome class as of today (METRICS.md)."""

    permission = Perm.RECORD_SESSIONS
    tab = "reports:cohort_outcome"
    template_name = "reports/cohort_outcome.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        as_of = timezone.localdate()
        figures = outcome_counts(Enrolment.objects.filter(cohort=self.cohort), as_of)
        context["as_of"] = as_of
        context["figures"] = figures
        context["classes"] = [
            {"key": key, "label": OUTCOME_LABELS[key], "count": figures[key],
             "rate": figures[RATE_NAMES[key]]}
            for key in OUTCOME_CLASSES
        ]
        return context


# Enrolment list import: upload → preview (a dry run) → confirm ---------------------------
