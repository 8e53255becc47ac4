from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CohortsConfig(AppConfig):
    name = "cohorts"
    verbose_name = _("Cohorts")

    def ready(self):
        from . import navigation

        navigation.connect()  # the top bar's entry; the tabs' registry is filled by their apps
