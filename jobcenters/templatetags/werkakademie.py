from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format

from jobcenters.audit import ACTION_LABELS

register = template.Library()


@register.filter
def percent(fraction) -> str:
    """0.445 → "45 %": rounded half-up to a whole percent (METRICS.md); None → "–"."""
    if fraction is None:
        return "–"
    whole = (Decimal(str(fraction)) * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return f"{number_format(whole)}\u00a0%"


@register.filter
def get_item(mapping, key):
    """A dict's value in a template; the key itself when missing (labels by key)."""
    return mapping.get(key, key)


@register.filter
def minutes(duration) -> int:
    """A timedelta in whole minutes (rounded up), for messages like the lockout's."""
    return -(-int(duration.total_seconds()) // 60)


@register.filter
def field_label(instance, name: str) -> str:
    return str(instance._meta.get_field(name).verbose_name)


@register.filter
def field_value(instance, name: str):
    """A field's value as shown: the label of a choice, else the value."""
    display = getattr(instance, f"get_{name}_display", None)
    return display() if display else getattr(instance, name)


@register.filter
def audit_action(entry) -> str:
    """What an audit entry did, in the interface's language."""
    return ACTION_LABELS.get(entry.action, entry.get_action_display())
