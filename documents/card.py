"""What a Digitale Bewerberkarte shows: the person's name, wished occupation, the contact
they agreed to share, their photo if any, and a QR code to the card's public page, with
the jobcenter as sender. Read here, rendered by `card_views` (PDF)."""

import base64
import logging
from dataclasses import dataclass

import segno
from django.urls import reverse

from participants.models import Participant

from .models import ApplicantProfile, CardLink

logger = logging.getLogger(__name__)

# A name or occupation longer than this is set smaller, so that it fits the card.
LONG_NAME = 22
LONG_OCCUPATION = 34
LONGER_OCCUPATION = 80
LONG_CONTACT = 32


@dataclass(frozen=True)
class Card:
    name: str
    wished_occupation: str
    contact_phone: str
    contact_email: str
    photo: str  # a data: URL, or ""
    qr: str  # the QR code as an SVG data: URL
    url: str  # the public page the QR code opens
    jobcenter: str

    @property
    def long_name(self) -> bool:
        return len(self.name) > LONG_NAME

    @property
    def long_occupation(self) -> bool:
        return len(self.wished_occupation) > LONG_OCCUPATION

    @property
    def longer_occupation(self) -> bool:
        return len(self.wished_occupation) > LONGER_OCCUPATION

    @property
    def long_contact(self) -> bool:
        return max(len(self.contact_phone), len(self.contact_email)) > LONG_CONTACT


def card_url(link: CardLink, request) -> str:
    """The public page's absolute address (what the QR code holds)."""
    return request.build_absolute_uri(reverse("card:page", kwargs={"token": link.token}))


def qr_data_uri(url: str) -> str:
    """The QR code as SVG: black modules on white, the quiet zone (4 modules) kept; sized
    by the stylesheet, so it stays sharp at any size."""
    return segno.make(url, error="m").svg_data_uri(dark="black", light="white", border=4,
                                                   omitsize=True)


def photo_data_uri(profile: ApplicantProfile | None) -> str:
    """The photo from the private storage (always a JPEG) as a data: URL (a PDF fetches
    nothing)."""
    if profile is None or not profile.photo:
        return ""
    try:
        with profile.photo.open("rb") as file:
            content = file.read()
    except OSError:
        logger.warning("photo of a card not readable", exc_info=True)
        return ""
    return f"data:image/jpeg;base64,{base64.b64encode(content).decode('ascii')}"


def card_context(*, participant: Participant, link: CardLink, request) -> Card:
    try:
        profile = participant.applicant_profile
    except ApplicantProfile.DoesNotExist:
        profile = None
    url = card_url(link, request)
    return Card(
        name=f"{participant.first_name} {participant.last_name}".strip(),
        wished_occupation=profile.wished_occupation if profile else "",
        contact_phone=profile.contact_phone if profile else "",
        contact_email=profile.contact_email if profile else "",
        photo=photo_data_uri(profile),
        qr=qr_data_uri(url),
        url=url,
        jobcenter=participant.jobcenter.name,
    )
