from django import forms
from django.utils.translation import gettext_lazy as _

from jobcenters.forms import CHOOSE, NONE_CHOSEN, DateField, IntegerField, number_formfield
from jobcenters.models import Site

from .filters import coaches_of
from .models import Cohort, Programme


class CohortForm(forms.ModelForm):
    # Tenant choices are set per request; a class-level queryset would query out of scope.
    programme = forms.ModelChoiceField(queryset=None, label=_("Programme"), empty_label=CHOOSE)
    site = forms.ModelChoiceField(queryset=None, label=_("Site"), empty_label=CHOOSE)
    planned_start = DateField(label=_("Start"))
    planned_end = DateField(
        label=_("End"), required=False,
        help_text=_("Empty: from the programme's default length."),
    )
    capacity = IntegerField(
        label=_("Capacity"), required=False, min_value=1,
        help_text=_("Empty: the programme's default."),
    )
    coaches = forms.ModelMultipleChoiceField(
        queryset=None, required=False, label=_("Coaches"),
        widget=forms.CheckboxSelectMultiple,
    )
    lead = forms.ModelChoiceField(queryset=None, required=False, label=_("Lead coach"),
                                  empty_label=NONE_CHOSEN)

    class Meta:
        model = Cohort
        fields = ["programme", "site", "code", "planned_start", "planned_end", "capacity",
                  "status", "focus", "is_homogeneous", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, jobcenter, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.for_jobcenter(jobcenter).filter(
            is_active=True)
        self.fields["site"].queryset = Site.objects.for_jobcenter(jobcenter).filter(
            is_active=True)
        staff = coaches_of(jobcenter)
        self.fields["coaches"].queryset = staff
        self.fields["lead"].queryset = staff
        if self.instance.pk:
            links = list(self.instance.cohort_coaches.all())
            self.initial["coaches"] = [link.user_id for link in links]
            self.initial["lead"] = next((link.user_id for link in links if link.is_lead), None)


class ProgrammeForm(forms.ModelForm):
    """A programme, with its absence rule (DESIGN.md, "Absence follow-up")."""

    absences_in_row = IntegerField(
        label=_("Unexcused absences in a row"), required=False, min_value=1,
        help_text=_("After this many unexcused absences in a row, the participant appears "
                    "on the coaches' start page as \"Clarify absences\". Empty: no rule."))
    absences_total = IntegerField(
        label=_("Unexcused absences in total"), required=False, min_value=1,
        help_text=_("After this many unexcused absences in total. Empty: no rule. Never for "
                    "voluntary participation."))

    class Meta:
        model = Programme
        fields = ["name", "default_length_days", "default_capacity", "participants_per_coach",
                  "legal_basis", "absences_in_row", "absences_total", "is_active"]
        formfield_callback = number_formfield
