"""The Digitale Bewerberkarte as PDF: a sheet of ten cards on A4 or one card of
85 × 55 mm, only under the person's consent, for the people one reaches, recorded."""

import io
import urllib.parse
from datetime import timedelta

import pytest
import segno
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from PIL import Image
from pypdf import PdfReader

from documents.card import card_context, qr_data_uri
from documents.models import CardLink
from jobcenters.permissions import Role
from privacy.models import ExportRecord
from tests.factories import (
    ApplicantProfileFactory,
    CardLinkFactory,
    CohortCoachFactory,
    CohortFactory,
    ConsentFactory,
    EnrolmentFactory,
    MembershipFactory,
)

MM = 72 / 25.4  # PDF points per millimetre
LONG_NAME = ("Maximilian-Alexander", "Schmidt-Großkreutz")
LONG_OCCUPATION = "Fachkraft für Lagerlogistik und Kaufmann im Groß- und Außenhandelsmanagement"


def person_of(membership, *, first_name="Maria", last_name="Jäger", consent=True, **profile):
    """A participant in a group the member coaches, with a profile (and a consent)."""
    cohort = CohortFactory(programme__jobcenter=membership.jobcenter)
    if membership.role == Role.COACH:
        CohortCoachFactory(cohort=cohort, user=membership.user)
    person = EnrolmentFactory(cohort=cohort, participant__first_name=first_name,
                              participant__last_name=last_name).participant
    ApplicantProfileFactory(participant=person, contact_email="maria.jaeger@example.org",
                            **profile)
    if consent:
        ConsentFactory(participant=person)
    return person


def sheet_url(person, **query):
    url = reverse("documents:card_sheet", kwargs={"jc": person.jobcenter.code, "pk": person.pk})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def pdf_text(response):
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)
                                  if response.streaming else response.content))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.django_db
def test_the_sheet_is_one_a4_page_with_ten_cards(client, coach):
    person = person_of(coach)
    client.force_login(coach.user)
    response = client.get(sheet_url(person))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "bewerberkarte-maria-jaeger.pdf" in response["Content-Disposition"]
    reader, text = pdf_text(response)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / MM), round(float(box.height) / MM)) == (210, 297)
    assert text.count("Maria Jäger") == 10
    assert text.count("Fachkraft für Lagerlogistik") == 10
    assert text.count("maria.jaeger@example.org") == 10
    assert text.count("Jobcenter A-Stadt") == 10
    assert "0231 123456" in text
    assert "Werkakademie" in text


@pytest.mark.django_db
def test_a_single_card_is_a_page_of_85_by_55_mm(client, coach):
    person = person_of(coach)
    client.force_login(coach.user)
    reader, text = pdf_text(client.get(sheet_url(person, layout="single")))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 85 * MM) < 1 and abs(float(box.height) - 55 * MM) < 1
    assert text.count("Maria Jäger") == 1


@pytest.mark.django_db
def test_a_long_name_and_occupation_stay_on_one_page_per_card(client, coach):
    first, last = LONG_NAME
    person = person_of(coach, first_name=first, last_name=last,
                       wished_occupation=LONG_OCCUPATION)
    client.force_login(coach.user)
    reader, text = pdf_text(client.get(sheet_url(person, layout="single")))
    assert len(reader.pages) == 1
    assert "Jobcenter A-Stadt" in text  # the sender line is still on the card
    reader, text = pdf_text(client.get(sheet_url(person)))
    assert len(reader.pages) == 1
    assert text.count("Jobcenter A-Stadt") == 10


@pytest.mark.django_db
def test_the_card_uses_the_live_link_and_records_the_export(client, coach):
    person = person_of(coach)
    with scopes_disabled():
        link = CardLinkFactory(consent=person.consents.get(), created_by=coach.user)
    client.force_login(coach.user)
    client.get(sheet_url(person))
    client.get(sheet_url(person, layout="single"))
    with scope(jobcenter=coach.jobcenter):
        assert list(CardLink.objects.filter(participant=person)) == [link]  # no second link
        records = list(ExportRecord.objects.filter(kind="card_pdf").order_by("pk"))
    assert [r.parameters["participant"] for r in records] == [person.pk, person.pk]
    assert {r.parameters["link"] for r in records} == {link.pk}
    assert {r.user_id for r in records} == {coach.user_id}


@pytest.mark.django_db
def test_without_a_live_link_the_card_makes_one(client, team_lead):
    person = person_of(team_lead)
    with scopes_disabled():
        CardLinkFactory(consent=person.consents.get(), revoked_at=timezone.now())
    client.force_login(team_lead.user)
    assert client.get(sheet_url(person)).status_code == 200
    with scope(jobcenter=team_lead.jobcenter):
        live = CardLink.objects.filter(participant=person).live().get()
        assert live.created_by == team_lead.user
        assert ExportRecord.objects.get(kind="card_pdf").parameters["link"] == live.pk


@pytest.mark.django_db
@pytest.mark.parametrize("consent", ["none", "withdrawn", "expired"])
def test_without_consent_in_force_no_card_and_nothing_recorded(client, coach, consent):
    person = person_of(coach, consent=False)
    today = timezone.localdate()
    if consent == "withdrawn":
        ConsentFactory(participant=person, withdrawn_on=today)
    elif consent == "expired":
        ConsentFactory(participant=person, given_on=today - timedelta(days=30),
                       valid_until=today - timedelta(days=1))
    client.force_login(coach.user)
    response = client.get(sheet_url(person))
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:participant",
                                           kwargs={"jc": "jc-a", "pk": person.pk})
    [message] = get_messages(response.wsgi_request)
    assert "Einwilligung" in str(message)
    with scope(jobcenter=coach.jobcenter):
        assert not ExportRecord.objects.exists()
        assert not CardLink.objects.exists()


@pytest.mark.django_db
def test_a_coach_of_another_group_gets_404(client, coach, jobcenter_a):
    other_coach = MembershipFactory(jobcenter=jobcenter_a, role=Role.COACH)
    person = person_of(other_coach)
    client.force_login(coach.user)
    assert client.get(sheet_url(person)).status_code == 404


@pytest.mark.django_db
def test_another_jobcenter_gets_404(client, coach, outsider):
    person = person_of(coach)
    client.force_login(outsider.user)
    url = reverse("documents:card_sheet", kwargs={"jc": "jc-b", "pk": person.pk})
    assert client.get(url).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["employer_service", "jc_admin"])
def test_employer_service_and_admin_are_refused(client, coach, role, request):
    person = person_of(coach)
    client.force_login(request.getfixturevalue(role).user)
    assert client.get(sheet_url(person)).status_code == 403
    with scope(jobcenter=coach.jobcenter):
        assert not ExportRecord.objects.exists()


@pytest.mark.django_db
def test_the_qr_code_opens_the_links_public_page(rf, coach, settings):
    settings.ALLOWED_HOSTS = ["werkakademie.example"]
    person = person_of(coach)
    with scopes_disabled():
        link = CardLinkFactory(consent=person.consents.get())
        card = card_context(participant=person, link=link,
                            request=rf.get("/", secure=True, HTTP_HOST="werkakademie.example"))
    assert card.url == f"https://werkakademie.example/card/{link.token}/"
    assert card.qr == qr_data_uri(card.url)
    svg = urllib.parse.unquote(card.qr.split(",", 1)[1])
    # Black modules on white, sized by the page (a viewBox, no fixed size), the quiet zone
    # of four modules on each side kept.
    size = segno.make(card.url, error="m").symbol_size(border=4)[0]
    assert f"viewBox='0 0 {size} {size}'" in svg
    assert "stroke='#000'" in svg and "fill='#fff'" in svg
    assert "M4 4.5h7" in svg  # the first finder pattern starts four modules in


@pytest.mark.django_db
def test_the_photo_is_on_the_card_if_there_is_one(client, coach):
    person = person_of(coach)
    client.force_login(coach.user)
    reader, _ = pdf_text(client.get(sheet_url(person, layout="single")))
    assert list(reader.pages[0].images) == []  # the QR code is drawn, not a picture
    picture = io.BytesIO()
    Image.new("RGB", (60, 80), (120, 150, 200)).save(picture, "JPEG")
    with scopes_disabled():
        person.applicant_profile.photo.save("foto.jpg", ContentFile(picture.getvalue()))
    reader, _ = pdf_text(client.get(sheet_url(person, layout="single")))
    assert len(reader.pages[0].images) == 1
