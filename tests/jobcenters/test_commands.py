from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jobcenters.models import Jobcenter, Membership, User


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_create_jobcenter_twice_changes_nothing():
    run("create_jobcenter", "--code", "jc-essen", "--name", "Jobcenter Essen", "--land", "NW")
    output = run("create_jobcenter", "--code", "jc-essen", "--name", "Anders", "--land", "HE")
    jobcenter = Jobcenter.objects.get()
    assert (jobcenter.name, jobcenter.land) == ("Jobcenter Essen", "NW")
    assert "exists already" in output


@pytest.mark.django_db
@pytest.mark.parametrize("args", [["--land", "XX", "--code", "jc-x"],
                                  ["--land", "NW", "--code", "admin"]])
def test_create_jobcenter_refuses_bad_arguments(args):
    with pytest.raises(CommandError):
        run("create_jobcenter", "--name", "Jobcenter X", *args)
    assert not Jobcenter.objects.exists()


@pytest.mark.django_db
def test_add_staff_is_idempotent_and_prints_a_one_time_link(jobcenter_a):
    args = ["add_staff", "--jobcenter", "jc-a", "--email", "Lena.Koch@JC.example",
            "--role", "coach"]
    first = run(*args)
    second = run(*args)
    assert "/accounts/password/set/" in first
    assert "(unchanged)" in second
    user = User.objects.get()
    assert user.email == "lena.koch@jc.example"
    assert not user.has_usable_password()
    assert Membership.objects.get().role == "coach"


@pytest.mark.django_db
def test_add_staff_with_password_and_a_new_role(jobcenter_a):
    run("add_staff", "--jobcenter", "jc-a", "--email", "tl@jc.example", "--role", "coach",
        "--password", "ein-sicheres-passwort")
    output = run("add_staff", "--jobcenter", "jc-a", "--email", "tl@jc.example",
                 "--role", "team_lead", "--password", "ein-sicheres-passwort")
    assert "team_lead in jc-a (updated)" in output
    assert Membership.objects.get().role == "team_lead"
    assert User.objects.get().check_password("ein-sicheres-passwort")


@pytest.mark.django_db
def test_add_staff_needs_an_existing_jobcenter():
    with pytest.raises(CommandError, match="No jobcenter"):
        run("add_staff", "--jobcenter", "nope", "--email", "a@b.example", "--role", "coach")
