from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import modelform_factory
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView

from .forms import StaffForm, apply_errors, number_formfield
from .kept_form import kept_form_data
from .models import Membership, Site
from .navigation import ADMIN_TABS
from .permissions import Perm, Role
from .services import (
    AlreadyStaff,
    site_save,
    staff_change,
    staff_invitation_resend,
    staff_invite,
)


class TenantMixin:
    """A view inside a jobcenter: the middleware resolved it; this checks the role's right.

    A role without the right gets 403 for the jobcenter's own objects, but 404 for an
    object the jobcenter does not have: nobody learns which ids exist elsewhere.
    """

    permission: Perm | None = None
    model = None

    def dispatch(self, request, *args, **kwargs):
        if request.membership is None:
            raise PermissionDenied
        if self.permission is not None and not request.membership.can(self.permission):
            pk = kwargs.get("pk")
            if pk is not None and not self.model.objects.filter(
                    pk=pk, jobcenter=request.jobcenter).exists():
                raise Http404
            raise PermissionDenied
        self.jobcenter = request.jobcenter
        self.membership = request.membership
        self.load_objects()
        return super().dispatch(request, *args, **kwargs)

    def load_objects(self):
        """Fetch the objects named in the URL (404 when not visible) before any handler."""


class FilteredListMixin:
    """A paginated django-filter list inside a jobcenter: the filters get the member (their
    choices follow the reach), the template gets the query without the page (for the pager)
    and whether anything is filtered (for "Zurücksetzen"). `default_filters` are the
    list's own defaults, which do not count as filtering."""

    paginate_by = 25
    default_filters: dict[str, str] = {}

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "membership": self.membership}

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        filtered = any(value and self.default_filters.get(key) != value
                       for key, value in query.items())
        return {**super().get_context_data(**kwargs), "query": query.urlencode(),
                "filtered": filtered}


class ServiceFormMixin:
    """The one way from a form to a domain service (STYLE.md), for a FormView.

    `save(form)` calls the service, which checks and writes in its own transaction; a
    `ValidationError` it raises lands next to the fields it names (or above the form) and
    nothing is saved. Views never save models or open transactions themselves.
    """

    def save(self, form):
        raise NotImplementedError

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if (kept := kept_form_data(self.request)) is not None:
            kwargs["data"] = kept  # sent after the login had expired
        return kwargs

    def success_text(self, saved) -> str:
        return ""

    def success_url_for(self, saved) -> str:
        raise NotImplementedError

    def refused(self, form, error: ValidationError):
        """The service said no: its errors onto the form, which is shown again."""
        apply_errors(form, error)
        return self.form_invalid(form)

    def form_valid(self, form):
        try:
            saved = self.save(form)
        except ValidationError as error:
            return self.refused(form, error)
        if text := self.success_text(saved):
            messages.success(self.request, text)
        return redirect(self.success_url_for(saved))


class ManageMixin(TenantMixin):
    """The administration area, with its tabs: the admin changes it, the team lead reads it."""

    permission = Perm.VIEW_SETUP
    manage_tab = ""  # the URL name of the tab this page belongs to

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs),
                "admin_tabs": ADMIN_TABS.links(self.membership, current=self.manage_tab),
                "may_manage": self.membership.can(Perm.ADMINISTER)}


class SiteListView(ManageMixin, ListView):
    manage_tab = "jobcenters:sites"
    template_name = "jobcenters/site_list.html"
    context_object_name = "sites"

    def get_queryset(self):
        return Site.objects.visible_to(self.membership)


class StaffListView(ManageMixin, ListView):
    manage_tab = "jobcenters:staff"
    template_name = "jobcenters/staff_list.html"
    context_object_name = "staff"
    paginate_by = 50

    def get_queryset(self):
        return (
            Membership.objects.filter(jobcenter=self.jobcenter)
            .select_related("user")
            .prefetch_related("sites")
            .order_by("user__last_name", "user__first_name")
        )


def safe_next(request, default: str) -> str:
    """The `next` address from the form, if it points into this site; else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


class ConfigFormView(ServiceFormMixin, ManageMixin, FormView):
    """Create or change a row of the jobcenter's configuration (sites, programmes, modules)
    through the row's service (`service`, called with the row as `<model name>=`)."""

    permission = Perm.ADMINISTER
    template_name = "jobcenters/manage_form.html"
    fields: tuple = ()
    list_url = ""
    labels: dict = {}
    service = None

    @cached_property
    def instance(self):
        pk = self.kwargs.get("pk")
        if pk is None:
            return self.model(jobcenter=self.jobcenter)
        return get_object_or_404(self.model.objects.for_jobcenter(self.jobcenter), pk=pk)

    def load_objects(self):
        self.instance  # noqa: B018 - fetched for its 404

    def get_form_class(self):
        return modelform_factory(self.model, fields=self.fields, labels=self.labels,
                                 widgets={"description": forms.Textarea(attrs={"rows": 3})},
                                 formfield_callback=number_formfield)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.instance}

    def save(self, form):
        row = {self.model._meta.model_name: self.instance if self.instance.pk else None}
        return self.service(jobcenter=self.jobcenter, **row, **form.cleaned_data)

    def success_text(self, row):
        return _("%(name)s saved.") % {"name": row}

    def success_url_for(self, row):
        return reverse(self.list_url, kwargs={"jc": self.jobcenter.code})

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": self.model._meta.verbose_name,
                "back_url": reverse(self.list_url, kwargs={"jc": self.jobcenter.code})}


class SiteFormView(ConfigFormView):
    model = Site
    service = staticmethod(site_save)
    fields = ("name", "street", "postal_code", "town", "is_outreach", "is_active")
    list_url = "jobcenters:sites"
    manage_tab = "jobcenters:sites"


class StaffFormView(ServiceFormMixin, ManageMixin, FormView):
    """Invite a person (new), or change their role, sites and access (existing).

    Nobody opens their own membership here: an admin does not make himself team lead.
    """

    permission = Perm.ADMINISTER
    template_name = "jobcenters/staff_form.html"
    form_class = StaffForm
    manage_tab = "jobcenters:staff"
    model = Membership

    @cached_property
    def membership_object(self):
        pk = self.kwargs.get("pk")
        if pk is None:
            return None
        return get_object_or_404(Membership.objects.filter(jobcenter=self.jobcenter)
                                 .select_related("user"), pk=pk)

    def load_objects(self):
        member = self.membership_object
        if member is not None and member.user_id == self.request.user.pk:
            raise PermissionDenied

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "jobcenter": self.jobcenter,
                "inviting": self.membership_object is None}

    def get_initial(self):
        m = self.membership_object
        if m is None:
            return {"role": Role.COACH}
        return {"role": m.role, "sites": list(m.sites.all()), "is_active": m.is_active}

    def save(self, form):
        data = form.cleaned_data
        if self.membership_object is None:
            return staff_invite(
                jobcenter=self.jobcenter, email=data["email"], role=data["role"],
                first_name=data["first_name"], last_name=data["last_name"],
                sites=data["sites"], base_url=self.request.build_absolute_uri("/"))
        return staff_change(membership=self.membership_object, role=data["role"],
                            sites=data["sites"], is_active=data["is_active"],
                            by=self.request.user)

    def refused(self, form, error):
        if isinstance(error, AlreadyStaff):  # with a link to where their role is changed
            url = reverse("jobcenters:staff_update",
                          kwargs={"jc": self.jobcenter.code, "pk": error.membership.pk})
            form.add_error("email", format_html('{} <a href="{}">{}</a>', error.message, url,
                                                _("Change their role and access")))
            return self.form_invalid(form)
        return super().refused(form, error)

    def success_text(self, membership):
        if self.membership_object is not None:
            text = _("%(email)s saved.")
        elif membership.invited_at is not None:
            text = _("%(email)s was invited; the e-mail with the link is on its way.")
        else:
            text = _("%(email)s has access to this jobcenter now, with their existing account.")
        return text % {"email": membership.user.email}

    def success_url_for(self, membership):
        return reverse("jobcenters:staff", kwargs={"jc": self.jobcenter.code})

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "member": self.membership_object}


class StaffInvitationResendView(ManageMixin, View):
    """Send an invitation again (a new one-time link), e.g. after the mail server was down."""

    permission = Perm.ADMINISTER
    model = Membership
    http_method_names = ["post"]

    def load_objects(self):
        self.member = get_object_or_404(Membership.objects.filter(jobcenter=self.jobcenter)
                                        .select_related("user"), pk=self.kwargs["pk"])

    def post(self, request, *args, **kwargs):
        member = self.member
        try:
            staff_invitation_resend(membership=member, base_url=request.build_absolute_uri("/"),
                                    by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The invitation to %(email)s is on its way again.") % {
                "email": member.user.email})
        return redirect("jobcenters:staff", jc=self.jobcenter.code)
