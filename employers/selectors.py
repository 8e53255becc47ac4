from django.db.models import Count, IntegerField, Max, OuterRef, QuerySet, Subquery

from .models import CLOSED_STAGES, Application, Employer, EmployerActivity, Vacancy


def _count(queryset: QuerySet) -> Subquery:
    """A correlated count: one subquery per figure, no join that multiplies rows."""
    return Subquery(
        queryset.filter(employer=OuterRef("pk")).order_by().values("employer")
        .annotate(n=Count("pk")).values("n"),
        output_field=IntegerField(),
    )


def employer_list(jobcenter) -> QuerySet:
    """The jobcenter's employers with their open vacancies, hires, open applications and
    last contact, in one query."""
    return Employer.objects.for_jobcenter(jobcenter).annotate(
        open_vacancies=_count(Vacancy.objects.filter(status=Vacancy.Status.OPEN)),
        hires=_count(Application.objects.filter(stage=Application.Stage.HIRED)),
        open_applications=_count(Application.objects.exclude(stage__in=CLOSED_STAGES)),
        last_contact=Subquery(
            EmployerActivity.objects.filter(employer=OuterRef("pk")).order_by()
            .values("employer").annotate(last=Max("happened_on")).values("last")
        ),
    ).order_by("name", "town")


def open_vacancies(jobcenter) -> QuerySet:
    return (Vacancy.objects.for_jobcenter(jobcenter).filter(status=Vacancy.Status.OPEN)
            .select_related("employer").order_by("starts_on", "title"))


def cohort_applications(cohort, visible_enrolments: QuerySet) -> QuerySet:
    return (Application.objects.filter(enrolment__cohort=cohort,
                                       enrolment__in=visible_enrolments.values("pk"))
            .select_related("enrolment__participant", "employer", "vacancy")
            .order_by("-stage_changed_on", "pk"))


