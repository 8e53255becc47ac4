"""Upload, preview and confirmation of a list: enrolments or employers, one flow for both."""

import contextlib
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView

from imports.engine import ListType, run_import
from imports.tabular import EXTENSIONS, MAX_BYTES
from jobcenters.permissions import Perm
from jobcenters.views import TenantMixin
from privacy.services import export_record

from .employers import EMPLOYERS as EMPLOYER_LIST
from .enrolments import ENROLMENTS as ENROLMENT_LIST

# A browser upload is checked and then imported within one request each; larger lists go
# through `manage.py import_enrolments` (or in parts), which has no web server timeout.
BROWSER_MAX_ROWS = 500


@dataclass(frozen=True)
class Importer:
    """What differs between the lists; the flow around them is the same."""

    kind: str
    title: str
    intro: str
    list_type: ListType
    example_name: str
    permission: Perm
    done_url: str
    url_prefix: str

    def run(self, **kwargs):
        return run_import(self.list_type, **kwargs)


ENROLMENTS = Importer(
    "enrolments", _("Import enrolment list"),
    _("Upload your list as a .csv or .xlsx file, one row per enrolment. First you see a "
      "preview with every error in the file; nothing is imported until you confirm. Rows "
      "that were imported before are recognised and not created twice."),
    ENROLMENT_LIST, "teilnahmen-beispiel.csv", Perm.MANAGE_COHORTS,
    "cohorts:list", "imports:import_",
)
EMPLOYERS = Importer(
    "employers", _("Import employer list"),
    _("Upload your list as a .csv or .xlsx file, one row per employer (and contact person). "
      "First you see a preview with every error; nothing is imported until you confirm. "
      "Employers you already have are recognised, also when spelled a little differently."),
    EMPLOYER_LIST, "arbeitgeber-beispiel.csv", Perm.MANAGE_EMPLOYERS,
    "employers:list", "imports:employer_import_",
)


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("List"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("A .csv or .xlsx file, at most %(size)s MB.") % {
            "size": MAX_BYTES // (1024 * 1024)}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in EXTENSIONS:
            raise forms.ValidationError(_("Please upload a .csv or .xlsx file."))
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than %(size)s MB.") % {
                "size": MAX_BYTES // (1024 * 1024)})
        return upload


class PendingImport:
    """The checked file between preview and confirmation, kept on the server.

    The bytes go to a private file named by a random token; the session holds the token,
    the file name and the jobcenter. The confirmation form sends the token back only to
    tell which preview it confirms: a token that is not the session's is refused, and no
    path ever comes from the client. Files older than a session are swept away.
    """

    SESSION_KEY = "pending_import"

    @staticmethod
    def folder() -> Path:
        folder = Path(settings.IMPORT_UPLOAD_DIR)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        return folder

    @classmethod
    def keep(cls, request, data: bytes, filename: str, kind: str) -> str:
        cls.discard(request)
        folder = cls.folder()
        cutoff = time.time() - settings.SESSION_COOKIE_AGE
        for old in folder.iterdir():
            with contextlib.suppress(OSError):
                if old.stat().st_mtime < cutoff:
                    old.unlink()
        token = secrets.token_urlsafe(32)
        descriptor = os.open(folder / token, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
        request.session[cls.SESSION_KEY] = {
            "token": token, "filename": filename, "jobcenter": request.jobcenter.code,
            "kind": kind,
        }
        return token

    @classmethod
    def load(cls, request, token: str, kind: str) -> tuple[bytes, str] | None:
        pending = request.session.get(cls.SESSION_KEY)
        if (not pending or pending["jobcenter"] != request.jobcenter.code
                or pending.get("kind") != kind
                or not secrets.compare_digest(pending["token"].encode(), token.encode())):
            return None
        try:
            return (cls.folder() / pending["token"]).read_bytes(), pending["filename"]
        except FileNotFoundError:
            return None

    @classmethod
    def discard(cls, request):
        pending = request.session.pop(cls.SESSION_KEY, None)
        if pending:
            (cls.folder() / pending["token"]).unlink(missing_ok=True)


class ImportMixin(TenantMixin):
    importer: Importer = ENROLMENTS

    def dispatch(self, request, *args, **kwargs):
        self.permission = self.importer.permission
        return super().dispatch(request, *args, **kwargs)

    def urls(self) -> dict:
        prefix, code = self.importer.url_prefix, self.request.jobcenter.code
        return {f"{name}_url": reverse(f"{prefix}{name}", kwargs={"jc": code})
                for name in ("upload", "confirm", "example")}

    def render_preview(self, result, filename, token=None):
        return render(self.request, "imports/import_preview.html", {
            "result": result, "filename": filename, "token": token,
            "form": ImportUploadForm(), "importer": self.importer, **self.urls(),
        })


class ImportUploadView(ImportMixin, FormView):
    """Upload a list; the answer is the preview of a dry run."""

    form_class = ImportUploadForm
    template_name = "imports/import_upload.html"

    def get(self, request, *args, **kwargs):
        PendingImport.discard(request)  # a fresh start forgets an unconfirmed file
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        list_type = self.importer.list_type
        context["columns"] = [
            {"german": c.aliases[0], "name": c.name, "required": c.required,
             "help": list_type.column_help[c.name]}
            for c in list_type.columns
        ]
        context.update(importer=self.importer, **self.urls())
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        data = upload.read()
        result = self.importer.run(jobcenter=self.jobcenter, file=data, filename=upload.name,
                                   dry_run=True, max_rows=BROWSER_MAX_ROWS)
        token = None
        if result.ok and result.changes_anything:
            token = PendingImport.keep(self.request, data, upload.name, self.importer.kind)
        else:
            PendingImport.discard(self.request)
        return self.render_preview(result, upload.name, token)


class ImportConfirmView(ImportMixin, View):
    """Import the previewed file for real: it is checked again, all or nothing."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        pending = PendingImport.load(request, request.POST.get("token", ""), self.importer.kind)
        if pending is None:
            messages.error(request, _(
                "The checked file is no longer available. Please upload it again."))
            return redirect(self.urls()["upload_url"])
        data, filename = pending
        result = self.importer.run(jobcenter=self.jobcenter, file=data, filename=filename,
                                   max_rows=BROWSER_MAX_ROWS)
        PendingImport.discard(request)
        if not result.ok:
            return self.render_preview(result, filename)
        export_record(jobcenter=self.jobcenter, user=request.user,
                      kind=f"import_{self.importer.kind}",
                      parameters={"file": filename, "result": result.summary()})
        if result.changes_anything:
            messages.success(request, _("Import finished: %(what)s.") % {
                "what": ", ".join(result.phrases())})
        else:
            messages.info(request, _("Import finished: the file contained nothing new."))
        return redirect(self.importer.done_url, jc=self.jobcenter.code)


class ImportExampleView(ImportMixin, View):
    """An example list with the German headers, to fill in Excel."""

    def get(self, request, *args, **kwargs):
        response = HttpResponse(self.importer.list_type.example_csv(),
                                content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="{self.importer.example_name}"')
        return response
