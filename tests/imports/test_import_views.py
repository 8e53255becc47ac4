import io

import pytest
from django.core.cache import caches
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_scopes import scope

from cohorts.models import Cohort
from imports.engine import run_import
from imports.enrolments import ENROLMENTS
from imports.models import ImportRun
from imports.services import progress_key
from jobcenters.permissions import Role
from participants.models import Enrolment, Participant
from privacy.models import ExportRecord
from tests.factories import MembershipFactory
from tests.imports.test_enrolment_import import GOOD_ROWS, csv_file


@pytest.fixture(autouse=True)
def _uploads_in_tmp(monkeypatch, tmp_path):
    monkeypatch.setattr(ImportRun._meta.get_field("file"), "storage",
                        FileSystemStorage(location=tmp_path / "imports"))


def url(name, jc="jc-a", **kwargs):
    return reverse(f"imports:{name}", kwargs={"jc": jc, **kwargs})


def upload(client, data, name="liste.csv", **kwargs):
    return client.post(url("import_upload"), {"file": SimpleUploadedFile(name, data)},
                       **kwargs)


def stored_files(tmp_path):
    folder = tmp_path / "imports"
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def bad_rows():
    rows = [list(row) for row in GOOD_ROWS]
    rows[0][12] = "31.02.2024"  # row 2, Eintritt
    rows[2][9] = "x"  # row 4, Geschlecht
    return rows


@pytest.mark.django_db
def test_the_upload_page_lists_the_columns_and_offers_an_example(client, team_lead):
    client.force_login(team_lead.user)
    response = client.get(url("import_upload"))
    html = response.content.decode()
    assert response.status_code == 200
    for german in ("Gruppe", "Kundennummer", "Eintritt", "Verbleib12"):
        assert german in html
    assert url("import_example") in html
    assert 'enctype="multipart/form-data"' in html


@pytest.mark.django_db
def test_the_example_file_imports_without_errors(client, team_lead):
    client.force_login(team_lead.user)
    response = client.get(url("import_example"))
    assert response["Content-Type"].startswith("text/csv")
    data = response.content
    assert data.startswith("\ufeffGruppe;Format;Standort".encode())
    with scope(jobcenter=team_lead.jobcenter):
        result = run_import(ENROLMENTS, jobcenter=team_lead.jobcenter, file=data, filename="b.csv",
                            dry_run=True)
    assert result.errors == []
    assert result.counts["enrolments"] == 2


@pytest.mark.django_db
def test_a_bad_file_shows_every_error_and_writes_nothing(client, team_lead, tmp_path):
    client.force_login(team_lead.user)
    response = upload(client, csv_file(bad_rows()), follow=True)

    with scope(jobcenter=team_lead.jobcenter):
        run = ImportRun.objects.get()
    assert response.redirect_chain[0][0] == url("import_run", run=run.pk)
    html = response.content.decode()
    assert [(e["row"], e["column"], e["value"]) for e in response.context["errors"]] == [
        (2, "Eintritt", "31.02.2024"), (4, "Geschlecht", "x")]
    assert 'role="alert"' in html and 'id="import-errors"' in html
    assert "31.02.2024" in html and "<th scope=\"row\">4</th>" in html
    assert url("import_confirm") not in html  # nothing to confirm
    assert url("import_run_errors", run=run.pk) in html
    with scope(jobcenter=team_lead.jobcenter):
        assert not Participant.objects.exists() and not Cohort.objects.exists()
    assert run.status == "done" and not stored_files(tmp_path)


@pytest.mark.django_db
def test_the_error_download_is_what_the_command_prints(client, team_lead, tmp_path):
    data = csv_file(bad_rows())
    path = tmp_path / "liste.csv"
    path.write_bytes(data)
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_enrolments", "--jobcenter", "jc-a", str(path), stdout=out)
    command_lines = [line for line in out.getvalue().splitlines()
                     if line.startswith(("row ", "file"))]  # the errors, not the summary
    assert len(command_lines) == 2

    client.force_login(team_lead.user)
    upload(client, data)
    with scope(jobcenter=team_lead.jobcenter):
        run = ImportRun.objects.get()
    response = client.get(url("import_run_errors", run=run.pk))

    assert response["Content-Type"].startswith("text/plain")
    assert response.content == ("\n".join(command_lines) + "\n").encode()


@pytest.mark.django_db
def test_a_good_file_is_previewed_then_imported_on_confirmation(client, team_lead, tmp_path):
    client.force_login(team_lead.user)
    preview = upload(client, csv_file(GOOD_ROWS), follow=True)

    with scope(jobcenter=team_lead.jobcenter):
        run = ImportRun.objects.get()
        assert run.status == "checked" and run.rows_total == 3
        assert run.checked["counts"]["participants"] == 3
        assert not Participant.objects.exists()  # the preview wrote nothing
    html = preview.content.decode()
    assert url("import_confirm") in html and "3 Teilnehmende" in html
    assert len(stored_files(tmp_path)) == 1

    response = client.post(url("import_confirm"), {"run": run.pk}, follow=True)

    assert response.redirect_chain[-1][0] == url("import_run", run=run.pk)
    with scope(jobcenter=team_lead.jobcenter):
        assert Enrolment.objects.filter(jobcenter=team_lead.jobcenter).count() == 3
        assert Cohort.objects.get().code == "WA-DO-2024-03"
    html = response.content.decode()
    assert "Import abgeschlossen: 3 Teilnehmende" in html
    assert reverse("cohorts:list", kwargs={"jc": "jc-a"}) in html
    run.refresh_from_db()
    assert run.status == "done" and run.finished_at and not run.file
    assert not stored_files(tmp_path)  # the file is gone after the import
    with scope(jobcenter=team_lead.jobcenter):
        record = ExportRecord.objects.get()
    assert record.kind == "import_enrolments"
    assert record.parameters == {"file": "liste.csv", "result": run.result["summary"]}


@pytest.mark.django_db
def test_a_run_cannot_be_confirmed_twice(client, team_lead):
    client.force_login(team_lead.user)
    upload(client, csv_file(GOOD_ROWS))
    with scope(jobcenter=team_lead.jobcenter):
        run = ImportRun.objects.get()
    for forged in ("../../etc/passwd", "Ünicode", "", str(run.pk + 1)):
        response = client.post(url("import_confirm"), {"run": forged})
        assert response.status_code in (302, 404)
    with scope(jobcenter=team_lead.jobcenter):
        assert not Participant.objects.exists()

    client.post(url("import_confirm"), {"run": run.pk})
    again = client.post(url("import_confirm"), {"run": run.pk})
    assert again.status_code == 302 and again["Location"] == url("import_upload")
    with scope(jobcenter=team_lead.jobcenter):
        assert Participant.objects.count() == 3
        assert ExportRecord.objects.count() == 1


@pytest.mark.django_db
def test_a_new_upload_supersedes_an_unconfirmed_run(client, team_lead, tmp_path):
    client.force_login(team_lead.user)
    upload(client, csv_file(GOOD_ROWS))
    with scope(jobcenter=team_lead.jobcenter):
        first = ImportRun.objects.get()
    upload(client, csv_file(GOOD_ROWS))
    first.refresh_from_db()
    assert first.status == "failed" and not first.file
    assert len(stored_files(tmp_path)) == 1
    assert client.post(url("import_confirm"), {"run": first.pk})["Location"] == url(
        "import_upload")


@pytest.mark.django_db
def test_the_status_fragment_polls_while_pending_and_refreshes_when_done(client, team_lead):
    client.force_login(team_lead.user)
    upload(client, csv_file(GOOD_ROWS))
    with scope(jobcenter=team_lead.jobcenter):
        run = ImportRun.objects.get()
    done = client.get(url("import_run_status", run=run.pk))
    assert done["HX-Refresh"] == "true"
    with scope(jobcenter=team_lead.jobcenter):
        ImportRun.objects.filter(pk=run.pk).update(status="checking")
    caches["progress"].set(progress_key(run.pk), (1200, 5000))
    polled = client.get(url("import_run_status", run=run.pk)).content.decode()
    assert 'hx-trigger="every 1s"' in polled
    assert 'role="progressbar"' in polled and 'aria-valuenow="24"' in polled
    assert "Zeile 1.200 von 5.000 geprüft" in polled


@pytest.mark.django_db
def test_a_fault_fails_the_run_with_a_message(client, team_lead, monkeypatch):
    from imports import services

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(services, "run_import", broken)
    client.force_login(team_lead.user)
    response = upload(client, csv_file(GOOD_ROWS), follow=True)
    with scope(jobcenter=team_lead.jobcenter):
        run = ImportRun.objects.get()
    assert run.status == "failed" and not run.file
    assert "technischen Fehlers" in response.content.decode()


@pytest.mark.django_db
def test_a_file_of_another_type_is_refused_by_the_form(client, team_lead):
    client.force_login(team_lead.user)
    response = upload(client, b"%PDF-1.4", name="liste.pdf")
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    with scope(jobcenter=team_lead.jobcenter):
        assert not ImportRun.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["import_upload", "import_example"])
def test_a_coach_may_not_import(client, coach, team_lead, name):
    client.force_login(team_lead.user)
    upload(client, csv_file(GOOD_ROWS))
    with scope(jobcenter=team_lead.jobcenter):
        run = ImportRun.objects.get()
    client.force_login(coach.user)
    assert client.get(url(name)).status_code == 403
    assert upload(client, csv_file(GOOD_ROWS)).status_code == 403
    assert client.post(url("import_confirm"), {"run": run.pk}).status_code == 403
    for page in ("import_run", "import_run_status", "import_run_errors"):
        assert client.get(url(page, run=run.pk)).status_code == 403
    with scope(jobcenter=team_lead.jobcenter):
        assert not Participant.objects.exists()


@pytest.mark.django_db
def test_the_employer_service_does_not_reach_an_enrolment_run(client, employer_service,
                                                               team_lead):
    client.force_login(team_lead.user)
    upload(client, csv_file(GOOD_ROWS))
    with scope(jobcenter=team_lead.jobcenter):
        run = ImportRun.objects.get()
    client.force_login(employer_service.user)
    assert client.get(url("import_run", run=run.pk)).status_code == 403
    # nor under the employer list's address, which it may use
    assert client.get(url("employer_import_run", run=run.pk)).status_code == 404


@pytest.mark.django_db
def test_another_jobcenters_run_answers_404(client, team_lead, outsider, jobcenter_b):
    client.force_login(team_lead.user)
    upload(client, csv_file(GOOD_ROWS))
    with scope(jobcenter=team_lead.jobcenter):
        run = ImportRun.objects.get()
    MembershipFactory(user=team_lead.user, jobcenter=jobcenter_b, role=Role.TEAM_LEAD)
    for member in (outsider.user, team_lead.user):
        client.force_login(member)
        for page in ("import_run", "import_run_status", "import_run_errors"):
            assert client.get(url(page, jc="jc-b", run=run.pk)).status_code == 404
        assert client.post(url("import_confirm", jc="jc-b"),
                           {"run": run.pk}).status_code == 404
    client.force_login(outsider.user)
    assert client.get(url("import_run", run=run.pk)).status_code == 404
    with scope(jobcenter=team_lead.jobcenter):
        assert not Participant.objects.exists()


@pytest.mark.django_db
def test_a_file_imported_before_has_nothing_to_confirm(client, team_lead):
    with scope(jobcenter=team_lead.jobcenter):
        run_import(ENROLMENTS, jobcenter=team_lead.jobcenter, file=csv_file(GOOD_ROWS),
                   filename="l.csv")
    client.force_login(team_lead.user)
    response = upload(client, csv_file(GOOD_ROWS), follow=True)
    assert response.context["errors"] == []
    with scope(jobcenter=team_lead.jobcenter):
        assert ImportRun.objects.get().status == "done"
    assert url("import_confirm") not in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_checks_and_imports_a_run(client, team_lead, celery_worker_on_redis,
                                                tmp_path):
    import time

    def wait_for(status):
        for _ in range(300):
            with scope(jobcenter=team_lead.jobcenter):
                run = ImportRun.objects.get()
            if run.status == status:
                return run
            time.sleep(0.1)
        raise AssertionError(f"run stayed {run.status}")

    client.force_login(team_lead.user)
    page = upload(client, csv_file(GOOD_ROWS), follow=True)
    assert page.status_code == 200
    run = wait_for("checked")
    with scope(jobcenter=team_lead.jobcenter):
        assert run.checked["counts"]["enrolments"] == 3 and not Participant.objects.exists()

    client.post(url("import_confirm"), {"run": run.pk})
    run = wait_for("done")
    with scope(jobcenter=team_lead.jobcenter):
        assert Enrolment.objects.count() == 3 and run.result["ok"]
        assert ExportRecord.objects.get().kind == "import_enrolments"
    assert not stored_files(tmp_path)
    assert "Import abgeschlossen" in client.get(url("import_run", run=run.pk)).content.decode()
