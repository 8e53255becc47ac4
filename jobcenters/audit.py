"""The audit trail (django-auditlog): who created, changed or deleted which social data.

Single saves are logged by auditlog's signals. Bulk writes bypass signals, so services that
write many rows at once log them here, in one insert. Every entry carries the jobcenter
and, where there is one, the participant, for the filtered views of the trail.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

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
                 changes=changes(row), actor=actor if getattr(actor, "pk", None) else None,
                 remote_addr=context.get("remote_addr"),
                 additional_data=row.get_additional_data())
        for row in rows
    ])


def jobcenter_trail(jobcenter):
    return LogEntry.objects.filter(additional_data__jobcenter=jobcenter.pk)
