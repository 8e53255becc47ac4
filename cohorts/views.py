from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, ListView
from django_filters.views import FilterView

from jobcenters.permissions import Perm
from jobcenters.views import (
    ConfigFormView,
    FilteredListMixin,
    ManageMixin,
    ServiceFormMixin,
    TenantMixin,
)

from .filters import CohortFilter
from .forms import CohortForm, ProgrammeForm
from .models import Cohort, Programme
from .navigation import (
    COHORT_ACTIONS,
    COHORT_LIST_ACTIONS,
    COHORT_OBJECT_ACTIONS,
    COHORT_TABS,
    PROGRAMME_ACTIONS,
    cohort_page,
    cohort_url,
)
from .selectors import cohort_list
from .services import cohort_save, programme_save


class CohortTabMixin(TenantMixin):
    """A page about one cohort the member may see (404 otherwise), under the cohort header."""

    model = Cohort
    tab = ""  # the URL name of the tab this view shows
    cohort_url_kwarg = "pk"

    @cached_property
    def cohort(self):
        return get_object_or_404(cohort_list(self.membership),
                                 pk=self.kwargs[self.cohort_url_kwarg])

    def load_objects(self):
        self.cohort  # noqa: B018 - fetched for its 404

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cohort"] = self.cohort
        # Registered by the apps that own the tabs' pages (cohorts/navigation.py).
        context["cohort_tabs"] = COHORT_TABS.links(self.membership, current=self.tab,
                                                   pk=self.cohort.pk)
        context["cohort_actions"] = (
            COHORT_ACTIONS.links(self.membership, pk=self.cohort.pk)
            + COHORT_OBJECT_ACTIONS.actions_for(self.membership, self.cohort))
        context["can_record"] = self.membership.can(Perm.RECORD_SESSIONS)
        context["can_manage"] = self.membership.can(Perm.MANAGE_COHORTS)
        return context


class CohortListView(FilteredListMixin, TenantMixin, FilterView):
    permission = Perm.VIEW_COHORTS
    filterset_class = CohortFilter
    template_name = "cohorts/cohort_list.html"
    context_object_name = "cohorts"

    def get_queryset(self):
        return cohort_list(self.membership)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["list_actions"] = COHORT_LIST_ACTIONS.links(self.membership)
        context["cohort_page"] = cohort_page(self.membership)
        return context


class CohortFormMixin(ServiceFormMixin, TenantMixin):
    permission = Perm.MANAGE_COHORTS
    model = Cohort
    form_class = CohortForm
    template_name = "cohorts/cohort_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "jobcenter": self.jobcenter,
                "instance": self.instance}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "cohort": self.instance,
                "cohort_page": cohort_page(self.membership)}

    instance = None

    def success_text(self, cohort):
        return self.success_message % {"code": cohort.code}

    def success_url_for(self, cohort):
        return cohort_url(self.membership, cohort)


class CohortCreateView(CohortFormMixin, FormView):
    success_message = gettext_lazy("Cohort %(code)s created.")

    def save(self, form):
        return cohort_save(**form.cleaned_data)


class CohortUpdateView(CohortFormMixin, FormView):
    success_message = gettext_lazy("Cohort %(code)s saved.")

    @cached_property
    def instance(self):
        return get_object_or_404(cohort_list(self.membership), pk=self.kwargs["pk"])

    def load_objects(self):
        self.instance  # noqa: B018 - fetched for its 404

    def save(self, form):
        return cohort_save(cohort=self.instance, **form.cleaned_data)


class ProgrammeListView(ManageMixin, ListView):
    template_name = "jobcenters/manage_list.html"
    context_object_name = "rows"
    manage_tab = "cohorts:programmes"

    def get_queryset(self):
        return Programme.objects.for_jobcenter(self.jobcenter).order_by("-is_active", "name")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for row in context["rows"]:  # registered by the apps that own the pages
            row.actions = PROGRAMME_ACTIONS.actions_for(self.membership, row)
        return {**context, "title": _("Programmes"), "row_actions": True,
                "create_url": "cohorts:programme_create", "edit_url": "cohorts:programme_update",
                "columns": ["default_length_days", "default_capacity", "participants_per_coach",
                            "legal_basis"]}


class ProgrammeFormView(ConfigFormView):
    model = Programme
    service = staticmethod(programme_save)
    list_url = "cohorts:programmes"
    manage_tab = "cohorts:programmes"

    def get_form_class(self):
        return ProgrammeForm
