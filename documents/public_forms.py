"""The answer form on the card's public page ("Kontakt aufnehmen")."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

# A telephone number as people write it: digits with spaces, +, /, -, ( ) and dots.
PHONE = re.compile(r"^\+?[\d\s/().-]{6,30}$")


class CardReplyForm(forms.Form):
    company = forms.CharField(label=_("Company"), max_length=200)
    contact_person = forms.CharField(label=_("Contact person"), max_length=120)
    contact = forms.CharField(
        label=_("E-mail or telephone"), max_length=200,
        help_text=_("So that the jobcenter can answer you."))
    message = forms.CharField(label=_("Message"), max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 5}))
    # Left empty by people (it is hidden); a program filling in every field fills it too.
    website = forms.CharField(label=_("Leave this field empty"), required=False,
                              widget=forms.TextInput(attrs={"tabindex": "-1",
                                                            "autocomplete": "off"}))

    def clean_contact(self):
        contact = self.cleaned_data["contact"].strip()
        if "@" in contact:
            try:
                validate_email(contact)
            except ValidationError:
                raise ValidationError(_("Please enter a valid e-mail address.")) from None
        elif not PHONE.match(contact) or sum(ch.isdigit() for ch in contact) < 6:
            raise ValidationError(_("Please enter an e-mail address or a telephone number."))
        return contact

    @property
    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))
