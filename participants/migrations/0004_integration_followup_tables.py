# Job starts and follow-ups move to the employers app (employers 0004 takes over the state,
# participants 0005 lets it go). First their tables, index and constraints get the employers
# app's names; the rows stay.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("participants", "0003_customer_number_normalised"),
    ]

    operations = [
        migrations.AlterModelTable(name="integration", table="employers_integration"),
        migrations.AlterModelTable(name="followup", table="employers_followup"),
        migrations.RenameIndex(model_name="followup", new_name="employers_f_jobcent_62e11e_idx",
                               old_name="participant_jobcent_650094_idx"),
        migrations.RemoveConstraint(model_name="integration",
                                    name="participants_integration_unique_job_start"),
        migrations.RemoveConstraint(model_name="integration",
                                    name="participants_integration_weekly_hours_range"),
        migrations.RemoveConstraint(model_name="followup",
                                    name="participants_followup_once_per_due"),
        migrations.RemoveConstraint(model_name="followup",
                                    name="participants_followup_answer_has_date"),
        migrations.AddConstraint(
            model_name="integration",
            constraint=models.UniqueConstraint(
                fields=("enrolment", "kind", "start_on"),
                name="employers_integration_unique_job_start",
                violation_error_message="This job start is already recorded."),
        ),
        migrations.AddConstraint(
            model_name="integration",
            constraint=models.CheckConstraint(
                condition=models.Q(("weekly_hours__isnull", True), models.Q(
                    ("weekly_hours__gt", 0), ("weekly_hours__lte", 60)), _connector="OR"),
                name="employers_integration_weekly_hours_range",
                violation_error_message="Weekly hours must lie between 0 and 60."),
        ),
        migrations.AddConstraint(
            model_name="followup",
            constraint=models.UniqueConstraint(
                fields=("integration", "due_month"), name="employers_followup_once_per_due",
                violation_error_message="This follow-up already exists."),
        ),
        migrations.AddConstraint(
            model_name="followup",
            constraint=models.CheckConstraint(
                condition=models.Q(("still_employed", ""), ("checked_on__isnull", False),
                                   _connector="OR"),
                name="employers_followup_answer_has_date",
                violation_error_message="A recorded follow-up needs the date it was checked."),
        ),
    ]
