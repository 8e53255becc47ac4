import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jobcenters.forms import ALL, DateInput
from jobcenters.models import Site, User
from jobcenters.permissions import Data, Reach, reach_of
from jobcenters.plausible import validate_date

from .models import Cohort, Programme


class CohortFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    site = django_filters.ModelChoiceFilter(queryset=None, label=_("Site"), empty_label=ALL)
    programme = django_filters.ModelChoiceFilter(
        queryset=None, label=_("Programme"), empty_label=ALL
    )
    status = django_filters.ChoiceFilter(choices=Cohort.Status.choices, label=_("Status"))
    coach = django_filters.ModelChoiceFilter(
        queryset=None, label=_("Coach"), field_name="cohort_coaches__user", empty_label=ALL
    )
    running_from = django_filters.DateFilter(
        field_name="planned_end", lookup_expr="gte", label=_("Running from"), widget=DateInput,
        validators=[validate_date],
    )
    running_until = django_filters.DateFilter(
        field_name="planned_start", lookup_expr="lte", label=_("Running until"),
        widget=DateInput, validators=[validate_date],
    )

    class Meta:
        model = Cohort
        fields = ["q", "status", "site", "programme", "coach", "running_from", "running_until"]

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        jobcenter = membership.jobcenter
        self.filters["site"].queryset = Site.objects.for_jobcenter(jobcenter)
        self.filters["programme"].queryset = Programme.objects.for_jobcenter(jobcenter)
        self.filters["coach"].queryset = coaches_of(jobcenter)
        if reach_of(membership.role, Data.COHORTS) == Reach.OWN_GROUPS:
            del self.filters["coach"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(code__icontains=value) | Q(notes__icontains=value))


def coaches_of(jobcenter):
    """Staff who can run a group (see `User.objects.session_leaders`)."""
    return User.objects.session_leaders(jobcenter)
