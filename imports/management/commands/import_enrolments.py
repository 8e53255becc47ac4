from imports.command import ImportCommand
from imports.enrolments import import_enrolments


class Command(ImportCommand):
    help = (
        "Import an enrolment list (.csv or .xlsx) into a jobcenter: all or nothing, "
        "idempotent. Exit code 0 on success, 1 on a file with errors, 2 on bad arguments."
    )

    import_list = staticmethod(import_enrolments)

    def more_lines(self, result, prefix):
        c, u = result.created, result.updated
        return [f"{prefix}created as well: {c.programmes} programmes, {c.sites} sites, "
                f"{c.employers} employers; updated: {u.enrolments} enrolment dates, "
                f"{u.exits} exits, {u.followups} follow-ups"]
