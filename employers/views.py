from datetime import timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView
from django_filters.views import FilterView

from cohorts.selectors import cohort_list
from cohorts.views import CohortTabMixin
from jobcenters.permissions import Perm
from jobcenters.views import FilteredListMixin, ServiceFormMixin, TenantMixin
from participants.models import Enrolment
from participants.views import EnrolmentMixin, EnrolmentPageMixin

from .filters import EmployerFilter
from .forms import (
    ActivityForm,
    ApplicationForm,
    ContactForm,
    EmployerForm,
    FollowUpForm,
    HireForm,
    IntegrationForm,
    MergeForm,
    VacancyForm,
)
from .models import (
    ALLOWED_MOVES,
    Application,
    Employer,
    EmployerActivity,
    FollowUp,
    Integration,
)
from .navigation import EMPLOYER_LIST_ACTIONS
from .selectors import (
    applications_of,
    cohort_applications,
    employer_list,
    next_steps_due,
    open_vacancies,
    proposal_candidates,
)
from .services import (
    DuplicateEmployer,
    activity_next_step_done,
    activity_record,
    application_hire,
    application_move,
    application_record,
    contact_remove,
    contact_save,
    employer_merge,
    employer_save,
    followup_record,
    integration_record,
    integration_remove,
    integration_update,
    vacancy_save,
)


class IntegrationCreateView(ServiceFormMixin, EnrolmentPageMixin, FormView):
    """Record a start of work for an enrolment (the coach's route to an integration)."""

    permission = Perm.MANAGE_PARTICIPANTS
    form_class = IntegrationForm
    template_name = "employers/integration_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "membership": self.membership}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs),
                "integrations": self.enrolment.integrations.select_related("employer")}

    def save(self, form):
        return integration_record(enrolment=self.enrolment, **form.cleaned_data)

    def success_text(self, integration):
        return _("%(kind)s of %(name)s recorded.") % {
            "kind": integration.get_kind_display(), "name": self.enrolment.participant}

    def success_url_for(self, integration):
        return reverse("participants:cohort", kwargs={"jc": self.jobcenter.code,
                                                      "pk": self.enrolment.cohort_id})


class JobStartMixin(EnrolmentMixin):
    """One job start of an enrolment: `?start=<id>` names it; without, the cohort row's
    button means the enrolment's job start that counts (else its latest)."""

    @cached_property
    def integration(self):
        starts = (Integration.objects.visible_to(self.membership)
                  .filter(enrolment=self.enrolment).select_related("employer"))
        chosen = self.request.GET.get("start", "")
        if chosen:
            if not chosen.isdecimal():  # not isdigit(): int("²") fails
                raise Http404
            return get_object_or_404(starts, pk=int(chosen))
        rows = list(starts)
        if not rows:
            raise Http404
        return max(rows, key=lambda i: (i.counts, i.start_on, i.pk))

    def load_objects(self):
        self.integration  # noqa: B018 - fetched for its 404

    def success_url_for(self, saved):
        return super().success_url_for(self.enrolment)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "integration": self.integration}


class IntegrationUpdateView(JobStartMixin, FormView):
    form_class = IntegrationForm
    template_name = "employers/integration_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "membership": self.membership}

    def get_initial(self):
        i = self.integration
        return {"kind": i.kind, "start_on": i.start_on, "employer": i.employer,
                "weekly_hours": i.weekly_hours, "subsidy": i.subsidy}

    def save(self, form):
        return integration_update(integration=self.integration, **form.cleaned_data)

    def success_text(self, integration):
        return _("%(kind)s of %(name)s saved.") % {
            "kind": integration.get_kind_display(), "name": self.enrolment.participant}


class IntegrationRemoveView(JobStartMixin, FormView):
    """Asks once, saying which follow-ups go with the job start, then removes it."""

    form_class = forms.Form
    template_name = "employers/integration_confirm_remove.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs),
                "followup_count": self.integration.followups.count(),
                "hire": Application.objects.filter(integration=self.integration)
                .select_related("employer").first()}

    def save(self, form):
        return integration_remove(integration=self.integration)

    def success_text(self, followups):
        return _("%(kind)s of %(name)s removed, with %(count)s follow-ups.") % {
            "kind": self.integration.get_kind_display(), "name": self.enrolment.participant,
            "count": followups}


class FollowUpRecordView(EnrolmentMixin, FormView):
    permission = Perm.RECORD_SESSIONS
    model = FollowUp
    form_class = FollowUpForm
    template_name = "employers/followup_form.html"

    @cached_property
    def followup(self):
        visible = Enrolment.objects.visible_to(self.membership)
        return get_object_or_404(
            FollowUp.objects.filter(integration__enrolment__in=visible.values("pk"))
            .select_related("integration__enrolment__participant", "integration__employer"),
            pk=self.kwargs["pk"],
        )

    @cached_property
    def enrolment(self):
        return self.followup.integration.enrolment

    def get_initial(self):
        return {"checked_on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        # Saving returns to `next` ("Heute", say), where "Cancel" leads as well.
        return {**super().get_context_data(**kwargs), "followup": self.followup,
                "back_url": self.success_url_for(self.enrolment)}

    def save(self, form):
        followup_record(followup=self.followup, **form.cleaned_data)
        return self.enrolment

    def success_text(self, enrolment):
        return _("Follow-up for %(name)s recorded.") % {"name": enrolment.participant}


class EmployerListView(FilteredListMixin, TenantMixin, FilterView):
    permission = Perm.VIEW_EMPLOYERS
    filterset_class = EmployerFilter
    template_name = "employers/employer_list.html"
    context_object_name = "employers"

    def get_queryset(self):
        return employer_list(self.membership)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs),
                "can_manage": self.membership.can(Perm.MANAGE_EMPLOYERS),
                "list_actions": EMPLOYER_LIST_ACTIONS.links(self.membership)}


class EmployerPageMixin(TenantMixin):
    model = Employer

    @cached_property
    def employer(self):
        return get_object_or_404(employer_list(self.membership), pk=self.kwargs["pk"])

    def load_objects(self):
        self.employer  # noqa: B018 - fetched for its 404

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "employer": self.employer,
                "can_manage": self.membership.can(Perm.MANAGE_EMPLOYERS)}


class EmployerDetailView(EmployerPageMixin, TemplateView):
    permission = Perm.VIEW_EMPLOYERS
    template_name = "employers/employer_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        employer = self.employer
        context.update(
            contacts=employer.contacts.all(),
            vacancies=employer.vacancies.order_by("status", "-created_at"),
            activities=employer.activities.select_related("by", "cohort")[:10],
            applications=applications_of(self.membership, employer=employer),
            contact_form=ContactForm(),
        )
        return context


class EmployerFormView(ServiceFormMixin, TenantMixin, FormView):
    permission = Perm.MANAGE_EMPLOYERS
    form_class = EmployerForm
    template_name = "employers/employer_form.html"
    employer = None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.employer}

    def save(self, form):
        data = dict(form.cleaned_data)
        accept = data.pop("accept_duplicate")
        return employer_save(jobcenter=self.jobcenter, employer=self.employer,
                             accept_duplicate=accept, **data)

    def refused(self, form, error):
        if isinstance(error, DuplicateEmployer):  # shown with the likely duplicates
            return self.render_to_response(self.get_context_data(
                form=form, duplicates=error.duplicates))
        return super().refused(form, error)

    def success_text(self, employer):
        return _("%(name)s saved.") % {"name": employer.name}

    def success_url_for(self, employer):
        return reverse("employers:detail", kwargs={"jc": self.jobcenter.code, "pk": employer.pk})


class EmployerCreateView(EmployerFormView):
    pass


class EmployerUpdateView(EmployerPageMixin, EmployerFormView):
    pass


class EmployerMergeView(EmployerPageMixin, FormView):
    permission = Perm.MANAGE_EMPLOYERS
    form_class = MergeForm
    template_name = "employers/employer_merge.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "employer": self.employer}

    def form_valid(self, form):
        other = form.cleaned_data["other"]
        employer_merge(keep=self.employer, remove=other)
        messages.success(self.request, _("%(other)s was merged into %(name)s.") % {
            "other": other.name, "name": self.employer.name})
        return redirect("employers:detail", jc=self.jobcenter.code, pk=self.employer.pk)


class ContactCreateView(EmployerPageMixin, View):
    """The short form on the employer's page: errors come back as a message there."""

    permission = Perm.MANAGE_EMPLOYERS
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = ContactForm(request.POST)
        if form.is_valid():
            try:
                contact = contact_save(employer=self.employer, **form.cleaned_data)
                messages.success(request, _("Contact %(name)s added.") % {"name": contact.name})
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
        else:
            messages.error(request, _("Please enter at least the contact's name and a valid "
                                      "e-mail address."))
        return redirect("employers:detail", jc=self.jobcenter.code, pk=self.employer.pk)


class EmployerRowFormView(ServiceFormMixin, EmployerPageMixin, FormView):
    """A contact, vacancy or activity of the employer: its service checks and saves it,
    with the errors next to the fields, then back to the employer's page."""

    permission = Perm.MANAGE_EMPLOYERS

    def success_url_for(self, row):
        return reverse("employers:detail", kwargs={"jc": self.jobcenter.code,
                                                   "pk": self.employer.pk})


class ContactUpdateView(EmployerRowFormView):
    """Correct a contact person's details, or remove one who has left the company."""

    form_class = ContactForm
    template_name = "employers/contact_form.html"

    @cached_property
    def contact(self):
        return get_object_or_404(self.employer.contacts, pk=self.kwargs["contact_pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.contact}

    def post(self, request, *args, **kwargs):
        if "remove" in request.POST:
            name = self.contact.name
            contact_remove(contact=self.contact)
            messages.success(request, _("Contact %(name)s removed.") % {"name": name})
            return redirect("employers:detail", jc=self.jobcenter.code, pk=self.employer.pk)
        return super().post(request, *args, **kwargs)

    def save(self, form):
        return contact_save(employer=self.employer, contact=self.contact, **form.cleaned_data)

    def success_text(self, contact):
        return _("Contact %(name)s saved.") % {"name": contact.name}


class VacancyFormView(EmployerRowFormView):
    form_class = VacancyForm
    template_name = "employers/vacancy_form.html"

    @cached_property
    def vacancy(self):
        pk = self.kwargs.get("vacancy_pk")
        return get_object_or_404(self.employer.vacancies, pk=pk) if pk else None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.vacancy}

    def save(self, form):
        return vacancy_save(employer=self.employer, vacancy=self.vacancy, **form.cleaned_data)

    def success_text(self, vacancy):
        return _("Vacancy %(title)s saved.") % {"title": vacancy.title}


class VacancyDetailView(EmployerPageMixin, TemplateView):
    """A vacancy and the applications for it (the pipeline per vacancy); coaches read."""

    permission = Perm.VIEW_EMPLOYERS
    template_name = "employers/vacancy_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        vacancy = get_object_or_404(self.employer.vacancies, pk=self.kwargs["vacancy_pk"])
        context.update(vacancy=vacancy,
                       applications=applications_of(self.membership, vacancy=vacancy))
        return context


class OpenVacanciesView(TenantMixin, ListView):
    permission = Perm.VIEW_EMPLOYERS
    template_name = "employers/vacancy_list.html"
    context_object_name = "vacancies"
    paginate_by = 50

    def get_queryset(self):
        return open_vacancies(self.membership)


class ActivityCreateView(EmployerRowFormView):
    form_class = ActivityForm
    template_name = "employers/activity_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(),
                "cohorts": cohort_list(self.membership).filter(status__in=("planned",
                                                                           "running"))}

    def get_initial(self):
        return {"happened_on": timezone.localdate()}

    def save(self, form):
        return activity_record(employer=self.employer, by=self.request.user,
                               **form.cleaned_data)

    def success_text(self, activity):
        return _("%(kind)s with %(name)s recorded.") % {
            "kind": activity.get_kind_display(), "name": self.employer.name}


class ActivitiesDueView(TenantMixin, ListView):
    """Next steps due by the end of this week (and overdue ones)."""

    permission = Perm.VIEW_EMPLOYERS
    template_name = "employers/activities_due.html"
    context_object_name = "activities"

    def get_queryset(self):
        today = timezone.localdate()
        self.week_end = today + timedelta(days=6 - today.weekday())
        return next_steps_due(self.membership, by=self.week_end)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "week_end": self.week_end,
                "today": timezone.localdate(),
                "may_manage": self.membership.can(Perm.MANAGE_EMPLOYERS)}


class ActivityNextStepDoneView(ServiceFormMixin, TenantMixin, FormView):
    """"Done" on a row of the due list: the next step leaves the list."""

    permission = Perm.MANAGE_EMPLOYERS
    model = EmployerActivity
    form_class = forms.Form
    http_method_names = ["post"]

    @cached_property
    def activity(self):
        return get_object_or_404(
            EmployerActivity.objects.visible_to(self.membership).select_related("employer"),
            pk=self.kwargs["pk"])

    def load_objects(self):
        self.activity  # noqa: B018 - fetched for its 404

    def save(self, form):
        return activity_next_step_done(activity=self.activity, by=self.request.user)

    def refused(self, form, error):
        messages.error(self.request, " ".join(error.messages))
        return redirect(self.success_url_for(self.activity))

    def success_text(self, activity):
        return _("Next step “%(step)s” marked done.") % {"step": activity.next_step}

    def success_url_for(self, activity):
        return reverse("employers:due", kwargs={"jc": self.jobcenter.code})


# --- The placement pipeline of a cohort -----------------------------------------------------

BOARD_STAGES = (Application.Stage.PROPOSED, Application.Stage.APPLIED,
                Application.Stage.INTERVIEW, Application.Stage.TRIAL_WORK,
                Application.Stage.OFFER, Application.Stage.HIRED)


class CohortApplicationsView(CohortTabMixin, TemplateView):
    """A column per stage; every card moves by button (no dragging needed)."""

    permission = Perm.VIEW_COHORTS
    tab = "employers:board"
    template_name = "employers/cohort_board.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        applications = list(cohort_applications(self.cohort, self.membership))
        columns = {stage: [] for stage in BOARD_STAGES}
        closed = []
        for application in applications:
            application.moves = [Application.Stage(s) for s in ALLOWED_MOVES[application.stage]]
            columns.get(application.stage, closed).append(application)
        context.update(
            columns=[{"stage": Application.Stage(s), "cards": cards}
                     for s, cards in columns.items()],
            closed=closed,
            can_record_applications=self.membership.can(Perm.RECORD_APPLICATIONS),
        )
        return context


class ApplicationCreateView(ServiceFormMixin, CohortTabMixin, FormView):
    permission = Perm.RECORD_APPLICATIONS
    tab = "employers:board"
    form_class = ApplicationForm
    template_name = "employers/application_form.html"

    def get_form_kwargs(self):
        enrolments = proposal_candidates(self.cohort, self.membership)
        return {**super().get_form_kwargs(), "enrolments": enrolments,
                "membership": self.membership}

    def get_initial(self):
        source = (Application.Source.PROPOSAL if self.membership.can(Perm.MANAGE_EMPLOYERS)
                  else Application.Source.OWN_INITIATIVE)
        return {"on": timezone.localdate(), "source": source,
                "enrolment": self.request.GET.get("enrolment")}

    def save(self, form):
        return application_record(by=self.request.user, **form.cleaned_data)

    def success_text(self, application):
        return _("Application of %(name)s to %(employer)s recorded.") % {
            "name": application.enrolment.participant, "employer": application.employer.name}

    def success_url_for(self, application):
        return reverse("employers:board", kwargs={"jc": self.jobcenter.code,
                                                  "pk": self.cohort.pk})


class ApplicationMixin(TenantMixin):
    permission = Perm.RECORD_APPLICATIONS
    model = Application

    @cached_property
    def application(self):
        return get_object_or_404(
            Application.objects.visible_to(self.membership)
            .select_related("enrolment__participant", "employer", "vacancy"),
            pk=self.kwargs["pk"])

    def load_objects(self):
        self.application  # noqa: B018 - fetched for its 404

    def board(self):
        return redirect("employers:board", jc=self.jobcenter.code,
                        pk=self.application.enrolment.cohort_id)


class ApplicationMoveView(ApplicationMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        stage = request.POST.get("stage", "")
        if stage == Application.Stage.HIRED:
            return redirect("employers:hire", jc=self.jobcenter.code, pk=self.application.pk)
        try:
            application_move(application=self.application, stage=stage,
                             on=timezone.localdate(), by=request.user)
        except (ValidationError, ValueError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            return self.board()
        messages.success(request, _("%(name)s: %(stage)s.") % {
            "name": self.application.enrolment.participant,
            "stage": Application.Stage(stage).label})
        return self.board()


class ApplicationHireView(ServiceFormMixin, ApplicationMixin, FormView):
    """Hired: the start of work, its kind and subsidy become the integration."""

    form_class = HireForm
    template_name = "employers/hire_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "membership": self.membership}

    def get_initial(self):
        return {"on": timezone.localdate(), "kind": "employment",
                "subsidy": self.application.subsidy_offered,
                "weekly_hours": self.application.vacancy.weekly_hours
                if self.application.vacancy else None}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "application": self.application,
                "enrolment": self.application.enrolment}

    def save(self, form):
        return application_hire(application=self.application, by=self.request.user,
                                **form.cleaned_data)

    def success_text(self, integration):
        return _("%(name)s hired by %(employer)s: start of work recorded.") % {
            "name": self.application.enrolment.participant,
            "employer": self.application.employer.name}

    def success_url_for(self, integration):
        return self.board().url
