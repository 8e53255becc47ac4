from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = _("Participants")

    def ready(self):
        from jobcenters.audit import register_audited

        from .models import Enrolment, Participant

        register_audited(Enrolment, Participant)

        from . import navigation

        navigation.connect()  # its pages in the top bar and the cohort's tabs
