import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from jobcenters.models import Jobcenter
from reports.services import snapshot_compute

# Bad arguments exit with 2, as argparse's own errors and the other commands do.
BAD_ARGUMENTS = 2


class Command(BaseCommand):
    help = (
        "Recompute the report figures (snapshots) of every jobcenter, or of one with "
        "--jobcenter CODE, now and in this process, with progress and the time taken. The "
        "nightly job computes the same snapshots, one task per jobcenter on the workers."
    )

    def add_arguments(self, parser):
        parser.add_argument("--jobcenter", metavar="CODE", help="only this jobcenter")

    def handle(self, *args, jobcenter=None, **options):
        with scopes_disabled():
            jobcenters = list(Jobcenter.objects.order_by("code"))
        if jobcenter is not None:
            jobcenters = [jc for jc in jobcenters if jc.code == jobcenter]
            if not jobcenters:
                raise CommandError(f"--jobcenter: no jobcenter with the code {jobcenter!r}.",
                                   returncode=BAD_ARGUMENTS)
        today, started = timezone.localdate(), time.monotonic()
        width = len(str(len(jobcenters)))
        for number, jc in enumerate(jobcenters, start=1):
            begun = time.monotonic()
            with scope(jobcenter=jc):
                snapshot_compute(jobcenter=jc, as_of=today)
            self.stdout.write(f"{number:>{width}}/{len(jobcenters)} {jc.code}: "
                              f"{time.monotonic() - begun:.2f} s")
        self.stdout.write(self.style.SUCCESS(
            f"{len(jobcenters)} jobcenter(s) refreshed as of {today:%d.%m.%Y} in "
            f"{time.monotonic() - started:.1f} s."))
