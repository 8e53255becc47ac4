"""Form building blocks shared by every app: German dates and times, tenant-limited choices."""

from django import forms
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    """TT.MM.JJJJ as staff write it; a text field, so every browser shows the same format."""

    def __init__(self, attrs=None):
        defaults = {"placeholder": _("DD.MM.YYYY"), "inputmode": "numeric", "autocomplete": "off",
                    "class": "date-input"}
        super().__init__(attrs={**defaults, **(attrs or {})}, format="%d.%m.%Y")


class TimeInput(forms.TimeInput):
    def __init__(self, attrs=None):
        defaults = {"placeholder": _("HH:MM"), "inputmode": "numeric", "autocomplete": "off"}
        super().__init__(attrs={**defaults, **(attrs or {})}, format="%H:%M")


class DateField(forms.DateField):
    widget = DateInput
    default_error_messages = {"invalid": _("Please enter a valid date as DD.MM.YYYY.")}


class TimeField(forms.TimeField):
    widget = TimeInput
    default_error_messages = {"invalid": _("Please enter a time as HH:MM.")}


def apply_errors(form, error):
    """Show a service's ValidationError on the form: field errors next to their fields."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
