from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Retention and anonymisation, subject access (GDPR Art. 15), the record of processing."""

    name = "privacy"
    verbose_name = _("Data protection")

    def ready(self):
        from jobcenters.audit import register_audited

        from . import navigation
        from .models import ExportRecord

        # Exports and imports show in the jobcenter's audit trail beside the changes.
        register_audited(ExportRecord)
        navigation.connect()
