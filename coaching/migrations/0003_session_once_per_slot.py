import datetime

import django.db.models.functions.comparison
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("coaching", "0002_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="groupsession",
            name="submission_token",
            field=models.UUIDField(blank=True, editable=False, null=True, unique=True),
        ),
        migrations.AddConstraint(
            model_name="groupsession",
            constraint=models.UniqueConstraint(
                models.F("cohort"),
                models.F("held_on"),
                django.db.models.functions.comparison.Coalesce(
                    "starts_at", models.Value(datetime.time(0, 0, 0, 1))
                ),
                name="coaching_groupsession_once_per_slot",
                violation_error_message=(
                    "A session of this cohort on this day at this time is already recorded."
                ),
            ),
        ),
    ]
