"""On a tablet upright (768 px) every action of a row is in reach without scrolling
sideways: rows become cards or fold their actions into one "Aktionen" menu (UX.md,
"Tablet, mistakes and lost work"). On a desktop (1280 px) the rows stay tables, and nothing
is cut off, not even on a finished cohort's page. The attendance matrix alone scrolls
sideways, its names fixed on the left, and opens at the newest session."""

import re
from datetime import time, timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from django_scopes import scope
from playwright.sync_api import expect

from cohorts.models import Cohort
from employers.models import Application, Integration
from participants.models import Enrolment
from tests.factories import (
    ApplicationFactory,
    AttendanceFactory,
    CohortCoachFactory,
    CohortFactory,
    EmployerFactory,
    EnrolmentFactory,
    GroupSessionFactory,
    IntegrationFactory,
    VacancyFactory,
)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
TABLET, LAPTOP, DESKTOP = 768, 1024, 1280

# Evaluated on a row, a card or an opened menu: each link and button shown there, with
# what keeps it out of reach – beyond the window's width, cut off by an ancestor that clips
# (overflow other than visible; an element fixed to the window escapes those above it), or
# covered by something else where one would tap it.
REACH = """(root) => {
  const width = document.documentElement.clientWidth;
  const shown = (el) => el.getClientRects().length > 0
    && getComputedStyle(el).visibility !== "hidden";
  const clips = (el) => {
    const s = getComputedStyle(el);
    return s.overflowX !== "visible" || s.overflowY !== "visible";
  };
  const outside = (r, box) => r.left < box.left - 1 || r.right > box.right + 1
    || r.top < box.top - 1 || r.bottom > box.bottom + 1;
  return [...root.querySelectorAll("a, button")].filter(shown).map((el) => {
    const problems = [];
    let r = el.getBoundingClientRect();
    if (r.left < -1 || r.right > width + 1) {
      const span = `${Math.round(r.left)}–${Math.round(r.right)}`;
      problems.push(`beyond the window (${span} of ${width} px)`);
    }
    let fixed = getComputedStyle(el).position === "fixed";
    for (let p = el.parentElement; p && p !== document.body && !fixed; p = p.parentElement) {
      if (clips(p) && outside(r, p.getBoundingClientRect())) {
        problems.push(`cut off by <${p.tagName.toLowerCase()} class="${p.className}">`);
      }
      fixed = getComputedStyle(p).position === "fixed";
    }
    if (r.top < 0 || r.bottom > window.innerHeight) {  // brought into view upright only
      window.scrollTo({top: window.scrollY + r.top - window.innerHeight / 2, behavior: "instant"});
      r = el.getBoundingClientRect();
    }
    const line = el.getClientRects()[0];  // a link broken over lines: its first line
    const hit = document.elementFromPoint(line.left + line.width / 2, line.top + line.height / 2);
    if (!problems.length && !(hit && el.contains(hit))) {
      problems.push(`covered by <${hit ? hit.tagName.toLowerCase() : "nothing"}>`);
    }
    return {name: el.innerText.replace(/\\s+/g, " ").trim(), problems};
  });
}"""

IN_WINDOW = """(el) => { const r = el.getBoundingClientRect();
  return r.left >= 0 && r.right <= document.documentElement.clientWidth; }"""


def actions_in_reach(page, rows):
    """Each row or card matched by `rows` (by its first line) → the names of the links and
    buttons in reach in it, those in its opened "Aktionen" menu too. Fails naming every
    one out of reach."""
    found, out_of_reach = {}, []
    for row in page.locator(rows).all():
        title = row.inner_text().strip().splitlines()[0].strip()
        shown = row.evaluate(REACH)
        for toggle in row.locator("[data-bs-toggle=dropdown]").all():
            if not toggle.is_visible():
                continue
            toggle.click()
            menu = row.locator(".dropdown-menu.show")
            expect(menu).to_be_visible()
            shown += menu.evaluate(REACH)
            page.keyboard.press("Escape")
            expect(menu).to_be_hidden()
        out_of_reach += [f"{title}: {a['name']} {a['problems']}" for a in shown if a["problems"]]
        found[title] = [a["name"] for a in shown if not a["problems"]]
    assert not out_of_reach, f"{page.url}:\n" + "\n".join(out_of_reach)
    assert found, f"no rows {rows} on {page.url}"
    return found


def no_sideways_scroll(page):
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], (page.url, width)


def screenshot(page, name):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"tablet-{name}-{page.viewport_size['width']}.png",
                    full_page=True)


def with_name(found, start):
    """The row whose first line starts with `start`."""
    return next(names for title, names in found.items() if title.startswith(start))


def has(names, *labels):
    """Every label among the names (a name carries the person after its label)."""
    return all(any(n.startswith(label) for n in names) for label in labels)


def cohorts_of_a_coach(coach):
    """A running cohort, five weeks in, and a finished one, with the people a coach meets:
    one active with applications at every stage, one who dropped out, one gone to work
    with a job start, one assigned who has not started; long German names throughout."""
    today = timezone.localdate()
    jc = coach.jobcenter
    running = CohortFactory(programme__jobcenter=jc, programme__name="Werkakademie Dortmund-Nord",
                            site__name="Bildungszentrum Hafen, Speicherstraße",
                            code="WA-DO-2026-11", planned_start=today - timedelta(days=35),
                            planned_end=today + timedelta(days=49))
    finished = CohortFactory(programme=running.programme, site=running.site, code="WA-DO-2026-02",
                             planned_start=today - timedelta(days=300),
                             planned_end=today - timedelta(days=216),
                             status=Cohort.Status.FINISHED)
    for cohort in (running, finished):
        CohortCoachFactory(cohort=cohort, user=coach.user)
    bakery = EmployerFactory(jobcenter=jc, name="Bäckerei Große-Wöstmann & Söhne GmbH & Co. KG",
                             sector="Lebensmittelhandwerk", town="Castrop-Rauxel")
    logistics = EmployerFactory(jobcenter=jc, name="Spedition Kühne-Ostermann Logistik GmbH",
                                sector="Logistik und Lagerhaltung", town="Dortmund-Hörde")
    VacancyFactory(employer=bakery, title="Verkäufer/in im Lebensmittelhandwerk (Teilzeit)",
                   occupation="Fachverkäufer/in", starts_on=today + timedelta(days=14), places=2)
    VacancyFactory(employer=logistics, title="Fachkraft für Lagerlogistik",
                   location="Dortmund-Hörde", places=3)

    def person(cohort, last, first, **dates):
        return EnrolmentFactory(cohort=cohort, participant__last_name=last,
                                participant__first_name=first, **dates)

    active = person(running, "Schneider-Oberhausen", "Anna-Katharina")
    person(running, "Kowalczyk-Nowak", "Przemysław")
    person(running, "Yılmaz", "Mehmet Emre", exit_on=today - timedelta(days=6),
           exit_reason=Enrolment.ExitReason.DROPOUT,
           dropout_reason=Enrolment.DropoutReason.HEALTH)
    hired = person(running, "Öztürk", "Ayşe Nur", exit_on=today - timedelta(days=3),
                   exit_reason=Enrolment.ExitReason.JOB)
    IntegrationFactory(enrolment=hired, employer=bakery, start_on=today - timedelta(days=2),
                       kind=Integration.Kind.EMPLOYMENT)
    person(running, "Nguyen", "Thi Minh Trang", joined_on=None)
    for stage in Application.Stage.values[:5]:
        ApplicationFactory(enrolment=active, employer=logistics, stage=stage,
                           stage_changed_on=today - timedelta(days=2))
    ApplicationFactory(enrolment=hired, employer=bakery, stage=Application.Stage.HIRED,
                       stage_changed_on=today - timedelta(days=4))

    for last, first, exit_reason in (
        ("Abdullahi-Mohamed", "Fadumo", Enrolment.ExitReason.COMPLETED),
        ("Dąbrowski", "Piotr", Enrolment.ExitReason.TRANSFER),
        ("Wolter-Brinkmann", "Jan-Hendrik", Enrolment.ExitReason.JOB),
    ):
        e = person(finished, last, first, exit_on=finished.planned_end, exit_reason=exit_reason)
        if exit_reason == Enrolment.ExitReason.JOB:
            IntegrationFactory(enrolment=e, employer=logistics, start_on=finished.planned_end)
    person(finished, "Jäger", "Lena-Sophie", exit_on=finished.planned_start + timedelta(days=20),
           exit_reason=Enrolment.ExitReason.DROPOUT,
           dropout_reason=Enrolment.DropoutReason.NO_SHOW)

    # Two sessions a week so far: more columns than a tablet shows side by side.
    with scope(jobcenter=jc):
        enrolled = list(running.enrolments.exclude(joined_on=None))
    for week in range(5):
        for day in (0, 2):
            held_on = running.planned_start + timedelta(days=7 * week + day)
            session = GroupSessionFactory(cohort=running, held_on=held_on,
                                          starts_at=time(9), ends_at=time(12, 30))
            session.coaches.add(coach.user)
            for e in enrolled:
                if e.exit_on is None or e.exit_on >= held_on:
                    AttendanceFactory(session=session, enrolment=e)
    running.employer_pk = bakery.pk
    return running, finished


def pages_of(live_server, running, finished, employer_pk):
    base = f"{live_server.url}/{running.jobcenter.code}"
    return {
        "cohort": (f"{base}/cohorts/{running.pk}/", "main tbody tr"),
        "finished-cohort": (f"{base}/cohorts/{finished.pk}/", "main tbody tr"),
        "sessions": (f"{base}/cohorts/{running.pk}/sessions/", "main tbody tr"),
        "cohort-list": (f"{base}/cohorts/", "main tbody tr"),
        "board": (f"{base}/cohorts/{running.pk}/applications/", "main .board article"),
        "participant-list": (f"{base}/participants/", "main tbody tr"),
        "employer-list": (f"{base}/employers/", "main tbody tr"),
        "vacancy-list": (f"{base}/employers/vacancies/", "main tbody tr"),
        "employer": (f"{base}/employers/{employer_pk}/",
                     "section[aria-labelledby=vacancies-h] > p"),
    }


@pytest.mark.parametrize("width", [TABLET, LAPTOP, DESKTOP])
@pytest.mark.django_db(transaction=True)
def test_every_row_action_is_in_reach(page, live_server, log_in, axe_check, coach, width):
    running, finished = cohorts_of_a_coach(coach)
    page.set_viewport_size({"width": width, "height": 1000})
    # No colour transitions: axe would otherwise catch the last opened menu's button
    # halfway between its hover colours and its own.
    page.emulate_media(reduced_motion="reduce")
    log_in(coach.user.email)
    found = {}
    for name, (url, rows) in pages_of(live_server, running, finished, running.employer_pk).items():
        page.goto(url)
        expect(page.locator("h1").first).to_be_visible()
        screenshot(page, name)
        no_sideways_scroll(page)
        found[name] = actions_in_reach(page, rows)
        if name == "board":
            hired = page.locator("#col-hired").locator("xpath=..")
            assert hired.evaluate(IN_WINDOW), "the last stage lies beyond the edge"
        if width == TABLET:
            axe_check(page)

    # What a coach does with each person of the running cohort, all of it in reach.
    cohort = found["cohort"]
    assert has(with_name(cohort, "Schneider-Oberhausen"), "Daten", "Austritt", "Bewerbung erfassen",
               "Arbeitsaufnahme", "Einzelgespräche")
    assert has(with_name(cohort, "Yılmaz"), "Daten", "Austritt ändern", "Arbeitsaufnahme")
    assert has(with_name(cohort, "Öztürk"), "Daten", "Austritt ändern", "Einzelgespräche")
    assert has(with_name(cohort, "Nguyen"), "Daten", "Austritt")
    assert has(with_name(found["finished-cohort"], "Jäger"), "Daten", "Austritt ändern",
               "Arbeitsaufnahme", "Einzelgespräche")
    sessions = list(found["sessions"].values())
    assert len(sessions) == 10 and all(has(s, "Bearbeiten", "Liste drucken") for s in sessions)
    assert has(with_name(found["cohort-list"], "WA-DO-2026-02"), "WA-DO-2026-02")
    assert has(with_name(found["board"], "Schneider-Oberhausen"), "Verschieben")
    assert "Öztürk, Ayşe Nur" in found["board"]  # her card in the last column, "eingestellt"
    assert has(with_name(found["employer-list"], "Bäckerei"), "Bäckerei")
    assert has(with_name(found["vacancy-list"], "Verkäufer"), "Verkäufer", "Bäckerei")


@pytest.mark.django_db(transaction=True)
def test_the_actions_menu_works_by_keyboard_and_names_its_row(page, live_server, log_in, coach):
    running, _ = cohorts_of_a_coach(coach)
    first_day = running.planned_start.strftime("%d.%m.%Y")
    page.set_viewport_size({"width": TABLET, "height": 1000})
    log_in(coach.user.email)
    page.goto(f"{live_server.url}/{running.jobcenter.code}/cohorts/{running.pk}/sessions/")

    menu_button = page.get_by_role("button", name=f"Aktionen {first_day}")
    expect(menu_button).to_have_attribute("aria-expanded", "false")
    menu_button.focus()
    page.keyboard.press("Enter")
    expect(menu_button).to_have_attribute("aria-expanded", "true")
    screenshot(page, "sessions-menu")
    page.keyboard.press("ArrowDown")
    edit = page.get_by_role("link", name=f"Bearbeiten {first_day}")
    expect(edit).to_be_focused()
    page.keyboard.press("Escape")
    expect(edit).to_be_hidden()
    expect(menu_button).to_be_focused()

    page.keyboard.press("Enter")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/sessions/\d+/$"))
    expect(page.locator("[name=held_on]")).to_have_value(first_day)


@pytest.mark.django_db(transaction=True)
def test_the_matrix_opens_at_the_newest_session_with_the_names_fixed(page, live_server, log_in,
                                                                       axe_check, coach):
    running, _ = cohorts_of_a_coach(coach)
    with scope(jobcenter=coach.jobcenter):
        newest = running.sessions.order_by("held_on").last().held_on
        oldest = running.sessions.order_by("held_on").first().held_on
    page.set_viewport_size({"width": TABLET, "height": 1000})
    log_in(coach.user.email)
    page.goto(f"{live_server.url}/{running.jobcenter.code}/cohorts/{running.pk}/attendance/")
    no_sideways_scroll(page)
    box = page.locator(".matrix-wrap")
    header = page.locator(".matrix thead th")

    def in_view(locator):
        """Wholly inside the scrolling box, and the topmost element where it lies."""
        return locator.evaluate("""(el) => {
          const r = el.getBoundingClientRect();
          const box = el.closest(".matrix-wrap").getBoundingClientRect();
          const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
          return r.left >= box.left - 1 && r.right <= box.right + 1 && el.contains(hit);
        }""")

    name = page.get_by_role("rowheader", name="Schneider-Oberhausen, Anna-Katharina")
    newest_column = header.filter(has_text=newest.strftime("%d.%m."))
    oldest_column = header.filter(has_text=oldest.strftime("%d.%m."))
    rate = header.filter(has_text="Quote")
    expect(newest_column).to_be_visible()
    assert box.evaluate("(el) => el.scrollWidth > el.clientWidth"), "the matrix fits anyway"
    assert in_view(newest_column) and in_view(rate) and in_view(name)
    assert not in_view(oldest_column)
    screenshot(page, "matrix")

    box.evaluate("(el) => { el.scrollLeft = el.scrollWidth / 3; }")
    assert in_view(name), "the names scroll away with the sessions"
    box.evaluate("(el) => { el.scrollLeft = 0; }")
    assert in_view(oldest_column) and in_view(name)
    axe_check(page)

    page.set_viewport_size({"width": DESKTOP, "height": 1000})
    page.reload()
    assert in_view(newest_column) and in_view(rate)
    screenshot(page, "matrix")


@pytest.mark.django_db(transaction=True)
def test_the_employer_service_reaches_its_one_action(page, live_server, log_in, axe_check,
                                                        coach, employer_service):
    running, _ = cohorts_of_a_coach(coach)
    page.set_viewport_size({"width": TABLET, "height": 1000})
    log_in(employer_service.user.email)
    page.goto(f"{live_server.url}/{running.jobcenter.code}/cohorts/{running.pk}/")
    found = actions_in_reach(page, "main tbody tr")
    assert with_name(found, "Schneider-Oberhausen")[1:] == [
        "Bewerbung erfassen Schneider-Oberhausen, Anna-Katharina"]
    expect(page.get_by_role("button", name=re.compile("^Aktionen"))).to_have_count(0)
    screenshot(page, "cohort-employer-service")
    axe_check(page)
