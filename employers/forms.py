from django import forms
from django.utils.translation import gettext_lazy as _

from jobcenters.forms import DateField
from participants.models import Integration

from .models import Employer


class IntegrationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Integration.Kind.choices)
    start_on = DateField(label=_("Start of work"))
    employer = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Employer"),
        help_text=_("Choose a known employer, or type a new name below."),
    )
    employer_name = forms.CharField(label=_("New employer"), required=False, max_length=200)
    weekly_hours = forms.DecimalField(label=_("Weekly hours"), required=False, min_value=1,
                                      max_value=60, decimal_places=1)
    subsidy = forms.ChoiceField(label=_("Subsidy"), required=False,
                                choices=Integration.Subsidy.choices)

    def __init__(self, *args, jobcenter, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = Employer.objects.for_jobcenter(jobcenter)

    def clean(self):
        data = super().clean()
        if data.get("employer") and data.get("employer_name"):
            self.add_error("employer_name", _(
                "Either choose an employer or type a new name, not both."))
        return data
