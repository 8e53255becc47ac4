"""The forms of a person's documents page; each posts to its own address."""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobcenters.forms import DateField

from .models import ApplicantProfile, CardLink, Consent
from .uploads import megabytes


class ProfileForm(forms.ModelForm):
    class Meta:
        model = ApplicantProfile
        fields = ("wished_occupation", "strengths", "availability", "languages",
                  "contact_phone", "contact_email")
        labels = {
            "wished_occupation": _("Wished occupation"),
            "strengths": _("Strengths"),
            "availability": _("Availability"),
            "languages": _("Languages"),
            "contact_phone": _("Telephone to share"),
            "contact_email": _("E-mail to share"),
        }
        help_texts = {
            "availability": _("E.g. “from 1 March, full time”."),
            "languages": _("E.g. “German (B1), Arabic”."),
        }
        widgets = {"strengths": forms.Textarea(attrs={"rows": 3})}


class CvForm(forms.Form):
    cv = forms.FileField(
        label=_("CV (PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
        error_messages={"required": _("Please choose the CV's PDF file.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cv"].help_text = _("PDF only, at most %(mb)s MB.") % {
            "mb": megabytes(settings.CV_MAX_BYTES)}


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("Photo (JPEG or PNG)"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
        error_messages={"required": _("Please choose a picture.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photo"].help_text = _(
            "At most %(mb)s MB; stored as a small picture without location or camera "
            "data.") % {"mb": megabytes(settings.PHOTO_MAX_BYTES)}


class ConsentForm(forms.Form):
    given_on = DateField(label=_("Given on"))
    valid_until = DateField(label=_("Valid until"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["given_on"].initial = today
        self.fields["valid_until"].initial = today + timedelta(days=365)

    def clean(self):
        data = super().clean()
        given_on, valid_until = data.get("given_on"), data.get("valid_until")
        if given_on and valid_until and valid_until < given_on:
            self.add_error("valid_until", _("The consent must not end before it was given."))
        return data


class ChoiceForm(forms.Form):
    """A button about one row of the page (which one: a hidden field, limited to the
    person's rows the member reaches)."""

    field_name = ""

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[self.field_name] = forms.ModelChoiceField(
            queryset=queryset, widget=forms.HiddenInput,
            error_messages={"invalid_choice": _("This entry no longer exists.")})


class ConsentWithdrawForm(ChoiceForm):
    field_name = "consent"


class LinkRevokeForm(ChoiceForm):
    field_name = "link"


def consent_choices(membership, participant):
    return Consent.objects.visible_to(membership).filter(participant=participant).distinct()


def link_choices(membership, participant):
    return CardLink.objects.visible_to(membership).filter(participant=participant).distinct()
