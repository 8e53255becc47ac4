"""Deletion periods and subject access, in the browser."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from jobcenters.forms import RetentionForm
from jobcenters.permissions import Perm
from jobcenters.services import jobcenter_retention_set
from jobcenters.views import ManageMixin, ServiceFormMixin, TenantMixin
from participants.views import ParticipantMixin

from .retention import anonymise_due, due_for_anonymisation, retention_cutoff
from .services import export_record
from .subject_access import SubjectAccessEncoder, subject_data, subject_page


class RetentionDueView(TenantMixin, TemplateView):
    """Who is due for anonymisation, and the button to do it now (also done nightly)."""

    permission = Perm.RUN_RETENTION
    template_name = "privacy/retention_due.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        due = due_for_anonymisation(self.jobcenter, today)
        return {**super().get_context_data(**kwargs), "count": due.count(),
                "cutoff": retention_cutoff(self.jobcenter, today),
                "months": self.jobcenter.retention_months}

    def post(self, request, *args, **kwargs):
        count = anonymise_due(jobcenter=self.jobcenter, today=timezone.localdate(),
                              now=timezone.now(), by=request.user)
        messages.success(request, _("%(count)s participants anonymised.") % {"count": count})
        return redirect("privacy:retention", jc=self.jobcenter.code)


class RetentionSettingsView(ServiceFormMixin, ManageMixin, FormView):
    """The jobcenter's deletion period. A change first shows how many people the next run
    would anonymise with the new period, and is saved once that is confirmed. The page is
    here, not with the jobcenter's other settings, because it counts participants.
    The team lead reads the period; only the administration changes it."""

    manage_tab = "privacy:retention_settings"
    template_name = "privacy/retention_settings.html"
    form_class = RetentionForm

    def get_initial(self):
        return {"retention_months": self.jobcenter.retention_months}

    def post(self, request, *args, **kwargs):
        if not self.membership.can(Perm.ADMINISTER):
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        months = form.cleaned_data["retention_months"]
        if months == self.jobcenter.retention_months:
            messages.info(self.request, _("The retention period is unchanged."))
            return redirect("privacy:retention_settings", jc=self.jobcenter.code)
        if not form.cleaned_data["confirmed"]:
            today = timezone.localdate()
            return self.render_to_response(self.get_context_data(form=form, preview={
                "months": months,
                "count": due_for_anonymisation(self.jobcenter, today, months).count(),
                "cutoff": retention_cutoff(self.jobcenter, today, months)}))
        return super().form_valid(form)

    def save(self, form):
        return jobcenter_retention_set(jobcenter=self.jobcenter,
                                       months=form.cleaned_data["retention_months"])

    def success_text(self, saved):
        return _("Retention period saved.")

    def success_url_for(self, saved):
        return reverse("privacy:retention_settings", kwargs={"jc": self.jobcenter.code})

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs),
                "months": self.jobcenter.retention_months, "title": _("Retention period"),
                "back_url": reverse("jobcenters:staff", kwargs={"jc": self.jobcenter.code})}


class SubjectAccessMixin(ParticipantMixin):
    """Subject access: the answer is built in full first, and only a built answer is
    recorded (record of processing) and handed out; a failure leaves no record."""

    permission = Perm.SUBJECT_ACCESS

    def record(self, kind):
        export_record(jobcenter=self.jobcenter, user=self.request.user, kind=kind,
                      parameters={"participant": self.participant.pk})


class SubjectAccessJsonView(SubjectAccessMixin, View):
    def get(self, request, *args, **kwargs):
        body = json.dumps(subject_data(self.participant), cls=SubjectAccessEncoder,
                          ensure_ascii=False, indent=2)
        self.record("subject_access_json")
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="auskunft-{self.participant.pk}.json"')
        return response


class SubjectAccessPageView(SubjectAccessMixin, TemplateView):
    template_name = "privacy/subject_access.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "participant": self.participant,
                "data": subject_page(self.participant), "today": timezone.localdate()}

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        response.render()  # rendered here, so that a failure leaves no record
        self.record("subject_access_print")
        return response
