from django.db import migrations, models


def forget_snapshots(apps, schema_editor):
    # Their counters are stored anew in the packed form: the next look or the nightly
    # refresh computes each jobcenter's snapshot again.
    apps.get_model("reports", "ReportSnapshot").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0005_german_collation"),
    ]

    operations = [
        migrations.RunPython(forget_snapshots, migrations.RunPython.noop),
        migrations.RemoveField(model_name="reportsnapshot", name="payload"),
        migrations.AddField(
            model_name="reportsnapshot",
            name="payload",
            field=models.BinaryField(default=bytes, verbose_name="counters"),
        ),
    ]
