from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmployersConfig(AppConfig):
    name = "employers"
    verbose_name = _("Employers")

    def ready(self):
        from jobcenters.audit import register_audited

        from .models import Application, FollowUp, Integration

        register_audited(Application, FollowUp, Integration)

        from . import navigation

        navigation.connect()  # its page in the top bar, its tab and box on a cohort's page
