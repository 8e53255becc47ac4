from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobcentersConfig(AppConfig):
    name = "jobcenters"
    verbose_name = _("Jobcenters and staff")

    def ready(self):
        from auditlog.registry import auditlog

        from .models import Jobcenter, Membership

        # Role changes, deactivations and retention changes are themselves audited (the
        # reach table). A membership's sites are logged by the services as one entry per
        # change; the invitation's delivery state is no change of anyone's rights.
        auditlog.register(Membership, include_fields=["user", "role", "is_active"])
        auditlog.register(Jobcenter, include_fields=["retention_months"])

        from . import data_version

        data_version.connect()  # writes of rows that reports read bump the data version

        from . import navigation

        navigation.connect()  # its own top-bar entry; each app registers its own

        from django.db.backends.signals import connection_created

        from .collation import register_sqlite_collation

        # The name fields' "german" collation; PostgreSQL has it from a migration.
        connection_created.connect(register_sqlite_collation, dispatch_uid="german_collation")
