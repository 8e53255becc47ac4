from django.db.models import Prefetch
from django.views.generic import DetailView, ListView

from jobcenters.permissions import Perm
from jobcenters.views import TenantMixin

from .models import Enrolment, Participant


class ParticipantListView(TenantMixin, ListView):
    permission = Perm.VIEW_PARTICIPANTS
    template_name = "participants/participant_list.html"
    context_object_name = "participants"
    paginate_by = 50

    def get_queryset(self):
        return Participant.objects.visible_to(self.membership)


class ParticipantDetailView(TenantMixin, DetailView):
    permission = Perm.VIEW_PARTICIPANTS
    model = Participant
    template_name = "participants/participant_detail.html"
    context_object_name = "participant"

    def get_queryset(self):
        enrolments = Enrolment.objects.visible_to(self.membership).select_related(
            "cohort__programme", "cohort__site"
        ).prefetch_related("integrations").order_by("-joined_on")
        return Participant.objects.visible_to(self.membership).prefetch_related(
            Prefetch("enrolments", queryset=enrolments, to_attr="visible_enrolments")
        )
