from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobcentersConfig(AppConfig):
    name = "jobcenters"
    verbose_name = _("Jobcenters and staff")
