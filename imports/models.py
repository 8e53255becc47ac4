"""A list uploaded in the browser, checked and imported in the background."""

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils.translation import gettext_lazy as _

from jobcenters.permissions import Data, Perm, Reach, reach_of
from jobcenters.scoping import TenantModel, TenantQuerySet, tenant_manager


def import_storage():
    return storages["imports"]


class ImportRunQuerySet(TenantQuerySet):
    def visible_to(self, membership, kind=None):
        """Runs of the lists this member may import.

        A run holds the uploaded file and its rows' values (in the errors), so only the
        roles that may import that list see it: the import right of the list, and the whole
        jobcenter's reach for the list's kind of data. `Data.PROCESSING` alone would not
        fit: it hides the employer service's own employer imports and shows the
        administration runs it may not start.
        """
        kinds = [kind_ for kind_, (permission, data) in ImportRun.ACCESS.items()
                 if membership.can(permission)
                 and reach_of(membership.role, data) == Reach.JOBCENTER]
        return self.for_jobcenter(membership.jobcenter).filter(kind__in=kinds)


class ImportRun(TenantModel):
    """One upload: queued → checking → checked → importing → done | failed."""

    # Declared kind for the reach table's walk; who reaches a run is `visible_to` above.
    reach_kind = Data.PROCESSING
    tenant_staff = ("created_by",)

    class Kind(models.TextChoices):
        ENROLMENTS = "enrolments", _("enrolment list")
        EMPLOYERS = "employers", _("employer list")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        CHECKING = "checking", _("checking")
        CHECKED = "checked", _("checked")
        IMPORTING = "importing", _("importing")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    PENDING = (Status.QUEUED, Status.CHECKING, Status.IMPORTING)
    FINISHED = (Status.DONE, Status.FAILED)
    # The import right and the kind of data of each list.
    ACCESS = {
        Kind.ENROLMENTS: (Perm.MANAGE_COHORTS, Data.COURSE),
        Kind.EMPLOYERS: (Perm.MANAGE_EMPLOYERS, Data.EMPLOYERS),
    }

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.QUEUED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("uploaded by"))
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    file = models.FileField(_("file"), storage=import_storage, upload_to="%Y/%m/%d/",
                            max_length=200, blank=True)
    filename = models.CharField(_("file name"), max_length=200)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    rows_total = models.PositiveIntegerField(_("rows in total"), default=0)
    # {"rows", "counts", "phrases", "changes_anything", "errors": [[row, column, value,
    #  message], …], "error_lines": […], "summary"}
    checked = models.JSONField(_("result of the check"), default=dict, blank=True)
    result = models.JSONField(_("result of the import"), default=dict, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)

    objects = tenant_manager(ImportRunQuerySet)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["jobcenter", "status"],
                                name="imports_run_jobcenter_status")]

    def __str__(self):
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status in self.PENDING

    @property
    def outcome(self) -> dict:
        """What the page shows: the import's result once done, else the check's."""
        return self.result or self.checked
