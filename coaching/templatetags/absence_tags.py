"""How absence cases and their steps read on a page."""

from django import template

from coaching.absence import STEP_LABELS, trigger_text

register = template.Library()


@register.filter
def step_label(kind: str | None) -> str:
    """A step's name ("kontaktiert", "abgeschlossen"); nothing for no step."""
    return STEP_LABELS.get(kind, "") if kind else ""


register.filter("trigger_text", trigger_text)
