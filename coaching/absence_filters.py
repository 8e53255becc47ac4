import django_filters
from django.db.models import Q
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cohorts.models import Cohort
from jobcenters.forms import ALL, DateInput
from jobcenters.plausible import validate_date

from .absence import STEP_CHOICES
from .models import AbsenceCase

OPEN, CLOSED, EVERY = "open", "closed", "all"
NO_STEP = "none"


class AbsenceCaseFilter(django_filters.FilterSet):
    """The list of cases: open ones unless asked otherwise (on `absence_cases`, which
    annotates each case's last step)."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    status = django_filters.ChoiceFilter(
        method="by_status", label=_("Status"), empty_label=None,
        choices=[(OPEN, pgettext_lazy("absence cases", "open")),
                 (CLOSED, pgettext_lazy("absence cases", "closed")),
                 (EVERY, pgettext_lazy("absence cases", "all"))])
    cohort = django_filters.ModelChoiceFilter(queryset=None, field_name="enrolment__cohort",
                                              label=_("Cohort"), empty_label=ALL)
    last_step = django_filters.ChoiceFilter(
        method="by_last_step", label=_("Last step"), empty_label=ALL,
        choices=[(NO_STEP, _("no step yet")), *STEP_CHOICES])
    opened_from = django_filters.DateFilter(
        field_name="opened_on", lookup_expr="gte", label=_("Opened from"), widget=DateInput,
        validators=[validate_date])
    opened_until = django_filters.DateFilter(
        field_name="opened_on", lookup_expr="lte", label=_("Opened until"), widget=DateInput,
        validators=[validate_date])

    class Meta:
        model = AbsenceCase
        fields = ["q", "status", "cohort", "last_step", "opened_from", "opened_until"]

    def __init__(self, data=None, *args, membership, **kwargs):
        data = data.copy() if data is not None else QueryDict(mutable=True)
        if not data.get("status"):
            data["status"] = OPEN
        super().__init__(data, *args, **kwargs)
        self.filters["cohort"].queryset = Cohort.objects.visible_to(membership).order_by("code")

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(enrolment__participant__last_name__icontains=value)
            | Q(enrolment__participant__first_name__icontains=value)
            | Q(enrolment__participant__customer_number__icontains=value))

    def by_status(self, queryset, name, value):
        if value == OPEN:
            return queryset.filter(closed_on__isnull=True)
        if value == CLOSED:
            return queryset.filter(closed_on__isnull=False)
        return queryset

    def by_last_step(self, queryset, name, value):
        if value == NO_STEP:
            return queryset.filter(last_kind__isnull=True)
        return queryset.filter(last_kind=value)
