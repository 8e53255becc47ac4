from django import forms
from django.utils.translation import gettext_lazy as _

from cohorts.filters import coaches_of
from jobcenters.forms import NONE_CHOSEN, DateField, TimeField, number_formfield

from .models import Attendance, IndividualSession, Module
from .services import AttendanceEntry, SessionData


class SessionForm(forms.Form):
    """The session and one row per participant enrolled on its date (all present preset)."""

    held_on = DateField(label=_("Date"))
    starts_at = TimeField(label=_("From"), required=False)
    ends_at = TimeField(label=_("Until"), required=False)
    module = forms.ModelChoiceField(queryset=None, label=_("Module"), required=False,
                                    empty_label=NONE_CHOSEN)
    coaches = forms.ModelMultipleChoiceField(
        queryset=None, label=_("Coaches"), required=False, widget=forms.CheckboxSelectMultiple
    )
    room = forms.CharField(label=_("Room"), required=False, max_length=100)
    notes = forms.CharField(label=_("Notes"), required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # A new form's one-time token (SessionCreateView): sent twice, it records once.
    token = forms.UUIDField(widget=forms.HiddenInput, required=False)
    roster = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, cohort, roster, **kwargs):
        super().__init__(*args, **kwargs)
        self.roster = list(roster)
        self.fields["module"].queryset = Module.objects.for_jobcenter(cohort.jobcenter).filter(
            is_active=True)
        self.fields["coaches"].queryset = coaches_of(cohort.jobcenter)
        self.initial.setdefault("roster", self.roster_key)
        for enrolment in self.roster:
            self.fields[f"status_{enrolment.pk}"] = forms.ChoiceField(
                choices=Attendance.Status.choices, widget=forms.RadioSelect,
                label=str(enrolment.participant), initial=Attendance.Status.PRESENT,
            )
            self.fields[f"note_{enrolment.pk}"] = forms.CharField(
                required=False, max_length=300, label=_("Note"),
            )

    @property
    def roster_key(self) -> str:
        return ",".join(str(e.pk) for e in self.roster)

    def roster_matches(self) -> bool:
        """False when the date was changed to one with other participants enrolled."""
        return self.cleaned_data.get("roster", "") == self.roster_key

    def rows(self):
        for enrolment in self.roster:
            yield {"enrolment": enrolment, "status": self[f"status_{enrolment.pk}"],
                   "note": self[f"note_{enrolment.pk}"]}

    def session_data(self) -> SessionData:
        d = self.cleaned_data
        return SessionData(held_on=d["held_on"], starts_at=d["starts_at"], ends_at=d["ends_at"],
                           module=d["module"], coaches=tuple(d["coaches"]), room=d["room"],
                           notes=d["notes"])

    def attendance(self) -> dict[int, AttendanceEntry]:
        d = self.cleaned_data
        return {e.pk: AttendanceEntry(d[f"status_{e.pk}"], d[f"note_{e.pk}"]) for e in self.roster}


class IndividualSessionForm(forms.ModelForm):
    held_on = DateField(label=_("Date"))

    class Meta:
        model = IndividualSession
        fields = ["held_on", "minutes", "channel", "confidential_note", "next_steps"]
        formfield_callback = number_formfield
        widgets = {"confidential_note": forms.Textarea(attrs={"rows": 3}),
                   "next_steps": forms.Textarea(attrs={"rows": 2})}


class CalendarAddressForm(forms.Form):
    """Which of the calendar address's buttons was pressed."""

    RENEW, REVOKE = "renew", "revoke"
    action = forms.ChoiceField(choices=[(RENEW, RENEW), (REVOKE, REVOKE)])
