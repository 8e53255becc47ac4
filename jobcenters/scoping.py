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

from . import data_version
from .permissions import Data, Reach, reach_of


class TenantQuerySet(models.QuerySet):
    def for_jobcenter(self, jobcenter):
        return self.filter(jobcenter=jobcenter)

    # Bulk writes of report-relevant rows bump their jobcenters' data version, as saves do
    # (jobcenters/data_version.py). Deletes need nothing here: Django sends pre_delete for
    # every row of a model with receivers, and data_version connects one.
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        with data_version.bulk_writing(self, rows=objs):
            return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, *args, **kwargs):
        objs = list(objs)
        with data_version.bulk_writing(self, rows=objs):
            return super().bulk_update(objs, *args, **kwargs)

    def update(self, **kwargs):
        with data_version.bulk_writing(self):
            return super().update(**kwargs)

    update.alters_data = True

    def visible_to(self, membership, kind: Data | None = None):
        """The rows this member may see: the reach table (permissions.REACH) applied to the
        model's kind of data (or `kind`, for a part of it) along the model's paths."""
        model = self.model
        reach = reach_of(membership.role, kind or model.reach_kind)
        rows = self.for_jobcenter(membership.jobcenter)
        if reach == Reach.JOBCENTER:
            return rows
        if reach == Reach.OWN_GROUPS and model.cohort_path is not None:
            coached = membership.user.coached_cohorts.values("cohort")
            return _along(rows, model.cohort_path or "pk", "in", coached)
        if reach == Reach.PIPELINE and model.enrolment_path is not None:
            path = f"{model.enrolment_path}__applications" if model.enrolment_path \
                else "applications"
            return _along(rows, path, "isnull", False)
        return rows.none()


def _along(rows, path: str, lookup: str, value):
    """rows.filter(path__lookup=value), without duplicates where the path fans out."""
    condition = {f"{path}__{lookup}": value}
    first = None if path == "pk" else rows.model._meta.get_field(path.split("__")[0])
    if first is not None and (first.one_to_many or first.many_to_many):
        return rows.filter(pk__in=rows.model._base_manager.filter(**condition).values("pk"))
    return rows.filter(**condition)


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
    # Whether a report reads these rows: a write bumps the jobcenter's data version then
    # (jobcenters/data_version.py), so report snapshots notice that they are outdated.
    report_relevant: bool = False
    # The reach table's kind of data of this row; fields of another kind (a person's
    # characteristics beside their name, say) are named in `field_kinds`.
    reach_kind: Data = Data.CATALOGUE
    field_kinds: dict[str, Data] = {}
    # Query paths to the row's cohort and enrolment ("" = the row itself; None = none):
    # how "own groups" and "in the placement pipeline" reach it.
    cohort_path: str | None = None
    enrolment_path: str | None = None

    jobcenter = models.ForeignKey(
        "jobcenters.Jobcenter", on_delete=models.CASCADE, related_name="+",
        verbose_name=_("jobcenter"),
    )

    objects = tenant_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.check_same_jobcenter()
        with data_version.saving(self, kwargs.get("using")):
            super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        """A foreign key to a row already loaded needs no query to show that the row exists
        (the database's constraint still guards it): an import saving thousands of rows
        would otherwise look up the same jobcenter, cohort and person again for each."""
        loaded = {field.name for field in self._meta.concrete_fields
                  if field.many_to_one and field.is_cached(self)
                  and field.get_cached_value(self) is not None}
        super().clean_fields(exclude={*(exclude or ()), *loaded})

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
        cohort = self.audit_cohort_id()
        if cohort is not None:
            data["cohort"] = cohort
        return data

    def audit_cohort_id(self):
        """The cohort this row belongs to, where it belongs to exactly one."""
        if self.cohort_path == "":
            return self.pk
        if not self.cohort_path:
            return None
        *steps, last = self.cohort_path.split("__")
        target = self
        for step in steps:
            field = target._meta.get_field(step)
            if field.one_to_many or field.many_to_many:
                return None
            target = getattr(target, step)
            if target is None:
                return None
        return getattr(target, f"{last}_id")

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
