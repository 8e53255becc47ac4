"""Customer numbers stored trimmed and in upper case (participants.fields).

Existing numbers are normalised. Where two people of one jobcenter differ only in the case
or blanks of their number (`888d873087` beside `888D873087`), the older keeps the number and
each younger one gets a suffix (`888D873087-2`), so that nothing is lost and the team can
merge them; the migration names their ids.
"""

from django.db import migrations

import participants.fields

MAX_LENGTH = 30


def normalise(apps, schema_editor):
    Participant = apps.get_model("participants", "Participant")
    people = Participant._base_manager.using(schema_editor.connection.alias)
    rows = list(people.order_by("pk").values_list("pk", "jobcenter_id", "customer_number"))
    normalised = {(jobcenter, number.strip().upper()) for _pk, jobcenter, number in rows}
    kept: set = set()
    targets = {}
    for pk, jobcenter, number in rows:
        target = number.strip().upper()
        if (jobcenter, target) in kept:
            suffix = 2
            while True:
                tail = f"-{suffix}"
                candidate = target[:MAX_LENGTH - len(tail)] + tail
                if (jobcenter, candidate) not in normalised | kept:
                    break
                suffix += 1
            print(f"\n  participant {pk}: customer number differs from another one only in "
                  f"case or blanks; suffix {tail} added", end="")
            target = candidate
        kept.add((jobcenter, target))
        if target != number:
            targets[pk] = target
    if not targets:
        return
    # Two steps: no row takes a number another row still holds until that one let go.
    changed = [Participant(pk=pk, customer_number=f"~normalising~{pk}") for pk in targets]
    people.bulk_update(changed, ["customer_number"], batch_size=500)
    for row in changed:
        row.customer_number = targets[row.pk]
    people.bulk_update(changed, ["customer_number"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ("participants", "0002_age_at_entry"),
    ]

    operations = [
        migrations.RunPython(normalise, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="participant",
            name="customer_number",
            field=participants.fields.CustomerNumberField(
                max_length=30, verbose_name="customer number"),
        ),
    ]
