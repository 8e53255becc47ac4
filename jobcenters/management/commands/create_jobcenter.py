from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from jobcenters.services import jobcenter_create


class Command(BaseCommand):
    help = "Create a jobcenter. Running it again with the same code changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("--code", required=True, help="unique code, used in URLs")
        parser.add_argument("--name", required=True)
        parser.add_argument("--land", required=True, help="two-letter code: NW, NI, HE, …")

    def handle(self, *, code, name, land, **options):
        try:
            jobcenter, created = jobcenter_create(code=code, name=name, land=land.upper())
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        verb = "created" if created else "exists already"
        self.stdout.write(f"Jobcenter {jobcenter.code} ({jobcenter.name}) {verb}.")
