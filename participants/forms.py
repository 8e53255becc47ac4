from django import forms
from django.utils.translation import gettext_lazy as _

from jobcenters.forms import ALL, CHOOSE, DateField, number_formfield
from jobcenters.models import User
from jobcenters.permissions import Data, reaches
from jobcenters.plausible import validate_birth_year

from .fields import customer_number_error, normalise_customer_number
from .models import Enrolment, Participant


class ParticipantForm(forms.ModelForm):
    class Meta:
        model = Participant
        fields = ["customer_number", "first_name", "last_name", "birth_year", "gender",
                  "language_level", "long_term_unemployed", "topping_up", "refugee",
                  "single_parent", "health_limitations", "notes"]
        formfield_callback = number_formfield
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def clean_customer_number(self):
        value = normalise_customer_number(self.cleaned_data["customer_number"])
        if message := customer_number_error(value):
            raise forms.ValidationError(message)
        return value

    def clean_birth_year(self):
        value = self.cleaned_data["birth_year"]
        validate_birth_year(value)
        return value


class EnrolmentForm(forms.ModelForm):
    assigned_on = DateField(label=_("Assigned on"), required=False)
    info_event_on = DateField(label=_("Information event attended on"), required=False)
    joined_on = DateField(
        label=_("Joined on"), required=False,
        help_text=_("Empty: assigned, not started yet."),
    )
    cooperation_plan_on = DateField(label=_("Kooperationsplan on"), required=False)
    cooperation_plan_review_on = DateField(
        label=_("Next review of the Kooperationsplan"), required=False,
        help_text=_("Empty: six months after the Kooperationsplan."),
    )

    class Meta:
        model = Enrolment
        fields = ["assigned_on", "info_event_on", "joined_on", "cooperation_plan_on",
                  "cooperation_plan_review_on", "is_voluntary", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


class ExitForm(forms.Form):
    exit_on = DateField(label=_("Exit on"))
    # Nothing preselected: an exit reason is chosen on purpose, never by default.
    exit_reason = forms.ChoiceField(label=_("Exit reason"),
                                    choices=[("", CHOOSE), *Enrolment.ExitReason.choices])
    dropout_reason = forms.ChoiceField(
        label=_("Dropout reason"), required=False,
        choices=[("", "—"), *Enrolment.DropoutReason.choices],
        help_text=_("Only for a dropout."),
    )


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Customer number or name"), required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class AuditFilterForm(forms.Form):
    customer_number = forms.CharField(label=_("Customer number"), required=False)
    user = forms.ModelChoiceField(queryset=None, required=False, label=_("Changed by"),
                                  empty_label=ALL)
    since = DateField(label=_("From"), required=False)
    until = DateField(label=_("Until"), required=False)

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(
            memberships__jobcenter=membership.jobcenter).order_by("last_name", "first_name")
        if not reaches(membership.role, Data.IDENTITY):
            del self.fields["customer_number"]
