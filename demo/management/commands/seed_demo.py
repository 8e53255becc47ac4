import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django_scopes import scope

from demo.seed import MAX_YEARS, REGIONS, DemoResult, Login, seed
from jobcenters.models import Jobcenter
from reports.services import snapshot_compute

# Logins shown at the end: the operator, the analyst and, per jobcenter, one person a role.
SHOWN_JOBCENTERS = 2


class Command(BaseCommand):
    help = (
        "Fill an empty database with deterministic demo data (same arguments, same data) "
        "and print the demo logins. Does nothing if a jobcenter exists."
    )

    def add_arguments(self, parser):
        parser.add_argument("--jobcenters", type=int, default=2,
                            help=f"number of jobcenters, 1 to {len(REGIONS)} (default 2)")
        parser.add_argument("--years", type=int, default=2,
                            help=f"years of history, 1 to {MAX_YEARS} (default 2)")
        parser.add_argument("--today", default=None,
                            help="reference date (YYYY-MM-DD) all data is dated from; "
                                 "default: today")

    def handle(self, *, jobcenters, years, today, **options):
        today = self._reference_date(today)
        if not 1 <= jobcenters <= len(REGIONS):
            raise CommandError(f"--jobcenters must lie between 1 and {len(REGIONS)}.")
        if not 1 <= years <= MAX_YEARS:
            raise CommandError(f"--years must lie between 1 and {MAX_YEARS}.")
        if Jobcenter.objects.exists():
            self.stdout.write("Database already has data; nothing seeded.")
            return
        started = time.monotonic()
        result = seed(jobcenters=jobcenters, years=years, today=today,
                      progress=self.stdout.write)
        counts = ", ".join(f"{count} {name}" for name, count in sorted(result.counts.items()))
        self.stdout.write(self.style.SUCCESS(
            f"Seeded {jobcenters} jobcenter(s), {years} year(s) up to {today.isoformat()} "
            f"in {time.monotonic() - started:.1f} s: {counts}."
        ))
        self._compute_reports(today)
        self._print_logins(result)

    def _compute_reports(self, today: date):
        """The demo's dashboards show figures at once, without waiting for the nightly run."""
        for jobcenter in Jobcenter.objects.all():
            with scope(jobcenter=jobcenter):
                snapshot_compute(jobcenter=jobcenter, as_of=today)
        self.stdout.write("Report snapshots computed.")

    @staticmethod
    def _reference_date(value) -> date:
        if value is None:
            return timezone.localdate()
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(value)
        except ValueError as error:
            raise CommandError(f"--today: not a date (YYYY-MM-DD): {value}") from error

    def _print_logins(self, result: DemoResult):
        shown_codes = result.jobcenters[:SHOWN_JOBCENTERS]
        rows, seen = [], set()
        for login in result.logins:
            key = (login.jobcenter, login.role)
            if (not login.jobcenter or login.jobcenter in shown_codes) and key not in seen:
                seen.add(key)
                rows.append(login)
        header = Login("E-mail", "Role", "Jobcenter", "Password")
        widths = [max(len(getattr(row, name) or "-") for row in [header, *rows])
                  for name in ("email", "role", "jobcenter")]
        self.stdout.write("")
        self.stdout.write("Demo logins:")
        for row in [header, *rows]:
            cells = (row.email, row.role, row.jobcenter or "-")
            line = "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))
            self.stdout.write(f"  {line}  {row.password}")
        self.stdout.write(
            f"All {len(result.logins)} demo users share this password; further coaches are "
            "coach2@…, coach3@… of the same jobcenter, other jobcenters follow the same pattern."
        )
