from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from jobcenters.forms import CHOOSE, DateField

from .absence import STEP_CHOICES
from .models import AbsenceStep, Attendance


class AbsenceChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, absence):
        session = absence.session
        label = date_format(session.held_on, "D, d.m.Y")
        return f"{label} · {session.module.name}" if session.module else label


class AbsenceStepForm(forms.Form):
    """The next step of a case; reason and covered absences only count for a good reason."""

    kind = forms.ChoiceField(label=_("Step"), choices=[("", CHOOSE), *STEP_CHOICES])
    done_on = DateField(label=_("Date"))
    note = forms.CharField(label=_("Note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(label=_("Good reason"), required=False,
                             max_length=AbsenceStep._meta.get_field("reason").max_length,
                             help_text=_("E.g. a doctor's certificate, a job interview."))
    covered = AbsenceChoiceField(label=_("Absences the good reason covers"), queryset=None,
                                 required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, coverable: list[Attendance], **kwargs):
        super().__init__(*args, **kwargs)
        # Chosen among the person's unexcused absences only; the service checks again.
        self.fields["covered"].queryset = Attendance.objects.filter(
            pk__in=[a.pk for a in coverable]).select_related("session__module").order_by(
            "session__held_on", "session__starts_at", "pk")

    def step(self) -> dict:
        """The service's arguments: reason and absences belong to a good reason only (the
        form shows them whatever the step, for a browser without scripts)."""
        data = dict(self.cleaned_data)
        if data["kind"] != AbsenceStep.Kind.GOOD_REASON:
            data["reason"], data["covered"] = "", []
        return data
