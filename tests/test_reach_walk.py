"""The reach walk: each kind of data shows up exactly where DESIGN.md's reach table allows.

Every free-text field of every tenant model in one jobcenter holds a marker that names its
kind of data and whose it is; then every page each role can reach (found by following
links from the start page, plus searches, exports and JSON) is read and each marker found
is checked against the table. A new model, field or page is covered without editing this
test; a marker that shows nowhere (a field no page ever shows) is listed, not failed.
"""

import io
import re
from datetime import timedelta
from urllib.parse import urldefrag, urlparse

import openpyxl
import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.db import models
from django.urls import reverse
from django_scopes import scope

from jobcenters.permissions import REACH, Data, Reach, Role
from jobcenters.scoping import TenantModel
from tests.factories import (
    ApplicationFactory,
    AttendanceFactory,
    CohortCoachFactory,
    CohortFactory,
    ContactPersonFactory,
    EmployerActivityFactory,
    EmployerFactory,
    EnrolmentFactory,
    FollowUpFactory,
    GroupSessionFactory,
    IntegrationFactory,
    MembershipFactory,
    VacancyFactory,
    change_enrolment,
    change_participant,
)

KIND_CODES = {kind: kind.value[:4] for kind in Data}
CODE_KINDS = {code: kind for kind, code in KIND_CODES.items()}
MARKER = re.compile(r"zq([a-z]{4})(p1|p2|p3|cx|cy|jc)(?:n\d+)?qz", re.IGNORECASE)
# Whose data a marker is: p1 and p2 are in group X (p1 also in the placement pipeline),
# p3 in group Y; cx, cy are rows of a group without a person; jc the jobcenter's own.
IN_GROUP_X = {"p1", "p2", "cx"}
PAGE_LIMIT = 600


def marker(kind: Data, tag: str, row: int | None = None) -> str:
    """zq + kind + whose + (the row, for unique fields) + qz."""
    return f"zq{KIND_CODES[kind]}{tag}{'' if row is None else f'n{row}'}qz"


def allowed(role: str, kind: Data, tag: str) -> bool:
    reach = REACH[role][kind]
    if reach == Reach.JOBCENTER:
        return True
    if reach == Reach.OWN_GROUPS:
        return tag in IN_GROUP_X
    if reach == Reach.PIPELINE:
        return tag == "p1"
    return False


def _text_fields(model):
    for field in model._meta.concrete_fields:
        if (isinstance(field, models.CharField | models.TextField) and not field.choices
                and field.editable and (field.max_length or 100) >= 10):
            yield field


def _tag(row, people, cohorts) -> str:
    data = row.get_additional_data()
    if data.get("participant") in people:
        return people[data["participant"]]
    cohort = row.audit_cohort_id()
    return cohorts.get(cohort, "jc")


def fill_with_markers(jobcenter, people, cohorts) -> set[str]:
    """Every free-text field of every row of the jobcenter: a marker of its kind and owner."""
    placed = set()
    for model in apps.get_models():
        if not issubclass(model, TenantModel) or model._meta.app_label == "reports":
            continue
        fields = list(_text_fields(model))
        for row in model.objects.filter(jobcenter=jobcenter):
            tag = _tag(row, people, cohorts)
            values = {}
            for field in fields:
                if getattr(row, field.name) and field.name in ("confidential_note",):
                    continue  # typed through its form
                kind = model.field_kinds.get(field.name, model.reach_kind)
                values[field.name] = marker(kind, tag, row.pk)
            if values:
                model.objects.filter(pk=row.pk).update(**values)
                placed.update(values.values())
    return placed


def read(response) -> str:
    kind = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" in kind:
        book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
        return " ".join(str(cell) for sheet in book for row in sheet.iter_rows(values_only=True)
                        for cell in row if cell is not None)
    return body.decode("utf-8", errors="replace")


LINK = re.compile(r"""href="([^"#]+)""")


def crawl(client, start_urls, jobcenter_code) -> dict[str, str]:
    """GET every page reachable by links inside the jobcenter; {url: text}."""
    prefix = f"/{jobcenter_code}/"
    seen, queue, pages = set(), list(start_urls), {}
    while queue and len(pages) < PAGE_LIMIT:
        url = urldefrag(queue.pop(0))[0].replace("&amp;", "&")
        if url in seen or not urlparse(url).path.startswith(prefix):
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code != 500, url
        if response.status_code != 200:
            continue
        text = read(response)
        pages[url] = text
        if "text/html" in response.get("Content-Type", ""):
            queue.extend(link for link in LINK.findall(text) if link.startswith("/"))
    return pages


@pytest.fixture
def world(jobcenter_a, client):
    """Group X (coach 1 and the pipeline person p1, and p2), group Y (coach 2 and p3)."""
    team_lead = MembershipFactory(jobcenter=jobcenter_a, role=Role.TEAM_LEAD)
    coach_x = MembershipFactory(jobcenter=jobcenter_a, role=Role.COACH)
    coach_y = MembershipFactory(jobcenter=jobcenter_a, role=Role.COACH)
    members = {
        "coach": coach_x, "team_lead": team_lead,
        "employer_service": MembershipFactory(jobcenter=jobcenter_a,
                                              role=Role.EMPLOYER_SERVICE),
        "admin": MembershipFactory(jobcenter=jobcenter_a, role=Role.ADMIN),
    }
    group_x = CohortFactory(programme__jobcenter=jobcenter_a)
    group_y = CohortFactory(programme__jobcenter=jobcenter_a, programme=group_x.programme,
                            site=group_x.site)
    CohortCoachFactory(cohort=group_x, user=coach_x.user)
    CohortCoachFactory(cohort=group_y, user=coach_y.user)
    enrolments = {"p1": EnrolmentFactory(cohort=group_x), "p2": EnrolmentFactory(cohort=group_x),
                  "p3": EnrolmentFactory(cohort=group_y)}
    employer = EmployerFactory(jobcenter=jobcenter_a)
    ContactPersonFactory(employer=employer, phone="0231 12345", position="Leitung")
    vacancy = VacancyFactory(employer=employer, occupation="Lager", location="Dortmund")
    EmployerActivityFactory(employer=employer, cohort=group_y, by=members["employer_service"].user,
                            outcome="x", next_step="y")
    ApplicationFactory(enrolment=enrolments["p1"], employer=employer, vacancy=vacancy)
    for tag, enrolment in enrolments.items():
        session = GroupSessionFactory(cohort=enrolment.cohort, room="Raum", notes="n",
                                      held_on=enrolment.cohort.planned_start
                                      + timedelta(days=int(tag[1])))
        AttendanceFactory(session=session, enrolment=enrolment, note="a")
        FollowUpFactory(integration=IntegrationFactory(enrolment=enrolment, employer=employer))
        coach = coach_x if enrolment.cohort == group_x else coach_y
        client.force_login(coach.user)
        response = client.post(
            reverse("coaching:individual", kwargs={"jc": jobcenter_a.code, "pk": enrolment.pk}),
            {"held_on": (enrolment.joined_on + timedelta(days=3)).strftime("%d.%m.%Y"),
             "minutes": "30", "channel": "phone",
             "confidential_note": marker(Data.COACHING_NOTES, tag), "next_steps": "n"})
        assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    people = {e.participant_id: tag for tag, e in enrolments.items()}
    cohorts = {group_x.pk: "cx", group_y.pk: "cy"}
    with scope(jobcenter=jobcenter_a):
        placed = fill_with_markers(jobcenter_a, people, cohorts)
        # Changes through services, so that the audit trail holds markers in its values.
        for tag, enrolment in enrolments.items():
            change_participant(enrolment.participant,
                               notes=marker(Data.CHARACTERISTICS, tag) + " ")
            change_enrolment(enrolment, notes=marker(Data.COURSE, tag) + " ")
    placed |= {marker(Data.COACHING_NOTES, tag) for tag in enrolments}
    return {"members": members, "enrolments": enrolments, "placed": placed,
            "jobcenter": jobcenter_a}


def start_urls(jobcenter, enrolments):
    code = jobcenter.code
    urls = [f"/{code}/", reverse("participants:audit", kwargs={"jc": code})]
    for enrolment in enrolments.values():
        person = enrolment.participant
        for query in (person.last_name, person.customer_number):
            urls.append(f"{reverse('participants:list', kwargs={'jc': code})}?q={query}")
    return urls


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["coach", "team_lead", "employer_service", "admin"])
def test_every_marker_appears_exactly_where_the_reach_table_allows(client, world, role):
    client.force_login(world["members"][role].user)
    pages = crawl(client, start_urls(world["jobcenter"], world["enrolments"]),
                  world["jobcenter"].code)
    assert len(pages) > 5
    wrong = {}
    for url, text in pages.items():
        for match in MARKER.finditer(text):
            code, tag = match.group(1).lower(), match.group(2).lower()
            if not allowed(role, CODE_KINDS[code], tag):
                wrong.setdefault(match.group(0), url)
    assert not wrong, f"{role} reads what the reach table does not allow: {wrong}"


@pytest.mark.django_db
def test_the_team_lead_finds_every_kind_of_data_somewhere(client, world):
    client.force_login(world["members"]["team_lead"].user)
    pages = crawl(client, start_urls(world["jobcenter"], world["enrolments"]),
                  world["jobcenter"].code)
    shown = {match.group(0).lower() for text in pages.values()
             for match in MARKER.finditer(text)}
    # Everything about a person is at least in their subject access (Art. 15) page.
    about_people = {m for m in world["placed"] if MARKER.match(m).group(2) in ("p1", "p2", "p3")}
    assert about_people <= shown, sorted(about_people - shown)


@pytest.mark.django_db
def test_no_confidential_note_is_kept_in_the_audit_trail(world):
    stored = " ".join(str(entry.changes) + str(entry.serialized_data)
                      for entry in LogEntry.objects.all())
    for tag in ("p1", "p2", "p3"):
        assert marker(Data.COACHING_NOTES, tag) not in stored
    assert LogEntry.objects.filter(content_type__model="individualsession").count() == 3
