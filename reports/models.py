from django.db import models
from django.utils.translation import gettext_lazy as _

from jobcenters.scoping import TenantModel


class ReportSnapshot(TenantModel):
    """A jobcenter's report figures as computed at one moment from one data version."""

    as_of = models.DateField(_("as of"))
    computed_at = models.DateTimeField(_("computed at"))
    data_version = models.PositiveBigIntegerField(_("data version"))
    payload = models.JSONField(_("figures"), default=dict)

    class Meta:
        verbose_name = _("report snapshot")
        verbose_name_plural = _("report snapshots")
        ordering = ["-computed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["jobcenter", "as_of"], name="%(app_label)s_%(class)s_one_per_day",
            ),
        ]

    def __str__(self):
        return f"{self.jobcenter_id} {self.as_of:%d.%m.%Y}"

    def is_outdated(self, jobcenter) -> bool:
        return self.data_version < jobcenter.data_version
