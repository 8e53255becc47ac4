"""German readers' order of names on PostgreSQL and SQLite, and numbers typed as Germans
write them ("38,5")."""

import os
import sqlite3
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django_scopes import scope

from employers.models import Employer, Integration
from jobcenters.collation import GERMAN, german_compare, german_key
from participants.models import Participant
from tests.factories import (
    CohortCoachFactory,
    EmployerFactory,
    EnrolmentFactory,
    IntegrationFactory,
    ParticipantFactory,
    SiteFactory,
)

PEOPLE = ["Jacobs", "Jäger", "Jung", "Ott", "Öztürk", "Paul"]
# The order of the finding: Jäger after Jovanović, Öztürk last, Dück after Dumitru.
SURNAMES = ["Dück", "Dumitru", "Jacobs", "Jäger", "Jovanović", "Jung", "Ott", "Öztürk", "Paul"]
EMPLOYERS = ["Apotheke am Markt", "Bäckerei Schulte", "Baustoffhandel Krause", "Zimmerei Ulm"]


def url(name, **kwargs):
    return reverse(name, kwargs={"jc": "jc-a", **kwargs})


def shuffled(names):
    return names[1::2] + names[::2]


def in_page_order(html: str, names) -> list[str]:
    return sorted(names, key=html.index)


# The collation itself


def test_the_sqlite_collation_sorts_as_german_readers_expect():
    assert sorted(shuffled(PEOPLE), key=german_key) == PEOPLE
    assert sorted(shuffled(SURNAMES), key=german_key) == SURNAMES
    assert sorted(["Baustoffhandel", "Bäckerei"], key=german_key) == ["Bäckerei", "Baustoffhandel"]
    # ß as ss, case and accents only break ties, numbers by value.
    assert sorted(["Strauss", "Straße", "Strasse"], key=german_key) == [
        "Strasse", "Straße", "Strauss"]
    assert sorted(["Müller", "muller", "Muller"], key=german_key) == ["muller", "Muller", "Müller"]
    assert sorted(["Kurs 10", "Kurs 2"], key=german_key) == ["Kurs 2", "Kurs 10"]


def test_only_identical_names_are_equal_so_unique_names_stay_unique():
    assert german_compare("Jäger", "Jäger") == 0
    assert german_compare("Jäger", "jäger") != 0
    assert german_compare("Strasse", "Straße") != 0
    assert german_compare("Jäger", "Jung") == -1 and german_compare("Jung", "Jäger") == 1


def test_a_column_with_the_collation_sorts_german_in_sqlite():
    db = sqlite3.connect(":memory:")
    db.create_collation(GERMAN, german_compare)
    db.execute(f'CREATE TABLE p (name TEXT COLLATE "{GERMAN}" UNIQUE)')
    db.executemany("INSERT INTO p VALUES (?)", [(n,) for n in shuffled(SURNAMES)])
    assert [r[0] for r in db.execute("SELECT name FROM p ORDER BY name")] == SURNAMES
    db.execute("INSERT INTO p VALUES ('jäger')")  # another spelling is another name


SQLITE_SCRIPT = """
from django_scopes import scopes_disabled
from employers.models import Employer
from jobcenters.models import Jobcenter
from participants.models import Participant
with scopes_disabled():
    jc = Jobcenter.objects.create(code="jc-s", name="Jobcenter S", land="NW")
    for i, name in enumerate({surnames!r}):
        Participant.objects.create(jobcenter=jc, customer_number=f"123D{{i:06d}}",
                                   first_name="Alex", last_name=name)
    for name in {employers!r}:
        Employer.objects.create(jobcenter=jc, name=name)
    print(",".join(Participant.objects.values_list("last_name", flat=True)))
    print(",".join(Employer.objects.order_by("name").values_list("name", flat=True)))
    print(Participant.objects.filter(last_name__iexact="ott").count())
"""


def test_a_fresh_sqlite_database_migrates_and_the_orm_sorts_german(tmp_path):
    """The embedded default (`make run`): migrate a new SQLite file, then list through the
    ORM, in a process of its own as the development server would."""
    env = {**os.environ, "DEBUG": "1",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], env=env, check=True,
                   capture_output=True, timeout=300)
    check = subprocess.run([*manage, "makemigrations", "--check", "--dry-run"], env=env,
                           capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr
    script = SQLITE_SCRIPT.format(surnames=shuffled(SURNAMES), employers=shuffled(EMPLOYERS))
    out = subprocess.run([*manage, "shell", "-c", script], env=env, check=True,
                         capture_output=True, text=True, timeout=120).stdout.splitlines()
    assert out[-3:] == [",".join(SURNAMES), ",".join(EMPLOYERS), "1"]


# The same order through the models and on the pages: on PostgreSQL in the suite, on SQLite
# with `DATABASE_URL= pytest tests/test_german_input.py`.


@pytest.mark.django_db
def test_the_database_sorts_participants_as_german_readers_expect(jobcenter_a):
    for name in shuffled(SURNAMES):
        ParticipantFactory(jobcenter=jobcenter_a, last_name=name, first_name="Alex")
    with scope(jobcenter=jobcenter_a):
        assert list(Participant.objects.values_list("last_name", flat=True)) == SURNAMES
        people = Participant.objects.filter(last_name__in=PEOPLE).order_by("last_name")
        assert [p.last_name for p in people] == PEOPLE


@pytest.mark.django_db
def test_names_stay_unique_and_searchable_with_the_collation(jobcenter_a):
    ParticipantFactory(jobcenter=jobcenter_a, last_name="Jäger", first_name="Ömer")
    EmployerFactory(jobcenter=jobcenter_a, name="Bäckerei Schulte")
    SiteFactory(jobcenter=jobcenter_a, name="Zentrum Süd")
    with scope(jobcenter=jobcenter_a):
        assert Participant.objects.filter(last_name__iexact="jäger").count() == 1
        assert Participant.objects.filter(last_name__icontains="äge").count() == 1
        assert Participant.objects.filter(last_name="Jager").count() == 0
        assert Employer.objects.filter(name__iexact="bäckerei schulte").count() == 1
        if connection.vendor == "postgresql":  # SQLite's LIKE folds the case of ASCII only
            assert Participant.objects.filter(last_name__iexact="JÄGER").count() == 1
            assert Participant.objects.filter(first_name__istartswith="öm").count() == 1
    SiteFactory(jobcenter=jobcenter_a, name="Zentrum süd")  # another spelling, another site
    with pytest.raises(IntegrityError), transaction.atomic():
        SiteFactory(jobcenter=jobcenter_a, name="Zentrum Süd")


@pytest.mark.django_db
def test_the_participant_list_shows_the_german_order(client, team_lead):
    for name in shuffled(SURNAMES):
        ParticipantFactory(jobcenter=team_lead.jobcenter, last_name=name, first_name="Alex")
    client.force_login(team_lead.user)
    html = client.get(url("participants:list")).content.decode()
    assert in_page_order(html, [f"{name}, Alex" for name in SURNAMES]) == [
        f"{name}, Alex" for name in SURNAMES]
    html = client.get(url("participants:list"), {"q": "Alex"}).content.decode()  # search
    assert in_page_order(html, [f"{name}, Alex" for name in SURNAMES]) == [
        f"{name}, Alex" for name in SURNAMES]


@pytest.mark.django_db
def test_the_employer_list_shows_the_german_order(client, employer_service):
    for name in shuffled(EMPLOYERS):
        EmployerFactory(jobcenter=employer_service.jobcenter, name=name)
    client.force_login(employer_service.user)
    html = client.get(url("employers:list")).content.decode()
    assert in_page_order(html, EMPLOYERS) == EMPLOYERS


# Numbers as Germans type them


@pytest.fixture
def enrolment(coach):
    enrolment = EnrolmentFactory(cohort__programme__jobcenter=coach.jobcenter)
    CohortCoachFactory(cohort=enrolment.cohort, user=coach.user)
    return enrolment


def job_start(enrolment, weekly_hours):
    return {"kind": "employment", "start_on": enrolment.joined_on.strftime("%d.%m.%Y"),
            "employer_name": "Bäckerei Schulte", "weekly_hours": weekly_hours, "subsidy": ""}


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["38,5", "38.5", " 38,5 "])
def test_38_comma_5_weekly_hours_are_stored_as_38_5_and_shown_as_38_comma_5(
        client, coach, enrolment, typed):
    client.force_login(coach.user)
    response = client.post(url("employers:integration_create", pk=enrolment.pk),
                           job_start(enrolment, typed))
    assert response.status_code == 302
    with scope(jobcenter=coach.jobcenter):
        integration = Integration.objects.get()
    assert integration.weekly_hours == Decimal("38.5")
    html = client.get(url("employers:integration_update", pk=enrolment.pk),
                      {"start": integration.pk}).content.decode()
    assert 'name="weekly_hours" value="38,5" inputmode="decimal"' in html
    assert 'type="number"' not in html


@pytest.mark.django_db
@pytest.mark.parametrize(("typed", "message"), [
    ("38,5,5", "Bitte eine Zahl eingeben, z. B. 38,5."),
    ("abc", "Bitte eine Zahl eingeben, z. B. 38,5."),
    ("1.000", "Bitte Nachkommastellen mit Komma schreiben"),
    ("385", "Dieser Wert muss kleiner oder gleich 60 sein."),
])
def test_bad_weekly_hours_get_a_german_message_and_nothing_is_saved(
        client, coach, enrolment, typed, message):
    client.force_login(coach.user)
    response = client.post(url("employers:integration_create", pk=enrolment.pk),
                           job_start(enrolment, typed))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert f'value="{typed}"' in html  # kept as typed, to be corrected
    with scope(jobcenter=coach.jobcenter):
        assert not Integration.objects.exists()
        assert not Employer.objects.exists()


@pytest.mark.django_db
def test_the_hire_form_reads_weekly_hours_the_german_way(client, coach, enrolment):
    client.force_login(coach.user)
    integration = IntegrationFactory(enrolment=enrolment, weekly_hours=Decimal("20.5"))
    html = client.get(url("employers:integration_update", pk=enrolment.pk),
                      {"start": integration.pk}).content.decode()
    assert 'value="20,5"' in html


@pytest.mark.django_db
def test_count_fields_read_1_000_as_a_thousand_and_refuse_decimals(client, jc_admin):
    """A count takes German thousands ("1.000" is 1000), never "1,5" or "1.5" as 15 or 1."""
    from jobcenters.forms import IntegerField

    field = IntegerField(required=False)
    assert field.clean("1.000") == 1000
    assert field.clean("16") == 16
    for typed in ("1,5", "1.5", "16a"):
        with pytest.raises(ValidationError, match="Bitte eine ganze Zahl eingeben"):
            field.clean(typed)
    client.force_login(jc_admin.user)
    html = client.get(url("cohorts:programme_create")).content.decode()
    assert 'name="participants_per_coach" value="16" inputmode="numeric"' in html
