from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jobcenters.collation import GERMAN
from jobcenters.scoping import TenantModel

from .packing import unpack


class ReportSnapshot(TenantModel):
    """A jobcenter's current report counters (engine.py), and the data version they show."""

    as_of = models.DateField(_("as of"))
    computed_at = models.DateTimeField(_("computed at"))
    data_version = models.PositiveBigIntegerField(_("data version"))
    payload = models.BinaryField(_("counters"), default=bytes)  # packing.py

    class Meta:
        verbose_name = _("report snapshot")
        verbose_name_plural = _("report snapshots")
        constraints = [
            models.UniqueConstraint(fields=["jobcenter"], name="%(app_label)s_%(class)s_current"),
        ]

    def __str__(self):
        return f"{self.jobcenter_id} {self.computed_at:%d.%m.%Y %H:%M}"

    @property
    def counters(self) -> dict:
        """The engine's counters (stored packed: packing.py)."""
        return unpack(self.payload)

    def counters_of(self, *dimensions: str) -> dict:
        """Only these dimensions' counters (the network view reads the totals)."""
        return unpack(self.payload, dimensions)

    def is_outdated(self, jobcenter) -> bool:
        return self.data_version < jobcenter.data_version


class ReportJob(TenantModel):
    """A requested refresh of a jobcenter's snapshot: queued → running → done | failed."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    PENDING = (Status.QUEUED, Status.RUNNING)

    status = models.CharField(_("status"), max_length=7, choices=Status.choices,
                              default=Status.QUEUED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("requested by"))
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.CharField(_("error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")
        ordering = ["-requested_at"]
        constraints = [
            # At most one refresh waits or runs per jobcenter: a second request joins it.
            models.UniqueConstraint(fields=["jobcenter"], condition=Q(status__in=["queued",
                                                                                  "running"]),
                                    name="%(app_label)s_%(class)s_one_pending"),
        ]

    def __str__(self):
        return f"{self.jobcenter_id} {self.get_status_display()}"

    @property
    def is_pending(self) -> bool:
        return self.status in self.PENDING


class Network(models.Model):
    """Jobcenters compared side by side (e.g. a Land agency's), and who may compare them.

    Analysts see aggregates only, with small numbers suppressed: never a person.
    """

    name = models.CharField(_("name"), max_length=200, db_collation=GERMAN)
    slug = models.SlugField(_("code"), unique=True)
    jobcenters = models.ManyToManyField("jobcenters.Jobcenter", related_name="networks",
                                        verbose_name=_("jobcenters"))
    analysts = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True,
                                      related_name="networks", verbose_name=_("analysts"))

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        ordering = ["name"]

    def __str__(self):
        return self.name
