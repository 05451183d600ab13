"""Seed the partner agencies and services the policy lists (cme/accounts/partner_agencies.py
says which of its 28 entries are seeded and why; the list is copied here, as a migration must
not change when the code does).

An organisation already holding one of the names is left as it is, so running this on a
register that made its own "Police" changes nothing there. Reversing leaves the rows: staff and
referrals may point at them by then."""

from django.db import migrations

# (name, kind, children's social care or a safeguarding role)
POLICY_LIST = (
    ("Awards/Grants", "agency", False),
    ("Barnardo's", "agency", False),
    ("Behaviour & Education Support Team (BEST)", "agency", False),
    ("Child & Adolescent Mental Health Service (CAMHS)", "agency", False),
    ("Children, Families & Social Care (CF&SC)", "agency", True),
    ("Children's Services", "agency", False),
    ("Children's Advocacy", "agency", False),
    ("Connexions", "agency", False),
    ("Education", "agency", False),
    ("Education Psychology Service (EPS)", "agency", False),
    ("Emergency Housing", "agency", False),
    ("Governors", "agency", False),
    ("Legal Services", "agency", False),
    ("Parent Partnership", "agency", False),
    ("Police", "agency", False),
    ("Primary Care Trust", "agency", False),
    ("Pupil Attendance and Education Welfare Service (PAEWS)", "paews", False),
    ("Revenues & Benefits", "agency", False),
    ("School Nurses", "agency", False),
    ("Social Inclusion Operations Team (SIOT)", "agency", False),
    ("Special Educational Needs (SEN)", "agency", False),
    ("Truancy Watch", "agency", False),
    ("UK Border Agency", "agency", False),
    ("Women's Refuge", "agency", False),
    ("Youth Offending Team (YOT)", "agency", False),
    ("Youth Service", "agency", False),
)


def seed(apps, schema_editor):
    Organisation = apps.get_model("accounts", "Organisation")
    for name, kind, safeguarding in POLICY_LIST:
        Organisation.objects.get_or_create(
            name=name, defaults={"kind": kind, "safeguarding_role": safeguarding}
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_organisation_key_work_and_safeguarding_role")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
