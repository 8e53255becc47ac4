from django.shortcuts import redirect
from django.views.generic import TemplateView

from cohorts.models import Cohort
from cohorts.selectors import cohort_list
from jobcenters.permissions import Perm, Role
from jobcenters.views import TenantMixin


class StartView(TenantMixin, TemplateView):
    """"Heute": the start page of a jobcenter, by role."""

    template_name = "reports/start.html"

    def get(self, request, *args, **kwargs):
        if not self.membership.can(Perm.VIEW_COHORTS):
            return redirect("jobcenters:staff", jc=self.jobcenter.code)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        open_statuses = (Cohort.Status.PLANNED, Cohort.Status.RUNNING)
        context["cohorts"] = cohort_list(self.membership).filter(status__in=open_statuses)
        context["is_coach"] = self.membership.role == Role.COACH
        return context
