from django.db import migrations


def load(apps, schema_editor):
    from cme.people.risk_factors import RISK_FACTORS

    RiskFactor = apps.get_model("people", "RiskFactor")
    for order, (code, label) in enumerate(RISK_FACTORS):
        RiskFactor.objects.update_or_create(code=code, defaults={"label": label, "order": order})


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
