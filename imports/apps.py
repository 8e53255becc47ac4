from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    """Reading Excel/CSV lists, one import engine, and the enrolment and employer lists."""

    name = "imports"
    verbose_name = _("Imports")

    def ready(self):
        from . import navigation

        navigation.connect()  # its buttons above the cohort and employer lists
