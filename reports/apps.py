from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from jobcenters.data_version import CHANGED

        from . import navigation, services

        navigation.connect()  # its pages in the top bar and the cohort's tabs
        CHANGED.append(services.refresh_after_change)  # figures current seconds after a save
