"""Staff administration that cannot be turned against anyone: nobody changes their own
membership, an invitation never touches an existing account, a second invitation of
someone on the staff is refused, the invitation mail survives a mail server that is down,
and every change of a membership is in the audit trail."""

import re
import threading
import time
from contextlib import contextmanager
from smtplib import SMTPServerDisconnected

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction
from django.urls import reverse
from django_scopes import scope

from jobcenters.audit import jobcenter_trail
from jobcenters.models import Membership, User
from jobcenters.services import staff_change, staff_invite
from jobcenters.tasks import INVITATION_RETRY
from tests.conftest import broker_at, closed_port, require
from tests.factories import MembershipFactory, SiteFactory
from werkakademie.celery import app as celery_app

LINK = re.compile(r"https?://\S+/accounts/password/set/\S+/\S+/")
PASSWORD = "geheim-genug-123"  # the factories' password


def url(name, jc="jc-a", **kwargs):
    return reverse(name, kwargs={"jc": jc, **kwargs})


class RefusingBackend(BaseEmailBackend):
    """A mail server that is down: every try fails as smtplib fails."""

    tries = 0

    def send_messages(self, messages):
        RefusingBackend.tries += 1
        raise SMTPServerDisconnected("Connection unexpectedly closed")


@contextmanager
def retries_in_process():
    """In-process, Celery runs a task's retries at once (no waiting), unless the first
    failure is propagated to the caller."""
    previous = celery_app.conf.task_eager_propagates
    celery_app.conf.task_eager_propagates = False
    try:
        yield
    finally:
        celery_app.conf.task_eager_propagates = previous


def broker_down():
    return broker_at(f"redis://127.0.0.1:{closed_port()}/0")


def invite(client, email, role="coach", **extra):
    return client.post(url("jobcenters:staff_invite"), {"email": email, "role": role, **extra})


# Nobody changes their own membership.


@pytest.mark.django_db
def test_the_admin_who_opens_or_posts_his_own_membership_gets_403(client, jc_admin):
    client.force_login(jc_admin.user)
    own = url("jobcenters:staff_update", pk=jc_admin.pk)
    assert client.get(own).status_code == 403
    assert client.post(own, {"role": "team_lead", "is_active": "on"}).status_code == 403
    assert client.post(own, {"role": "admin"}).status_code == 403  # nor deactivates himself
    jc_admin.refresh_from_db()
    assert (jc_admin.role, jc_admin.is_active) == ("admin", True)
    assert not jobcenter_trail(jc_admin.jobcenter).filter(
        content_type=ContentType.objects.get_for_model(Membership),
        action=LogEntry.Action.UPDATE).exists()


@pytest.mark.django_db
def test_the_staff_list_has_no_edit_link_for_ones_own_row(client, jc_admin, coach):
    client.force_login(jc_admin.user)
    html = client.get(url("jobcenters:staff")).content.decode()
    assert url("jobcenters:staff_update", pk=coach.pk) in html
    assert url("jobcenters:staff_update", pk=jc_admin.pk) not in html
    assert jc_admin.user.email in html and "(Sie)" in html


@pytest.mark.django_db
def test_the_service_refuses_a_change_of_ones_own_membership(jc_admin):
    with pytest.raises(PermissionDenied):
        staff_change(membership=jc_admin, role="team_lead", is_active=True, by=jc_admin.user)
    jc_admin.refresh_from_db()
    assert jc_admin.role == "admin"


@pytest.mark.django_db
def test_one_admin_may_change_another_admins_membership(client, jc_admin):
    other = MembershipFactory(jobcenter=jc_admin.jobcenter, role="admin")
    client.force_login(jc_admin.user)
    response = client.post(url("jobcenters:staff_update", pk=other.pk),
                           {"role": "coach", "is_active": "on"})
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.role == "coach"


# An invitation never changes an account.


@pytest.mark.django_db
def test_inviting_an_existing_account_adds_a_membership_and_changes_nothing_of_it(
    client, jc_admin, outsider, django_capture_on_commit_callbacks
):
    person = outsider.user  # works for jobcenter B
    before = (person.first_name, person.last_name, person.email, person.password)
    client.force_login(jc_admin.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, person.email.upper(), first_name="Falscher",
                          last_name="Name", role="coach")
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.first_name, person.last_name, person.email, person.password) == before
    assert person.check_password(PASSWORD)
    assert Membership.objects.get(user=person, jobcenter=jc_admin.jobcenter).role == "coach"
    outsider.refresh_from_db()
    assert (outsider.role, outsider.is_active) == ("team_lead", True)  # B's stays as it is
    assert mail.outbox == []  # has a password: no link to set one
    assert "bestehenden Konto" in client.get(url("jobcenters:staff")).content.decode()


@pytest.mark.django_db
def test_an_admin_of_one_jobcenter_cannot_touch_anothers_memberships(
    client, jc_admin, outsider
):
    client.force_login(jc_admin.user)
    for jc in ("jc-a", "jc-b"):
        page = url("jobcenters:staff_update", jc=jc, pk=outsider.pk)
        assert client.get(page).status_code == 404
        assert client.post(page, {"role": "coach"}).status_code == 404
        resend = url("jobcenters:staff_resend", jc=jc, pk=outsider.pk)
        assert client.post(resend).status_code == 404
    outsider.refresh_from_db()
    outsider.user.refresh_from_db()
    assert (outsider.role, outsider.is_active, outsider.user.is_active) == (
        "team_lead", True, True)


@pytest.mark.django_db
def test_inviting_someone_already_on_the_staff_is_refused_with_their_role(
    client, jc_admin, coach, django_capture_on_commit_callbacks
):
    client.force_login(jc_admin.user)
    name_before = (coach.user.first_name, coach.user.last_name)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = invite(client, coach.user.email, role="team_lead", first_name="Neu")
    assert response.status_code == 200
    html = response.content.decode()
    assert "gehört hier schon zu den Mitarbeitenden, als Jobcoach" in html
    assert f'href="{url("jobcenters:staff_update", pk=coach.pk)}"' in html
    assert "Rolle und Zugang ändern" in html
    coach.refresh_from_db()
    coach.user.refresh_from_db()
    assert coach.role == "coach"
    assert (coach.user.first_name, coach.user.last_name) == name_before
    assert Membership.objects.filter(user=coach.user).count() == 1
    assert callbacks == [] and mail.outbox == []


@pytest.mark.django_db
def test_inviting_a_deactivated_member_is_refused_too(client, jc_admin, coach):
    coach.is_active = False
    coach.save()
    client.force_login(jc_admin.user)
    response = invite(client, coach.user.email, role="coach")
    assert response.status_code == 200
    assert "als Jobcoach (deaktiviert)" in response.content.decode()
    coach.refresh_from_db()
    assert not coach.is_active


# The invitation mail: a task with retries; a mail server that is down gives no 500.


@pytest.mark.django_db
def test_an_invitation_while_the_mail_server_is_down_is_saved_and_can_be_sent_again(
    client, settings, jc_admin, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.jobcenters.test_staff.RefusingBackend"
    RefusingBackend.tries = 0
    client.force_login(jc_admin.user)
    with retries_in_process(), django_capture_on_commit_callbacks(execute=True):
        response = invite(client, "neu@jobcenter.example", first_name="Nora", last_name="Neu")
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="neu@jobcenter.example")
    assert membership.jobcenter == jc_admin.jobcenter
    # Every try was made, then the task gave up.
    assert RefusingBackend.tries == INVITATION_RETRY["max_retries"] + 1
    assert membership.invitation_state == "failed"
    html = client.get(url("jobcenters:staff")).content.decode()
    assert "Einladung nicht zugestellt" in html and "erneut senden" in html
    resend = url("jobcenters:staff_resend", pk=membership.pk)
    assert f'action="{resend}"' in html

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(resend).status_code == 302
    membership.refresh_from_db()
    assert membership.invitation_state == "sent"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["neu@jobcenter.example"]
    assert LINK.search(mail.outbox[0].body)
    html = client.get(url("jobcenters:staff")).content.decode()
    assert "Einladung nicht zugestellt" not in html and "eingeladen" in html


@pytest.mark.django_db
def test_without_a_worker_a_failed_try_is_marked_undelivered_at_once(
    client, settings, jc_admin, django_capture_on_commit_callbacks
):
    """Tasks run in-process and propagate their failure (development without Redis)."""
    settings.EMAIL_BACKEND = "tests.jobcenters.test_staff.RefusingBackend"
    client.force_login(jc_admin.user)
    with django_capture_on_commit_callbacks(execute=True):
        assert invite(client, "neu@jobcenter.example").status_code == 302
    membership = Membership.objects.get(user__email="neu@jobcenter.example")
    assert membership.invitation_state == "failed"


@pytest.mark.django_db
def test_an_invitation_while_the_broker_is_down_is_saved_and_marked_undelivered(
    client, jc_admin, django_capture_on_commit_callbacks
):
    client.force_login(jc_admin.user)
    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        response = invite(client, "neu@jobcenter.example")
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="neu@jobcenter.example")
    assert membership.invitation_state == "failed"
    assert "Einladung nicht zugestellt" in client.get(url("jobcenters:staff")).content.decode()


@pytest.mark.django_db
def test_a_resend_is_refused_once_the_person_has_a_password(client, jc_admin, coach):
    client.force_login(jc_admin.user)
    response = client.post(url("jobcenters:staff_resend", pk=coach.pk), follow=True)
    assert response.status_code == 200
    assert "bereits ein Passwort gesetzt" in response.content.decode()
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_coach_cannot_resend_invitations(client, coach, jc_admin):
    client.force_login(coach.user)
    assert client.post(url("jobcenters:staff_resend", pk=jc_admin.pk)).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_the_invitation_mail_is_sent_by_a_worker(client, celery_worker_on_redis, jc_admin):
    client.force_login(jc_admin.user)
    response = invite(client, "per.worker@jobcenter.example", first_name="Per")
    assert response.status_code == 302
    deadline = time.monotonic() + 20
    while not mail.outbox and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [m.to for m in mail.outbox] == [["per.worker@jobcenter.example"]]
    assert LINK.search(mail.outbox[0].body)
    membership = Membership.objects.get(user__email="per.worker@jobcenter.example")
    deadline = time.monotonic() + 5
    while membership.invitation_state != "sent" and time.monotonic() < deadline:
        time.sleep(0.1)
        membership.refresh_from_db()
    assert membership.invitation_state == "sent"


# Every change of a membership is in the audit trail.


@pytest.mark.django_db
def test_role_sites_and_deactivation_changes_are_in_the_audit_trail(client, jc_admin, coach):
    jobcenter = jc_admin.jobcenter
    mitte = SiteFactory(jobcenter=jobcenter, name="Mitte")
    nord = SiteFactory(jobcenter=jobcenter, name="Nord")
    client.force_login(jc_admin.user)
    page = url("jobcenters:staff_update", pk=coach.pk)
    client.post(page, {"role": "team_lead", "is_active": "on"})
    client.post(page, {"role": "team_lead", "is_active": "on", "sites": [mitte.pk, nord.pk]})
    client.post(page, {"role": "team_lead", "is_active": "on", "sites": [nord.pk]})
    client.post(page, {"role": "team_lead", "sites": [nord.pk]})  # deactivated

    entries = list(jobcenter_trail(jobcenter).filter(
        content_type=ContentType.objects.get_for_model(Membership), object_id=coach.pk,
        action=LogEntry.Action.UPDATE).order_by("pk"))
    changes = [e.changes_dict for e in entries]
    assert changes == [
        {"role": ["coach", "team_lead"]},
        {"sites": ["None", "Mitte, Nord"]},
        {"sites": ["Mitte, Nord", "Nord"]},
        {"is_active": ["True", "False"]},
    ]
    assert {e.actor for e in entries} == {jc_admin.user}
    assert all(e.additional_data == {"jobcenter": jobcenter.pk} for e in entries)


@pytest.mark.django_db
def test_an_invitation_is_in_the_audit_trail(client, jc_admin, django_capture_on_commit_callbacks):
    site = SiteFactory(jobcenter=jc_admin.jobcenter, name="Mitte")
    client.force_login(jc_admin.user)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, "neu@jobcenter.example", role="coach", sites=[site.pk])
    membership = Membership.objects.get(user__email="neu@jobcenter.example")
    entries = jobcenter_trail(jc_admin.jobcenter).filter(
        content_type=ContentType.objects.get_for_model(Membership), object_id=membership.pk)
    assert {e.action for e in entries} == {LogEntry.Action.CREATE, LogEntry.Action.UPDATE}
    created = entries.get(action=LogEntry.Action.CREATE)
    assert created.changes_dict["role"][1] == "coach" and created.actor == jc_admin.user
    assert entries.get(action=LogEntry.Action.UPDATE).changes_dict == {
        "sites": ["None", "Mitte"]}
    # The delivery of the mail is no change of anyone's rights: no further entry.
    assert entries.count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_same_new_address_invited_at_the_same_moment_makes_one_account(
    jobcenter_a, jobcenter_b
):
    require(connection.vendor == "postgresql", "needs concurrent transactions")
    first_inserted, results = threading.Event(), {}

    def invite_into(jobcenter, *, hold=False):
        try:
            with scope(jobcenter=jobcenter), transaction.atomic():
                results[jobcenter.code] = staff_invite(
                    jobcenter=jobcenter, email="neu@jobcenter.example", role="coach",
                    base_url="http://testserver/")
                if hold:  # the account is inserted, not yet committed
                    first_inserted.set()
                    time.sleep(1)  # meanwhile the second invitation waits on the address
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            results[jobcenter.code] = error
        finally:
            connection.close()

    first = threading.Thread(target=invite_into, args=(jobcenter_a,), kwargs={"hold": True})
    first.start()
    assert first_inserted.wait(10), results
    second = threading.Thread(target=invite_into, args=(jobcenter_b,))
    second.start()
    first.join(10)
    second.join(10)
    assert all(isinstance(r, Membership) for r in results.values()), results
    assert User.objects.filter(email="neu@jobcenter.example").count() == 1
    assert Membership.objects.filter(user__email="neu@jobcenter.example").count() == 2
