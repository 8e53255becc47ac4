import getpass
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django_scopes import scope

from imports.tabular import ParseError, parse_date
from jobcenters.models import Jobcenter
from privacy.services import export_record
from reports.engine import daily_counters, population
from reports.exports import FORMATS, csv_bytes, report_document, to_csv, to_json, to_xlsx
from reports.rollup import report

# Bad arguments exit with 2, as argparse's own errors and import_enrolments do.
BAD_ARGUMENTS = 2


def _date(option: str, text: str | None) -> date | None:
    if text is None:
        return None
    try:
        day = parse_date(text)
    except ParseError as error:
        raise CommandError(f"{option}: {error} (found: {text!r})",
                           returncode=BAD_ARGUMENTS) from error
    if day is None:
        raise CommandError(f"{option}: a date is needed, e.g. 2024-01-01 or 01.01.2024.",
                           returncode=BAD_ARGUMENTS)
    return day


class Command(BaseCommand):
    help = (
        "Export a jobcenter's report (FORMATS.md) as JSON, CSV or XLSX: the people who "
        "joined in the period (default: the whole history), as of a date (default: today). "
        "JSON and CSV go to standard output unless --output is given; XLSX needs --output. "
        "A CSV file written with --output starts with a byte order mark for Excel."
    )

    def add_arguments(self, parser):
        parser.add_argument("--jobcenter", required=True, help="jobcenter code")
        parser.add_argument("--from", dest="start", metavar="DATE",
                            help="first day of entry (2024-01-01 or 01.01.2024)")
        parser.add_argument("--to", dest="end", metavar="DATE",
                            help="last day of entry (2024-12-31 or 31.12.2024)")
        parser.add_argument("--as-of", dest="as_of", metavar="DATE",
                            help="the date the outcomes are taken at (default: today)")
        parser.add_argument("--format", choices=FORMATS, default="json")
        parser.add_argument("--output", metavar="FILE", help="write to FILE instead")

    def handle(self, *, jobcenter, start, end, as_of, format, output, **options):
        jc = Jobcenter.objects.filter(code=jobcenter).first()
        if jc is None:
            raise CommandError(f"No jobcenter with code {jobcenter}.",
                               returncode=BAD_ARGUMENTS)
        start, end = _date("--from", start), _date("--to", end)
        as_of = _date("--as-of", as_of) or timezone.localdate()
        if start and end and end < start:
            raise CommandError(f"--to ({end.isoformat()}) lies before --from "
                               f"({start.isoformat()}).", returncode=BAD_ARGUMENTS)
        if format == "xlsx" and not output:
            raise CommandError("An XLSX workbook is binary: please name a file with --output.",
                               returncode=BAD_ARGUMENTS)
        path = Path(output) if output else None
        if path is not None and not path.parent.is_dir():
            raise CommandError(f"No such directory: {path.parent}", returncode=BAD_ARGUMENTS)

        with scope(jobcenter=jc):
            counters = daily_counters(population(jc), as_of)
            export_record(jobcenter=jc, user=None, kind=f"command_{format}", parameters={
                "from": start and start.isoformat(), "to": end and end.isoformat(),
                "as_of": as_of.isoformat(), "output": output or "stdout",
                "os_user": getpass.getuser()})  # an operator at the shell has no login here
        document = report_document(jobcenter=jc, as_of=as_of, start=start, end=end,
                                   report=report(counters, start, end))

        if path is None:
            text = to_json(document) if format == "json" else to_csv(document)
            self.stdout.write(text, ending="" if text.endswith("\n") else "\n")
            return
        data = {"json": lambda d: to_json(d).encode("utf-8") + b"\n", "csv": csv_bytes,
                "xlsx": to_xlsx}[format](document)
        try:
            path.write_bytes(data)
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error}") from error
        self.stdout.write(f"Exported the report of {jc.code} as of {as_of.isoformat()} "
                          f"to {path} ({format}).")
