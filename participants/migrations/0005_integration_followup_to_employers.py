# Job starts and follow-ups are the employers app's now (employers 0004): only the state goes.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("employers", "0004_integration_followup_from_participants"),
        ("participants", "0004_integration_followup_tables"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="FollowUp"),
                migrations.DeleteModel(name="Integration"),
            ],
        ),
    ]
