"""Absence follow-up: the list of cases, a case with its next step, and a person's
Fehlzeitenübersicht (printable)."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView
from django_filters.views import FilterView

from jobcenters.filenames import file_slug
from jobcenters.pdf import PdfFormatMixin
from jobcenters.permissions import Perm
from jobcenters.views import FilteredListMixin, ServiceFormMixin, TenantMixin
from participants.views import EnrolmentPageMixin

from .absence import STEP_LABELS, absence_step_record
from .absence_filters import OPEN, AbsenceCaseFilter
from .absence_forms import AbsenceStepForm
from .absence_selectors import absence_case_detail, absence_cases, absence_overview
from .models import AbsenceCase


class AbsenceCaseListView(FilteredListMixin, TenantMixin, FilterView):
    permission = Perm.RECORD_SESSIONS
    filterset_class = AbsenceCaseFilter
    template_name = "coaching/absence_list.html"
    context_object_name = "cases"
    default_filters = {"status": OPEN}

    def get_queryset(self):
        return absence_cases(self.membership)


class AbsenceCaseView(ServiceFormMixin, TenantMixin, FormView):
    """A case: the person's absences, the steps so far and a form for the next one."""

    permission = Perm.RECORD_SESSIONS
    model = AbsenceCase
    form_class = AbsenceStepForm
    template_name = "coaching/absence_case.html"

    @cached_property
    def case(self):
        return get_object_or_404(absence_cases(self.membership), pk=self.kwargs["pk"])

    @cached_property
    def detail(self):
        return absence_case_detail(self.case, self.membership)

    def load_objects(self):
        self.case  # noqa: B018 - fetched for its 404

    def get_initial(self):
        return {"done_on": timezone.localdate(), "covered": self.detail["preselected"]}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "coverable": self.detail["coverable"]}

    def save(self, form):
        return absence_step_record(case=self.case, by=self.membership, **form.step())

    def success_text(self, step):
        return _("%(step)s on %(date)s recorded for %(name)s.") % {
            "step": STEP_LABELS[step.kind], "date": step.done_on.strftime("%d.%m.%Y"),
            "name": self.case.enrolment.participant}

    def success_url_for(self, step):
        return reverse("coaching:absence_case", kwargs={"jc": self.jobcenter.code,
                                                        "pk": self.case.pk})

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **self.detail, "case": self.case,
                "enrolment": self.case.enrolment}


class AbsenceOverviewView(PdfFormatMixin, EnrolmentPageMixin, TemplateView):
    """A person's Fehlzeitenübersicht in one group, to print."""

    permission = Perm.RECORD_SESSIONS
    template_name = "coaching/absence_overview.html"
    pdf_template = "coaching/absence_overview_pdf.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs),
                **absence_overview(self.enrolment, self.membership),
                "printed_on": timezone.localdate()}

    def pdf_filename(self):
        person = self.enrolment.participant
        name = file_slug(person.last_name, person.first_name) or str(person.pk)
        return f"fehlzeitenuebersicht-{name}.pdf"
