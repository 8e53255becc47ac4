"""Upload, preview and confirmation of a list: enrolments or employers, one flow for both."""

from dataclasses import dataclass
from pathlib import Path

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView

from imports.engine import ListType, run_import
from imports.tabular import EXTENSIONS, MAX_BYTES
from jobcenters.permissions import Perm
from jobcenters.views import TenantMixin

from . import services
from .employers import EMPLOYERS as EMPLOYER_LIST
from .enrolments import ENROLMENTS as ENROLMENT_LIST
from .models import ImportRun

# A browser upload is checked and imported in the background (imports/tasks.py).
BROWSER_MAX_ROWS = services.BROWSER_MAX_ROWS


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


class ImportMixin(TenantMixin):
    importer: Importer = ENROLMENTS

    def dispatch(self, request, *args, **kwargs):
        self.permission = self.importer.permission
        return super().dispatch(request, *args, **kwargs)

    def urls(self, run: ImportRun | None = None) -> dict:
        prefix, code = self.importer.url_prefix, self.request.jobcenter.code
        urls = {f"{name}_url": reverse(f"{prefix}{name}", kwargs={"jc": code})
                for name in ("upload", "confirm", "example")}
        if run is not None:
            for name in ("run", "run_status", "run_errors"):
                urls[f"{name}_url"] = reverse(f"{prefix}{name}",
                                              kwargs={"jc": code, "run": run.pk})
        urls["done_url"] = reverse(self.importer.done_url, kwargs={"jc": code})
        return urls


class ImportUploadView(ImportMixin, FormView):
    """Upload a list: it is stored, checked in the background, and its run page shown."""

    form_class = ImportUploadForm
    template_name = "imports/import_upload.html"

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
        run = services.run_create(jobcenter=self.jobcenter, kind=self.importer.kind,
                                  upload=form.cleaned_data["file"], by=self.request.user)
        return redirect(self.urls(run)["run_url"])


class RunMixin(ImportMixin):
    """A view of one run: of this jobcenter and list, visible to the member (else 404)."""

    def load_objects(self):
        runs = ImportRun.objects.visible_to(self.membership).filter(kind=self.importer.kind)
        if "run" in self.kwargs:
            self.run = runs.filter(pk=self.kwargs["run"]).select_related("created_by").first()
        else:  # the member's latest run of this list
            self.run = runs.filter(created_by=self.request.user).first()
        if self.run is None and "run" in self.kwargs:
            raise Http404

    def context(self, **extra) -> dict:
        run = self.run
        done, total = services.run_progress(run)
        outcome = run.outcome
        return {
            "run": run, "importer": self.importer, "done": done, "total": total,
            "percent": round(100 * done / total) if total else 0,
            "outcome": outcome,
            "errors": [dict(zip(("row", "column", "value", "message"), error, strict=True))
                       for error in outcome.get("errors", [])],
            "form": ImportUploadForm(), **self.urls(run), **extra,
        }


class ImportRunView(RunMixin, View):
    """A run's page: progress while it runs, then the preview or the result."""

    def get(self, request, *args, **kwargs):
        if self.run is None:
            return redirect(self.urls()["upload_url"])
        return render(request, "imports/import_run.html", self.context())


class ImportRunStatusView(RunMixin, View):
    """The part of the run's page that htmx polls while the run is pending."""

    def get(self, request, *args, **kwargs):
        if self.run is None:
            return redirect(self.urls()["upload_url"])
        response = render(request, "imports/_run_status.html", self.context(polled=True))
        if not self.run.is_pending:  # the whole page changes: preview or result
            response["HX-Refresh"] = "true"
        return response


class ImportRunErrorsView(RunMixin, View):
    """The errors as plain text, exactly the lines the `import_…` command prints."""

    def get(self, request, *args, **kwargs):
        if self.run is None:
            return redirect(self.urls()["upload_url"])
        lines = self.run.outcome.get("error_lines")
        if not lines:
            raise Http404
        response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="fehler-{Path(self.run.filename).stem[:60]}.txt"')
        return response


class ImportConfirmView(RunMixin, View):
    """Import the checked file for real (in the background), once."""

    http_method_names = ["post"]

    def load_objects(self):
        self.kwargs = {**self.kwargs, "run": self.request.POST.get("run", "")}
        if not str(self.kwargs["run"]).isdigit():
            self.run = None
            return
        super().load_objects()

    def post(self, request, *args, **kwargs):
        if self.run is None or not services.run_confirm(run=self.run):
            messages.error(request, _(
                "This file has been imported already or is no longer available. Please "
                "upload it again."))
            return redirect(self.urls()["upload_url"])
        return redirect(self.urls(self.run)["run_url"])


class ImportExampleView(ImportMixin, View):
    """An example list with the German headers, to fill in Excel."""

    def get(self, request, *args, **kwargs):
        response = HttpResponse(self.importer.list_type.example_csv(),
                                content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="{self.importer.example_name}"')
        return response
