"""The top bar and a cohort's tabs as each role sees them, registered by the apps that own
the pages; and no lower app naming a higher app's URLs (STYLE.md, Layout)."""

import ast
import re
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from jobcenters.navigation import NavEntry, NavRegistry
from jobcenters.permissions import Perm, Role
from tests.factories import CohortCoachFactory, CohortFactory

ROOT = Path(__file__).resolve().parent.parent
APPS_LOWEST_FIRST = ("jobcenters", "cohorts", "participants", "coaching", "employers",
                     "privacy", "documents", "imports", "reports", "demo")

TOP_BAR = re.compile(r'<ul class="navbar-nav me-auto">(.*?)</ul>', re.S)
TABS = re.compile(r'<ul class="nav nav-tabs mb-3 no-print">(.*?)</ul>', re.S)
LINK = re.compile(r'<a class="nav-link( active)?"[^>]*>([^<]+)</a>')


def links(pattern, response):
    """[(label, active)] of the links in the part of the page `pattern` finds."""
    block = pattern.search(response.content.decode())
    assert block, f"no such navigation on {response.request['PATH_INFO']}"
    return [(label.strip(), bool(active)) for active, label in LINK.findall(block.group(1))]


@pytest.fixture
def member(request):
    return request.getfixturevalue(request.param)


@pytest.mark.django_db
@pytest.mark.parametrize(("member", "expected"), [
    ("coach", ["Heute", "Gruppen", "Teilnehmende", "Arbeitgeber", "Auswertung",
               "Änderungsprotokoll"]),
    ("team_lead", ["Heute", "Gruppen", "Teilnehmende", "Arbeitgeber", "Auswertung",
                   "Verwaltung", "Änderungsprotokoll"]),
    ("employer_service", ["Heute", "Gruppen", "Teilnehmende", "Arbeitgeber",
                          "Änderungsprotokoll"]),
    ("jc_admin", ["Verwaltung", "Änderungsprotokoll"]),
], indirect=["member"])
def test_the_top_bar_of_each_role_in_order_with_the_start_page_active(client, member,
                                                                     expected):
    client.force_login(member.user)
    response = client.get(reverse("home", kwargs={"jc": "jc-a"}), follow=True)
    bar = links(TOP_BAR, response)
    assert [label for label, _ in bar] == expected
    # The start page (the administrator lands on the staff list instead) is the active one.
    assert [label for label, active in bar if active] == [expected[0]]


@pytest.mark.django_db
def test_the_start_page_is_active_on_its_own_address_only(client, team_lead):
    client.force_login(team_lead.user)
    bar = links(TOP_BAR, client.get(reverse("cohorts:list", kwargs={"jc": "jc-a"})))
    assert [label for label, active in bar if active] == ["Gruppen"]
    bar = links(TOP_BAR, client.get(reverse("participants:audit", kwargs={"jc": "jc-a"})))
    assert [label for label, active in bar if active] == ["Änderungsprotokoll"]


ALL_TABS = ["Teilnehmende", "Plan", "Sitzungen", "Anwesenheit", "Bewerbungen", "Ergebnis"]


@pytest.mark.django_db
@pytest.mark.parametrize(("member", "url_name", "expected", "active"), [
    ("coach", "participants:cohort", ALL_TABS, "Teilnehmende"),
    ("coach", "coaching:matrix", ALL_TABS, "Anwesenheit"),
    ("coach", "coaching:plan", ALL_TABS, "Plan"),
    ("team_lead", "coaching:sessions", ALL_TABS, "Sitzungen"),
    ("team_lead", "reports:cohort_outcome", ALL_TABS, "Ergebnis"),
    ("employer_service", "employers:board", ["Teilnehmende", "Bewerbungen"], "Bewerbungen"),
], indirect=["member"])
def test_the_cohort_tabs_of_each_role_in_order(client, member, url_name, expected, active):
    cohort = CohortFactory(programme__jobcenter=member.jobcenter)
    if member.role == Role.COACH:
        CohortCoachFactory(cohort=cohort, user=member.user)  # the coach's own group
    client.force_login(member.user)
    response = client.get(reverse(url_name, kwargs={"jc": "jc-a", "pk": cohort.pk}))
    assert response.status_code == 200
    tabs = links(TABS, response)
    assert [label for label, _ in tabs] == expected
    assert [label for label, is_active in tabs if is_active] == [active]


@pytest.mark.django_db
def test_a_new_cohort_opens_on_its_first_tab(client, team_lead):
    from cohorts.navigation import cohort_url

    cohort = CohortFactory(programme__jobcenter=team_lead.jobcenter)
    assert cohort_url(team_lead, cohort) == reverse(
        "participants:cohort", kwargs={"jc": "jc-a", "pk": cohort.pk})


def test_a_registry_keeps_positions_apart_and_registering_twice_replaces():
    registry = NavRegistry("test")
    first = NavEntry("First", "first", None, 10)
    registry.register(NavEntry("Second", "second", Perm.VIEW_COHORTS, 20), first)
    registry.register(first)
    assert [e.url_name for e in registry.entries()] == ["first", "second"]
    with pytest.raises(ImproperlyConfigured):
        registry.register(NavEntry("Other", "other", None, 10))


# No lower app names a higher app's URL. The URL names come from the resolver, with the app
# whose module holds each view; a namespaced name ("reports:dashboard") counts wherever it
# stands, a bare one ("home") where a URL is reversed or registered.

URL_CALLS = {"reverse", "reverse_lazy", "redirect", "resolve_url", "NavEntry"}


def _url_names_by_app():
    names = {}

    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif isinstance(p, URLPattern) and p.name:
                view = getattr(p.callback, "view_class", p.callback)
                names[f"{namespace}{p.name}"] = view.__module__.split(".")[0]

    walk(get_resolver().url_patterns, "")
    return names


def _named_urls(source: str):
    """(string, whether it stands where a URL name is reversed or registered) per constant."""
    tree = ast.parse(source)
    in_url_call = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(
                node.func, "id", "")
            if func in URL_CALLS:
                in_url_call.update(id(a) for a in node.args)
            in_url_call.update(id(k.value) for k in node.keywords if k.arg == "url_name")
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value, id(node) in in_url_call


TEMPLATE_URL = re.compile(r"""{%\s*url\s+['"]([\w:-]+)['"]""")


def _named_in(path: Path):
    """The URL names a module or template of an app names."""
    if path.suffix == ".html":
        yield from TEMPLATE_URL.findall(path.read_text())
        return
    for value, in_url_call in _named_urls(path.read_text()):
        if ":" in value or in_url_call:
            yield value


@pytest.mark.parametrize("app", APPS_LOWEST_FIRST[:-1])
def test_a_lower_app_names_no_url_of_a_higher_app(app):
    higher = set(APPS_LOWEST_FIRST[APPS_LOWEST_FIRST.index(app) + 1:])
    names = {name for name, owner in _url_names_by_app().items() if owner in higher}
    found = []
    for path in sorted([*(ROOT / app).rglob("*.py"), *(ROOT / app).rglob("*.html")]):
        relative = path.relative_to(ROOT).as_posix()
        if "/migrations/" not in relative:
            found += [f"{relative}: {name}" for name in _named_in(path) if name in names]
    assert found == []


def test_the_scan_sees_a_higher_app_named_by_a_lower_one():
    names = _url_names_by_app()
    assert names["reports:dashboard"] == "reports" and names["home"] == "reports"
    assert list(_named_in(ROOT / "templates" / "base.html")).count("home") == 2
