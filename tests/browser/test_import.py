import re
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django_scopes import scope
from playwright.sync_api import expect

from cohorts.models import Cohort
from imports.models import ImportRun
from participants.models import Enrolment, Participant
from tests.imports.test_enrolment_import import GOOD_ROWS, csv_file

IMPORT_NOW = re.compile("Jetzt importieren|Import now")
CHECK = re.compile("Datei prüfen|Check file")
SHOTS = Path(__file__).resolve().parents[2] / "screenshots"
# The engine writes about 60 rows a second here (each row in its own savepoint, twice: the
# check and the import), so 5 000 rows would take about three minutes; this many keeps the
# test within a minute and still shows the progress moving.
ROWS = 800


def many_rows(n):
    rows = []
    for i in range(n):
        row = list(GOOD_ROWS[2])  # assigned, not started: a participant and an enrolment
        row[0] = f"WA-DO-{i // 100:03d}"
        row[5] = f"123D{i + 1:06d}"
        rows.append(row)
    return rows


@pytest.fixture
def _uploads_in_tmp(monkeypatch, tmp_path):
    monkeypatch.setattr(ImportRun._meta.get_field("file"), "storage",
                        FileSystemStorage(location=tmp_path / "imports"))


def shoot(page, name):
    SHOTS.mkdir(exist_ok=True)
    for width in (1280, 768):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"import-{name}-{width}.png"), full_page=True)


@pytest.mark.django_db(transaction=True)
def test_a_team_lead_corrects_a_bad_file_and_imports_a_long_list(
    page, live_server, log_in, axe_check, team_lead, tmp_path, celery_worker_on_redis,
    _uploads_in_tmp
):
    bad_rows = [list(row) for row in GOOD_ROWS]
    bad_rows[0][12] = "31.02.2024"  # row 2, Eintritt
    bad_rows[2][9] = "x"  # row 4, Geschlecht
    bad = tmp_path / "liste-fehler.csv"
    bad.write_bytes(csv_file(bad_rows))
    good = tmp_path / "liste.csv"
    good.write_bytes(csv_file(many_rows(ROWS)))

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
    with page.expect_download() as download:
        page.get_by_role("link", name="Fehler als Textdatei herunterladen").click()
    assert Path(download.value.path()).read_text().startswith("row 2, column Eintritt")
    axe_check(page)
    with scope(jobcenter=team_lead.jobcenter):
        assert not Participant.objects.exists() and not Cohort.objects.exists()

    page.locator("input[type=file]").set_input_files(str(good))
    page.get_by_role("button", name=CHECK).click()
    bar = page.get_by_role("progressbar")
    expect(bar).to_be_visible()
    expect(page.locator("#import-progress-text")).to_contain_text(
        re.compile(r"Zeile [\d.]+ von 800 geprüft"), timeout=20_000)
    shoot(page, "checking")
    axe_check(page)

    expect(page.get_by_role("button", name=IMPORT_NOW)).to_be_visible(timeout=40_000)
    expect(page.locator("#import-plan")).to_contain_text("800 Teilnehmende")
    expect(page.locator("#import-errors")).to_have_count(0)
    shoot(page, "preview")
    axe_check(page)
    with scope(jobcenter=team_lead.jobcenter):
        assert not Participant.objects.exists()

    page.get_by_role("button", name=IMPORT_NOW).click()
    expect(page.locator("#import-progress-text")).to_contain_text(
        re.compile(r"Zeile [\d.]+ von 800 importiert|Der Import startet"), timeout=20_000)

    done = page.get_by_role("status")
    expect(done).to_contain_text("Import abgeschlossen: 800 Teilnehmende", timeout=40_000)
    shoot(page, "result")
    axe_check(page)
    page.get_by_role("link", name="Zu den Gruppen").click()
    expect(page).to_have_url(f"{live_server.url}/jc-a/cohorts/")
    with scope(jobcenter=team_lead.jobcenter):
        assert Enrolment.objects.filter(cohort__jobcenter=team_lead.jobcenter).count() == ROWS
