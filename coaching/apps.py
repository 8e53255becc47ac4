from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoachingConfig(AppConfig):
    name = "coaching"
    verbose_name = _("Coaching")

    def ready(self):
        from auditlog.registry import auditlog

        from .models import Attendance, IndividualSession

        for model in (Attendance, IndividualSession,):
            auditlog.register(model)
