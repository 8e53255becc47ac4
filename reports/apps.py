from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from auditlog.registry import auditlog

        from .models import ExportRecord

        # Exports and imports show in the jobcenter's audit trail beside the changes.
        auditlog.register(ExportRecord)
