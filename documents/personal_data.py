"""The documents' share of a person's data, for anonymisation and subject access
(`privacy.personal_data`): the applicant profile with its CV and photo, the consents, the
card's links and every opening of them. Anonymisation deletes the rows, and the files from
the storage once it has committed."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from employers.models import EmployerActivity
from privacy.personal_data import PersonalData, register

from .models import ApplicantProfile, CardLink, CardLinkOpening, Consent
from .profile_services import delete_after_commit


def _profiles(participant):
    return ApplicantProfile.objects.filter(participant=participant).select_related(
        "cv_uploaded_by")


def _erase_profiles(ids: list[int]) -> None:
    profiles = ApplicantProfile.objects.filter(participant__in=ids)
    files = [name for cv, photo in profiles.values_list("cv", "photo") for name in (cv, photo)]
    profiles.delete()
    delete_after_commit(*files)


def _consents(participant):
    return Consent.objects.filter(participant=participant).select_related(
        "recorded_by", "withdrawn_by")


def _erase_consents(ids: list[int]) -> None:
    """The consents with their links and openings (a cascade); the employers' answers on
    the card name the person: their text goes."""
    answers = CardLinkOpening.objects.filter(link__participant__in=ids,
                                             activity__isnull=False).values("activity")
    with translation.override(settings.LANGUAGE_CODE):
        EmployerActivity.objects.filter(pk__in=answers).update(
            outcome=gettext("Answer to an application card (anonymised)"))
    Consent.objects.filter(participant__in=ids).delete()


def _links(participant):
    return CardLink.objects.filter(participant=participant).select_related(
        "consent__participant", "created_by", "revoked_by")


def _openings(participant):
    return CardLinkOpening.objects.filter(link__participant=participant).select_related(
        "link__participant")


def connect():
    register(
        PersonalData("applicant_profile", _("Short profile, CV and photo"), _profiles,
                     _erase_profiles),
        PersonalData("consents", _("Consents to share with employers"), _consents,
                     _erase_consents),
        # Links and openings go with their consent.
        PersonalData("card_links", _("Links of the application card"), _links),
        PersonalData("card_link_openings", _("Openings of the card's links"), _openings),
    )
