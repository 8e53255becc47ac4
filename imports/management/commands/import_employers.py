from imports.command import ImportCommand
from imports.employers import import_employers


class Command(ImportCommand):
    help = (
        "Import an employer list (.csv or .xlsx) into a jobcenter: all or nothing, "
        "idempotent. Exit code 0 on success, 1 on a file with errors, 2 on bad arguments."
    )

    import_list = staticmethod(import_employers)
