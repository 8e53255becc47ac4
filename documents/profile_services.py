"""Writes of a participant's applicant profile: the short profile, the CV and the photo.

An upload is checked (`uploads`) before anything is written: a refused file leaves no
file in the storage and no row changed. A replaced or removed file leaves the storage once
the change has committed, so that a rollback never loses the file still named."""

import os

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.models import Participant

from .models import ApplicantProfile, document_storage
from .uploads import check_cv, check_photo

CV_NAME_LENGTH = ApplicantProfile._meta.get_field("cv_name").max_length


def _profile(participant: Participant) -> ApplicantProfile:
    """The person's profile, locked for the change (made when first needed)."""
    if participant.anonymised_at:
        raise ValidationError(_("This person has been anonymised."))
    profile, _created = ApplicantProfile.objects.select_for_update().get_or_create(
        participant=participant, defaults={"jobcenter": participant.jobcenter})
    return profile


def delete_after_commit(*names: str) -> None:
    """Remove these files from the documents' storage once the transaction has committed."""
    names = [name for name in names if name]
    if not names:
        return

    def delete():
        storage = document_storage()
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete)


def _store(profile: ApplicantProfile, field: str, content: ContentFile) -> str:
    """Write the new file, point the field at it; the old file's name is returned. The new
    file is removed again if the row cannot be saved."""
    old = getattr(profile, field).name or ""
    getattr(profile, field).save(content.name, content, save=False)
    new = getattr(profile, field).name
    try:
        profile.full_clean()
        profile.save()
    except BaseException:
        document_storage().delete(new)
        raise
    return old


def _display_name(name: str) -> str:
    base = os.path.basename(name.replace("\\", "/")).strip() or "lebenslauf.pdf"
    if not base.lower().endswith(".pdf"):
        base = f"{base}.pdf"
    if len(base) > CV_NAME_LENGTH:
        base = base[: CV_NAME_LENGTH - 4] + ".pdf"
    return base


@transaction.atomic
def profile_save(*, participant: Participant, wished_occupation: str, strengths: str,
                 availability: str, languages: str, contact_phone: str,
                 contact_email: str) -> ApplicantProfile:
    """The short profile and the contact the person agreed to share with employers."""
    profile = _profile(participant)
    profile.wished_occupation = wished_occupation.strip()
    profile.strengths = strengths.strip()
    profile.availability = availability.strip()
    profile.languages = languages.strip()
    profile.contact_phone = contact_phone.strip()
    profile.contact_email = contact_email.strip()
    profile.full_clean()
    profile.save()
    return profile


@transaction.atomic
def cv_store(*, participant: Participant, upload, by) -> ApplicantProfile:
    """Store the CV (a checked PDF) in place of the one there was."""
    content = check_cv(upload)
    profile = _profile(participant)
    profile.cv_name = _display_name(upload.name or "")
    profile.cv_uploaded_at = timezone.now()
    profile.cv_uploaded_by = by
    old = _store(profile, "cv", ContentFile(content, name="cv.pdf"))
    delete_after_commit(old)
    return profile


def _file_remove(participant: Participant, field: str, **cleared) -> ApplicantProfile | None:
    """Empty the file field (and the fields about it); the file goes once committed."""
    profile = ApplicantProfile.objects.select_for_update().filter(
        participant=participant).first()
    if profile is None or not getattr(profile, field):
        return profile  # nothing stored: nothing to remove
    old = getattr(profile, field).name
    setattr(profile, field, "")
    for name, value in cleared.items():
        setattr(profile, name, value)
    profile.save()
    delete_after_commit(old)
    return profile


@transaction.atomic
def cv_remove(*, participant: Participant, by) -> ApplicantProfile | None:
    return _file_remove(participant, "cv", cv_name="", cv_uploaded_at=None,
                        cv_uploaded_by=None)


@transaction.atomic
def photo_store(*, participant: Participant, upload, by) -> ApplicantProfile:
    """Store the photo (checked, re-encoded as a small JPEG) in place of the one there was."""
    content = check_photo(upload)
    profile = _profile(participant)
    old = _store(profile, "photo", content)
    delete_after_commit(old)
    return profile


@transaction.atomic
def photo_remove(*, participant: Participant, by) -> ApplicantProfile | None:
    return _file_remove(participant, "photo")
