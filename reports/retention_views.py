"""Deletion periods and subject access, in the browser."""

import json

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from jobcenters.permissions import Perm
from jobcenters.views import TenantMixin
from participants.models import Participant

from .retention import anonymise_due, due_for_anonymisation, retention_cutoff
from .services import export_record
from .subject_access import subject_data, subject_page


class RetentionDueView(TenantMixin, TemplateView):
    """Who is due for anonymisation, and the button to do it now (also done nightly)."""

    permission = Perm.RUN_RETENTION
    template_name = "reports/retention_due.html"

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
        return redirect("reports:retention", jc=self.jobcenter.code)


class SubjectAccessMixin(TenantMixin):
    permission = Perm.SUBJECT_ACCESS
    model = Participant

    @cached_property
    def participant(self):
        return get_object_or_404(Participant.objects.visible_to(self.membership),
                                 pk=self.kwargs["pk"])

    def load_objects(self):
        self.participant  # noqa: B018 - fetched for its 404

    def record(self, kind):
        export_record(jobcenter=self.jobcenter, user=self.request.user, kind=kind,
                      parameters={"participant": self.participant.pk})


class SubjectAccessJsonView(SubjectAccessMixin, View):
    def get(self, request, *args, **kwargs):
        self.record("subject_access_json")
        body = json.dumps(subject_data(self.participant), ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="auskunft-{self.participant.pk}.json"')
        return response


class SubjectAccessPageView(SubjectAccessMixin, TemplateView):
    template_name = "reports/subject_access.html"

    def get_context_data(self, **kwargs):
        self.record("subject_access_print")
        return {**super().get_context_data(**kwargs), "participant": self.participant,
                "data": subject_page(self.participant), "today": timezone.localdate()}
