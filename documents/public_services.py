"""What the card's public page reads and writes: the live link behind a token, each
opening of it (time and what, never the visitor), and an employer's answer, which lands
with the employer service as an employer activity."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from employers.models import EmployerActivity
from participants.models import Enrolment

from .models import ApplicantProfile, CardLink, CardLinkOpening


def live_link(*, token: str) -> CardLink | None:
    """The link behind a token, if it opens today (not revoked or expired, its consent in
    force, its person not anonymised). Looked up across jobcenters: the token is the key."""
    if not token or len(token) > CardLink._meta.get_field("token").max_length:
        return None
    with scopes_disabled():
        return (CardLink.objects.live().filter(token=token)
                .select_related("jobcenter", "participant").first())


def card_profile(link: CardLink) -> ApplicantProfile | None:
    return ApplicantProfile.objects.filter(participant=link.participant_id).first()


def opening_record(*, link: CardLink, what: str, activity=None) -> CardLinkOpening:
    """One opening of the link: when and what, nothing about who opened it."""
    opening = CardLinkOpening(jobcenter_id=link.jobcenter_id, link=link, what=what,
                              activity=activity)
    opening.full_clean()
    opening.save()
    return opening


def _newest_cohort_id(link: CardLink):
    enrolment = (Enrolment.objects.filter(participant=link.participant_id)
                 .order_by(F("joined_on").desc(nulls_last=True), "-pk").values("cohort_id").first())
    return enrolment["cohort_id"] if enrolment else None


@transaction.atomic
def card_reply_record(*, link: CardLink, company: str, contact_person: str, contact: str,
                      message: str) -> EmployerActivity:
    """An employer's answer on the card's page: an activity for the employer service (no
    employer record yet, nobody on staff wrote it), due today, so that it is on their list
    of next steps at once; and the link's opening (what=reply)."""
    person = link.participant
    today = timezone.localdate()
    # Written for the jobcenter's staff, whatever language the employer's browser asks for.
    with translation.override("de"):
        lines = [
            _("Answer to the application card of %(name)s") % {
                "name": f"{person.first_name} {person.last_name}"},
            f"{_('Company')}: {company}",
            f"{_('Contact person')}: {contact_person}",
            f"{_('E-mail or telephone')}: {contact}",
            f"{_('Message')}: {message}",
        ]
        next_step = _("Answer the employer")
    activity = EmployerActivity(
        jobcenter_id=link.jobcenter_id, employer=None, cohort_id=_newest_cohort_id(link),
        kind=EmployerActivity.Kind.CARD_REPLY, happened_on=today, by=None,
        outcome="\n".join(lines), next_step=next_step, next_step_due_on=today)
    activity.full_clean(exclude=["by"])  # required of staff; here nobody on staff wrote it
    activity.save()
    opening_record(link=link, what=CardLinkOpening.What.REPLY, activity=activity)
    return activity
