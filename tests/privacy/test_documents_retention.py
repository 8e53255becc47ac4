"""The documents' data in anonymisation and subject access: CV, photo, consent, links and
their openings go with the person, and the Art. 15 answer lists them."""

import io
import json
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope
from PIL import Image
from pypdf import PdfWriter

from documents.models import ApplicantProfile, CardLink, CardLinkOpening, Consent
from documents.profile_services import cv_store, photo_store, profile_save
from documents.public_services import card_reply_record
from participants.models import Participant
from privacy.retention import anonymise
from tests.factories import CardLinkFactory, CohortFactory, EnrolmentFactory


def pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 400), (200, 100, 50)).save(out, format="JPEG")
    return out.getvalue()


def files_in(directory) -> list:
    return [p for p in directory.rglob("*") if p.is_file()] if directory.exists() else []


@pytest.fixture
def person(jobcenter_a, team_lead):
    """A person with a profile, a CV, a photo, a consent, two links and three openings."""
    cohort = CohortFactory(programme__jobcenter=jobcenter_a, planned_start=date(2025, 3, 3))
    participant = EnrolmentFactory(cohort=cohort, participant__first_name="Erika",
                                   participant__last_name="Musterfrau").participant
    by = team_lead.user
    with scope(jobcenter=jobcenter_a):
        profile_save(participant=participant, wished_occupation="Gärtnerin",
                     strengths="geduldig", availability="ab sofort", languages="Deutsch",
                     contact_phone="0231 777", contact_email="erika@example.org")
        cv_store(participant=participant, by=by, upload=SimpleUploadedFile(
            "Lebenslauf Erika.pdf", pdf(), content_type="application/pdf"))
        photo_store(participant=participant, by=by, upload=SimpleUploadedFile(
            "foto.jpg", jpeg(), content_type="image/jpeg"))
    link = CardLinkFactory(consent__participant=participant, consent__recorded_by=by,
                           consent__given_on=date(2026, 1, 5),
                           consent__valid_until=date(2027, 1, 4))
    CardLinkFactory(consent=link.consent, participant=participant, revoked_at=timezone.now())
    for what in ("page", "cv", "reply"):
        CardLinkOpening.objects.create(jobcenter=jobcenter_a, link=link, what=what)
    # Someone else's documents, which must stay.
    other = CardLinkFactory(consent__participant__jobcenter=jobcenter_a)
    return {"participant": participant, "link": link, "other": other}


@pytest.mark.django_db
def test_anonymisation_removes_rows_and_files(jobcenter_a, person, document_dir,
                                              django_capture_on_commit_callbacks):
    participant = person["participant"]
    assert len(files_in(document_dir)) == 2  # the CV and the photo
    with scope(jobcenter=jobcenter_a), django_capture_on_commit_callbacks(execute=True):
        anonymise(participants=Participant.objects.filter(pk=participant.pk),
                  now=timezone.now())
    assert files_in(document_dir) == []
    with scope(jobcenter=jobcenter_a):
        for model in (ApplicantProfile, Consent, CardLink):
            assert not model.objects.filter(participant=participant).exists(), model
        assert not CardLinkOpening.objects.filter(link__participant=participant).exists()
        assert CardLink.objects.filter(pk=person["other"].pk).exists()


@pytest.mark.django_db
def test_an_employers_answer_no_longer_names_the_anonymised_person(jobcenter_a, person):
    with scope(jobcenter=jobcenter_a):
        answer = card_reply_record(link=person["link"], company="Gartenbau Schulte",
                                   contact_person="Herr Schulte", contact="0231 123456",
                                   message="Gern ein Gespräch mit Frau Musterfrau.")
        assert "Musterfrau" in answer.outcome
        anonymise(participants=Participant.objects.filter(pk=person["participant"].pk),
                  now=timezone.now())
        answer.refresh_from_db()
    assert answer.outcome == "Antwort auf eine Bewerberkarte (anonymisiert)"
    assert "Musterfrau" not in answer.outcome and answer.next_step


@pytest.mark.django_db
def test_the_files_leave_only_once_the_anonymisation_has_committed(
        jobcenter_a, person, document_dir, django_capture_on_commit_callbacks):
    with scope(jobcenter=jobcenter_a), django_capture_on_commit_callbacks() as callbacks:
        anonymise(participants=Participant.objects.filter(pk=person["participant"].pk),
                  now=timezone.now())
    assert callbacks  # the files go only once the anonymisation has committed
    assert len(files_in(document_dir)) == 2


def urls(participant):
    kwargs = {"jc": "jc-a", "pk": participant.pk}
    return (reverse("privacy:subject_access_json", kwargs=kwargs),
            reverse("privacy:subject_access", kwargs=kwargs))


@pytest.mark.django_db
def test_the_json_lists_profile_cv_consent_links_and_openings(client, team_lead, person):
    client.force_login(team_lead.user)
    data = json.loads(client.get(urls(person["participant"])[0]).content)
    (profile,) = data["applicant_profile"]
    assert profile["wished_occupation"] == "Gärtnerin"
    assert profile["cv_name"] == "Lebenslauf Erika.pdf"
    assert profile["contact_email"] == "erika@example.org" and profile["photo"]
    (consent,) = data["consents"]
    assert (consent["given_on"], consent["valid_until"]) == ("2026-01-05", "2027-01-04")
    assert len(data["card_links"]) == 2
    # The link's key is not handed out: a lost answer would open the card's page.
    assert person["link"].token not in json.dumps(data)
    assert all("token" not in link for link in data["card_links"])
    assert sorted(o["what"] for o in data["card_link_openings"]) == ["cv", "page", "reply"]


@pytest.mark.django_db
def test_the_printable_page_reads_in_german(client, team_lead, person):
    client.force_login(team_lead.user)
    html = client.get(urls(person["participant"])[1]).content.decode()
    for heading in ("Kurzprofil, Lebenslauf und Foto", "Einwilligungen zur Weitergabe an "
                    "Arbeitgeber", "Links der Bewerberkarte", "Aufrufe der Links der "
                    "Bewerberkarte"):
        assert heading in html, heading
    for label in ("Wunschberuf", "Dateiname des Lebenslaufs", "Erteilt am", "Gültig bis",
                  "Widerrufen am", "Seite aufgerufen", "Lebenslauf heruntergeladen",
                  "Antwort gesendet"):
        assert label in html, label
    assert "Gärtnerin" in html and "Lebenslauf Erika.pdf" in html and "05.01.2026" in html
    # The stored file by its name for the reader, not the storage's path.
    assert "gespeichert" in html and f"{person['participant'].jobcenter_id}/" \
        f"{person['participant'].pk}/cv-" not in html
    assert "wished_occupation" not in html and "2026-01-05" not in html
