"""The Kooperationsplan (§ 15 SGB II): its date and next review, kept from the old integration
agreement by the migration, and the reviews due on the coach's "Heute"."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from participants.models import Enrolment
from participants.services import enrolment_save
from tests.factories import CohortCoachFactory, CohortFactory, EnrolmentFactory
from tests.queries import queries_for


def url(name, **kwargs):
    return reverse(name, kwargs={"jc": "jc-a", **kwargs})


@pytest.fixture
def own_cohort(coach):
    cohort = CohortFactory(programme__jobcenter=coach.jobcenter, code="WA-DO-2026-11")
    CohortCoachFactory(cohort=cohort, user=coach.user)
    return cohort


def due_in(cohort, days, **kwargs):
    """An enrolment of the cohort whose review is due `days` from today (< 0: overdue)."""
    review = timezone.localdate() + timedelta(days=days)
    return EnrolmentFactory(cohort=cohort, cooperation_plan_on=review - timedelta(days=182),
                            cooperation_plan_review_on=review, **kwargs)


def save(enrolment, **dates):
    return enrolment_save(cohort=enrolment.cohort, participant=enrolment.participant,
                          enrolment=enrolment, joined_on=enrolment.joined_on, **dates)


@pytest.mark.django_db
def test_the_review_defaults_to_six_months_after_the_plan(own_cohort):
    with scope(jobcenter=own_cohort.jobcenter):
        enrolment = EnrolmentFactory(cohort=own_cohort)
        save(enrolment, cooperation_plan_on=date(2025, 3, 4))
        enrolment.refresh_from_db()
        assert enrolment.cooperation_plan_review_on == date(2025, 9, 4)
        save(enrolment, cooperation_plan_on=date(2025, 8, 31))  # no 31 February
        assert Enrolment.objects.get(pk=enrolment.pk).cooperation_plan_review_on == date(
            2026, 2, 28)
        save(enrolment, cooperation_plan_on=date(2025, 3, 4),
             cooperation_plan_review_on=date(2025, 6, 1))  # an earlier review is the coach's
        assert Enrolment.objects.get(pk=enrolment.pk).cooperation_plan_review_on == date(
            2025, 6, 1)
        save(enrolment, cooperation_plan_on=date(2025, 4, 1),
             cooperation_plan_review_on=date(2025, 6, 1))  # and stays when the plan moves
        assert Enrolment.objects.get(pk=enrolment.pk).cooperation_plan_review_on == date(
            2025, 6, 1)


@pytest.mark.django_db
def test_a_review_left_at_its_default_follows_a_corrected_plan_date(client, coach,
                                                                    own_cohort):
    enrolment = EnrolmentFactory(cohort=own_cohort, cooperation_plan_on=date(2025, 3, 4),
                                 cooperation_plan_review_on=date(2025, 9, 4))
    client.force_login(coach.user)
    page = url("participants:enrolment_update", pk=enrolment.pk)
    form = client.get(page).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(cooperation_plan_on="11.03.2025", cooperation_plan_review_on="04.09.2025",
                joined_on=enrolment.joined_on.strftime("%d.%m.%Y"),
                assigned_on=enrolment.assigned_on.strftime("%d.%m.%Y"), is_voluntary="")
    client.post(page, data)
    with scope(jobcenter=coach.jobcenter):
        assert Enrolment.objects.get(pk=enrolment.pk).cooperation_plan_review_on == date(
            2025, 9, 11)


@pytest.mark.django_db
def test_a_review_before_the_plan_is_refused_on_the_field(own_cohort):
    with scope(jobcenter=own_cohort.jobcenter):
        enrolment = EnrolmentFactory(cohort=own_cohort)
        with pytest.raises(ValidationError) as refused:
            save(enrolment, cooperation_plan_on=date(2025, 3, 4),
                 cooperation_plan_review_on=date(2025, 3, 3))
    assert refused.value.message_dict == {"cooperation_plan_review_on": [
        "Die Überprüfung kann nicht vor dem Kooperationsplan (04.03.2025) liegen."]}


@pytest.mark.django_db
def test_the_form_keeps_what_was_typed_and_says_why_next_to_the_field(client, coach,
                                                                      own_cohort):
    enrolment = EnrolmentFactory(cohort=own_cohort)
    client.force_login(coach.user)
    page = url("participants:enrolment_update", pk=enrolment.pk)
    html = client.get(page).content.decode()
    assert "Kooperationsplan am" in html and "Nächste Überprüfung des Kooperationsplans" in html
    assert "Leer: sechs Monate nach dem Kooperationsplan" in html
    response = client.post(page, {
        "joined_on": enrolment.joined_on.strftime("%d.%m.%Y"), "assigned_on": "",
        "info_event_on": "", "cooperation_plan_on": "04.03.2025",
        "cooperation_plan_review_on": "01.03.2025", "notes": "behalten"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Die Überprüfung kann nicht vor dem Kooperationsplan (04.03.2025) liegen." in html
    assert 'value="01.03.2025"' in html and "behalten" in html
    with scope(jobcenter=coach.jobcenter):
        assert Enrolment.objects.get(pk=enrolment.pk).cooperation_plan_on is None

    client.post(page, {"joined_on": enrolment.joined_on.strftime("%d.%m.%Y"),
                       "assigned_on": "", "info_event_on": "",
                       "cooperation_plan_on": "04.03.2025", "cooperation_plan_review_on": "",
                       "notes": ""})
    with scope(jobcenter=coach.jobcenter):
        saved = Enrolment.objects.get(pk=enrolment.pk)
    assert (saved.cooperation_plan_on, saved.cooperation_plan_review_on) == (
        date(2025, 3, 4), date(2025, 9, 4))
    html = client.get(url("participants:detail", pk=enrolment.participant_id)).content.decode()
    history = html[html.index("Änderungsverlauf"):]
    assert "Kooperationsplan am:</span> – → 04.03.2025" in history
    assert "nächste Überprüfung des Kooperationsplans:</span> – → 04.09.2025" in history


@pytest.mark.django_db
def test_the_timeline_shows_the_plan_and_its_review_red_when_overdue(client, coach,
                                                                     own_cohort):
    overdue = due_in(own_cohort, -3)
    client.force_login(coach.user)
    html = client.get(url("participants:detail", pk=overdue.participant_id)).content.decode()
    plan = overdue.cooperation_plan_on.strftime("%d.%m.%Y")
    review = overdue.cooperation_plan_review_on.strftime("%d.%m.%Y")
    assert f'<span class="when">{plan}</span> Kooperationsplan' in html
    assert (f'<span class="text-danger">Überprüfung fällig am {review} (überfällig)</span>'
            in html)
    later = due_in(own_cohort, 40)
    html = client.get(url("participants:detail", pk=later.participant_id)).content.decode()
    review = later.cooperation_plan_review_on.strftime("%d.%m.%Y")
    assert f'<span class="">Überprüfung fällig am {review}</span>' in html


@pytest.mark.django_db
@pytest.mark.parametrize("days_after_assignment, before", [
    (-60, "</span> zugewiesen"), (3, "</span> Eintritt"), (20, None)])
def test_the_plan_stands_in_date_order_in_the_timeline(client, coach, own_cohort,
                                                      days_after_assignment, before):
    enrolment = EnrolmentFactory(cohort=own_cohort)  # assigned a week before joining
    with scope(jobcenter=coach.jobcenter):
        save(enrolment, assigned_on=enrolment.assigned_on, cooperation_plan_on=(
            enrolment.assigned_on + timedelta(days=days_after_assignment)))
    client.force_login(coach.user)
    html = client.get(url("participants:detail", pk=enrolment.participant_id)).content.decode()
    plan = html.index("</span> Kooperationsplan")
    if before:
        assert plan < html.index(before)
    else:
        assert html.index("</span> Eintritt") < plan


@pytest.mark.django_db
def test_heute_lists_the_reviews_due_of_own_groups_in_date_order(client, coach, own_cohort):
    later = due_in(own_cohort, 10, participant__last_name="Zimmermann")
    overdue = due_in(own_cohort, -2, participant__last_name="Yıldız")
    due_in(own_cohort, 15, participant__last_name="Xaver")  # beyond two weeks
    due_in(own_cohort, 1, participant__last_name="Wagner", exit_on=timezone.localdate(),
           exit_reason=Enrolment.ExitReason.COMPLETED)
    client.force_login(coach.user)

    html = client.get(url("home")).content.decode()

    assert "Kooperationspläne zur Überprüfung" in html
    assert html.index("Yıldız") < html.index("Zimmermann")
    assert "Xaver" not in html and "Wagner" not in html
    overdue_on = overdue.cooperation_plan_review_on.strftime("%d.%m.%Y")
    assert f'<span class="text-danger">(fällig am {overdue_on}, überfällig)</span>' in html
    assert f"(fällig am {later.cooperation_plan_review_on.strftime('%d.%m.%Y')})" in html
    assert url("participants:detail", pk=overdue.participant_id) in html
    edit = url("participants:enrolment_update", pk=overdue.pk)
    assert f'{edit}?next=/jc-a/">Daten' in html


@pytest.mark.django_db
def test_heute_says_so_when_no_review_is_due(client, coach, own_cohort):
    due_in(own_cohort, 30)
    client.force_login(coach.user)
    html = client.get(url("home")).content.decode()
    assert "In den nächsten zwei Wochen ist kein Kooperationsplan zu überprüfen." in html


@pytest.mark.django_db
def test_nobody_else_sees_the_reviews_of_a_coachs_group(client, coach, employer_service,
                                                        jc_admin, own_cohort):
    due_in(own_cohort, 3, participant__last_name="Nurmeinegruppe")
    colleague = CohortCoachFactory(cohort=CohortFactory(programme__jobcenter=coach.jobcenter))
    client.force_login(colleague.user)
    html = client.get(url("home")).content.decode()
    assert "Nurmeinegruppe" not in html
    assert "In den nächsten zwei Wochen ist kein Kooperationsplan zu überprüfen." in html
    for member in (employer_service.user, jc_admin.user):
        client.force_login(member)
        html = client.get(url("home"), follow=True).content.decode()
        assert "Nurmeinegruppe" not in html and "Kooperationspläne" not in html


@pytest.mark.django_db
def test_heute_needs_the_same_queries_for_5_and_20_due_reviews(client, coach, own_cohort):
    client.force_login(coach.user)
    for days in range(5):
        due_in(own_cohort, days - 2)
    small = queries_for(lambda: client.get(url("home")))
    for days in range(15):
        due_in(own_cohort, days % 14)
    assert queries_for(lambda: client.get(url("home"))) == small


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_the_agreement_date_as_the_plan_and_adds_its_review():
    before, after = [("participants", "0006_german_collation")], [
        ("participants", "0007_cooperation_plan")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    with scopes_disabled():
        cohort = CohortFactory()
    OldEnrolment = old.get_model("participants", "Enrolment")
    OldParticipant = old.get_model("participants", "Participant")
    kept = OldEnrolment.objects.create(
        jobcenter_id=cohort.jobcenter_id, cohort_id=cohort.pk, agreement_on=date(2024, 11, 30),
        participant=OldParticipant.objects.create(jobcenter_id=cohort.jobcenter_id,
                                               customer_number="123D999001", first_name="A",
                                               last_name="B"))
    without = OldEnrolment.objects.create(
        jobcenter_id=cohort.jobcenter_id, cohort_id=cohort.pk,
        participant=OldParticipant.objects.create(jobcenter_id=cohort.jobcenter_id,
                                               customer_number="123D999002", first_name="C",
                                               last_name="D"))

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    with scopes_disabled():
        assert Enrolment.objects.filter(pk=kept.pk).values_list(
            "cooperation_plan_on", "cooperation_plan_review_on").get() == (
            date(2024, 11, 30), date(2025, 5, 30))
        assert Enrolment.objects.filter(pk=without.pk).values_list(
            "cooperation_plan_on", "cooperation_plan_review_on").get() == (None, None)
