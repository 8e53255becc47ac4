"""Background imports: a run is created from an upload, checked (dry run), then imported.

The worker reports progress to the "progress" cache (the import's own transaction holds
its rows until the end, so the run's row cannot show it); the page reads it from there.
"""

import logging
from datetime import timedelta

from django.core.cache import caches
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerError

from imports.employers import EMPLOYERS
from imports.engine import ImportResult, run_import
from imports.enrolments import ENROLMENTS
from jobcenters.models import Jobcenter
from privacy.services import export_record

from .models import ImportRun

log = logging.getLogger(__name__)

LIST_TYPES = {ImportRun.Kind.ENROLMENTS: ENROLMENTS, ImportRun.Kind.EMPLOYERS: EMPLOYERS}
# A browser upload runs in the background; the command takes larger lists.
BROWSER_MAX_ROWS = 10_000
SWEEP_AFTER = timedelta(days=1)


def progress_key(run_id: int) -> str:
    return f"import-run-{run_id}"


def run_progress(run: ImportRun) -> tuple[int, int]:
    """(rows done, rows in total) of a running step, from the cache; else from the row."""
    found = caches["progress"].get(progress_key(run.pk)) if run.is_pending else None
    return tuple(found) if found else (run.rows_done, run.rows_total)


def _reporter(run_id: int):
    cache = caches["progress"]

    def report(done: int, total: int):
        try:
            cache.set(progress_key(run_id), (done, total), timeout=3600)
        except Exception:  # progress is a nicety; the import goes on without it
            log.warning("progress of import run %s not stored", run_id, exc_info=True)

    return report


def _outcome(result: ImportResult) -> dict:
    return {
        "rows": result.rows, "counts": dict(result.counts),
        "phrases": [str(p) for p in result.phrases()],
        "changes_anything": result.changes_anything, "ok": result.ok,
        "errors": [[e.row, e.column, e.value, str(e.message)] for e in result.errors],
        "error_lines": result.error_lines(), "summary": result.summary(),
    }


def _enqueue(task, run: ImportRun):
    try:
        task.delay(jobcenter=run.jobcenter_id, run_id=run.pk)
    except BrokerError as error:
        run_failed(run_id=run.pk, error=error)
    except Exception:  # tasks in process: the task recorded its failure on the run
        log.exception("import run %s failed", run.pk)


def run_sweep(*, jobcenter: Jobcenter) -> int:
    """Delete the files of finished runs and runs older than a day (the rows stay)."""
    old = ImportRun.objects.filter(jobcenter=jobcenter).exclude(file="").filter(
        status__in=ImportRun.FINISHED) | ImportRun.objects.filter(
        jobcenter=jobcenter, created_at__lt=timezone.now() - SWEEP_AFTER).exclude(file="")
    count = 0
    for run in old:
        _drop_file(run)
        if run.is_pending or run.status == ImportRun.Status.CHECKED:
            ImportRun.objects.filter(pk=run.pk).update(
                status=ImportRun.Status.FAILED, finished_at=timezone.now(),
                error=_("The upload was not imported within a day."))
        count += 1
    return count


def _drop_file(run: ImportRun):
    if run.file:
        run.file.delete(save=False)
        ImportRun.objects.filter(pk=run.pk).update(file="")


def run_create(*, jobcenter: Jobcenter, kind: str, upload, by) -> ImportRun:
    """Store the uploaded file, create the run and queue its check.

    An earlier unconfirmed run of the same person and list is superseded (its file goes).
    """
    from .tasks import import_check_task

    run_sweep(jobcenter=jobcenter)
    for earlier in ImportRun.objects.filter(jobcenter=jobcenter, kind=kind, created_by=by,
                                            status=ImportRun.Status.CHECKED):
        _drop_file(earlier)
        ImportRun.objects.filter(pk=earlier.pk).update(
            status=ImportRun.Status.FAILED, finished_at=timezone.now(),
            error=_("Replaced by a newer upload."))
    with transaction.atomic():
        run = ImportRun(jobcenter=jobcenter, kind=kind, created_by=by, filename=upload.name)
        run.file.save("upload", ContentFile(upload.read()), save=False)
        run.save()
    # After the commit (the worker must find the row and its file); not `on_commit`, so
    # that a caller's outer transaction cannot swallow it. A fault is the run's, not the page's.
    _enqueue(import_check_task, run)
    return run


def run_confirm(*, run: ImportRun) -> bool:
    """Queue the import of a checked run; False if it was confirmed already."""
    from .tasks import import_write_task

    taken = ImportRun.objects.filter(
        pk=run.pk, status=ImportRun.Status.CHECKED).exclude(file="").update(
        status=ImportRun.Status.IMPORTING, rows_done=0)
    if taken:
        _enqueue(import_write_task, run)
    return bool(taken)


def run_check(*, run_id: int) -> ImportRun | None:
    """The dry run: status checked with the preview, or failed when nothing can be imported."""
    taken = ImportRun.objects.filter(pk=run_id, status__in=(
        ImportRun.Status.QUEUED, ImportRun.Status.CHECKING)).update(
        status=ImportRun.Status.CHECKING)
    if not taken:
        return None  # a second delivery of a run checked already
    run = ImportRun.objects.select_related("jobcenter").get(pk=run_id)
    with run.file.open("rb") as stream:
        result = run_import(LIST_TYPES[run.kind], jobcenter=run.jobcenter, file=stream.read(),
                            filename=run.filename, dry_run=True, max_rows=BROWSER_MAX_ROWS,
                            progress=_reporter(run.pk))
    outcome = _outcome(result)
    run.checked, run.rows_total = outcome, result.rows
    run.rows_done = result.rows if result.ok else 0
    if result.ok and result.changes_anything:
        run.status = ImportRun.Status.CHECKED
    else:  # nothing to confirm: errors, or nothing new
        run.status, run.finished_at = ImportRun.Status.DONE, timezone.now()
    run.save(update_fields=["checked", "rows_total", "rows_done", "status", "finished_at"])
    if run.status == ImportRun.Status.DONE:
        _drop_file(run)
    return run


def run_write(*, run_id: int) -> ImportRun | None:
    """The import for real, all or nothing; recorded in the record of processing."""
    run = (ImportRun.objects.select_related("jobcenter", "created_by")
           .filter(pk=run_id, status=ImportRun.Status.IMPORTING).exclude(file="").first())
    if run is None:
        return None
    with run.file.open("rb") as stream:
        data = stream.read()
    result = run_import(LIST_TYPES[run.kind], jobcenter=run.jobcenter, file=data,
                        filename=run.filename, max_rows=BROWSER_MAX_ROWS,
                        progress=_reporter(run.pk))
    with transaction.atomic():
        if result.ok:
            export_record(jobcenter=run.jobcenter, user=run.created_by,
                          kind=f"import_{run.kind}",
                          parameters={"file": run.filename, "result": result.summary()})
        run.result, run.rows_total, run.rows_done = _outcome(result), result.rows, result.rows
        run.status, run.finished_at = ImportRun.Status.DONE, timezone.now()
        run.save(update_fields=["result", "rows_total", "rows_done", "status", "finished_at"])
    _drop_file(run)
    return run


def run_failed(*, run_id: int, error: Exception, retrying: bool = False):
    """A fault (not an error in the file): shown on the run's page. While the task will be
    retried the run stays where it was; the file stays until the run is swept."""
    if retrying:
        return
    ImportRun.objects.filter(pk=run_id).exclude(status__in=ImportRun.FINISHED).update(
        status=ImportRun.Status.FAILED, finished_at=timezone.now(),
        error=_("The import stopped because of a technical fault (%(kind)s). Nothing was "
                "imported. Please upload the file again.") % {"kind": type(error).__name__})
    run = ImportRun.objects.filter(pk=run_id).first()
    if run is not None:
        _drop_file(run)
