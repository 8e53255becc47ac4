from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data for `make run` and the benchmark: `seed_demo`. Nothing imports this app."""

    name = "demo"
    verbose_name = _("Demo data")
