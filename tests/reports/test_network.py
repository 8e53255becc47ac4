import random
from datetime import timedelta
from itertools import product

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from reports.models import Network
from reports.network import ROW_FIGURES, row_cells, shown_count, shown_rate, shown_row
from reports.services import snapshot_compute
from reports.suppression import SMALL, Figure, suppress
from tests.factories import CohortFactory, EnrolmentFactory, IntegrationFactory, UserFactory

START = timezone.localdate() - timedelta(days=60)


def jobcenter_with(jobcenter, people, integrated, dropouts=0):
    cohort = CohortFactory(programme__jobcenter=jobcenter, planned_start=START)
    for i in range(people):
        exit_fields = ({"exit_on": START + timedelta(days=5), "exit_reason": "dropout"}
                       if integrated <= i < integrated + dropouts else {})
        enrolment = EnrolmentFactory(cohort=cohort, joined_on=START,
                                     participant__last_name=f"Geheim{i}", **exit_fields)
        if i < integrated:
            IntegrationFactory(enrolment=enrolment, start_on=START + timedelta(days=10))
    with scope(jobcenter=jobcenter):
        snapshot_compute(jobcenter=jobcenter, as_of=timezone.localdate())


@pytest.fixture
def network(jobcenter_a, jobcenter_b):
    network = Network.objects.create(name="Netz Nord", slug="nord")
    network.jobcenters.set([jobcenter_a, jobcenter_b])
    return network


def test_small_counts_and_rates_are_suppressed():
    assert [shown_count(n) for n in (0, 1, 2, 3)] == [0, "<3", "<3", 3]
    assert shown_rate(0.5, 9) == "n<10" and shown_rate(0.5, 10) == 0.5


@pytest.mark.django_db
def test_analysts_compare_aggregates_with_suppression_and_a_median(client, network,
                                                                   jobcenter_a, jobcenter_b):
    jobcenter_with(jobcenter_a, 20, 10)
    jobcenter_with(jobcenter_b, 2, 1)
    analyst = UserFactory()
    network.analysts.add(analyst)
    client.force_login(analyst)
    response = client.get(reverse("network", kwargs={"slug": "nord"}))
    html = response.content.decode()
    rows = {r["jobcenter"].code: r for r in response.context["rows"]}
    assert rows["jc-a"]["entrants"] == 20 and rows["jc-a"]["rates"]["integration_rate"] == 0.5
    assert rows["jc-b"]["entrants"] == "<3"
    assert rows["jc-b"]["rates"]["integration_rate"] == "n<10"
    assert response.context["medians"]["integration_rate"] == 0.5
    assert "n&lt;10" in html and "Geheim" not in html


@pytest.mark.django_db
def test_only_the_networks_analysts_get_in(client, network, team_lead):
    client.force_login(team_lead.user)
    assert client.get(reverse("network", kwargs={"slug": "nord"})).status_code == 404


@pytest.mark.django_db
def test_one_dropout_of_28_entrants_shows_no_dropout_rate(client, network, jobcenter_a):
    jobcenter_with(jobcenter_a, 28, 14, dropouts=1)  # 4 % of 28 would be one person
    analyst = UserFactory()
    network.analysts.add(analyst)
    client.force_login(analyst)
    response = client.get(reverse("network", kwargs={"slug": "nord"}))
    row = next(r for r in response.context["rows"] if r["jobcenter"] == jobcenter_a)
    assert row["entrants"] == 28 and row["rates"]["integration_rate"] == 0.5
    assert row["rates"]["dropout_rate"] == "<3"
    assert "4\u00a0%" not in response.content.decode()


def cells(**counts):
    return {name: counts.get(name, 0) for name in ("integrated", "dropped_out", "transferred",
                                                  "completed", "other_exit", "active",
                                                  "attended", "not_attended")}


def test_a_rate_of_one_or_two_people_is_suppressed_whatever_the_base():
    counts = cells(integrated=10, dropped_out=2, completed=16, attended=100, not_attended=20)
    entrants, rates = shown_row({**counts, "entrants": 28, "attendance_records": 120})
    assert entrants == 28
    assert rates["dropout_rate"] == "<3" and rates["integration_rate"] == 10 / 28


def test_the_difference_of_two_rates_of_one_base_gives_nothing_away():
    # 50 % integrated, 54 % positive of 28 entrants: one person transferred.
    counts = {"entrants": 28, "integrated": 14, "transferred": 1, "completed": 13}
    _, rates = shown_row(counts)
    assert rates["integration_rate"] == 0.5 and rates["positive_rate"] == "x"


def test_the_remainder_of_a_total_gives_nothing_away():
    # 28 entrants, 14 integrated, 13 dropouts: the one other person is not given back.
    _, rates = shown_row({"entrants": 28, "integrated": 14, "dropped_out": 13, "active": 1})
    assert rates["integration_rate"] == 0.5
    assert "x" in (rates["dropout_rate"], rates["positive_rate"])


def test_a_second_part_is_suppressed_when_one_part_of_a_total_is():
    parts = {"a": 2, "b": 14, "c": 14}
    figures = [Figure("total", frozenset(parts)),
               *(Figure(name, frozenset({name})) for name in parts)]
    marks = suppress(parts, figures)
    assert marks["a"] == "<3"
    assert marks["c"] == "x"  # the least important of the parts that close the gap
    assert marks["total"] is None and marks["b"] is None


def test_complements_of_rates_are_covered():
    # 98 of 100 records attended: the rate's complement is 2 records.
    marks = suppress({"yes": 98, "no": 2},
                     [Figure("rate", frozenset({"yes"}), frozenset({"yes", "no"}))])
    assert marks["rate"] == "x"


def shown_groups(figures, marks):
    """What the shown figures tell: the counts of these groups of cells."""
    groups = set()
    for figure in figures:
        if marks[figure.name] is None:
            groups.update(figure.told())
    return list(groups)


def assert_nothing_small_is_given_back(counts, figures, marks):
    """An attacker's check, independent of suppression.py's algebra: each shown figure
    alone, and every sum and difference of them (coefficients -1, 0, 1: a total minus
    parts, two rates of one base, a rate's complement), that is a count of a group of
    cells, is not 1 or 2."""
    for figure in figures:
        if marks[figure.name] is None:
            assert sum(counts[c] for c in figure.cells) not in SMALL, figure
            if figure.of is not None:
                assert sum(counts[c] for c in figure.of) >= 10, figure
    groups = shown_groups(figures, marks)
    names = sorted(counts)
    vectors = [[1 if n in g else 0 for n in names] for g in groups]
    for coefficients in product((-1, 0, 1), repeat=len(vectors)):
        combined = [sum(k * v[i] for k, v in zip(coefficients, vectors, strict=True))
                    for i in range(len(names))]
        if any(combined) and all(x in (0, 1) for x in combined):
            value = sum(counts[n] for n, x in zip(names, combined, strict=True) if x)
            assert value not in SMALL, (coefficients, groups, counts)


def random_table(rng):
    names = [f"c{i}" for i in range(rng.randint(2, 4))]
    counts = {n: rng.choice([0, 1, 2, 3, 4, 5, 8, 12, 20]) for n in names}
    figures = []
    for i in range(rng.randint(2, 4)):
        cells_ = frozenset(rng.sample(names, rng.randint(1, len(names))))
        if rng.random() < 0.5:
            figures.append(Figure(f"f{i}", cells_))
        else:
            base = frozenset(cells_ | set(rng.sample(names, rng.randint(0, len(names)))))
            figures.append(Figure(f"f{i}", cells_, base))
    return counts, figures


def test_no_random_small_table_gives_back_a_count_of_one_or_two():
    rng = random.Random(20261202)
    for _ in range(300):
        counts, figures = random_table(rng)
        assert_nothing_small_is_given_back(counts, figures, suppress(counts, figures))


def test_no_random_network_row_gives_back_a_count_of_one_or_two():
    rng = random.Random(15)
    for _ in range(200):
        counts = cells(**{n: rng.choice([0, 1, 2, 3, 5, 9, 14]) for n in cells()})
        counts["attended"] += rng.choice([0, 30])
        entrants = sum(counts[n] for n in list(cells())[:6])
        entrants_shown, rates = shown_row(
            {**counts, "entrants": entrants,
             "attendance_records": counts["attended"] + counts["not_attended"]})
        marks = {"entrants": None if isinstance(entrants_shown, int) else entrants_shown,
                 **{n: v if isinstance(v, str) else None for n, v in rates.items()}}
        assert_nothing_small_is_given_back(row_cells(
            {**counts, "attendance_records": counts["attended"] + counts["not_attended"]}),
            ROW_FIGURES, marks)
