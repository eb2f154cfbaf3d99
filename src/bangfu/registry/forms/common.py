"""Fields and region choices the registry forms share (and policy and outreach reuse)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bangfu.regions.choices import Level
from bangfu.regions.codes import TOWNSHIP
from bangfu.regions.models import Region

# Above this many regions a select is unusable on an old computer: fall back to typing the code.
MAX_REGION_CHOICES = 1500
BLANK = ("", _("（未填）"))


def _label(model, name: str) -> str:
    return model._meta.get_field(name).verbose_name


def scoped_regions(user, levels) -> Any:
    """Regions of the given levels inside the user's subtree (`visible_to` on the code)."""
    return Region.objects.filter(level__in=levels).visible_to(user).order_by("code")


class VillageField(forms.ModelChoiceField):
    """A village of the user's subtree, posted by its 12-digit code."""

    def label_from_instance(self, obj: Region) -> str:
        return _("%(name)s（%(code)s）") % {"name": obj.name, "code": obj.code}


def village_field(user, *, required: bool = True) -> VillageField:
    villages = scoped_regions(user, [Level.VILLAGE])
    few = list(villages[: MAX_REGION_CHOICES + 1])
    widget = forms.Select if len(few) <= MAX_REGION_CHOICES else forms.TextInput(attrs={"placeholder": _("12位村（社区）区划代码")})
    field = VillageField(
        queryset=villages, to_field_name="code", required=required, label=_("村（社区）"), widget=widget,
        empty_label=_("请选择村（社区）"),
        error_messages={"required": _("请选择所在村（社区）"), "invalid_choice": _("请选择您辖区内的村（社区）")},
    )
    if len(few) == 1:
        field.initial = few[0].code
    return field


def region_filter_choices(user) -> list | None:
    """Choices for the list filter: townships ("全部") with their villages, or None when too many."""
    rows = list(scoped_regions(user, [Level.TOWNSHIP, Level.VILLAGE]).only("code", "name", "level")[: MAX_REGION_CHOICES + 1])
    if len(rows) > MAX_REGION_CHOICES:
        return None
    choices: list = [("", _("全部村（社区）"))]
    groups: dict[str, list] = {}
    for region in rows:
        if region.level == Level.TOWNSHIP:
            group = [(region.code, _("%(name)s（全部）") % {"name": region.name})]
            groups[region.code_value.ancestor_or_self(TOWNSHIP)] = group
            choices.append((region.name, group))
        else:
            group = groups.get(region.code_value.ancestor_or_self(TOWNSHIP))
            (group if group is not None else choices).append((region.code, region.name))
    return choices
