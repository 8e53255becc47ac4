"""Uploads of a CV and a photo: the content decides; a refused file stores nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scope
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from documents.models import ApplicantProfile
from tests.factories import (
    ApplicantProfileFactory,
    CohortCoachFactory,
    CohortFactory,
    EnrolmentFactory,
)


def pdf(*, js=False, open_action=None, escaped=False) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if js:  # a document-level script: the catalog's /Names /JavaScript tree
        script = writer._add_object(DictionaryObject({
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('Hallo');")}))
        writer._root_object[NameObject("/Names")] = DictionaryObject({
            NameObject("/JavaScript"): DictionaryObject({
                NameObject("/Names"): ArrayObject([TextStringObject("start"), script])})})
    if open_action:
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject(open_action)
    out = io.BytesIO()
    writer.write(out)
    content = out.getvalue()
    if escaped:  # the same names written with #xx escapes: only a parser sees them
        content = content.replace(b"/JavaScript", b"/J#61vaScript").replace(b"/JS ", b"/J#53 ")
    return content


def files_in(directory) -> list:
    return [p for p in directory.rglob("*") if p.is_file()] if directory.exists() else []


@pytest.fixture
def person(jobcenter_a, coach):
    cohort = CohortFactory(programme__jobcenter=jobcenter_a)
    CohortCoachFactory(cohort=cohort, user=coach.user)
    return EnrolmentFactory(cohort=cohort).participant


def url(name, person):
    return reverse(name, kwargs={"jc": person.jobcenter.code, "pk": person.pk})


def upload_cv(client, person, content, name="lebenslauf.pdf", mime="application/pdf"):
    return client.post(url("documents:cv_upload", person),
                       {"cv": SimpleUploadedFile(name, content, content_type=mime)})


def field_errors(response, form, field):
    return response.context[form].errors.get(field, [])


JS_REFUSED = ("Das PDF enthält Skripte oder Aktionen und wird aus Sicherheitsgründen nicht "
              "angenommen.")


@pytest.mark.django_db
@pytest.mark.parametrize(("content", "message"), [
    pytest.param(None, "Die Datei ist kein PDF.", id="png-renamed-pdf"),
    pytest.param(b"%PDF-1.7\nnur Text, kein PDF", "Die Datei ist kein PDF.", id="broken-pdf"),
    pytest.param(pdf(js=True), JS_REFUSED, id="javascript-name-tree"),
    pytest.param(pdf(open_action={NameObject("/S"): NameObject("/JavaScript"),
                                  NameObject("/JS"): TextStringObject("app.alert(1)")}),
                 JS_REFUSED, id="open-action-javascript"),
    pytest.param(pdf(open_action={NameObject("/S"): NameObject("/Launch"),
                                  NameObject("/F"): TextStringObject("calc.exe")}),
                 JS_REFUSED, id="open-action-launch"),
    pytest.param(pdf(js=True, escaped=True), JS_REFUSED, id="javascript-escaped-names"),
])
def test_a_file_that_is_no_safe_pdf_is_refused_and_nothing_is_stored(
        client, coach, person, document_dir, content, message):
    if content is None:
        png = io.BytesIO()
        Image.new("RGB", (20, 20), "red").save(png, format="PNG")
        content = png.getvalue()
    ApplicantProfileFactory(participant=person, wished_occupation="Koch")
    client.force_login(coach.user)
    response = upload_cv(client, person, content)
    assert response.status_code == 200
    assert field_errors(response, "cv_form", "cv") == [message]
    assert message in response.content.decode()
    assert files_in(document_dir) == []
    with scope(jobcenter=person.jobcenter):
        profile = ApplicantProfile.objects.get(participant=person)
    assert (profile.cv.name, profile.cv_name, profile.cv_uploaded_at) == ("", "", None)
    assert profile.wished_occupation == "Koch"


@pytest.mark.django_db
def test_an_oversized_file_is_refused_with_the_limit_in_mb(client, coach, person, document_dir,
                                                           settings):
    content = pdf()
    content += b"%" + b"x" * (settings.CV_MAX_BYTES - len(content))  # a comment, one too many
    client.force_login(coach.user)
    response = upload_cv(client, person, content)
    assert field_errors(response, "cv_form", "cv") == ["Die Datei ist größer als 5 MB."]
    assert files_in(document_dir) == []
    with scope(jobcenter=person.jobcenter):
        assert not ApplicantProfile.objects.filter(participant=person).exists()


@pytest.mark.django_db
def test_a_clean_pdf_is_stored_and_the_coach_downloads_it(client, coach, person, document_dir):
    client.force_login(coach.user)
    content = pdf()
    response = upload_cv(client, person, content, name="Lebenslauf Ayşe.pdf")
    assert response.status_code == 302
    assert response["Location"].endswith("/documents/#cv")
    page = client.get(response["Location"]).content.decode()
    assert "Lebenslauf Ayşe.pdf" in page and "gespeichert" in page
    assert len(files_in(document_dir)) == 1
    download = client.get(url("documents:cv", person))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment")
    assert "no-store" in download["Cache-Control"]


@pytest.mark.django_db
def test_a_replaced_cv_leaves_the_storage_and_removing_deletes_the_file(
        client, coach, person, document_dir, django_capture_on_commit_callbacks):
    client.force_login(coach.user)
    with django_capture_on_commit_callbacks(execute=True):
        upload_cv(client, person, pdf())
    first = files_in(document_dir)
    with django_capture_on_commit_callbacks(execute=True):
        upload_cv(client, person, pdf(), name="neu.pdf")
    second = files_in(document_dir)
    assert len(second) == 1 and second != first
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("documents:cv_remove", person))
    assert files_in(document_dir) == []
    response = client.get(url("documents:cv", person), follow=True)
    assert "Es ist kein Lebenslauf hinterlegt." in response.content.decode()


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (1600, 1200), (40, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "Kamerahersteller"  # Make
    exif[0x0110] = "Modell 7"  # Model
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (51.0, 30.0, 50.0)  # latitude of Dortmund
    gps[3], gps[4] = "E", (7.0, 28.0, 0.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


@pytest.mark.django_db
def test_a_photo_is_stored_re_encoded_small_and_without_exif(client, coach, person,
                                                             document_dir):
    original = jpeg_with_exif()
    assert Image.open(io.BytesIO(original)).getexif().get(0x010F) == "Kamerahersteller"
    client.force_login(coach.user)
    response = client.post(url("documents:photo_upload", person), {
        "photo": SimpleUploadedFile("urlaub.jpg", original, content_type="image/jpeg")})
    assert response.status_code == 302
    (stored,) = files_in(document_dir)
    image = Image.open(stored)
    assert image.format == "JPEG" and max(image.size) == 600
    assert not image.getexif() and "exif" not in image.info
    assert b"Kamerahersteller" not in stored.read_bytes()
    preview = client.get(url("documents:photo", person))
    assert preview["Content-Type"] == "image/jpeg"
    assert b"".join(preview.streaming_content) == stored.read_bytes()


@pytest.mark.django_db
def test_a_file_that_is_no_picture_is_refused_as_photo(client, coach, person, document_dir):
    client.force_login(coach.user)
    response = client.post(url("documents:photo_upload", person), {
        "photo": SimpleUploadedFile("foto.jpg", pdf(), content_type="image/jpeg")})
    assert field_errors(response, "photo_form", "photo") == [
        "Die Datei ist kein JPEG- oder PNG-Bild."]
    assert files_in(document_dir) == []
