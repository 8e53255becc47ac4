from datetime import date, timedelta

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobcenters.audit import DESCRIBED, NOT_AUDITED, REDACTED, jobcenter_trail, readable
from jobcenters.permissions import Data, Perm, Reach, audit_overview, reach_of, reaches

from .models import COUNTING_KINDS, Enrolment, Participant


def enrolled_on(day: date) -> Q:
    """Enrolments that count as present on `day`: joined by then and not exited before."""
    return Q(joined_on__isnull=False, joined_on__lte=day) & (
        Q(exit_on__isnull=True) | Q(exit_on__gte=day)
    )


# How far ahead "Heute" lists the reviews of Kooperationspläne.
REVIEW_HORIZON = timedelta(days=14)


def cooperation_plan_reviews_due(membership, until: date) -> QuerySet:
    """Enrolments the member reaches whose Kooperationsplan is due for review by `until`
    (overdue ones first), of people still in their cohort."""
    if not reaches(membership.role, Data.COURSE):
        return Enrolment.objects.none()
    return (
        Enrolment.objects.visible_to(membership)
        .filter(exit_on__isnull=True, cooperation_plan_review_on__lte=until)
        .select_related("participant", "cohort")
        .order_by("cooperation_plan_review_on", "participant__last_name",
                  "participant__first_name", "pk")
    )


def cohort_enrolments_on(cohort, day: date) -> QuerySet:
    """Who is expected at a session of the cohort on `day` (late joiners only from joining)."""
    return (
        Enrolment.objects.filter(cohort=cohort)
        .filter(enrolled_on(day))
        .select_related("participant")
        .order_by("participant__last_name", "participant__first_name", "pk")
    )


def integrated() -> Exists:
    """Annotation: the enrolment has a job start that counts as an integration. Through the
    relation's name: the job starts are the employers app's."""
    return Exists(Enrolment.objects.filter(pk=OuterRef("pk"),
                                           integrations__kind__in=COUNTING_KINDS))


def cohort_enrolments(cohort) -> QuerySet:
    """The cohort's enrolments with what the participant list shows about each."""
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    return (
        Enrolment.objects.filter(cohort=cohort)
        .select_related("participant")
        .annotate(
            is_integrated=integrated(),
            # Work First: the participant's own applications recorded this week.
            applications_this_week=Count("applications", filter=Q(
                applications__source="own", applications__created_at__date__gte=monday)),
        )
        .order_by("participant__last_name", "participant__first_name", "pk")
    )


def participant_search(membership, query: str, *, to_enrol: bool = False) -> QuerySet:
    """Find people by customer number or name among those the member may see.

    To enrol (`to_enrol`, for members who manage participants), an exact customer number
    also finds a person of the jobcenter the member does not see yet: whoever knows the
    number is enrolling that person, and must not create a duplicate.
    """
    query = query.strip()
    visible = Participant.objects.visible_to(membership)
    if not query:
        return visible.none()
    by_name = Q()
    for word in query.split():
        by_name &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
    matches = visible.filter(by_name | Q(customer_number__iexact=query))
    if to_enrol and membership.can(Perm.MANAGE_PARTICIPANTS):
        matches |= Participant.objects.for_jobcenter(membership.jobcenter).filter(
            customer_number__iexact=query)
    return matches.distinct().order_by("last_name", "first_name")[:50]


_CHOICE = signing.TimestampSigner(salt="participants.enrol-choice")
CHOICE_MAX_AGE = 4 * 3600


def choice_token(participant: Participant) -> str:
    """The link value that picks a person found by the search for enrolment. Signed, so
    that nobody can step through numbers to read people the search would not show them."""
    return _CHOICE.sign(str(participant.pk))


def chosen_participant(jobcenter, token: str) -> Participant | None:
    try:
        pk = int(_CHOICE.unsign(token, max_age=CHOICE_MAX_AGE))
    except (signing.BadSignature, ValueError):
        return None
    return Participant.objects.for_jobcenter(jobcenter).filter(pk=pk).first()


def audit_trail(membership) -> QuerySet:
    """The audit entries about data the member reaches (needs Perm.VIEW_AUDIT).

    An entry is about one row: its model's kind of data says how far the member's role
    reaches, the cohort and participant in the entry's additional data whom it concerns.
    The administration sees every entry of its jobcenter, and `entry_changes` then shows
    which fields changed, not their values.
    """
    if not membership.can(Perm.VIEW_AUDIT):
        raise PermissionDenied
    entries = jobcenter_trail(membership.jobcenter)
    if audit_overview(membership.role):
        return entries
    allowed = Q(pk__in=[])
    people = []  # the ids of the people the member sees, computed when first needed

    def people_seen():
        if not people:
            people.extend(Participant.objects.visible_to(membership).values_list("pk", flat=True))
        return people

    coached = list(membership.user.coached_cohorts.values_list("cohort_id", flat=True))
    for model in auditlog.get_models():
        reach = reach_of(membership.role, getattr(model, "reach_kind", Data.STAFF))
        of_model = Q(content_type=ContentType.objects.get_for_model(model))
        if reach == Reach.JOBCENTER:
            allowed |= of_model
        elif reach == Reach.OWN_GROUPS and _one_cohort(model):
            allowed |= of_model & Q(additional_data__cohort__in=coached)
        elif reach in (Reach.OWN_GROUPS, Reach.PIPELINE) and model.participant_path is not None:
            allowed |= of_model & Q(additional_data__participant__in=people_seen())
    return entries.filter(allowed)


def _one_cohort(model) -> bool:
    path = getattr(model, "cohort_path", None)
    if path is None:
        return False
    first = path.split("__")[0]
    return path == "" or not model._meta.get_field(first).one_to_many


def entry_changes(entry: LogEntry, membership, related: dict | None = None
                  ) -> list[tuple[str, str | None, str | None]]:
    """(field, before, after) of an entry as this member may read it, in words (see
    `jobcenters.audit.readable`; `related`: model → {pk: name}): fields of a kind the
    member does not reach are left out, or, for the administration's overview, shown
    without their values (None); so is a confidential note's text for everyone."""
    model = entry.content_type.model_class()
    overview = audit_overview(membership.role)
    shown = []
    for name, values in (entry.changes_dict or {}).items():
        field = _field(model, name)
        if name in NOT_AUDITED or not isinstance(values, list) or (
                field is not None and not field.concrete):
            continue
        label = str(field.verbose_name) if field is not None else name
        field_kind = _field_kind(model, name)
        if reaches(membership.role, field_kind) and REDACTED not in values:
            names = (related or {}).get(getattr(field, "related_model", None), {})
            before, after = (readable(field, value, names) for value in values[:2])
            if entry.action == LogEntry.Action.CREATE and after == "–":
                continue  # a new row's empty fields say nothing
            shown.append((label, before, after))
        elif overview or reaches(membership.role, field_kind):
            shown.append((label, None, None))
    return shown


def _field(model, name):
    try:
        return model._meta.get_field(name) if model is not None else None
    except FieldDoesNotExist:
        return None


def _field_kind(model, name) -> Data:
    return getattr(model, "field_kinds", {}).get(name, getattr(model, "reach_kind", Data.STAFF))


def with_changes(entries, membership) -> list[LogEntry]:
    """The entries, each with `shown_changes` and, for an entry about a person, `person`
    (the name, or how the member may see them) for the template; the rows their values and
    people refer to are fetched once for the page, not per entry."""
    entries = list(entries)
    related = _related_names(entries, membership)
    people = related.get(Participant, {})
    for entry in entries:
        entry.shown_changes = entry_changes(entry, membership, related)
        person = (entry.additional_data or {}).get("participant")
        entry.person = people.get(str(person)) if person is not None else None
    for label, describe in DESCRIBED.items():
        app_label, model = label.split(".")
        of_model = [e for e in entries if (e.content_type.app_label,
                                           e.content_type.model) == (app_label, model)]
        if of_model:
            describe(of_model, membership)
    return entries


def person_name(person: Participant) -> str:
    if person.anonymised_at:
        return str(_("anonymised person"))
    return f"{person.first_name} {person.last_name}"


def people_named(ids, membership) -> dict:
    """pk → how the member sees each of these people: their name where the member reaches
    it, else only their number (the administration, a person out of reach)."""
    ids = {int(pk) for pk in ids if str(pk).isdigit()}
    names = {pk: str(_("person no. %(number)s") % {"number": pk}) for pk in ids}
    if ids and reaches(membership.role, Data.IDENTITY):
        for person in Participant.objects.visible_to(membership).filter(pk__in=ids).only(
                "first_name", "last_name", "anonymised_at"):
            names[person.pk] = person_name(person)
    return names


def _related_names(entries, membership) -> dict:
    """model → {pk as stored: name} of the rows the shown values refer to: one query per
    related model on the page, each through `visible_to` where the model is scoped (a row
    the member does not reach keeps its number); the people the entries are about with
    those a value names."""
    wanted = {Participant: {str(e.additional_data["participant"]) for e in entries
                            if (e.additional_data or {}).get("participant") is not None}}
    for entry in entries:
        model = entry.content_type.model_class()
        for name, values in (entry.changes_dict or {}).items():
            field = _field(model, name)
            if field is not None and field.is_relation and field.related_model is not None \
                    and reaches(membership.role, _field_kind(model, name)):
                wanted.setdefault(field.related_model, set()).update(
                    str(v) for v in values[:2] if str(v).isdigit())
    return _names(wanted, membership)


def _names(wanted: dict, membership) -> dict:
    names = {}
    for related, pks in wanted.items():
        if not pks:
            continue
        if related is Participant:
            names[related] = {str(pk): name for pk, name in people_named(pks, membership).items()}
            continue
        manager = related._default_manager
        rows = (manager.visible_to(membership) if hasattr(manager, "visible_to")
                else manager.all())
        names[related] = {str(row.pk): str(row) for row in rows.filter(pk__in=pks).select_related()}
    return names
