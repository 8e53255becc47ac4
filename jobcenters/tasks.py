"""Background work about one jobcenter: one base for every task, one fan-out for beat."""

from datetime import datetime
from smtplib import SMTPException

from celery import Task, shared_task
from django.db import DatabaseError
from django.utils import translation
from django_scopes import scope
from kombu.exceptions import OperationalError as BrokerError

from .models import Jobcenter
from .services import staff_invitation_deliver, staff_invitation_failed


class JobcenterTask(Task):
    """A task about one jobcenter, as pretix's `EventTask` is about one event.

    Called with `jobcenter=<id>`; the task's function receives the `Jobcenter` and runs
    inside `scope(jobcenter=…)` and German, so no task enters its scope by hand and
    texts it stores (errors, mails) read as the jobcenter's staff read them. Passing
    trouble with the database or the broker is retried with backoff (about 1 s, 2 s,
    4 s … up to 10 minutes); a task widens or narrows this with its own options.
    """

    abstract = True
    autoretry_for = (DatabaseError, BrokerError)
    retry_backoff = True
    retry_backoff_max = 600
    retry_jitter = True
    max_retries = 5
    acks_late = True

    def __call__(self, *args, jobcenter: int, **kwargs):
        found = Jobcenter.objects.filter(pk=jobcenter).first()
        if found is None:
            return None  # removed since the task was queued: nothing to do
        # `run` directly: Task.__call__ would push a second, bare request, and a retry
        # would then lose its count and re-send the Jobcenter object instead of its id.
        with scope(jobcenter=found), translation.override("de"):
            return self.run(*args, jobcenter=found, **kwargs)

    def will_retry(self, error: Exception) -> bool:
        """Whether this failure is retried (to show "waiting" rather than "failed")."""
        return isinstance(error, self.autoretry_for) and self.request.retries < self.max_retries


def fan_out(task: JobcenterTask, **kwargs) -> int:
    """Queue `task` once per jobcenter (beat's nightly jobs): one jobcenter's failure or
    retry never holds up the others. Returns the number of tasks queued."""
    ids = list(Jobcenter.objects.order_by("pk").values_list("pk", flat=True))
    for jobcenter_id in ids:
        task.delay(jobcenter=jobcenter_id, **kwargs)
    return len(ids)


# A mail server that is down or refuses for a while: tried again after about 1, 2, 4, 8, 16
# and 32 minutes (with jitter), then the staff list offers to send again.
INVITATION_RETRY = {
    "autoretry_for": (SMTPException, OSError),
    "retry_backoff": 60,
    "retry_backoff_max": 3600,
    "max_retries": 6,
    "soft_time_limit": 60,
    "time_limit": 90,
}


@shared_task(bind=True, base=JobcenterTask, **INVITATION_RETRY)
def staff_invitation_send_task(self, *, jobcenter: Jobcenter, membership_id: int,
                               invited_at: str, base_url: str) -> bool:
    """Send one invitation e-mail (the one asked for at `invited_at`; idempotent)."""
    asked = datetime.fromisoformat(invited_at)
    try:
        return staff_invitation_deliver(membership_id=membership_id, invited_at=asked,
                                        base_url=base_url)
    except (SMTPException, OSError):
        if self.request.retries >= self.max_retries:
            staff_invitation_failed(membership_id=membership_id, invited_at=asked)
        raise
