"""Form building blocks shared by every app: German dates, times and numbers, tenant-limited
choices."""

import re
from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from .models import RETENTION_MAX_MONTHS, RETENTION_MIN_MONTHS, RETENTION_RANGE_MESSAGE, Site
from .permissions import Role
from .plausible import validate_date

# The empty choice of a select, in words instead of Django's "---------".
CHOOSE = _("– please choose –")
NONE_CHOSEN = _("– none –")
ALL = _("all")


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
    """Every date a person types: TT.MM.JJJJ, between 1990 and two years ahead."""

    widget = DateInput
    default_error_messages = {"invalid": _("Please enter a valid date as DD.MM.YYYY.")}
    default_validators = [validate_date]


class TimeField(forms.TimeField):
    widget = TimeInput
    default_error_messages = {"invalid": _("Please enter a time as HH:MM.")}


# Whole numbers, German thousands grouping allowed: "16", "1.000".
_WHOLE = r"[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)"
_INTEGER = re.compile(_WHOLE)
# German decimals: "38,5", "1.234,5".
_DECIMAL_COMMA = re.compile(_WHOLE + r"(?:,\d+)?")
# A decimal point as browsers and English keyboards send it: "38.5".
_DECIMAL_POINT = re.compile(r"[+-]?\d+\.\d+")
# "1.000" or "38.500" means a thousand to one reader and one to another.
_AMBIGUOUS = re.compile(r"[+-]?\d{1,3}\.\d{3}")


def _typed(value) -> str:
    # Blanks inside, as in "1 000", are a grouping too.
    return re.sub(r"\s", "", str(value))


class NumberInput(forms.TextInput):
    """A number as people write it. A text field with a numeric keyboard: type="number"
    lets the browser read "38,5" in its own locale, and Chromium sent 385."""

    def __init__(self, attrs=None, inputmode="decimal"):
        defaults = {"inputmode": inputmode, "autocomplete": "off"}
        super().__init__(attrs={**defaults, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, (Decimal, float, int)) and not isinstance(value, bool):
            if value == int(value):
                value = int(value)  # 40 hours, not "40,0"
            return formats.number_format(value)  # "38,5" in German, no grouping
        return super().format_value(value)


class IntegerInput(NumberInput):
    def __init__(self, attrs=None):
        super().__init__(attrs, inputmode="numeric")


class IntegerField(forms.IntegerField):
    """A count: "16", also "1.000" as a thousand; "1,5" or "1.5" is refused, never read
    as 1 or 15."""

    widget = IntegerInput
    default_error_messages = {"invalid": _("Please enter a whole number, such as 16.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = _typed(value)
        if not _INTEGER.fullmatch(text):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return int(text.replace(".", ""))


class DecimalField(forms.DecimalField):
    """A number with decimals: "38,5" and "38.5" are 38.5, "1.234,5" is 1234.5."""

    widget = NumberInput
    default_error_messages = {
        "invalid": _("Please enter a number, such as 38.5."),
        "ambiguous": _("Unclear whether a thousand or a decimal is meant: please write "
                       "decimals with a comma, such as 38,5."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = _typed(value)
        if _AMBIGUOUS.fullmatch(text):
            raise forms.ValidationError(self.error_messages["ambiguous"], code="ambiguous")
        if _DECIMAL_POINT.fullmatch(text):
            return Decimal(text)
        if _DECIMAL_COMMA.fullmatch(text):
            return Decimal(text.replace(".", "").replace(",", "."))
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


def number_formfield(db_field, **kwargs):
    """A ModelForm's `formfield_callback`: the model's numbers as German input."""
    if isinstance(db_field, models.DecimalField):
        kwargs.setdefault("form_class", DecimalField)
    elif isinstance(db_field, models.IntegerField) and not db_field.choices:
        kwargs.setdefault("form_class", IntegerField)
    return db_field.formfield(**kwargs)


def apply_errors(form, error):
    """Show a service's ValidationError on the form: field errors next to their fields."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class StaffForm(forms.Form):
    """Invite a person (e-mail and names) or change their role, sites and access."""

    email = forms.EmailField(label=_("E-mail address"))
    first_name = forms.CharField(
        label=_("First name"), required=False, max_length=150,
        help_text=_("For a new account only: a person who already has an account (in another "
                    "jobcenter, say) keeps their name."))
    last_name = forms.CharField(label=_("Last name"), required=False, max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    sites = forms.ModelMultipleChoiceField(
        queryset=None, required=False, label=_("Sites"), widget=forms.CheckboxSelectMultiple,
        help_text=_("Where the person mainly works; none means all."),
    )
    is_active = forms.BooleanField(
        label=_("Active"), required=False, initial=True,
        help_text=_("Without it, the person has no access to this jobcenter any more. "
                    "Everything they recorded stays."),
    )

    def __init__(self, *args, jobcenter, inviting: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sites"].queryset = Site.objects.for_jobcenter(jobcenter).filter(
            is_active=True)
        if inviting:
            del self.fields["is_active"]
        else:
            for name in ("email", "first_name", "last_name"):
                del self.fields[name]


class RetentionForm(forms.Form):
    """The deletion period; `confirmed` is set by the confirmation step, after the count."""

    retention_months = IntegerField(
        label=_("Retention period (months)"),
        validators=[MinValueValidator(RETENTION_MIN_MONTHS, RETENTION_RANGE_MESSAGE),
                    MaxValueValidator(RETENTION_MAX_MONTHS, RETENTION_RANGE_MESSAGE)],
        help_text=_("Participants are anonymised this long after their last enrolment ended "
                    "(6 to 120 months)."),
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)
