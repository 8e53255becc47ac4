"""Form building blocks shared by every app: German dates and times, tenant-limited choices."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
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

    retention_months = forms.IntegerField(
        label=_("Retention period (months)"),
        validators=[MinValueValidator(RETENTION_MIN_MONTHS, RETENTION_RANGE_MESSAGE),
                    MaxValueValidator(RETENTION_MAX_MONTHS, RETENTION_RANGE_MESSAGE)],
        help_text=_("Participants are anonymised this long after their last enrolment ended "
                    "(6 to 120 months)."),
        widget=forms.NumberInput(attrs={"min": RETENTION_MIN_MONTHS,
                                        "max": RETENTION_MAX_MONTHS}),
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)
