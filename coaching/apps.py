from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoachingConfig(AppConfig):
    name = "coaching"
    verbose_name = _("Coaching")

    def ready(self):
        from jobcenters.audit import register_audited

        from .models import AbsenceCase, AbsenceStep, Attendance, IndividualSession

        register_audited(Attendance, IndividualSession, AbsenceCase, AbsenceStep)

        from . import navigation

        navigation.connect()  # its tabs on a cohort's page
