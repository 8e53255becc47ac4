from django.views.generic import DetailView, ListView

from jobcenters.permissions import Perm
from jobcenters.views import TenantMixin

from .models import Cohort
from .selectors import cohort_list


class CohortListView(TenantMixin, ListView):
    permission = Perm.VIEW_COHORTS
    template_name = "cohorts/cohort_list.html"
    context_object_name = "cohorts"
    paginate_by = 50

    def get_queryset(self):
        return cohort_list(self.membership)


class CohortDetailView(TenantMixin, DetailView):
    permission = Perm.VIEW_COHORTS
    model = Cohort
    template_name = "cohorts/cohort_detail.html"
    context_object_name = "cohort"

    def get_queryset(self):
        return cohort_list(self.membership)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["enrolments"] = self.object.enrolments.select_related("participant").order_by(
            "participant__last_name", "participant__first_name"
        )
        return context
