from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from jobcenters.models import Jobcenter
from jobcenters.permissions import Role
from jobcenters.services import password_set_link, staff_add


class Command(BaseCommand):
    help = "Give a person a role in a jobcenter (creating the user if new). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--jobcenter", required=True, help="jobcenter code")
        parser.add_argument("--email", required=True)
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--password", help="without it, a one-time link is printed")
        parser.add_argument(
            "--base-url", default=settings.SITE_URL,
            help="address of the installation, for the one-time link",
        )

    def handle(self, *, jobcenter, email, role, password, base_url, **options):
        jc = Jobcenter.objects.filter(code=jobcenter).first()
        if jc is None:
            raise CommandError(f"No jobcenter with code {jobcenter}.")
        try:
            membership, changed = staff_add(jobcenter=jc, email=email, role=role,
                                            password=password)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        user = membership.user
        state = "updated" if changed else "unchanged"
        self.stdout.write(f"{user.email}: {membership.role} in {jc.code} ({state}).")
        if not user.has_usable_password():
            link = password_set_link(user, base_url)
            self.stdout.write(f"One-time link to set a password: {link}")
