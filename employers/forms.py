from django import forms
from django.utils.translation import gettext_lazy as _

from jobcenters.forms import CHOOSE, NONE_CHOSEN, DateField, DecimalField, number_formfield

from .models import (
    Application,
    ContactPerson,
    Employer,
    EmployerActivity,
    FollowUp,
    Integration,
    Vacancy,
)


class FollowUpForm(forms.Form):
    still_employed = forms.ChoiceField(
        label=_("Still employed?"), widget=forms.RadioSelect,
        choices=[c for c in FollowUp.Answer.choices if c[0]],
    )
    checked_on = DateField(label=_("Checked on"))


class IntegrationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Integration.Kind.choices)
    start_on = DateField(label=_("Start of work"))
    employer = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Employer"), empty_label=NONE_CHOSEN,
        help_text=_("Choose a known employer, or type a new name below."),
    )
    employer_name = forms.CharField(label=_("New employer"), required=False, max_length=200)
    weekly_hours = DecimalField(label=_("Weekly hours"), required=False, min_value=1,
                                max_value=60, decimal_places=1)
    subsidy = forms.ChoiceField(label=_("Subsidy"), required=False,
                                choices=Integration.Subsidy.choices)

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = Employer.objects.visible_to(membership)

    def clean(self):
        data = super().clean()
        if data.get("employer") and data.get("employer_name"):
            self.add_error("employer_name", _(
                "Either choose an employer or type a new name, not both."))
        return data


class EmployerForm(forms.ModelForm):
    accept_duplicate = forms.BooleanField(
        required=False, label=_("This is a different employer: save it anyway"))

    class Meta:
        model = Employer
        fields = ["name", "sector", "town", "size", "consent_to_contact", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class ContactForm(forms.ModelForm):
    class Meta:
        model = ContactPerson
        fields = ["name", "position", "phone", "email"]



class VacancyForm(forms.ModelForm):
    starts_on = DateField(label=_("Start"), required=False)

    class Meta:
        model = Vacancy
        fields = ["title", "occupation", "weekly_hours", "location", "starts_on", "places",
                  "status"]
        formfield_callback = number_formfield



class ActivityForm(forms.ModelForm):
    happened_on = DateField(label=_("Date"))
    next_step_due_on = DateField(label=_("Next step due on"), required=False)
    cohort = forms.ModelChoiceField(queryset=None, required=False, label=_("Cohort"),
                                    empty_label=NONE_CHOSEN)

    class Meta:
        model = EmployerActivity
        fields = ["kind", "happened_on", "cohort", "outcome", "next_step", "next_step_due_on"]
        widgets = {"outcome": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, cohorts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohorts



class ApplicationForm(forms.Form):
    enrolment = forms.ModelChoiceField(queryset=None, label=_("Participant"), empty_label=CHOOSE)
    employer = forms.ModelChoiceField(queryset=None, required=False, label=_("Employer"),
                                      empty_label=NONE_CHOSEN)
    employer_name = forms.CharField(label=_("New employer"), required=False, max_length=200)
    vacancy = forms.ModelChoiceField(queryset=None, required=False, label=_("Vacancy"),
                                     empty_label=NONE_CHOSEN)
    source = forms.ChoiceField(label=_("Source"), choices=Application.Source.choices)
    on = DateField(label=_("Date"))

    def __init__(self, *args, enrolments, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrolment"].queryset = enrolments
        self.fields["enrolment"].label_from_instance = lambda e: str(e.participant)
        self.fields["employer"].queryset = Employer.objects.visible_to(membership)
        self.fields["vacancy"].queryset = Vacancy.objects.visible_to(membership).filter(
            status=Vacancy.Status.OPEN).select_related("employer")


class HireForm(IntegrationForm):
    """Start of work for a hire: the employer is the application's."""

    on = DateField(label=_("Hired on"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["employer"]
        del self.fields["employer_name"]


class MergeForm(forms.Form):
    other = forms.ModelChoiceField(queryset=None, label=_("Duplicate to merge into this one"),
                                   empty_label=CHOOSE)

    def __init__(self, *args, employer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other"].queryset = Employer.objects.for_jobcenter(
            employer.jobcenter).exclude(pk=employer.pk)
