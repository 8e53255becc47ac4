"""Forms of the cohort's plan: weekly slots, a programme's curriculum, one planned session."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from cohorts.filters import coaches_of
from jobcenters.forms import CHOOSE, NONE_CHOSEN, DateField, IntegerField, TimeField

from .models import Module, WeeklySlot
from .planning import MAX_MODULE_SESSIONS, SlotData

ENDS_BEFORE_START = _("The session must end after it starts.")
SESSIONS_RANGE = _("Please enter a number of sessions from 1 to 100.")


class ServiceFormSet(forms.BaseFormSet):
    """Rows a service writes as a whole (jobcenters.views.ServiceFormMixin): its refusal
    stands above the rows (jobcenters.forms.apply_errors finds no field of that name)."""

    fields: dict = {}

    def add_error(self, field, error):
        self.non_form_errors().extend(forms.ValidationError(error).messages)

    def filled(self) -> list[forms.Form]:
        """The rows shown filled in or typed in, less those marked for deletion."""
        return [f for i, f in enumerate(self.forms)
                if (i < self.initial_form_count() or f.has_changed())
                and not f.cleaned_data.get("DELETE")]


class WeeklySlotForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("Weekday"), coerce=int, empty_value=None,
                                     choices=[("", CHOOSE), *WeeklySlot.Weekday.choices])
    starts_at = TimeField(label=_("From"))
    ends_at = TimeField(label=_("Until"))
    room = forms.CharField(label=_("Room"), required=False, max_length=100)

    def clean(self):
        data = super().clean()
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", ENDS_BEFORE_START)
        return data

    def slot(self) -> SlotData:
        d = self.cleaned_data
        return SlotData(weekday=d["weekday"], starts_at=d["starts_at"], ends_at=d["ends_at"],
                        room=d["room"])


class WeeklySlotBaseFormSet(ServiceFormSet):
    def clean(self):
        seen = set()
        for form in self.filled():
            key = (form.cleaned_data.get("weekday"), form.cleaned_data.get("starts_at"))
            if None not in key and key in seen:
                form.add_error("starts_at", _("This cohort already has a slot at this time."))
            seen.add(key)

    def slots(self) -> list[SlotData]:
        return [form.slot() for form in self.filled()]


WeeklySlotFormSet = forms.formset_factory(WeeklySlotForm, formset=WeeklySlotBaseFormSet,
                                          extra=2, can_delete=True, can_delete_extra=False)


class CurriculumItemForm(forms.Form):
    position = IntegerField(label=_("Position"), required=False,
                            validators=[MinValueValidator(1)])
    module = forms.TypedChoiceField(label=_("Module"), coerce=int)
    sessions = IntegerField(label=_("Sessions"), validators=[
        MinValueValidator(1, SESSIONS_RANGE),
        MaxValueValidator(MAX_MODULE_SESSIONS, SESSIONS_RANGE)])

    def __init__(self, *args, modules: dict[int, Module], **kwargs):
        """`modules` by id: loaded once for all rows, not once per row's select."""
        super().__init__(*args, **kwargs)
        self.modules = modules
        self.fields["module"].choices = [("", CHOOSE), *((pk, m.name) for pk, m in modules.items())]

    def clean_module(self):
        return self.modules[self.cleaned_data["module"]]


class CurriculumBaseFormSet(ServiceFormSet):
    def items(self) -> list[tuple[Module, int]]:
        """The modules in their new order: by the position typed, a row moved there before
        the one that stood there; rows without a number in their place on the page."""
        rows = self.filled()
        order = sorted(
            range(len(rows)),
            key=lambda i: (rows[i].cleaned_data["position"] or i + 1,
                           "position" not in rows[i].changed_data, i))
        return [(rows[i].cleaned_data["module"], rows[i].cleaned_data["sessions"])
                for i in order]


CurriculumFormSet = forms.formset_factory(CurriculumItemForm, formset=CurriculumBaseFormSet,
                                          extra=3, can_delete=True, can_delete_extra=False)


class PlannedSessionForm(forms.Form):
    held_on = DateField(label=_("Date"))
    starts_at = TimeField(label=_("From"))
    ends_at = TimeField(label=_("Until"))
    module = forms.ModelChoiceField(queryset=None, label=_("Module"), required=False,
                                    empty_label=NONE_CHOSEN)
    room = forms.CharField(label=_("Room"), required=False, max_length=100)
    coaches = forms.ModelMultipleChoiceField(
        queryset=None, label=_("Coaches"), required=False, widget=forms.CheckboxSelectMultiple)
    # Shown with the warning of a clash only (plan_session_form.html).
    confirm_clash = forms.BooleanField(label=_("Save anyway"), required=False)

    def __init__(self, *args, cohort, modules, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = modules
        self.fields["coaches"].queryset = coaches_of(cohort.jobcenter)

    def clean(self):
        data = super().clean()
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", ENDS_BEFORE_START)
        return data
