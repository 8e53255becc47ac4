from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    """Teilnahmebescheinigung, CV and consent, the Digitale Bewerberkarte and its page."""

    name = "documents"
    verbose_name = _("Documents")

    def ready(self):
        from jobcenters.audit import register_audited

        from . import navigation, personal_data
        from .models import ApplicantProfile, CardLink, Consent

        register_audited(ApplicantProfile, Consent, CardLink)
        navigation.connect()
        personal_data.connect()  # anonymisation and subject access cover CV, consent, links
