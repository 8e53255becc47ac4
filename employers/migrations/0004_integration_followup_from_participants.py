# Job starts and follow-ups, moved from the participants app: the tables exist already
# (renamed by participants 0004); this takes over the model state and the content types, so
# that audit entries and permissions stay attached.

import django.db.models.deletion
from django.db import migrations, models

MODELS = ("integration", "followup")


def content_types_to_employers(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label="employers", model=model).exists():
            ContentType.objects.filter(app_label="participants", model=model).update(
                app_label="employers")


def content_types_to_participants(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="employers", model__in=MODELS).update(
        app_label="participants")


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("employers", "0003_pipeline"),
        ("jobcenters", "0001_initial"),
        ("participants", "0004_integration_followup_tables"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Integration",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True,
                                                   serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(choices=[
                            ("employment", "employment subject to social insurance"),
                            ("apprenticeship", "apprenticeship"),
                            ("self_employment", "self-employment"),
                            ("minijob", "minijob (marginal employment)"),
                            ("public_employment", "publicly funded employment (§ 16i SGB II)"),
                        ], max_length=20, verbose_name="kind")),
                        ("start_on", models.DateField(verbose_name="start of work")),
                        ("weekly_hours", models.DecimalField(
                            blank=True, decimal_places=1, max_digits=4, null=True,
                            verbose_name="weekly hours")),
                        ("subsidy", models.CharField(blank=True, choices=[
                            ("", "none"), ("egz", "integration subsidy (EGZ)"),
                            ("other", "other subsidy"),
                        ], default="", max_length=5, verbose_name="subsidy")),
                        ("created_at", models.DateTimeField(auto_now_add=True,
                                                            verbose_name="created at")),
                        ("employer", models.ForeignKey(
                            blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                            related_name="integrations", to="employers.employer",
                            verbose_name="employer")),
                        ("enrolment", models.ForeignKey(
                            on_delete=django.db.models.deletion.CASCADE,
                            related_name="integrations", to="participants.enrolment",
                            verbose_name="enrolment")),
                        ("jobcenter", models.ForeignKey(
                            on_delete=django.db.models.deletion.CASCADE, related_name="+",
                            to="jobcenters.jobcenter", verbose_name="jobcenter")),
                    ],
                    options={
                        "verbose_name": "integration",
                        "verbose_name_plural": "integrations",
                        "ordering": ["start_on"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("enrolment", "kind", "start_on"),
                                name="employers_integration_unique_job_start",
                                violation_error_message="This job start is already recorded."),
                            models.CheckConstraint(
                                condition=models.Q(("weekly_hours__isnull", True), models.Q(
                                    ("weekly_hours__gt", 0), ("weekly_hours__lte", 60)),
                                    _connector="OR"),
                                name="employers_integration_weekly_hours_range",
                                violation_error_message="Weekly hours must lie between 0 and 60."),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="FollowUp",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True,
                                                   serialize=False, verbose_name="ID")),
                        ("due_month", models.PositiveSmallIntegerField(
                            choices=[(6, "after 6 months"), (12, "after 12 months")],
                            verbose_name="due")),
                        ("due_on", models.DateField(verbose_name="due on")),
                        ("still_employed", models.CharField(blank=True, choices=[
                            ("", "not yet checked"), ("yes", "still employed"),
                            ("no", "no longer employed"), ("unknown", "unknown"),
                        ], default="", max_length=7, verbose_name="still employed")),
                        ("checked_on", models.DateField(blank=True, null=True,
                                                        verbose_name="checked on")),
                        ("jobcenter", models.ForeignKey(
                            on_delete=django.db.models.deletion.CASCADE, related_name="+",
                            to="jobcenters.jobcenter", verbose_name="jobcenter")),
                        ("integration", models.ForeignKey(
                            on_delete=django.db.models.deletion.CASCADE,
                            related_name="followups", to="employers.integration",
                            verbose_name="integration")),
                    ],
                    options={
                        "verbose_name": "follow-up",
                        "verbose_name_plural": "follow-ups",
                        "ordering": ["due_on"],
                        "indexes": [models.Index(fields=["jobcenter", "due_on"],
                                                 name="employers_f_jobcent_62e11e_idx")],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("integration", "due_month"),
                                name="employers_followup_once_per_due",
                                violation_error_message="This follow-up already exists."),
                            models.CheckConstraint(
                                condition=models.Q(("still_employed", ""),
                                                   ("checked_on__isnull", False),
                                                   _connector="OR"),
                                name="employers_followup_answer_has_date",
                                violation_error_message=(
                                    "A recorded follow-up needs the date it was checked.")),
                        ],
                    },
                ),
                migrations.AlterField(
                    model_name="application",
                    name="integration",
                    field=models.OneToOneField(
                        blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                        related_name="application", to="employers.integration",
                        verbose_name="integration"),
                ),
            ],
        ),
        migrations.RunPython(content_types_to_employers, content_types_to_participants),
    ]
