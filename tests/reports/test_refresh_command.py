"""`manage.py refresh_reports`: the operators' refresh, with progress and the time taken."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_scopes import scope

from reports.models import ReportSnapshot
from reports.rollup import report
from tests.factories import EnrolmentFactory


def refresh(*args) -> str:
    out = StringIO()
    call_command("refresh_reports", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_every_jobcenter_is_refreshed_with_progress(jobcenter_a, jobcenter_b):
    EnrolmentFactory(cohort__programme__jobcenter=jobcenter_a)
    output = refresh()
    assert "in one pass" in output
    assert "1/2 jc-a: stored" in output and "2/2 jc-b: stored" in output
    assert "2 jobcenter(s) refreshed as of" in output and " s." in output
    with scope(jobcenter=jobcenter_a):
        snapshot = ReportSnapshot.objects.get(jobcenter=jobcenter_a)
        assert snapshot.as_of == timezone.localdate()
        assert report(snapshot.counters)["totals"]["entrants"] == 1
        assert not snapshot.is_outdated(type(jobcenter_a).objects.get(pk=jobcenter_a.pk))


@pytest.mark.django_db
def test_one_jobcenter_only(jobcenter_a, jobcenter_b):
    output = refresh("--jobcenter", "jc-b")
    assert "1/1 jc-b: stored" in output and "jc-a" not in output
    with scope(jobcenter=jobcenter_a):
        assert not ReportSnapshot.objects.filter(jobcenter=jobcenter_a).exists()


@pytest.mark.django_db
def test_an_unknown_jobcenter_is_an_error(jobcenter_a):
    with pytest.raises(CommandError, match="no jobcenter with the code 'jc-x'"):
        refresh("--jobcenter", "jc-x")


@pytest.mark.django_db
def test_one_pass_over_every_jobcenter_gives_each_its_own_figures(jobcenter_a, jobcenter_b):
    from django_scopes import scopes_disabled

    from reports.engine import period_counters, population

    EnrolmentFactory(cohort__programme__jobcenter=jobcenter_a)
    for _ in range(3):
        EnrolmentFactory(cohort__programme__jobcenter=jobcenter_b, exit_on=None)
    refresh()
    for jobcenter, entrants in ((jobcenter_a, 1), (jobcenter_b, 3)):
        with scope(jobcenter=jobcenter):
            alone = period_counters(population(jobcenter), timezone.localdate())
        with scopes_disabled():
            stored = ReportSnapshot.objects.get(jobcenter=jobcenter).counters
        assert stored == alone
        assert report(stored)["totals"]["entrants"] == entrants
