# The record of processing, moved from the reports app: the table exists already (renamed
# by reports 0004); this takes over the model state and the content type, so that audit
# entries about earlier exports stay attached.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def content_type_to_privacy(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="privacy", model="exportrecord").exists():
        ContentType.objects.filter(app_label="reports", model="exportrecord").update(
            app_label="privacy")


def content_type_to_reports(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="privacy", model="exportrecord").update(
        app_label="reports")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("jobcenters", "0001_initial"),
        ("reports", "0004_exportrecord_to_privacy"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ExportRecord",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True,
                                                   serialize=False, verbose_name="ID")),
                        ("created_at", models.DateTimeField(auto_now_add=True,
                                                            verbose_name="exported at")),
                        ("kind", models.CharField(max_length=40, verbose_name="kind")),
                        ("parameters", models.JSONField(default=dict,
                                                        verbose_name="parameters")),
                        ("jobcenter", models.ForeignKey(
                            on_delete=django.db.models.deletion.CASCADE, related_name="+",
                            to="jobcenters.jobcenter", verbose_name="jobcenter")),
                        ("user", models.ForeignKey(
                            blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                            related_name="+", to=settings.AUTH_USER_MODEL,
                            verbose_name="user")),
                    ],
                    options={
                        "verbose_name": "export",
                        "verbose_name_plural": "exports",
                        "ordering": ["-created_at"],
                    },
                ),
            ],
        ),
        migrations.RunPython(content_type_to_privacy, content_type_to_reports),
    ]
