from imports.command import ImportCommand
from imports.enrolments import ENROLMENTS


class Command(ImportCommand):
    help = (
        "Import an enrolment list (.csv or .xlsx) into a jobcenter: all or nothing, "
        "idempotent. Exit code 0 on success, 1 on a file with errors, 2 on bad arguments."
    )
    list_type = ENROLMENTS
