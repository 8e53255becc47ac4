"""A coach uploads a CV, records consent and prints a card sheet; an employer opens the
card's link in a browser of their own, downloads the CV and answers; the answer is on the
employer service's list."""

import io
from pathlib import Path

import pypdf
import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import expect
from weasyprint import HTML

from documents.models import CardLink
from employers.models import EmployerActivity
from tests.factories import (
    ApplicantProfileFactory,
    CohortCoachFactory,
    CohortFactory,
    EnrolmentFactory,
)


@pytest.mark.django_db(transaction=True)
def test_a_coach_prepares_a_card_and_an_employer_answers_through_it(
    page, browser, live_server, log_in, axe_check, coach, employer_service
):
    cohort = CohortFactory(programme__jobcenter=coach.jobcenter, code="WA-DO-KARTE")
    CohortCoachFactory(cohort=cohort, user=coach.user)
    person = EnrolmentFactory(cohort=cohort, participant__first_name="Ayşe",
                              participant__last_name="Öztürk",
                              participant__customer_number="123D456789").participant
    ApplicantProfileFactory(participant=person, wished_occupation="Fachkraft für Lagerlogistik")
    cv = HTML(string="<h1>Lebenslauf Ayşe Öztürk</h1><p>Staplerschein</p>").write_pdf()

    log_in(coach.user.email)
    page.goto(f"{live_server.url}/jc-a/participants/{person.pk}/")
    page.get_by_role("link", name="Unterlagen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Öztürk")
    axe_check(page)

    page.get_by_label("Lebenslauf (PDF)").set_input_files(
        {"name": "lebenslauf.pdf", "mimeType": "application/pdf", "buffer": cv})
    page.get_by_role("button", name="Lebenslauf hochladen").click()
    expect(page.locator("main")).to_contain_text("lebenslauf.pdf")

    page.get_by_role("button", name="Einwilligung erfassen").click()
    expect(page.locator("main")).to_contain_text("Einwilligung")
    cards = page.get_by_role("link", name="Karten drucken")
    sheet = page.request.get(live_server.url + cards.get_attribute("href"))
    assert sheet.headers["content-type"] == "application/pdf"
    text = pypdf.PdfReader(io.BytesIO(sheet.body())).pages[0].extract_text()
    assert text.count("Öztürk") == 10
    page.reload()  # the page now lists the link the cards carry
    expect(page.locator("main")).to_contain_text("aktiv")
    axe_check(page)

    with scopes_disabled():
        link = CardLink.objects.get(participant=person)

    # The employer: a browser of their own, no login.
    employer = browser.new_context(bypass_csp=True)
    visitor = employer.new_page()
    visitor.goto(f"{live_server.url}/card/{link.token}/")
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Ayşe Öztürk")
    expect(visitor.locator("main")).to_contain_text("Fachkraft für Lagerlogistik")
    expect(visitor.locator("main")).not_to_contain_text("123D456789")
    assert visitor.locator('meta[name="robots"]').get_attribute("content").startswith(
        "noindex")
    axe_check(visitor)
    with visitor.expect_download() as download:
        visitor.get_by_role("link", name="Lebenslauf herunterladen").click()
    assert Path(download.value.path()).read_bytes() == cv

    visitor.get_by_label("Firma").fill("Logistik Westfalen GmbH")
    visitor.get_by_label("Ansprechperson").fill("Jana Becker")
    visitor.get_by_label("E-Mail oder Telefon").fill("j.becker@logistik-westfalen.example")
    visitor.get_by_label("Nachricht").fill("Wir laden Frau Öztürk gern zum Gespräch ein.")
    visitor.get_by_role("button", name="Kontakt aufnehmen").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(
        "Vielen Dank für Ihre Nachricht")
    axe_check(visitor)
    employer.close()

    with scopes_disabled():
        answer = EmployerActivity.objects.get(kind=EmployerActivity.Kind.CARD_REPLY)
    assert "Logistik Westfalen GmbH" in answer.outcome

    # The employer service finds the answer among its next steps.
    page.context.clear_cookies()
    log_in(employer_service.user.email)
    page.goto(f"{live_server.url}/jc-a/employers/due/")
    expect(page.locator("main")).to_contain_text("Logistik Westfalen GmbH")
