"""An imported 12-month follow-up keeps the day it was checked (`Verbleib12 geprüft am`);
without one it counts as checked on its due date, so that a report as of a day between the
due date and the import still counts it (METRICS.md, FORMATS.md)."""

from datetime import date

import pytest
from django_scopes import scope

from employers.models import FollowUp
from reports.engine import daily_counters, population
from reports.rollup import report
from tests.imports.test_enrolment_import import GERMAN, GOOD_ROWS, csv_file, located, run

HEADER = [*GERMAN, "Verbleib12 geprüft am"]
# Ayşe Yılmaz started work on 15.04.2024: her follow-up was due on 15.04.2025.
DUE = date(2025, 4, 15)


def rows(checked_on: str):
    return [[*GOOD_ROWS[0], checked_on], [*GOOD_ROWS[1], ""]]


def sustainability(jobcenter, as_of):
    totals = report(daily_counters(population(jobcenter), as_of))["totals"]
    return totals["sustainability_rate_12m"], totals["followups_unknown"]


@pytest.mark.django_db
def test_the_check_date_of_the_list_is_kept(jobcenter_a):
    with scope(jobcenter=jobcenter_a):
        result = run(jobcenter_a, csv_file(rows("02.05.2025"), header=HEADER))
        assert result.errors == []
        followup = FollowUp.objects.get(due_month=12)
        assert (followup.still_employed, followup.checked_on) == ("yes", date(2025, 5, 2))
        assert sustainability(jobcenter_a, date(2025, 4, 30)) == (None, 1)
        assert sustainability(jobcenter_a, date(2025, 5, 2)) == (1.0, 0)


@pytest.mark.django_db
def test_without_a_check_date_it_counts_as_checked_when_due(jobcenter_a):
    with scope(jobcenter=jobcenter_a):
        result = run(jobcenter_a, csv_file(rows(""), header=HEADER))
        assert result.errors == []
        assert FollowUp.objects.get(due_month=12).checked_on == DUE
        # A report as of a day between the due date and the import counts it.
        assert sustainability(jobcenter_a, date(2025, 6, 30)) == (1.0, 0)
        assert sustainability(jobcenter_a, date(2025, 4, 14)) == (None, 0)


@pytest.mark.django_db
def test_a_list_without_the_column_imports_as_before(jobcenter_a):
    with scope(jobcenter=jobcenter_a):
        assert run(jobcenter_a, csv_file(GOOD_ROWS)).errors == []
        assert FollowUp.objects.get(due_month=12).checked_on == DUE


@pytest.mark.django_db
def test_a_bad_check_date_is_refused_with_its_row(jobcenter_a):
    no_answer = [*GOOD_ROWS[0][:-1], "", "02.05.2025"]
    before_work = [*GOOD_ROWS[0][:5], "123D000009", *GOOD_ROWS[0][6:], "01.04.2024"]
    future = [*GOOD_ROWS[0][:5], "123D000008", *GOOD_ROWS[0][6:], "01.01.2099"]
    with scope(jobcenter=jobcenter_a):
        result = run(jobcenter_a, csv_file([no_answer, before_work, future], header=HEADER))
        assert located(result.errors) == [
            (2, "Verbleib12 geprüft am", "02.05.2025"),
            (3, "Verbleib12 geprüft am", "01.04.2024"),
            (4, "Verbleib12 geprüft am", "01.01.2099"),
        ]
        assert not FollowUp.objects.filter(still_employed="yes").exists()
