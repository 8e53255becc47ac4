import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cohorts.models import Cohort
from imports.engine import run_import
from imports.enrolments import ENROLMENTS
from jobcenters.permissions import Role
from participants.models import Enrolment, Participant
from tests.factories import MembershipFactory
from tests.imports.test_enrolment_import import GOOD_ROWS, csv_file


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    settings.IMPORT_UPLOAD_DIR = tmp_path / "uploads"


def url(name, jc="jc-a"):
    return reverse(f"imports:{name}", kwargs={"jc": jc})


def upload(client, data, name="liste.csv"):
    return client.post(url("import_upload"), {"file": SimpleUploadedFile(name, data)})


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
    result = run_import(ENROLMENTS, jobcenter=team_lead.jobcenter, file=data, filename="b.csv",
                        dry_run=True)
    assert result.errors == []
    assert result.counts["enrolments"] == 2


@pytest.mark.django_db
def test_a_bad_file_shows_every_error_and_writes_nothing(client, team_lead):
    client.force_login(team_lead.user)
    response = upload(client, csv_file(bad_rows()))

    assert response.status_code == 200
    html = response.content.decode()
    result = response.context["result"]
    assert [(e.row, e.column, e.value) for e in result.errors] == [
        (2, "Eintritt", "31.02.2024"), (4, "Geschlecht", "x")]
    assert 'role="alert"' in html and 'id="import-errors"' in html
    assert "31.02.2024" in html and "<th scope=\"row\">4</th>" in html
    assert url("import_confirm") not in html  # nothing to confirm
    assert not Participant.objects.exists() and not Cohort.objects.exists()


@pytest.mark.django_db
def test_a_good_file_is_previewed_then_imported_on_confirmation(client, team_lead):
    client.force_login(team_lead.user)
    preview = upload(client, csv_file(GOOD_ROWS))

    result = preview.context["result"]
    assert result.errors == [] and result.dry_run
    assert (result.counts["participants"], result.counts["cohorts"],
            result.counts["enrolments"], result.counts["integrations"]) == (3, 1, 3, 1)
    assert not Participant.objects.exists()  # the preview wrote nothing
    token = preview.context["token"]
    assert token and url("import_confirm") in preview.content.decode()

    response = client.post(url("import_confirm"), {"token": token}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("cohorts:list", kwargs={"jc": "jc-a"})
    assert Enrolment.objects.filter(jobcenter=team_lead.jobcenter).count() == 3
    assert Cohort.objects.get().code == "WA-DO-2024-03"
    [message] = [str(m) for m in response.context["messages"]]
    assert "3" in message and "1" in message
    assert "WA-DO-2024-03" in response.content.decode()


@pytest.mark.django_db
def test_confirming_twice_or_with_a_foreign_token_imports_nothing_more(client, team_lead,
                                                                      tmp_path):
    client.force_login(team_lead.user)
    token = upload(client, csv_file(GOOD_ROWS)).context["token"]

    for forged_token in ("../../etc/passwd", "Ünicode", ""):
        forged = client.post(url("import_confirm"), {"token": forged_token})
        assert forged.status_code == 302 and forged["Location"] == url("import_upload")
    assert not Participant.objects.exists()

    client.post(url("import_confirm"), {"token": token})
    assert not any((tmp_path / "uploads").iterdir())  # the file is gone after the import
    again = client.post(url("import_confirm"), {"token": token})
    assert again["Location"] == url("import_upload")
    assert Participant.objects.count() == 3


@pytest.mark.django_db
def test_a_file_of_another_type_is_refused_by_the_form(client, team_lead):
    client.force_login(team_lead.user)
    response = upload(client, b"%PDF-1.4", name="liste.pdf")
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["import_upload", "import_example"])
def test_a_coach_may_not_import(client, coach, name):
    client.force_login(coach.user)
    assert client.get(url(name)).status_code == 403
    assert upload(client, csv_file(GOOD_ROWS)).status_code == 403
    assert client.post(url("import_confirm"), {"token": "x"}).status_code == 403
    assert not Participant.objects.exists()


@pytest.mark.django_db
def test_a_team_lead_of_another_jobcenter_gets_404(client, team_lead, outsider):
    client.force_login(outsider.user)
    assert client.get(url("import_upload")).status_code == 404
    assert upload(client, csv_file(GOOD_ROWS)).status_code == 404
    assert client.post(url("import_confirm"), {"token": "x"}).status_code == 404
    assert not Participant.objects.exists()


@pytest.mark.django_db
def test_a_checked_file_cannot_be_confirmed_into_another_jobcenter(client, team_lead,
                                                                  jobcenter_b):
    MembershipFactory(user=team_lead.user, jobcenter=jobcenter_b, role=Role.TEAM_LEAD)
    client.force_login(team_lead.user)
    token = upload(client, csv_file(GOOD_ROWS)).context["token"]

    response = client.post(url("import_confirm", jc="jc-b"), {"token": token})

    assert response["Location"] == url("import_upload", jc="jc-b")
    assert not Participant.objects.exists()


@pytest.mark.django_db
def test_a_file_imported_before_has_nothing_to_confirm(client, team_lead):
    run_import(ENROLMENTS, jobcenter=team_lead.jobcenter, file=csv_file(GOOD_ROWS),
               filename="l.csv")
    client.force_login(team_lead.user)
    response = upload(client, csv_file(GOOD_ROWS))
    assert response.context["result"].errors == []
    assert response.context["token"] is None
    assert url("import_confirm") not in response.content.decode()
