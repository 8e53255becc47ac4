"""The record of processing: who exported, imported or anonymised social data, and when."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobcenters.permissions import Data
from jobcenters.scoping import TenantModel


class ExportRecord(TenantModel):
    """Who exported or imported what, and when (Sozialdaten leave or enter the application),
    and who ran an anonymisation; `kind` says which (report_csv, import_enrolments, …)."""

    reach_kind = Data.PROCESSING

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="+", verbose_name=_("user"))
    created_at = models.DateTimeField(_("exported at"), auto_now_add=True)
    kind = models.CharField(_("kind"), max_length=40)
    parameters = models.JSONField(_("parameters"), default=dict)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at"]

    KIND_LABELS = {
        "report_csv": _("report as CSV"), "report_xlsx": _("report as Excel"),
        "drilldown_xlsx": _("list of enrolments as Excel"),
        "drilldown_csv": _("list of enrolments as CSV"),
        "command_json": _("report as JSON (command)"), "command_csv": _("report as CSV (command)"),
        "command_xlsx": _("report as Excel (command)"),
        "import_enrolments": _("import of an enrolment list"),
        "import_employers": _("import of an employer list"),
        "subject_access_json": _("subject access as JSON"),
        "subject_access_print": _("subject access, printable page"),
        "retention_run": _("anonymisation after the deletion period"),
        "certificate_pdf": _("Teilnahmebescheinigung as PDF"),
        "certificates_pdf": _("Teilnahmebescheinigungen of a cohort as PDF"),
        "certificates_zip": _("Teilnahmebescheinigungen of a cohort as ZIP"),
        "card_pdf": _("application card as PDF"),
    }

    def __str__(self):
        label = self.KIND_LABELS.get(self.kind, self.kind)
        return f"{label} {timezone.localtime(self.created_at):%d.%m.%Y %H:%M}"
