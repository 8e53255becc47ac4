"""The audit trail (django-auditlog): who created, changed or deleted which social data.

Single saves are logged by auditlog's signals. Bulk writes bypass signals, so services that
write many rows at once log them here, in one insert. Every entry carries the jobcenter
and, where there is one, the participant, for the filtered views of the trail.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils import formats, timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext_lazy as _

# Who acts in the current request, for entries written in bulk (auditlog's own context is
# not reset after a request, so it cannot tell whether it is still current).
_current: ContextVar[dict | None] = ContextVar("audit_current", default=None)


@contextmanager
def acting(actor, remote_addr=None):
    token = _current.set({"actor": actor, "remote_addr": remote_addr})
    try:
        yield
    finally:
        _current.reset(token)


# In the trail's words (auditlog's own labels are English only).
ACTION_LABELS = {LogEntry.Action.CREATE: _("created"), LogEntry.Action.UPDATE: _("changed"),
                 LogEntry.Action.DELETE: _("deleted"), LogEntry.Action.ACCESS: _("opened")}

# Not worth a line in the trail: the row's own id, its jobcenter and its timestamps.
NOT_AUDITED = {"id", "jobcenter", "created_at", "updated_at"}


def register_audited(*models):
    """Log creates, changes and deletes of these models, field by field: their own fields
    only (auditlog would list reverse relations, ids and timestamps as well)."""
    from auditlog.registry import auditlog

    for model in models:
        auditlog.register(model, include_fields=[
            f.name for f in model._meta.concrete_fields if f.name not in NOT_AUDITED])


# What an entry keeps of a field named in a model's `audit_redacted` (a confidential
# note): that it changed, never its text.
REDACTED = "•••"


def _redacted(model, changes):
    hidden = getattr(model, "audit_redacted", ())
    if not changes or not hidden:
        return changes
    return {field: [REDACTED, REDACTED] if field in hidden else values
            for field, values in changes.items()}


@receiver(pre_save, sender=LogEntry)
def _redact_confidential(sender, instance, **kwargs):
    model = instance.content_type.model_class() if instance.content_type_id else None
    if model is not None and isinstance(instance.changes, dict):
        instance.changes = _redacted(model, instance.changes)
    instance.serialized_data = None  # a copy of the whole row would hold the text again


def audit_context() -> dict:
    return _current.get() or {}


def audit_bulk(rows, action: int, changes) -> None:
    """Log many written rows of one model at once; `changes(row)` → {field: [old, new]}."""
    rows = list(rows)
    if not rows:
        return
    context = audit_context()
    actor = context.get("actor")
    content_type = ContentType.objects.get_for_model(rows[0])
    LogEntry.objects.bulk_create([
        LogEntry(content_type=content_type, object_pk=str(row.pk), object_id=row.pk,
                 object_repr=f"{row._meta.verbose_name} {row.pk}", action=action,
                 changes=_as_auditlog_stores(_redacted(type(row), changes(row))),
                 actor=actor if getattr(actor, "pk", None) else None,
                 remote_addr=context.get("remote_addr"),
                 additional_data=row.get_additional_data())
        for row in rows
    ])


def _as_auditlog_stores(changes: dict) -> dict:
    """Values as text, a missing one as "None", as django-auditlog keeps its own entries
    (its display of the changes expects text)."""
    return {field: ["None" if value is None else str(value) for value in values]
            for field, values in changes.items()}


def jobcenter_trail(jobcenter):
    return LogEntry.objects.filter(additional_data__jobcenter=jobcenter.pk)


# How the trail shows an entry of these models in words instead of its field changes (the
# record of processing: "Auskunft (JSON) zu …"). Registered by the model's app:
# "app_label.model" → a function (entries, membership) that sets `description` on each of
# the page's entries, in a few queries for all of them.
DESCRIBED = {}


def readable(field, value, related: dict | None = None) -> str:
    """A value as auditlog stored it (text), in the interface's words: "Ja"/"Nein", "–"
    for nothing, German numbers and dates, a choice's label, a related row's name
    (`related`: pk → name, fetched by the caller for the whole page)."""
    if value is None or value in ("None", "", "–"):
        return "–"
    value = str(value)
    if field is None:
        return value
    if field.is_relation:
        return (related or {}).get(value) or _("no. %(number)s") % {"number": value}
    choices = {str(key): label for key, label in field.flatchoices} if field.choices else {}
    if value in choices:
        return str(choices[value])
    try:
        return _readable_typed(field.get_internal_type(), value)
    except (ValueError, ArithmeticError):
        return value  # a value stored before the field's type changed


def _readable_typed(internal_type: str, value: str) -> str:
    if internal_type == "BooleanField":
        return str(_("Yes") if value == "True" else _("No") if value == "False" else value)
    if internal_type == "DecimalField" or internal_type == "FloatField":
        return formats.number_format(Decimal(value), use_l10n=True)
    if internal_type == "DateField":
        return date_format(date.fromisoformat(value[:10]), "d.m.Y")
    if internal_type == "DateTimeField":
        moment = datetime.fromisoformat(value)
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return date_format(moment, "d.m.Y H:i")
    if internal_type == "TimeField":
        return value[:5]
    return value
