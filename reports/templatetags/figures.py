from functools import lru_cache
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import format_html

register = template.Library()


@lru_cache(maxsize=256)
def _drilldown_url(jobcenter_code: str) -> str:
    return reverse("reports:drilldown", kwargs={"jc": jobcenter_code})


@register.simple_tag(takes_context=True)
def figure_link(context, value, metric: str, dimension: str = "", key="") -> str:
    """A count as a link to the drill-down list of the enrolments it counts (a tag, not an
    include: the dashboard shows over a hundred of them)."""
    if not value:
        return localize(value or 0)
    query = {"metric": metric, "period": context["period"].key}
    if dimension:
        query.update(dimension=dimension, key=key)
    return format_html('<a href="{}?{}">{}</a>', _drilldown_url(context["jobcenter"].code),
                       urlencode(query), localize(value))
