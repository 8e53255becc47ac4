"""Writes of participants' documents: consent and the card's links (the profile, CV and
photo in `profile_services`). Each checks and writes in its own transaction."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.models import Participant

from .models import CardLink, Consent


@transaction.atomic
def consent_record(*, participant: Participant, given_on: date, valid_until: date,
                   by) -> Consent:
    """Record the participant's consent; one in force at a time (a new one replaces it)."""
    if participant.anonymised_at:
        raise ValidationError(_("This person has been anonymised."))
    today = timezone.localdate()
    if given_on > today:
        raise ValidationError({"given_on": _("The consent cannot be given in the future.")})
    if valid_until < today:
        raise ValidationError({"valid_until": _("This date has already passed.")})
    consent = Consent(jobcenter=participant.jobcenter, participant=participant,
                      given_on=given_on, valid_until=valid_until, recorded_by=by)
    consent.full_clean()
    for previous in Consent.objects.filter(participant=participant).in_force(today):
        consent_withdraw(consent=previous, by=by)
    consent.save()
    return consent


@transaction.atomic
def consent_withdraw(*, consent: Consent, by) -> Consent:
    """Withdrawn today: from now on no link of it opens."""
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_on is not None:
        return consent
    consent.withdrawn_on = max(timezone.localdate(), consent.given_on)
    consent.withdrawn_by = by
    consent.save(update_fields=["withdrawn_on", "withdrawn_by"])
    return consent


def consent_in_force(participant: Participant) -> Consent | None:
    return Consent.objects.filter(participant=participant).in_force().first()


@transaction.atomic
def link_create(*, participant: Participant, by, expires_on: date | None = None) -> CardLink:
    """A new public link for the participant's card, under the consent in force; it expires
    after `models.LINK_DAYS` days unless given, and never after the consent ends."""
    consent = consent_in_force(participant)
    if consent is None:
        raise ValidationError(_("A card link needs the person's consent. Record it first."))
    link = CardLink(jobcenter=participant.jobcenter, participant=participant, consent=consent,
                    created_by=by)
    if expires_on is not None:
        if expires_on < timezone.localdate():
            raise ValidationError({"expires_on": _("This date has already passed.")})
        link.expires_on = expires_on
    if link.expires_on > consent.valid_until:
        link.expires_on = consent.valid_until
    link.full_clean()
    link.save()
    return link


def link_current(*, participant: Participant, by) -> CardLink:
    """The newest link that opens today, or a new one (for printing cards)."""
    link = CardLink.objects.filter(participant=participant).live().first()
    return link or link_create(participant=participant, by=by)


@transaction.atomic
def link_revoke(*, link: CardLink, by) -> CardLink:
    """Dead at once: the page and the CV answer 404 from now on."""
    link = CardLink.objects.select_for_update().get(pk=link.pk)
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.revoked_by = by
        link.save(update_fields=["revoked_at", "revoked_by"])
    return link
