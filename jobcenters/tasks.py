from datetime import datetime
from smtplib import SMTPException

from celery import shared_task

from .services import staff_invitation_deliver, staff_invitation_failed

# A mail server that is down or refuses for a while: tried again after about 1, 2, 4, 8, 16
# and 32 minutes (with jitter), then the staff list offers to send again.
INVITATION_RETRY = {
    "autoretry_for": (SMTPException, OSError),
    "retry_backoff": 60,
    "retry_backoff_max": 3600,
    "retry_jitter": True,
    "max_retries": 6,
    "acks_late": True,
    "soft_time_limit": 60,
    "time_limit": 90,
}


@shared_task(bind=True, **INVITATION_RETRY)
def staff_invitation_send_task(self, membership_id: int, invited_at: str, base_url: str) -> bool:
    """Send one invitation e-mail (the one asked for at `invited_at`; idempotent)."""
    asked = datetime.fromisoformat(invited_at)
    try:
        return staff_invitation_deliver(membership_id=membership_id, invited_at=asked,
                                        base_url=base_url)
    except (SMTPException, OSError):
        if self.request.retries >= self.max_retries:
            staff_invitation_failed(membership_id=membership_id, invited_at=asked)
        raise
