"""Number the switches of matching model (unique), so that two switches made at once from the
same page cannot both be recorded; the switches already made are numbered in the order they
were made."""

from django.db import migrations, models


def number_switches(apps, schema_editor):
    switch = apps.get_model("checks", "MatchingModelSwitch")
    for n, row in enumerate(switch.objects.order_by("at", "pk"), start=1):
        switch.objects.filter(pk=row.pk).update(number=n)


class Migration(migrations.Migration):
    dependencies = [("checks", "0005_matching_models")]

    operations = [
        migrations.AddField(
            model_name="matchingmodelswitch",
            name="number",
            field=models.PositiveIntegerField(null=True),
        ),
        migrations.RunPython(number_switches, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="matchingmodelswitch",
            name="number",
            field=models.PositiveIntegerField(unique=True),
        ),
    ]
