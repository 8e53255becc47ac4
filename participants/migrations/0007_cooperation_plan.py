"""The Kooperationsplan (§ 15 SGB II) replaced the Eingliederungsvereinbarung on 1 July 2023:
the date is kept under its new name, and each plan gets the review date it has by default."""

from dateutil.relativedelta import relativedelta
from django.db import migrations, models


def review_after_six_months(apps, schema_editor):
    Enrolment = apps.get_model("participants", "Enrolment")
    enrolments = list(Enrolment.objects.filter(cooperation_plan_on__isnull=False,
                                               cooperation_plan_review_on__isnull=True)
                      .only("cooperation_plan_on"))
    for enrolment in enrolments:
        enrolment.cooperation_plan_review_on = enrolment.cooperation_plan_on + relativedelta(
            months=6)
    Enrolment.objects.bulk_update(enrolments, ["cooperation_plan_review_on"], batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ("participants", "0006_german_collation"),
    ]

    operations = [
        migrations.RenameField(
            model_name="enrolment",
            old_name="agreement_on",
            new_name="cooperation_plan_on",
        ),
        migrations.AlterField(
            model_name="enrolment",
            name="cooperation_plan_on",
            field=models.DateField(blank=True, null=True, verbose_name="Kooperationsplan on"),
        ),
        migrations.AddField(
            model_name="enrolment",
            name="cooperation_plan_review_on",
            field=models.DateField(blank=True, null=True,
                                   verbose_name="next review of the Kooperationsplan"),
        ),
        migrations.AddIndex(
            model_name="enrolment",
            index=models.Index(fields=["jobcenter", "cooperation_plan_review_on"],
                               name="participant_jobcent_98422b_idx"),
        ),
        migrations.RunPython(review_after_six_months, migrations.RunPython.noop),
    ]
