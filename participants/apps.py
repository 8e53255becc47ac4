from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = _("Participants")

    def ready(self):
        from auditlog.registry import auditlog

        from .models import Enrolment, FollowUp, Integration, Participant

        for model in (Participant, Enrolment, Integration, FollowUp,):
            auditlog.register(model)
