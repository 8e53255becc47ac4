"""The shared shape of the `import_…` commands: one list (.csv or .xlsx) into one jobcenter,
all or nothing, with row-numbered errors. Exit code 0 on success, 1 on a file with
errors, 2 on bad arguments (FORMATS.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scope

from jobcenters.models import Jobcenter


class ImportCommand(BaseCommand):
    # The list's import function (jobcenter, file, filename, dry_run) → its result.
    import_list = None

    def more_lines(self, result, prefix: str) -> list[str]:
        """What a kind of list reports beyond its summary."""
        return []

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
            result = self.import_list(jobcenter=jc, file=stream, filename=path.name,
                                      dry_run=dry_run)

        for error in result.errors:
            self.stdout.write(str(error))
        prefix = "dry run, would be " if dry_run else ""
        self.stdout.write(prefix + result.summary())
        for line in self.more_lines(result, prefix):
            self.stdout.write(line)
        if result.errors:
            raise CommandError(
                f"{len(result.errors)} error(s) in {path.name}; nothing was imported.",
                returncode=1,
            )
