from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from jobcenters.audit import register_audited

        from .models import ExportRecord

        # Exports and imports show in the jobcenter's audit trail beside the changes.
        register_audited(ExportRecord)
