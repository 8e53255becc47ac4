"""The enrolment list's Kooperationsplan column: its German header, the old header
"Eingliederungsvereinbarung" of older lists, and the review that follows six months later."""

from datetime import date
from io import BytesIO

import pytest
from django_scopes import scope

from imports.engine import example_csv, run_import
from imports.enrolments import ENROLMENTS
from participants.models import Enrolment
from tests.factories import CohortFactory, EnrolmentFactory, ParticipantFactory
from tests.imports.test_enrolment_import import ENGLISH, GERMAN, GOOD_ROWS, csv_file, located

PLAN_DATES = ["04.03.2024", "2024-03-11", ""]


def with_plan(header_name, header=GERMAN, dates=PLAN_DATES):
    return csv_file([[*row, day] for row, day in zip(GOOD_ROWS, dates, strict=True)],
                    header=[*header, header_name])


def run(jobcenter, data, **kwargs):
    with scope(jobcenter=jobcenter):
        return run_import(ENROLMENTS, jobcenter=jobcenter, file=BytesIO(data),
                          filename="liste.csv", **kwargs)


def plans(jobcenter):
    """Customer number → plan date, and → review date, of the jobcenter's enrolments."""
    with scope(jobcenter=jobcenter):
        rows = Enrolment.objects.values_list("participant__customer_number",
                                             "cooperation_plan_on", "cooperation_plan_review_on")
        return ({number: plan for number, plan, _ in rows},
                {number: review for number, _, review in rows})


@pytest.mark.django_db
@pytest.mark.parametrize("header_name, header", [
    ("Kooperationsplan", GERMAN), ("Eingliederungsvereinbarung", GERMAN),
    (" eingliederungs-vereinbarung ", GERMAN), ("cooperation_plan_on", ENGLISH)])
def test_the_new_and_the_old_header_set_the_plan_and_its_review(jobcenter_a, header_name,
                                                                header):
    result = run(jobcenter_a, with_plan(header_name, header))

    assert result.errors == []
    plan_on, review_on = plans(jobcenter_a)
    assert plan_on == {"123D000001": date(2024, 3, 4), "123D000002": date(2024, 3, 11),
                       "123D000003": None}
    assert review_on == {"123D000001": date(2024, 9, 4), "123D000002": date(2024, 9, 11),
                         "123D000003": None}


@pytest.mark.django_db
def test_a_bad_date_is_an_error_of_its_row_in_german_and_nothing_is_written(jobcenter_a):
    result = run(jobcenter_a, with_plan("Eingliederungsvereinbarung",
                                        dates=["04.03.2024", "31.02.2024", "am Montag"]))

    assert located(result.errors) == [(3, "Eingliederungsvereinbarung", "31.02.2024"),
                                      (4, "Eingliederungsvereinbarung", "am Montag")]
    assert [e.message for e in result.errors] == [
        "Dieses Datum gibt es nicht.",
        "Das ist kein Datum. Bitte schreiben Sie es als 01.03.2024 oder 2024-03-01."]
    assert not result.changes_anything
    with scope(jobcenter=jobcenter_a):
        assert not Enrolment.objects.exists()


@pytest.mark.django_db
def test_a_list_imported_again_fills_in_a_missing_plan_and_keeps_one_there(jobcenter_a):
    cohort = CohortFactory(programme__jobcenter=jobcenter_a, code="WA-DO-2024-03",
                           planned_start=date(2024, 3, 4), planned_end=date(2024, 4, 12))
    for number, plan_on in (("123D000001", None), ("123D000002", date(2024, 2, 28))):
        EnrolmentFactory(cohort=cohort, cooperation_plan_on=plan_on,
                         participant=ParticipantFactory(jobcenter=jobcenter_a,
                                                        customer_number=number))

    result = run(jobcenter_a, with_plan("Kooperationsplan"))

    assert result.errors == []
    plan_on, review_on = plans(jobcenter_a)
    assert (plan_on["123D000001"], review_on["123D000001"]) == (date(2024, 3, 4),
                                                                date(2024, 9, 4))
    assert plan_on["123D000002"] == date(2024, 2, 28)


@pytest.mark.django_db
def test_the_example_file_has_the_column_and_still_imports(jobcenter_a):
    data = example_csv(ENROLMENTS).encode("utf-8")
    assert data.decode("utf-8-sig").split("\r\n", 1)[0].endswith(";Kooperationsplan")

    result = run(jobcenter_a, data)

    assert result.errors == []
    assert result.counts["enrolments"] == 2
    plan_on, review_on = plans(jobcenter_a)
    assert (plan_on["100D000001"], review_on["100D000001"]) == (date(2024, 3, 4),
                                                                date(2024, 9, 4))
    assert plan_on["100D000002"] is None
