"""The operator's price list as first published (issue 5 §1). Inclusions are Koe's defaults;
the operator changes any of them in the admin.

- basic: 2 training sessions a year, 2 advisor hours a month, 4 lawyer hours a year;
- expansion: 4 sessions, 5 advisor hours a month, 12 lawyer hours a year;
- stand-alone: 1 session, 1 advisor hour a month, no lawyer hours.
"""

from decimal import Decimal

from django.db import migrations

DEFAULTS = [
    # kind, base, per company, small fee, small max employees, training, advisor h/month, lawyer h/year
    ("sc_basic", 100_000, 5_000, None, None, 2, "2.0", "4.0"),
    ("sc_expansion", 200_000, 5_000, None, None, 4, "5.0", "12.0"),
    ("standalone", 50_000, 0, 10_000, 300, 1, "1.0", "0.0"),
]


def seed(apps, schema_editor):
    Programme = apps.get_model("programmes", "Programme")
    for kind, base, per_company, small, small_max, training, advisor, lawyer in DEFAULTS:
        Programme.objects.get_or_create(
            kind=kind,
            defaults={
                "base_fee": base,
                "per_company_fee": per_company,
                "small_company_fee": small,
                "small_company_max_employees": small_max,
                "training_sessions_per_year": training,
                "advisor_hours_per_month": Decimal(advisor),
                "lawyer_hours_per_year": Decimal(lawyer),
            },
        )


class Migration(migrations.Migration):
    dependencies = [("programmes", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
