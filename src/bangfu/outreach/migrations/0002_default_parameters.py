"""The national defaults of the outreach parameters (models.OutreachParameter)."""

import datetime as dt

from django.db import migrations

DEFAULTS = [
    ("visits_per_quarter_min", 2, "困难群众帮扶工作方案（种子）篇二 （二）1“每个季度至少定期走访两次”（R8）"),
    ("followup_due_days", 30, "本系统默认办理期限（种子未规定，地区可按需设置）（R4）"),
]


def forwards(apps, schema_editor):
    Parameter = apps.get_model("outreach", "OutreachParameter")
    for name, value, citation in DEFAULTS:
        Parameter.objects.get_or_create(name=name, region_prefix="", valid_from=dt.date(2021, 1, 1),
                                        defaults={"value": value, "citation": citation})


def backwards(apps, schema_editor):
    Parameter = apps.get_model("outreach", "OutreachParameter")
    Parameter.objects.filter(region_prefix="", valid_from=dt.date(2021, 1, 1), name__in=[d[0] for d in DEFAULTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("outreach", "0001_pairing_visits_worklists_campaign")]
    operations = [migrations.RunPython(forwards, backwards)]
