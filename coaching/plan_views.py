"""The cohort's plan tab (weekly slots, sessions, generation, planned sessions added, moved
and cancelled) and a programme's curriculum in the administration area."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import FormView

from cohorts.models import Cohort, Programme
from cohorts.views import CohortTabMixin
from jobcenters.permissions import Perm
from jobcenters.views import ManageMixin, ServiceFormMixin

from .models import CurriculumItem, GroupSession, Module, WeeklySlot
from .plan_forms import CurriculumFormSet, PlannedSessionForm, WeeklySlotFormSet
from .planning import (
    clash_text,
    curriculum_save,
    plan_generate,
    plan_preview,
    planned_clashes,
    planned_session_cancel,
    planned_session_save,
    weekly_slots_save,
)


def _visible_cohorts(membership, clashes) -> set[int]:
    """Of the cohorts that clashing sessions belong to, those the member may name."""
    ids = {c.session.cohort_id for found in clashes for c in found}
    if not ids:
        return set()
    return set(Cohort.objects.visible_to(membership).filter(pk__in=ids)
               .values_list("pk", flat=True))


class PlanTabMixin(CohortTabMixin):
    permission = Perm.RECORD_SESSIONS
    tab = "coaching:plan"

    def plan_url(self) -> str:
        return reverse("coaching:plan", kwargs={"jc": self.jobcenter.code, "pk": self.cohort.pk})


class PlanView(ServiceFormMixin, PlanTabMixin, FormView):
    """The cohort's weekly slots, editable, and its sessions in date order with their clashes."""

    template_name = "coaching/plan.html"
    form_class = WeeklySlotFormSet

    def slots(self) -> list[WeeklySlot]:
        if not hasattr(self, "_slots"):
            self._slots = list(WeeklySlot.objects.visible_to(self.membership)
                               .filter(cohort=self.cohort))
        return self._slots

    def get_initial(self):
        return [{"weekday": s.weekday, "starts_at": s.starts_at, "ends_at": s.ends_at,
                 "room": s.room} for s in self.slots()]

    def save(self, form):
        weekly_slots_save(cohort=self.cohort, slots=form.slots())

    def success_text(self, saved):
        return _("Weekly slots saved. Create the plan again for the sessions to follow them.")

    def success_url_for(self, saved):
        return self.plan_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sessions = list(GroupSession.objects.visible_to(self.membership)
                        .filter(cohort=self.cohort).select_related("module")
                        .prefetch_related("coaches").order_by("held_on", "starts_at", "pk"))
        clashes = planned_clashes(cohort=self.cohort, sessions=sessions)
        visible = _visible_cohorts(self.membership, clashes.values())
        for s in sessions:
            s.clash_texts = [clash_text(c, visible) for c in clashes.get(s.pk, ())]
        context.update(sessions=sessions, today=timezone.localdate(), slots=self.slots(),
                       has_planned=any(s.status == GroupSession.Status.PLANNED
                                       for s in sessions))
        return context


class PlanGenerateView(ServiceFormMixin, PlanTabMixin, FormView):
    """The plan as it would be written (dates, modules, holidays skipped, clashes, what is
    replaced); written once confirmed."""

    template_name = "coaching/plan_generate.html"
    form_class = forms.Form

    def save(self, form):
        return plan_generate(cohort=self.cohort, by=self.membership)

    def success_text(self, count):
        return ngettext("Plan created: %(count)s session planned.",
                        "Plan created: %(count)s sessions planned.", count) % {"count": count}

    def success_url_for(self, count):
        return self.plan_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        preview = plan_preview(cohort=self.cohort)
        visible = _visible_cohorts(self.membership, (i.clashes for i in preview.items))
        context.update(preview=preview, items=[
            {"item": i, "clashes": [clash_text(c, visible) for c in i.clashes]}
            for i in preview.items])
        return context


class PlannedSessionFormView(ServiceFormMixin, PlanTabMixin, FormView):
    """Add a planned session or move one; a clash is shown, and saved only when confirmed."""

    template_name = "coaching/plan_session_form.html"
    form_class = PlannedSessionForm
    session = None
    clashes = ()

    def get_form_kwargs(self):
        module = self.session.module_id if self.session is not None else None
        modules = Module.objects.visible_to(self.membership).filter(
            Q(is_active=True) | Q(pk=module))
        return {**super().get_form_kwargs(), "cohort": self.cohort, "modules": modules}

    def save(self, form):
        return planned_session_save(cohort=self.cohort, by=self.membership,
                                    session=self.session, **form.cleaned_data)

    def refused(self, form, error):
        if any(e.code == "clash" for e in getattr(error, "error_list", ())):
            self.clashes = error.messages  # a warning: the form is kept as it was typed
            return self.form_invalid(form)
        return super().refused(form, error)

    def success_text(self, session):
        return _("Planned session on %(date)s saved.") % {
            "date": session.held_on.strftime("%d.%m.%Y")}

    def success_url_for(self, session):
        return self.plan_url()

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "clashes": self.clashes,
                "session": self.session}


class PlannedSessionCreateView(PlannedSessionFormView):
    def get_initial(self):
        today = timezone.localdate()
        slot = WeeklySlot.objects.visible_to(self.membership).filter(cohort=self.cohort).first()
        initial = {"held_on": min(max(today, self.cohort.planned_start), self.cohort.planned_end),
                   "coaches": [cc.user_id for cc in self.cohort.cohort_coaches.all()]}
        if slot is not None:
            initial.update(starts_at=slot.starts_at, ends_at=slot.ends_at, room=slot.room)
        return initial


class PlannedSessionMixin:
    """One planned session of the cohort (404 when not visible); a held or cancelled one is
    not changed here: back to the plan, saying why."""

    model = GroupSession
    cohort_url_kwarg = "cohort_pk"

    @cached_property
    def session(self):
        return get_object_or_404(
            GroupSession.objects.visible_to(self.membership).filter(cohort=self.cohort)
            .prefetch_related("coaches"), pk=self.kwargs["pk"])

    def load_objects(self):
        self.session  # noqa: B018 - fetched for its 404

    def get(self, request, *args, **kwargs):
        return self.not_planned() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self.not_planned() or super().post(request, *args, **kwargs)

    def not_planned(self):
        if self.session.status == GroupSession.Status.PLANNED:
            return None
        if self.session.status == GroupSession.Status.HELD:
            messages.info(self.request, _("The session on %(date)s has been held: it is "
                                          "changed with its attendance.") % {
                "date": self.session.held_on.strftime("%d.%m.%Y")})
        else:
            messages.info(self.request, _("The session on %(date)s was cancelled.") % {
                "date": self.session.held_on.strftime("%d.%m.%Y")})
        return redirect(self.plan_url())


class PlannedSessionUpdateView(PlannedSessionMixin, PlannedSessionFormView):
    def get_initial(self):
        s = self.session
        return {"held_on": s.held_on, "starts_at": s.starts_at, "ends_at": s.ends_at,
                "module": s.module_id, "room": s.room, "coaches": [c.pk for c in s.coaches.all()]}


class PlannedSessionCancelView(PlannedSessionMixin, ServiceFormMixin, PlanTabMixin, FormView):
    """Asks once, then cancels: the session stays in the plan as cancelled."""

    template_name = "coaching/plan_session_cancel.html"
    form_class = forms.Form

    def save(self, form):
        return planned_session_cancel(session=self.session, by=self.membership)

    def success_text(self, session):
        return _("Session on %(date)s cancelled.") % {"date": session.held_on.strftime("%d.%m.%Y")}

    def success_url_for(self, session):
        return self.plan_url()

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "session": self.session}


class CurriculumView(ServiceFormMixin, ManageMixin, FormView):
    """A programme's curriculum: the admin changes it, the team lead reads it."""

    model = Programme
    manage_tab = "cohorts:programmes"
    template_name = "coaching/curriculum.html"
    form_class = CurriculumFormSet

    @cached_property
    def programme(self):
        return get_object_or_404(Programme.objects.visible_to(self.membership),
                                 pk=self.kwargs["pk"])

    @cached_property
    def items(self):
        return list(CurriculumItem.objects.visible_to(self.membership)
                    .filter(programme=self.programme).select_related("module"))

    def load_objects(self):
        self.programme  # noqa: B018 - fetched for its 404

    def post(self, request, *args, **kwargs):
        if not self.membership.can(Perm.ADMINISTER):
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def get_initial(self):
        return [{"position": i.position, "module": i.module_id, "sessions": i.sessions}
                for i in self.items]

    def get_form_kwargs(self):
        in_use = {i.module_id for i in self.items}
        modules = {m.pk: m for m in Module.objects.visible_to(self.membership)
                   .filter(Q(is_active=True) | Q(pk__in=in_use)).order_by("name")}
        return {**super().get_form_kwargs(), "form_kwargs": {"modules": modules}}

    def save(self, form):
        items = form.items()
        curriculum_save(programme=self.programme, items=items)
        return items

    def success_text(self, items):
        return ngettext("Curriculum of %(programme)s saved: %(count)s session in all.",
                        "Curriculum of %(programme)s saved: %(count)s sessions in all.",
                        sum(n for _m, n in items)) % {
            "programme": self.programme, "count": sum(n for _m, n in items)}

    def success_url_for(self, items):
        return reverse("coaching:curriculum", kwargs={"jc": self.jobcenter.code,
                                                      "pk": self.programme.pk})

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "programme": self.programme,
                "title": _("Curriculum of %(programme)s") % {"programme": self.programme},
                "items": self.items, "total": sum(i.sessions for i in self.items),
                "back_url": reverse("cohorts:programmes", kwargs={"jc": self.jobcenter.code})}
