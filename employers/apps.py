from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmployersConfig(AppConfig):
    name = "employers"
    verbose_name = _("Employers")

    def ready(self):
        from auditlog.registry import auditlog

        from .models import Application

        for model in (Application,):
            auditlog.register(model)
