"""Tenant scoping: every tenant model is reachable only inside a jobcenter scope.

django-scopes makes a query outside `scope(jobcenter=…)` raise `ScopeError` instead of
returning every jobcenter's rows. Views enter the scope in `TenantMiddleware`; management
commands and tasks enter it explicitly.
"""

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class TenantQuerySet(models.QuerySet):
    def for_jobcenter(self, jobcenter):
        return self.filter(jobcenter=jobcenter)

    def visible_to(self, membership):
        """What this member may see. Default: the member's whole jobcenter."""
        return self.for_jobcenter(membership.jobcenter)


def tenant_manager(queryset_class=TenantQuerySet):
    manager_class = models.Manager.from_queryset(queryset_class)
    return ScopedManager(_manager_class=manager_class, jobcenter="jobcenter")


class TenantModel(models.Model):
    """A row that belongs to exactly one jobcenter.

    `tenant_parents` names the foreign keys whose rows must share that jobcenter; the
    jobcenter is taken from the first of them when not given. Checked on every save.
    """

    tenant_parents: tuple[str, ...] = ()
    # User foreign keys that must name staff of the row's jobcenter (a person may work for
    # several jobcenters, so what counts is a membership of this one).
    tenant_staff: tuple[str, ...] = ()
    # Path to the id of the participant whose data this is, for the audit trail
    # ("" = the row itself; None = no participant).
    participant_path: str | None = None

    jobcenter = models.ForeignKey(
        "jobcenters.Jobcenter", on_delete=models.CASCADE, related_name="+",
        verbose_name=_("jobcenter"),
    )

    objects = tenant_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.check_same_jobcenter()
        super().save(*args, **kwargs)

    def get_additional_data(self) -> dict:
        """Stored with every audit entry of this row (django-auditlog calls this)."""
        data = {"jobcenter": self.jobcenter_id}
        if self.participant_path == "":
            data["participant"] = self.pk
        elif self.participant_path:
            target = self
            for step in self.participant_path.split("."):
                target = getattr(target, step)
            data["participant"] = target
        return data

    def check_same_jobcenter(self):
        for name in self.tenant_parents:
            parent = getattr(self, name)
            if parent is None:
                continue
            if self.jobcenter_id is None:
                self.jobcenter_id = parent.jobcenter_id
            elif parent.jobcenter_id != self.jobcenter_id:
                raise ValidationError(
                    _("%(field)s belongs to another jobcenter."),
                    code="foreign_jobcenter",
                    params={"field": self._meta.get_field(name).verbose_name},
                )
        for name in self.tenant_staff:
            user_id = getattr(self, f"{name}_id")
            if user_id is not None and not is_staff_of(self.jobcenter_id, [user_id]):
                raise ValidationError(
                    _("%(field)s is not staff of this jobcenter."),
                    code="foreign_staff",
                    params={"field": self._meta.get_field(name).verbose_name},
                )


def is_staff_of(jobcenter_id, user_ids) -> bool:
    """Whether every one of these users has a membership (active or not) of the jobcenter."""
    membership = apps.get_model("jobcenters", "Membership")
    user_ids = set(user_ids)
    return membership.objects.filter(jobcenter_id=jobcenter_id,
                                     user_id__in=user_ids).count() == len(user_ids)
