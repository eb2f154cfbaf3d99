"""The two national outreach parameters cited the project's own requirement numbers and the name
the project used for its source plan; users read the citation, so it names the document only."""

import datetime as dt

from django.db import migrations

CITATIONS = {
    "visits_per_quarter_min": ("困难群众帮扶工作方案（种子）篇二 （二）1“每个季度至少定期走访两次”（R8）",
                               "困难群众帮扶工作方案篇二 （二）1“每个季度至少定期走访两次”"),
    "followup_due_days": ("本系统默认办理期限（种子未规定，地区可按需设置）（R4）",
                          "本系统默认办理期限（帮扶工作方案未规定，地区可按需设置）"),
}


def _set(apps, old_index: int, new_index: int) -> None:
    Parameter = apps.get_model("outreach", "OutreachParameter")
    for name, texts in CITATIONS.items():
        # only the rows the defaults migration wrote and nobody has edited since
        Parameter.objects.filter(name=name, region_prefix="", valid_from=dt.date(2021, 1, 1),
                                 citation=texts[old_index]).update(citation=texts[new_index])


def forwards(apps, schema_editor):
    _set(apps, 0, 1)


def backwards(apps, schema_editor):
    _set(apps, 1, 0)


class Migration(migrations.Migration):
    dependencies = [("outreach", "0004_helper_unit_index")]
    operations = [migrations.RunPython(forwards, backwards)]
