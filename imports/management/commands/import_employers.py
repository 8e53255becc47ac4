from imports.command import ImportCommand
from imports.employers import EMPLOYERS


class Command(ImportCommand):
    help = (
        "Import an employer list (.csv or .xlsx) into a jobcenter: all or nothing, "
        "idempotent. Exit code 0 on success, 1 on a file with errors, 2 on bad arguments."
    )
    list_type = EMPLOYERS
