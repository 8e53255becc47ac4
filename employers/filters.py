from datetime import timedelta

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Employer


class EmployerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    sector = django_filters.ChoiceFilter(choices=(), label=_("Sector"))
    town = django_filters.ChoiceFilter(choices=(), label=_("Town"))
    open_vacancies = django_filters.ChoiceFilter(
        method="with_open_vacancies", label=_("Open vacancies"),
        choices=[("yes", _("with open vacancies")), ("no", _("without open vacancies"))],
    )
    last_contact = django_filters.ChoiceFilter(
        method="contacted", label=_("Last contact"),
        choices=[("30", _("within 30 days")), ("90", _("within 90 days")),
                 ("old", _("longer ago or never"))],
    )

    class Meta:
        model = Employer
        fields = ["q", "sector", "town", "open_vacancies", "last_contact"]

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        mine = Employer.objects.visible_to(membership)
        for name in ("sector", "town"):
            values = mine.exclude(**{name: ""}).order_by(name).values_list(name, flat=True)
            self.filters[name].extra["choices"] = [(v, v) for v in values.distinct()]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(town__icontains=value)
                               | Q(contacts__name__icontains=value)).distinct()

    def with_open_vacancies(self, queryset, name, value):
        return queryset.filter(open_vacancies__gt=0) if value == "yes" else queryset.filter(
            Q(open_vacancies__isnull=True) | Q(open_vacancies=0))

    def contacted(self, queryset, name, value):
        today = timezone.localdate()
        if value == "old":
            return queryset.filter(Q(last_contact__isnull=True)
                                   | Q(last_contact__lt=today - timedelta(days=90)))
        return queryset.filter(last_contact__gte=today - timedelta(days=int(value)))
