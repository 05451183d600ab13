from django.db import migrations


def load(apps, schema_editor):
    from cme.plans.default_template import DEFAULT_ITEMS, DEFAULT_TEMPLATE

    PlanTemplate = apps.get_model("plans", "PlanTemplate")
    PlanTemplateItem = apps.get_model("plans", "PlanTemplateItem")
    template, created = PlanTemplate.objects.get_or_create(
        name=DEFAULT_TEMPLATE, defaults={"is_default": True}
    )
    if created:
        for order, (title, days) in enumerate(DEFAULT_ITEMS):
            PlanTemplateItem.objects.create(
                template=template, title=title, due_in_school_days=days, order=order
            )


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
