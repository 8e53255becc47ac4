"""`Jobcenter.data_version` follows every write of a row that a report reads.

A tenant model with `report_relevant = True` bumps its jobcenter's data version whenever one
of its rows is saved or deleted, its many-to-many relations change, or a bulk write of the
tenant QuerySet (`bulk_create`, `bulk_update`, `update`) touches it: always in the same
transaction as the write, so a report snapshot computed from an older version is noticed as
outdated (reports compare `ReportSnapshot.data_version` with it). Writers need do nothing.

The bump is an `UPDATE … SET data_version = data_version + 1` made *before* the write, so a
writer takes the jobcenter row's lock first (writers of one jobcenter queue up there instead
of deadlocking on each other's rows). Inside one transaction a jobcenter is bumped once.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial

from django.apps import apps
from django.db import connections, router, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, pre_delete, pre_save

# Told the ids of jobcenters whose data changed, once the change is committed (the reports
# app refreshes their figures): a list of callables, filled by higher apps' ready().
CHANGED = []


def _announce(ids) -> None:
    for listener in CHANGED:
        listener(set(ids))


def is_report_relevant(model) -> bool:
    return bool(getattr(model, "report_relevant", False))


def bump(jobcenter_ids, *, using: str = "default") -> None:
    """Mark these jobcenters' data as changed, once per transaction."""
    ids = {pk for pk in jobcenter_ids if pk is not None}
    if not ids:
        return
    connection = connections[using]
    transaction_key = _transaction_key(connection)
    if transaction_key is not None:
        bumped = connection.__dict__.setdefault("_data_version_bumped", {})
        due = {marker for _, marker, _ in connection.run_on_commit}  # not rolled back
        ids = {pk for pk in ids if not (pk in bumped and bumped[pk][0] == transaction_key
                                        and bumped[pk][1] in due)}
        if not ids:
            return
    apps.get_model("jobcenters", "Jobcenter")._base_manager.using(using).filter(
        pk__in=ids).update(data_version=F("data_version") + 1)
    # Outside a transaction the write is committed by now; inside, once it commits.
    transaction.on_commit(partial(_announce, frozenset(ids)), using=using)
    if transaction_key is not None:
        for pk in ids:
            # Discarded with a rolled-back savepoint, run (a no-op) on commit: as long as it
            # is due, this transaction has bumped the jobcenter.
            marker = partial(_forget, bumped, pk)
            bumped[pk] = (transaction_key, marker)
            transaction.on_commit(marker, using=using)


def _forget(bumped: dict, pk: int):
    bumped.pop(pk, None)


def _transaction_key(connection):
    """What identifies the transaction in progress, or None outside one.

    A test case wraps every test in a transaction of its own (`_from_testcase`); that one does
    not count, as it stands for many transactions of the running application: there the
    outermost atomic block within it is the transaction (a savepoint, told apart by its id).
    """
    if not connection.in_atomic_block:
        return None
    blocks = connection.atomic_blocks
    for depth, block in enumerate(blocks):
        if not getattr(block, "_from_testcase", False):
            if depth == 0:
                return "transaction"
            return connection.savepoint_ids[depth - 1]  # None without a savepoint: no reuse
    return None


# Set while a bulk write that has bumped already runs (bulk_update calls update per batch).
_bumped_already = ContextVar("data_version_bumped_already", default=False)


@contextmanager
def bulk_writing(queryset, rows=None):
    """Around a bulk write of a tenant QuerySet: bump the jobcenters of `rows` (the instances
    written) or else of the QuerySet's rows, in one transaction with the write."""
    if not is_report_relevant(queryset.model) or _bumped_already.get():
        yield
        return
    with transaction.atomic(using=queryset.db, savepoint=False):
        if rows is not None:
            ids = {row.jobcenter_id for row in rows}
        else:
            ids = set(queryset.order_by().values_list("jobcenter_id", flat=True).distinct())
        bump(ids, using=queryset.db)
        token = _bumped_already.set(True)
        try:
            yield
        finally:
            _bumped_already.reset(token)


@contextmanager
def saving(instance, using=None):
    """Around a save of a row: the bump (pre_save) and the write in one transaction."""
    if not is_report_relevant(type(instance)):
        yield
        return
    with transaction.atomic(using=using or router.db_for_write(type(instance), instance=instance),
                            savepoint=False):
        yield


def _before_save(sender, instance, using, **kwargs):
    bump([instance.jobcenter_id], using=using)


def _before_delete(sender, instance, using, **kwargs):
    bump([instance.jobcenter_id], using=using)


def _before_m2m_change(sender, instance, action, reverse, model, pk_set, using, *, field_name,
                       **kwargs):
    if action not in ("pre_add", "pre_remove", "pre_clear"):
        return
    if not reverse:
        bump([instance.jobcenter_id], using=using)
        return
    # `instance` is the other side (a user, say); `model` is the report-relevant one.
    rows = model._base_manager.using(using)
    rows = rows.filter(pk__in=pk_set) if pk_set else rows.filter(**{field_name: instance})
    bump(set(rows.values_list("jobcenter_id", flat=True)), using=using)


def connect() -> None:
    """Connect the receivers for every report-relevant model (from an AppConfig.ready).

    Receivers are connected per model, not for every sender: a model with delete receivers
    loses Django's fast delete, which only report-relevant models should pay for.
    """
    for model in apps.get_models():
        if not is_report_relevant(model):
            continue
        uid = f"data_version:{model._meta.label}"
        pre_save.connect(_before_save, sender=model, dispatch_uid=uid)
        pre_delete.connect(_before_delete, sender=model, dispatch_uid=uid)
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(partial(_before_m2m_change, field_name=field.name),
                                sender=field.remote_field.through, weak=False,
                                dispatch_uid=f"{uid}.{field.name}")
