import uuid
from datetime import date, timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView
from django_scopes import scope

from cohorts.views import CohortTabMixin
from jobcenters.filenames import file_slug
from jobcenters.forms import DateField
from jobcenters.kept_form import kept_form_data
from jobcenters.pdf import PdfFormatMixin
from jobcenters.permissions import Perm
from jobcenters.plausible import is_plausible_date
from jobcenters.views import (
    ConfigFormView,
    ManageMixin,
    ServiceFormMixin,
    TenantMixin,
    safe_next,
)
from participants.models import Enrolment
from participants.selectors import cohort_enrolments_on
from participants.views import EnrolmentPageMixin

from .calendar import REFRESH, calendar_feed, feed_membership
from .forms import CalendarAddressForm, IndividualSessionForm, SessionForm
from .models import GroupSession, IndividualSession, Module
from .selectors import attendance_matrix, cohort_sessions, planned_in_slot
from .services import (
    AlreadyRecordedError,
    StaleSessionError,
    calendar_token_renew,
    calendar_token_revoke,
    individual_session_may_correct,
    individual_session_record,
    individual_session_remove,
    individual_session_update,
    module_save,
    session_delete,
    session_record,
    session_update,
)


class CohortSessionsView(CohortTabMixin, TemplateView):
    permission = Perm.RECORD_SESSIONS
    tab = "coaching:sessions"
    template_name = "coaching/cohort_sessions.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs),
                "sessions": cohort_sessions(self.cohort).prefetch_related("coaches"),
                "planned_count": GroupSession.objects.filter(
                    cohort=self.cohort, status=GroupSession.Status.PLANNED).count()}


class AttendanceMatrixView(CohortTabMixin, TemplateView):
    permission = Perm.RECORD_SESSIONS
    tab = "coaching:matrix"
    template_name = "coaching/attendance_matrix.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs),
                "matrix": attendance_matrix(self.cohort, today=timezone.localdate())}


class SessionFormView(ServiceFormMixin, CohortTabMixin, FormView):
    """Record or change a session and everyone's attendance on one page."""

    permission = Perm.RECORD_SESSIONS
    tab = "coaching:sessions"
    form_class = SessionForm
    template_name = "coaching/session_form.html"
    session = None
    twin = None  # the session already recorded in the slot the form asks for
    from_plan = False  # the session saved was planned until now

    def session_day(self) -> date:
        """The date whose participants are listed: the posted or requested one, if valid."""
        sent = kept_form_data(self.request) or self.request.POST
        raw = sent.get("held_on") or self.request.GET.get("held_on")
        if raw:
            try:
                return DateField().clean(raw)
            except ValidationError:
                pass
        if self.session is not None:
            return self.session.held_on
        today = timezone.localdate()
        return min(max(today, self.cohort.planned_start), self.cohort.planned_end)

    def get_initial(self):
        if self.session is None:
            return {"held_on": self.session_day(), "token": uuid.uuid4(), "coaches": [
                cc.user_id for cc in self.cohort.cohort_coaches.all()]}
        s = self.session
        coaches = [c.pk for c in s.coaches.all()]
        if self.from_plan and not coaches:  # planned without coaches: the cohort's
            coaches = [cc.user_id for cc in self.cohort.cohort_coaches.all()]
        initial = {"held_on": self.session_day(), "starts_at": s.starts_at,
                   "ends_at": s.ends_at, "module": s.module_id, "room": s.room,
                   "notes": s.notes, "version": s.version, "coaches": coaches}
        for a in s.attendances.all():
            initial[f"status_{a.enrolment_id}"] = a.status
            initial[f"note_{a.enrolment_id}"] = a.note
        return initial

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "cohort": self.cohort,
                "roster": cohort_enrolments_on(self.cohort, self.session_day())}

    def post(self, request, *args, **kwargs):
        if "reload" in request.POST:
            form = self.get_form()
            form.is_valid()
            return self.with_roster_for_date(form)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        if not form.roster_matches():
            messages.warning(self.request, _(
                "The list of participants was adapted to the new date. Please check the "
                "attendance and save again."))
            return self.with_roster_for_date(form)
        try:
            return super().form_valid(form)
        except StaleSessionError:
            return self.stale(form)
        except AlreadyRecordedError as sent_before:  # a double click: the first one saved it
            messages.info(self.request, _(
                "The session on %(date)s had already been saved; the form was sent twice. "
                "Nothing was saved a second time.") % {
                "date": sent_before.session.held_on.strftime("%d.%m.%Y")})
            return self.saved(sent_before.session)

    def refused(self, form, error):
        self.twin = duplicate_of(error)  # "already recorded": a link to that session
        return super().refused(form, error)

    def success_text(self, session):
        params = {"date": session.held_on.strftime("%d.%m.%Y"),
                  "count": session.attendances.count()}
        if self.from_plan:
            return _("The planned session on %(date)s is recorded, with attendance of "
                     "%(count)s participants.") % params
        return _("Session on %(date)s saved with attendance of %(count)s participants.") % params

    def success_url_for(self, session):
        # Back to `next` ("Heute", where the session was opened), else to the matrix.
        return safe_next(self.request, reverse("coaching:matrix", kwargs={
            "jc": self.jobcenter.code, "pk": self.cohort.pk}))

    def saved(self, session):
        return redirect(self.success_url_for(session))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["from_plan"] = self.from_plan
        context["back_url"] = safe_next(self.request, reverse("coaching:sessions", kwargs={
            "jc": self.jobcenter.code, "pk": self.cohort.pk}))
        if self.twin is not None:
            context["twin_url"] = reverse("coaching:session_update", kwargs={
                "jc": self.jobcenter.code, "cohort_pk": self.cohort.pk, "pk": self.twin})
        return context

    def with_roster_for_date(self, form):
        """List the people enrolled on the form's date, keeping everything typed so far."""
        typed = {name: form.cleaned_data[name] for name in form.fields
                 if name in form.cleaned_data and name in form.data and name != "roster"}
        fresh = self.get_form_class()(cohort=self.cohort, roster=form.roster,
                                      initial={**self.get_initial(), **typed})
        return self.render_to_response(self.get_context_data(form=fresh))

    def stale(self, form):
        current = GroupSession.objects.get(pk=self.session.pk)
        data = form.data.copy()
        data["version"] = current.version
        form = self.get_form_class()(data, cohort=self.cohort, roster=form.roster)
        form.is_valid()
        form.add_error(None, _(
            "Someone else saved this session in the meantime. Your entries are still here; "
            "if you save again, they replace the saved ones."))
        return self.form_invalid(form)


def duplicate_of(error: ValidationError) -> int | None:
    """The id of the session that a refusal as a duplicate names."""
    for refusal in getattr(error, "error_dict", {}).get("held_on", []):
        if refusal.code == "duplicate_session":
            return refusal.params["session"]
    return None


class SessionCreateView(SessionFormView):
    def save(self, form):
        data = form.session_data()
        # The service records into a planned session of the slot; the message says so.
        self.from_plan = planned_in_slot(cohort=self.cohort, held_on=data.held_on,
                                         starts_at=data.starts_at) is not None
        return session_record(cohort=self.cohort, data=data,
                              attendance=form.attendance(), token=form.cleaned_data["token"])


class SessionUpdateView(SessionFormView):
    model = GroupSession
    cohort_url_kwarg = "cohort_pk"

    @cached_property
    def session(self):
        # A cancelled session has no attendance to record.
        return get_object_or_404(
            GroupSession.objects.filter(cohort=self.cohort)
            .exclude(status=GroupSession.Status.CANCELLED)
            .prefetch_related("attendances", "coaches"),
            pk=self.kwargs["pk"],
        )

    def load_objects(self):
        self.from_plan = self.session.status == GroupSession.Status.PLANNED

    def save(self, form):
        return session_update(session=self.session, version=form.cleaned_data["version"] or 0,
                              data=form.session_data(), attendance=form.attendance())

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "session": self.session}


class SessionDeleteView(ServiceFormMixin, CohortTabMixin, FormView):
    """Asks once, saying how many attendance records go with the session, then deletes."""

    permission = Perm.RECORD_SESSIONS
    tab = "coaching:sessions"
    model = GroupSession
    cohort_url_kwarg = "cohort_pk"
    form_class = forms.Form
    template_name = "coaching/session_confirm_delete.html"

    @cached_property
    def session(self):
        return get_object_or_404(GroupSession.objects.filter(cohort=self.cohort),
                                 pk=self.kwargs["pk"])

    def load_objects(self):
        self.session  # noqa: B018 - fetched for its 404

    def save(self, form):
        return session_delete(session=self.session, by=self.membership)

    def success_text(self, count):
        return _("Session on %(date)s deleted, with %(count)s attendance records.") % {
            "date": self.session.held_on.strftime("%d.%m.%Y"), "count": count}

    def success_url_for(self, count):
        return reverse("coaching:sessions", kwargs={"jc": self.jobcenter.code,
                                                    "pk": self.cohort.pk})

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "session": self.session,
                "attendance_count": self.session.attendances.count()}


class SessionPrintView(PdfFormatMixin, CohortTabMixin, TemplateView):
    """Attendance list to sign: for one session, for all sessions of a week (the planned
    ones too, marked so: coaches print the list before the session), or blank for a day."""

    permission = Perm.RECORD_SESSIONS
    template_name = "coaching/attendance_print.html"
    pdf_template = "coaching/attendance_print_pdf.html"  # a page per sheet

    def sessions(self):
        sessions = (GroupSession.objects.filter(cohort=self.cohort)
                    .exclude(status=GroupSession.Status.CANCELLED).select_related("module"))
        session_pk = self.request.GET.get("session", "")
        if session_pk.isdecimal():  # not isdigit(): int("²") fails
            return sessions.filter(pk=int(session_pk))
        monday = self.week_start()
        return sessions.filter(held_on__gte=monday, held_on__lt=monday + timedelta(days=7))

    def week_start(self) -> date:
        raw = self.request.GET.get("week", "")
        try:
            day = date.fromisoformat(raw)
        except ValueError:
            day = None
        if day is None or not is_plausible_date(day):  # 0001-01-01 has no week before
            day = timezone.localdate()
        return day - timedelta(days=day.weekday())

    def blank_day(self) -> date | None:
        try:
            day = date.fromisoformat(self.request.GET.get("day", ""))
        except ValueError:
            return None
        return day if is_plausible_date(day) else None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        blank_day = self.blank_day()
        if blank_day is not None:
            context["sheets"] = [{"day": blank_day, "session": None,
                                  "people": cohort_enrolments_on(self.cohort, blank_day)}]
        else:
            sessions = list(self.sessions().order_by("held_on", "starts_at"))
            enrolments = list(
                Enrolment.objects.filter(cohort=self.cohort, joined_on__isnull=False)
                .select_related("participant")
                .order_by("participant__last_name", "participant__first_name")
            )
            context["sheets"] = [
                {"day": s.held_on, "session": s,
                 "people": [e for e in enrolments if e.is_enrolled_on(s.held_on)]}
                for s in sessions
            ]
        context["blank_day"] = blank_day or timezone.localdate()
        monday = self.week_start()
        context.update(week_start=monday, week_end=monday + timedelta(days=4),
                       previous_week=monday - timedelta(days=7),
                       next_week=monday + timedelta(days=7))
        query = self.request.GET.copy()
        query["format"] = "pdf"
        context["pdf_url"] = f"?{query.urlencode()}"
        return context

    def pdf_filename(self):
        return f"anwesenheitsliste-{file_slug(self.cohort.code)}.pdf"


class IndividualSessionsView(ServiceFormMixin, EnrolmentPageMixin, FormView):
    """One participant's individual coaching in one cohort: the log and a new entry."""

    permission = Perm.RECORD_SESSIONS
    form_class = IndividualSessionForm
    template_name = "coaching/individual_sessions.html"

    def get_initial(self):
        return {"held_on": timezone.localdate(), "minutes": 30}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        records = list(IndividualSession.objects.visible_to(self.membership)
                       .filter(enrolment=self.enrolment).select_related("coach"))
        for record in records:
            record.may_correct = individual_session_may_correct(record, self.membership)
        context["records"] = records
        return context

    def save(self, form):
        return individual_session_record(enrolment=self.enrolment, coach=self.request.user,
                                         **form.cleaned_data)

    def success_text(self, record):
        return _("Coaching with %(name)s recorded.") % {"name": self.enrolment.participant}

    def success_url_for(self, record):
        return reverse("coaching:individual",
                       kwargs={"jc": self.jobcenter.code, "pk": self.enrolment.pk})


class IndividualSessionMixin(ServiceFormMixin, TenantMixin):
    """One coaching entry, for its author or a team lead: others of the jobcenter get 403,
    and whoever does not see the entry 404."""

    permission = Perm.RECORD_SESSIONS
    model = IndividualSession

    @cached_property
    def record(self):
        return get_object_or_404(
            IndividualSession.objects.visible_to(self.membership)
            .select_related("coach", "enrolment__participant", "enrolment__cohort"),
            pk=self.kwargs["pk"])

    @property
    def enrolment(self):
        return self.record.enrolment

    def load_objects(self):
        if not individual_session_may_correct(self.record, self.membership):
            raise PermissionDenied

    def success_url_for(self, record):
        return reverse("coaching:individual",
                       kwargs={"jc": self.jobcenter.code, "pk": self.enrolment.pk})

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "record": self.record,
                "enrolment": self.enrolment}


class IndividualSessionUpdateView(IndividualSessionMixin, FormView):
    form_class = IndividualSessionForm
    template_name = "coaching/individual_session_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.record}

    def save(self, form):
        return individual_session_update(record=self.record, by=self.membership,
                                         **form.cleaned_data)

    def success_text(self, record):
        return _("Coaching with %(name)s on %(date)s saved.") % {
            "name": self.enrolment.participant, "date": record.held_on.strftime("%d.%m.%Y")}


class IndividualSessionRemoveView(IndividualSessionMixin, FormView):
    form_class = forms.Form
    template_name = "coaching/individual_session_confirm_remove.html"

    def save(self, form):
        individual_session_remove(record=self.record, by=self.membership)
        return self.record

    def success_text(self, record):
        return _("Coaching with %(name)s on %(date)s removed.") % {
            "name": self.enrolment.participant, "date": record.held_on.strftime("%d.%m.%Y")}


class ModuleListView(ManageMixin, ListView):
    template_name = "jobcenters/manage_list.html"
    context_object_name = "rows"
    manage_tab = "coaching:modules"

    def get_queryset(self):
        return Module.objects.for_jobcenter(self.jobcenter).order_by("-is_active", "name")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": _("Module catalogue"),
                "create_url": "coaching:module_create", "edit_url": "coaching:module_update",
                "columns": ["description"]}


class ModuleFormView(ConfigFormView):
    model = Module
    service = staticmethod(module_save)
    fields = ("name", "description", "is_active")
    list_url = "coaching:modules"
    manage_tab = "coaching:modules"


class CalendarView(ServiceFormMixin, TenantMixin, FormView):
    """"Mein Kalender": the member's private calendar address, to create, renew or delete."""

    permission = Perm.LEAD_SESSIONS
    form_class = CalendarAddressForm
    template_name = "coaching/calendar.html"

    def save(self, form):
        if form.cleaned_data["action"] == CalendarAddressForm.RENEW:
            return calendar_token_renew(membership=self.membership)
        return calendar_token_revoke(membership=self.membership)

    def success_text(self, token):
        if token is None:
            return _("The calendar address is deleted; calendars subscribed to it receive "
                     "nothing more.")
        return _("Your calendar address is ready. An address made before no longer works.")

    def success_url_for(self, token):
        return reverse("coaching:calendar", kwargs={"jc": self.jobcenter.code})

    def get_context_data(self, **kwargs):
        token = self.membership.calendar_token
        feed_url = token and self.request.build_absolute_uri(
            reverse("calendar_feed", kwargs={"token": token}))
        return {**super().get_context_data(**kwargs), "feed_url": feed_url}


@method_decorator(login_not_required, name="dispatch")
class CalendarFeedView(View):
    """The calendar feed at its secret address, for calendar programs (no login): an
    unknown or deleted address answers 404."""

    def get(self, request, token):
        membership = feed_membership(token=token)
        if membership is None:
            raise Http404
        with scope(jobcenter=membership.jobcenter):
            body = calendar_feed(membership=membership)
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Cache-Control"] = f"private, max-age={int(REFRESH.total_seconds())}"
        response["Referrer-Policy"] = "no-referrer"
        return response
