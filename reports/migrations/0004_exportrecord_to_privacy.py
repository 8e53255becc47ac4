# The record of processing moves to the privacy app; its table is renamed, its rows stay.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0003_network"),
    ]

    operations = [
        migrations.AlterModelTable(name="exportrecord", table="privacy_exportrecord"),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ExportRecord")],
        ),
    ]
