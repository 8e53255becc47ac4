"""The shared shape of the `import_…` commands: one list (.csv or .xlsx) into one jobcenter,
all or nothing, with row-numbered errors. Exit code 0 on success, 1 on a file with
errors, 2 on bad arguments (FORMATS.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scope

from imports.engine import ListType, run_import
from jobcenters.models import Jobcenter


class ImportCommand(BaseCommand):
    list_type: ListType

    def add_arguments(self, parser):
        parser.add_argument("--jobcenter", required=True, help="jobcenter code")
        parser.add_argument("file", help="path of the .csv or .xlsx file")
        parser.add_argument("--dry-run", action="store_true",
                            help="validate and report what would be created; write nothing")

    def handle(self, *, jobcenter, file, dry_run, **options):
        jc = Jobcenter.objects.filter(code=jobcenter).first()
        if jc is None:
            raise CommandError(f"No jobcenter with code {jobcenter}.", returncode=2)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}", returncode=2)

        with scope(jobcenter=jc), path.open("rb") as stream:
            result = run_import(self.list_type, jobcenter=jc, file=stream,
                                filename=path.name, dry_run=dry_run)

        prefix = "dry run, would be " if dry_run else ""
        for line in [*result.error_lines(), prefix + result.summary(),
                     *(prefix + extra for extra in result.extra_lines())]:
            self.stdout.write(line)
        if result.errors:
            raise CommandError(
                f"{len(result.errors)} error(s) in {path.name}; nothing was imported.",
                returncode=1,
            )
