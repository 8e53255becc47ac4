from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

from jobcenters.forms import apply_errors
from jobcenters.permissions import Perm
from participants.views import EnrolmentPageMixin

from .forms import IntegrationForm
from .services import employer_for_name, integration_record


class IntegrationCreateView(EnrolmentPageMixin, FormView):
    """Record a start of work for an enrolment (the coach's route to an integration)."""

    permission = Perm.MANAGE_PARTICIPANTS
    form_class = IntegrationForm
    template_name = "employers/integration_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "jobcenter": self.jobcenter}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs),
                "integrations": self.enrolment.integrations.select_related("employer")}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            with transaction.atomic():
                employer = data["employer"]
                if employer is None and data["employer_name"]:
                    employer = employer_for_name(jobcenter=self.jobcenter,
                                                 name=data["employer_name"])
                integration = integration_record(
                    enrolment=self.enrolment, kind=data["kind"], start_on=data["start_on"],
                    employer=employer, weekly_hours=data["weekly_hours"],
                    subsidy=data["subsidy"],
                )
        except ValidationError as error:
            apply_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("%(kind)s of %(name)s recorded.") % {
            "kind": integration.get_kind_display(), "name": self.enrolment.participant})
        return redirect("participants:cohort", jc=self.jobcenter.code,
                        pk=self.enrolment.cohort_id)
