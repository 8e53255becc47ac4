"""This app's buttons above the cohort and employer lists (registered from `apps.py`)."""

from django.utils.translation import gettext_lazy as _

from cohorts.navigation import COHORT_LIST_ACTIONS
from employers.navigation import EMPLOYER_LIST_ACTIONS
from jobcenters.navigation import NavEntry

from .views import EMPLOYERS, ENROLMENTS

IMPORT_ENROLMENTS = NavEntry(_("Import list"), "imports:import_upload", ENROLMENTS.permission, 50)
IMPORT_EMPLOYERS = NavEntry(_("Import list"), "imports:employer_import_upload",
                            EMPLOYERS.permission, 50)


def connect():
    COHORT_LIST_ACTIONS.register(IMPORT_ENROLMENTS)
    EMPLOYER_LIST_ACTIONS.register(IMPORT_EMPLOYERS)
