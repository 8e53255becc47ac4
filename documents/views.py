"""A person's documents page ("Unterlagen"): the short profile, CV, photo, consent and the
card's links. One page with small forms, each posting to its own address and coming back
(or, refused, showing the page again with the error next to the field)."""

from django import forms
from django.contrib import messages
from django.db.models import Count, Max
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views import View
from django.views.generic import FormView, TemplateView

from jobcenters.permissions import Perm
from jobcenters.views import ServiceFormMixin
from participants.views import ParticipantMixin

from .downloads import stored_file_response
from .forms import (
    ConsentForm,
    ConsentWithdrawForm,
    CvForm,
    LinkRevokeForm,
    PhotoForm,
    ProfileForm,
    consent_choices,
    link_choices,
)
from .models import ApplicantProfile
from .profile_services import cv_remove, cv_store, photo_remove, photo_store, profile_save
from .services import consent_record, consent_withdraw, link_create, link_revoke


def link_status(link, today) -> tuple[str, str]:
    """(key, words) of a link's state, as the list shows it."""
    consent = link.consent
    if link.revoked_at is not None:
        return "revoked", _("revoked")
    if consent.withdrawn_on is not None:
        return "withdrawn", _("consent withdrawn")
    if link.expires_on < today or consent.valid_until < today:
        return "expired", _("expired")
    return "active", _("active")


def consent_status(consent, today) -> tuple[str, str]:
    if consent.withdrawn_on is not None:
        return "withdrawn", pgettext("consent", "withdrawn")
    if consent.valid_until < today:
        return "expired", _("expired")
    if consent.given_on > today:
        return "future", _("not yet in force")
    return "active", _("in force")


class DocumentsMixin(ParticipantMixin):
    """A person the member reaches (404 otherwise), whose documents they manage (403)."""

    permission = Perm.MANAGE_DOCUMENTS
    template_name = "documents/participant_documents.html"

    @cached_property
    def profile(self) -> ApplicantProfile | None:
        return (ApplicantProfile.objects.filter(participant=self.participant)
                .select_related("cv_uploaded_by").first())

    @property
    def person_name(self) -> str:
        return f"{self.participant.first_name} {self.participant.last_name}".strip()

    def page_url(self, anchor: str = "") -> str:
        url = reverse("documents:participant", kwargs={"jc": self.jobcenter.code,
                                                       "pk": self.participant.pk})
        return f"{url}#{anchor}" if anchor else url

    def page_context(self, **bound) -> dict:
        """Everything the page shows; `bound` replaces a blank form by the one sent."""
        person, membership, today = self.participant, self.membership, timezone.localdate()
        consents = list(consent_choices(membership, person).select_related(
            "recorded_by", "withdrawn_by"))
        for consent in consents:
            consent.status, consent.status_text = consent_status(consent, today)
        links = list(link_choices(membership, person).select_related(
            "consent", "created_by", "revoked_by").annotate(
            opening_count=Count("openings"), last_opened_at=Max("openings__opened_at")))
        for link in links:
            link.status, link.status_text = link_status(link, today)
        forms_ = {
            "profile_form": ProfileForm(instance=self.profile),
            "cv_form": CvForm(),
            "photo_form": PhotoForm(),
            "consent_form": ConsentForm(),
            **bound,
        }
        return {
            "participant": person, "profile": self.profile, "consents": consents,
            "consent_in_force": next((c for c in consents if c.status == "active"), None),
            "links": links, "today": today, **forms_,
        }


class DocumentsPageView(DocumentsMixin, TemplateView):
    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **self.page_context()}


class DocumentsActionView(ServiceFormMixin, DocumentsMixin, FormView):
    """A form of the page: POST only; refused, the page again with this form filled in."""

    http_method_names = ["post"]
    context_name = ""  # the form's name on the page
    anchor = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context.pop("form")
        bound = {self.context_name: form} if self.context_name else {}
        if not self.context_name and form.errors:
            for error in form.non_field_errors() or [e for errs in form.errors.values()
                                                     for e in errs]:
                messages.error(self.request, error)
        return {**context, **self.page_context(**bound)}

    def success_url_for(self, saved):
        return self.page_url(self.anchor)


class ProfileSaveView(DocumentsActionView):
    form_class = ProfileForm
    context_name = "profile_form"
    anchor = "profile"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.profile}

    def save(self, form):
        return profile_save(participant=self.participant, **form.cleaned_data)

    def success_text(self, saved):
        return _("Short profile of %(name)s saved.") % {"name": self.person_name}


class CvUploadView(DocumentsActionView):
    form_class = CvForm
    context_name = "cv_form"
    anchor = "cv"

    def save(self, form):
        return cv_store(participant=self.participant, upload=form.cleaned_data["cv"],
                        by=self.request.user)

    def success_text(self, profile):
        return _("CV “%(file)s” saved.") % {"file": profile.cv_name}


class CvRemoveView(DocumentsActionView):
    form_class = forms.Form
    anchor = "cv"

    def save(self, form):
        return cv_remove(participant=self.participant, by=self.request.user)

    def success_text(self, profile):
        return _("The CV of %(name)s was removed.") % {"name": self.person_name}


class PhotoUploadView(DocumentsActionView):
    form_class = PhotoForm
    context_name = "photo_form"
    anchor = "photo"

    def save(self, form):
        return photo_store(participant=self.participant, upload=form.cleaned_data["photo"],
                           by=self.request.user)

    def success_text(self, profile):
        return _("Photo of %(name)s saved.") % {"name": self.person_name}


class PhotoRemoveView(DocumentsActionView):
    form_class = forms.Form
    anchor = "photo"

    def save(self, form):
        return photo_remove(participant=self.participant, by=self.request.user)

    def success_text(self, profile):
        return _("The photo of %(name)s was removed.") % {"name": self.person_name}


class ConsentRecordView(DocumentsActionView):
    form_class = ConsentForm
    context_name = "consent_form"
    anchor = "consent"

    def save(self, form):
        return consent_record(participant=self.participant, by=self.request.user,
                              **form.cleaned_data)

    def success_text(self, consent):
        return _("Consent of %(name)s recorded, valid until %(day)s.") % {
            "name": self.person_name, "day": date_format(consent.valid_until, "SHORT_DATE_FORMAT")}


class ConsentWithdrawView(DocumentsActionView):
    form_class = ConsentWithdrawForm
    anchor = "consent"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(),
                "queryset": consent_choices(self.membership, self.participant)}

    def save(self, form):
        return consent_withdraw(consent=form.cleaned_data["consent"], by=self.request.user)

    def success_text(self, consent):
        return _("The consent of %(name)s was withdrawn; no link of the card opens any "
                 "more.") % {"name": self.person_name}


class LinkCreateView(DocumentsActionView):
    form_class = forms.Form
    anchor = "links"

    def save(self, form):
        return link_create(participant=self.participant, by=self.request.user)

    def success_text(self, link):
        return _("New link of the card created, valid until %(day)s.") % {
            "day": date_format(link.expires_on, "SHORT_DATE_FORMAT")}


class LinkRevokeView(DocumentsActionView):
    form_class = LinkRevokeForm
    anchor = "links"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(),
                "queryset": link_choices(self.membership, self.participant)}

    def save(self, form):
        return link_revoke(link=form.cleaned_data["link"], by=self.request.user)

    def success_text(self, link):
        return _("The link was revoked; it opens nothing any more.")


class StoredFileView(DocumentsMixin, View):
    """A file of the person's profile, for staff only (the storage has no public URL)."""

    field = ""
    download = False

    def get(self, request, *args, **kwargs):
        profile = self.profile
        stored = getattr(profile, self.field) if profile else None
        if not stored:
            if self.field == "cv":
                messages.error(request, _("No CV is stored for this person."))
            return redirect(self.page_url(self.field))
        response = stored_file_response(stored, filename=self.filename(profile),
                                        content_type=self.content_type, download=self.download)
        if response is None:
            raise Http404
        response["Cache-Control"] = "private, no-store"
        return response


class CvDownloadView(StoredFileView):
    field = "cv"
    download = True
    content_type = "application/pdf"

    def filename(self, profile):
        return profile.cv_name or "lebenslauf.pdf"


class PhotoView(StoredFileView):
    field = "photo"
    content_type = "image/jpeg"

    def filename(self, profile):
        return "foto.jpg"
