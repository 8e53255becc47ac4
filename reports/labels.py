"""Words for the report's keys, shared by dashboards and exports."""

from django.utils.translation import gettext_lazy as _

from .metrics import ACTIVE, COMPLETED, DROPPED_OUT, INTEGRATED, OTHER_EXIT, TRANSFERRED

OUTCOME_LABELS = {
    INTEGRATED: _("integrated"), DROPPED_OUT: _("dropped out"),
    TRANSFERRED: _("transferred"), COMPLETED: _("completed without integration"),
    OTHER_EXIT: _("other exit"), ACTIVE: _("still active"),
}

DIMENSION_LABELS = {
    "cohort": _("By cohort"), "site": _("By site"), "programme": _("By programme"),
    "quarter": _("By quarter of entry"), "target_group": _("By target group"),
}

TARGET_GROUP_LABELS = {
    "long_term_unemployed": _("long-term unemployed"),
    "topping_up": _("working, topping up benefits (Ergänzer)"),
    "refugee": _("refugees"), "single_parent": _("single parents"),
    "health": _("health limitations"), "under_25": _("under 25 years"),
    "age_25_49": _("25 to 49 years"), "age_50_plus": _("50 years and over"),
}
