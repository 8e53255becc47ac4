import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from jobcenters.models import Jobcenter
from reports.services import snapshot_compute, snapshots_compute_all

# Bad arguments exit with 2, as argparse's own errors and the other commands do.
BAD_ARGUMENTS = 2


class Command(BaseCommand):
    help = (
        "Recompute the report figures (snapshots) of every jobcenter in one pass, as the "
        "nightly job does, or of one with --jobcenter CODE, now and in this process, with "
        "progress and the time taken."
    )

    def add_arguments(self, parser):
        parser.add_argument("--jobcenter", metavar="CODE", help="only this jobcenter")

    def handle(self, *args, jobcenter=None, **options):
        today, started = timezone.localdate(), time.monotonic()
        if jobcenter is None:
            self.stdout.write("computing every jobcenter's figures in one pass …")
            count = snapshots_compute_all(as_of=today, stored=self.stored)
        else:
            with scopes_disabled():
                jc = Jobcenter.objects.filter(code=jobcenter).first()
            if jc is None:
                raise CommandError(f"--jobcenter: no jobcenter with the code {jobcenter!r}.",
                                   returncode=BAD_ARGUMENTS)
            with scope(jobcenter=jc):
                snapshot_compute(jobcenter=jc, as_of=today)
            self.stored(jc, 1, 1)
            count = 1
        self.stdout.write(self.style.SUCCESS(
            f"{count} jobcenter(s) refreshed as of {today:%d.%m.%Y} in "
            f"{time.monotonic() - started:.1f} s."))

    def stored(self, jobcenter, number: int, total: int) -> None:
        self.stdout.write(f"{number:>{len(str(total))}}/{total} {jobcenter.code}: stored")
