import logging

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView, TemplateView
from django_ratelimit.core import is_ratelimited
from redis.exceptions import RedisError

from cohorts.views import CohortTabMixin
from jobcenters.permissions import Perm
from jobcenters.views import ServiceFormMixin, TenantMixin, safe_next

from .forms import (
    AuditFilterForm,
    EnrolmentForm,
    ExitForm,
    ParticipantForm,
    SearchForm,
)
from .models import Enrolment, Participant
from .navigation import (
    AUDIT_ACTIONS,
    COHORT_BOXES,
    ENROLMENT_ACTIONS,
    ENROLMENT_TIMELINE,
    PARTICIPANT_ACTIONS,
    PARTICIPANT_BOXES,
)
from .selectors import (
    audit_trail,
    choice_token,
    chosen_participant,
    cohort_enrolments,
    integrated,
    participant_search,
    with_changes,
)
from .services import (
    enrolment_exit,
    enrolment_exit_withdraw,
    enrolment_save,
    participant_save,
)

logger = logging.getLogger(__name__)


def search_allowed(request, query: str) -> bool:
    """Searches by customer number are limited per user (CUSTOMER_NUMBER_SEARCH_RATE), so
    that nobody steps through numbers to find people; over the limit the search finds
    nobody and says why. A counter that cannot be reached does not stop the work."""
    if not any(ch.isdigit() for ch in query):
        return True
    try:
        limited = is_ratelimited(request, group="customer-number-search", key="user",
                                 rate=settings.CUSTOMER_NUMBER_SEARCH_RATE, increment=True)
    except (OSError, RedisError):
        logger.warning("customer number search counter unavailable", exc_info=True)
        return True
    if limited:
        messages.error(request, _("Too many searches by customer number. Please wait a few "
                                  "minutes and try again."))
    return not limited


class CohortParticipantsView(CohortTabMixin, TemplateView):
    permission = Perm.VIEW_COHORTS
    tab = "participants:cohort"
    template_name = "participants/cohort_participants.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        visible = Enrolment.objects.visible_to(self.membership)
        enrolments = cohort_enrolments(self.cohort).filter(pk__in=visible.values("pk"))
        context["enrolments"] = list(enrolments)
        for e in context["enrolments"]:
            e.actions = ENROLMENT_ACTIONS.actions_for(self.membership, e)
        today = timezone.localdate()
        context["boxes"] = [
            (template, rows) for template, rows_for in COHORT_BOXES.items()
            if (rows := rows_for(self.membership, enrolments, today)) is not None]
        context["can_enrol"] = self.membership.can(Perm.MANAGE_PARTICIPANTS)
        return context


class ParticipantListView(TenantMixin, ListView):
    permission = Perm.VIEW_PARTICIPANTS
    template_name = "participants/participant_list.html"
    context_object_name = "participants"
    paginate_by = 50

    def get_queryset(self):
        self.search = SearchForm(self.request.GET)
        query = self.search.data.get("q", "").strip()
        if query:
            if not search_allowed(self.request, query):
                return Participant.objects.none()
            return participant_search(self.membership, query)
        return Participant.objects.visible_to(self.membership).order_by("last_name",
                                                                          "first_name")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["search"] = self.search
        context["query"] = f"q={self.search.data.get('q', '')}" if self.search.data else ""
        context["can_create"] = self.membership.can(Perm.MANAGE_PARTICIPANTS)
        return context


class ParticipantDetailView(TenantMixin, DetailView):
    permission = Perm.VIEW_PARTICIPANTS
    model = Participant
    template_name = "participants/participant_detail.html"
    context_object_name = "participant"

    @cached_property
    def timeline_parts(self):
        return ENROLMENT_TIMELINE.visible_to(self.membership)

    def get_queryset(self):
        enrolments = (
            Enrolment.objects.visible_to(self.membership)
            .select_related("cohort__programme", "cohort__site")
            .annotate(is_integrated=integrated())
            .order_by("-assigned_on", "-pk")
        )
        # What the other apps' parts of the timeline show, for all enrolments at once.
        for part in self.timeline_parts:
            enrolments = part.prefetch(enrolments, self.membership)
        return Participant.objects.visible_to(self.membership).prefetch_related(
            Prefetch("enrolments", queryset=enrolments, to_attr="visible_enrolments")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = self.membership.can(Perm.MANAGE_PARTICIPANTS)
        context["can_record"] = self.membership.can(Perm.RECORD_SESSIONS)
        context["today"] = timezone.localdate()
        context["participant_actions"] = PARTICIPANT_ACTIONS.actions_for(self.membership,
                                                                         self.object)
        context["boxes"] = [
            (template, box) for template, box_for in PARTICIPANT_BOXES.items()
            if (box := box_for(self.membership, self.object)) is not None]
        context["timeline_course"] = [p for p in self.timeline_parts if not p.after_exit]
        context["timeline_outcome"] = [p for p in self.timeline_parts if p.after_exit]
        for e in self.object.visible_enrolments:
            e.actions = ENROLMENT_ACTIONS.actions_for(self.membership, e)
        context["history"] = with_changes(
            audit_trail(self.membership).filter(additional_data__participant=self.object.pk)
            .select_related("actor", "content_type").order_by("-timestamp")[:30],
            self.membership)
        return context


class ParticipantCreateView(ServiceFormMixin, TenantMixin, FormView):
    """New person; after a search found nobody. Coming from a cohort, enrol them next."""

    permission = Perm.MANAGE_PARTICIPANTS
    form_class = ParticipantForm
    template_name = "participants/participant_form.html"

    def get_initial(self):
        query = self.request.GET.get("q", "").strip()
        if any(ch.isdigit() for ch in query):
            return {"customer_number": query}
        return {}

    def get_context_data(self, **kwargs):
        cohort = self.request.GET.get("cohort", "")
        return {**super().get_context_data(**kwargs),
                "back_to_cohort": int(cohort) if cohort.isdecimal() else None}

    def save(self, form):
        return participant_save(jobcenter=self.jobcenter, **form.cleaned_data)

    def success_text(self, participant):
        return _("%(name)s created.") % {"name": participant}

    def success_url_for(self, participant):
        cohort = self.request.GET.get("cohort", "")
        if cohort.isdecimal():  # not isdigit(): int("²") fails
            url = reverse("participants:enrol", kwargs={"jc": self.jobcenter.code,
                                                        "pk": int(cohort)})
            return f"{url}?participant={choice_token(participant)}"
        return reverse("participants:detail", kwargs={"jc": self.jobcenter.code,
                                                      "pk": participant.pk})


class ParticipantMixin(TenantMixin):
    """A page of one person the member reaches (404 otherwise)."""

    model = Participant

    def participant_queryset(self):
        return Participant.objects.visible_to(self.membership)

    @cached_property
    def participant(self):
        return get_object_or_404(self.participant_queryset(), pk=self.kwargs["pk"])

    def load_objects(self):
        self.participant  # noqa: B018 - fetched for its 404


class ParticipantUpdateView(ServiceFormMixin, ParticipantMixin, FormView):
    permission = Perm.MANAGE_PARTICIPANTS
    form_class = ParticipantForm
    template_name = "participants/participant_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.participant}

    def save(self, form):
        return participant_save(jobcenter=self.jobcenter, participant=self.participant,
                                **form.cleaned_data)

    def success_text(self, participant):
        return _("%(name)s saved.") % {"name": participant}

    def success_url_for(self, participant):
        return reverse("participants:detail", kwargs={"jc": self.jobcenter.code,
                                                      "pk": participant.pk})

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "participant": self.participant}


class EnrolView(ServiceFormMixin, CohortTabMixin, FormView):
    """Find the person first (no duplicates), then record the enrolment."""

    permission = Perm.MANAGE_PARTICIPANTS
    tab = "participants:cohort"
    form_class = EnrolmentForm
    template_name = "participants/enrol.html"

    @cached_property
    def chosen(self):
        token = self.request.GET.get("participant", "")
        if not token:
            return None
        participant = chosen_participant(self.jobcenter, token)
        if participant is None:
            raise Http404
        return participant

    def get_initial(self):
        today = timezone.localdate()
        # Enrolling records the assignment; "joined" waits until a planned cohort begins.
        return {"assigned_on": today,
                "joined_on": today if self.cohort.planned_start <= today else None}

    def get(self, request, *args, **kwargs):
        self.search = SearchForm(request.GET)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.search = SearchForm()
        if self.chosen is None:
            return redirect(request.path)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.search.data.get("q", "").strip() if self.search.data else ""
        context.update(
            search=self.search, query=query, chosen=self.chosen,
            matches=[(match, choice_token(match)) for match in participant_search(
                self.membership, query, to_enrol=True)]
            if query and search_allowed(self.request, query) else [],
            already=set(self.cohort.enrolments.values_list("participant_id", flat=True)),
            coach_count=len(self.cohort.cohort_coaches.all()),
        )
        return context

    def save(self, form):
        return enrolment_save(cohort=self.cohort, participant=self.chosen, **form.cleaned_data)

    def success_text(self, enrolment):
        cohort = self.cohort
        # Everyone assigned and not exited takes a place, joined or not (as in the header).
        placed = cohort.enrolments.filter(exit_on__isnull=True).count()
        if placed > cohort.capacity:
            messages.warning(self.request, _(
                "The cohort is now over capacity: %(active)s of %(capacity)s places."
            ) % {"active": placed, "capacity": cohort.capacity})
        return _("%(name)s enrolled in %(code)s.") % {"name": enrolment.participant,
                                                      "code": cohort.code}

    def success_url_for(self, enrolment):
        return reverse("participants:cohort", kwargs={"jc": self.jobcenter.code,
                                                      "pk": self.cohort.pk})


class EnrolmentPageMixin(TenantMixin):
    """A page about one enrolment the member may see (404 otherwise)."""

    model = Enrolment

    @cached_property
    def enrolment(self):
        return get_object_or_404(
            Enrolment.objects.visible_to(self.membership).select_related(
                "participant", "cohort__programme", "cohort__site"),
            pk=self.kwargs["pk"],
        )

    def load_objects(self):
        self.enrolment  # noqa: B018 - fetched for its 404

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "enrolment": self.enrolment}


class EnrolmentMixin(ServiceFormMixin, EnrolmentPageMixin):
    permission = Perm.MANAGE_PARTICIPANTS

    def success_url_for(self, enrolment):
        return safe_next(self.request, reverse(
            "participants:cohort", kwargs={"jc": self.jobcenter.code, "pk": enrolment.cohort_id}
        ))


class EnrolmentUpdateView(EnrolmentMixin, FormView):
    form_class = EnrolmentForm
    template_name = "participants/enrolment_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.enrolment}

    def save(self, form):
        return enrolment_save(cohort=self.enrolment.cohort, participant=self.enrolment.participant,
                              enrolment=self.enrolment, **form.cleaned_data)

    def success_text(self, enrolment):
        return _("Enrolment of %(name)s saved.") % {"name": enrolment.participant}


class EnrolmentExitView(EnrolmentMixin, FormView):
    form_class = ExitForm
    template_name = "participants/enrolment_exit.html"

    def get_initial(self):
        e = self.enrolment
        if e.exit_on:
            return {"exit_on": e.exit_on, "exit_reason": e.exit_reason,
                    "dropout_reason": e.dropout_reason}
        return {"exit_on": timezone.localdate()}

    def save(self, form):
        return enrolment_exit(enrolment=self.enrolment, **form.cleaned_data)

    def success_text(self, enrolment):
        return _("Exit of %(name)s recorded: %(reason)s.") % {
            "name": enrolment.participant, "reason": enrolment.get_exit_reason_display()}


class EnrolmentExitWithdrawView(EnrolmentMixin, FormView):
    """Asks once, then takes the exit back; without an exit, back to the exit form."""

    form_class = forms.Form
    template_name = "participants/enrolment_exit_withdraw.html"

    def get(self, request, *args, **kwargs):
        if not self.enrolment.has_exited:
            return redirect("participants:exit", jc=self.jobcenter.code, pk=self.enrolment.pk)
        return super().get(request, *args, **kwargs)

    def save(self, form):
        return enrolment_exit_withdraw(enrolment=self.enrolment)

    def success_text(self, enrolment):
        return _("The exit of %(name)s was withdrawn; they are in %(code)s again.") % {
            "name": enrolment.participant, "code": enrolment.cohort.code}


class AuditTrailView(TenantMixin, ListView):
    """Who changed whose data and when, filtered by person, staff member and date."""

    permission = Perm.VIEW_AUDIT
    template_name = "participants/audit_trail.html"
    context_object_name = "entries"
    paginate_by = 50

    def get_queryset(self):
        self.filters = AuditFilterForm(self.request.GET or None, membership=self.membership)
        entries = audit_trail(self.membership)
        if self.filters.is_valid():
            data = self.filters.cleaned_data
            if data.get("customer_number"):
                person = Participant.objects.visible_to(self.membership).filter(
                    customer_number__iexact=data["customer_number"].strip()).first()
                entries = entries.filter(additional_data__participant=person.pk if person
                                         else -1)
            if data["user"]:
                entries = entries.filter(actor=data["user"])
            if data["since"]:
                entries = entries.filter(timestamp__date__gte=data["since"])
            if data["until"]:
                entries = entries.filter(timestamp__date__lte=data["until"])
        return entries.select_related("actor", "content_type").order_by("-timestamp")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["entries"] = with_changes(context["entries"], self.membership)
        return {**context, "filters": self.filters, "query": query.urlencode(),
                "audit_actions": AUDIT_ACTIONS.links(self.membership)}
