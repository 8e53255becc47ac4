import re

import pytest
from playwright.sync_api import expect

from cohorts.models import Cohort
from participants.models import Enrolment, Participant
from tests.imports.test_enrolment_import import GOOD_ROWS, csv_file

IMPORT_NOW = re.compile("Jetzt importieren|Import now")
CHECK = re.compile("Datei prüfen|Check file")


@pytest.mark.django_db(transaction=True)
def test_a_team_lead_corrects_a_bad_file_and_imports_it(
    page, live_server, log_in, axe_check, team_lead, tmp_path, settings
):
    settings.IMPORT_UPLOAD_DIR = tmp_path / "uploads"
    bad_rows = [list(row) for row in GOOD_ROWS]
    bad_rows[0][12] = "31.02.2024"  # row 2, Eintritt
    bad_rows[2][9] = "x"  # row 4, Geschlecht
    bad = tmp_path / "liste-fehler.csv"
    bad.write_bytes(csv_file(bad_rows))
    good = tmp_path / "liste.csv"
    good.write_bytes(csv_file(GOOD_ROWS))

    log_in(team_lead.user.email)
    page.goto(f"{live_server.url}/jc-a/import/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    axe_check(page)

    page.locator("input[type=file]").set_input_files(str(bad))
    page.get_by_role("button", name=CHECK).click()

    expect(page.get_by_role("alert")).to_be_visible()
    errors = page.locator("#import-errors tbody tr")
    expect(errors).to_have_count(2)
    expect(errors.nth(0).locator("th")).to_have_text("2")
    expect(errors.nth(0)).to_contain_text("Eintritt")
    expect(errors.nth(0)).to_contain_text("31.02.2024")
    expect(errors.nth(1).locator("th")).to_have_text("4")
    expect(errors.nth(1)).to_contain_text("Geschlecht")
    expect(page.get_by_role("button", name=IMPORT_NOW)).to_have_count(0)
    axe_check(page)
    assert not Participant.objects.exists() and not Cohort.objects.exists()

    page.locator("input[type=file]").set_input_files(str(good))
    page.get_by_role("button", name=CHECK).click()
    expect(page.get_by_role("button", name=IMPORT_NOW)).to_be_visible()
    expect(page.locator("#import-errors")).to_have_count(0)
    axe_check(page)
    assert not Participant.objects.exists()

    page.get_by_role("button", name=IMPORT_NOW).click()

    expect(page).to_have_url(f"{live_server.url}/jc-a/cohorts/")
    expect(page.get_by_role("status")).to_be_visible()
    expect(page.get_by_role("link", name="WA-DO-2024-03")).to_be_visible()
    assert Enrolment.objects.filter(cohort__jobcenter=team_lead.jobcenter).count() == 3
