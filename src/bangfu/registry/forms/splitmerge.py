"""Splitting and merging households, and changing the head."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import choices as c
from ..models import Person
from .common import BLANK
from bangfu.common.widgets import DateInput, PickerInput


class SplitForm(forms.Form):
    """分户: names match the error keys of services.household_split ("members", "head")."""

    members = forms.TypedMultipleChoiceField(label=_("分出的成员"), coerce=int, widget=forms.CheckboxSelectMultiple,
                                             error_messages={"required": _("请选择要分出的成员")})
    head = forms.TypedChoiceField(label=_("新户户主"), coerce=int, error_messages={"required": _("请选择新户的户主")})
    address = forms.CharField(label=_("新户住址"), required=False, max_length=255, help_text=_("留空则沿用原住址。"))
    day = forms.DateField(label=_("分户日期"), widget=DateInput, initial=timezone.localdate)

    def __init__(self, *args, members: list[Person], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(p.pk, _("%(name)s（%(code)s）") % {"name": p.name, "code": p.get_relation_display()}) for p in members]
        self.fields["members"].choices = choices
        self.fields["head"].choices = [BLANK, *choices]

    def clean(self):
        data = super().clean()
        if data.get("head") and data.get("members") and data["head"] not in data["members"]:
            self.add_error("head", _("新户主须是分出的成员之一"))
        return data

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {"person_ids": d["members"], "new_head_id": d["head"], "address": d["address"] or None, "day": d["day"]}


class ChangeHeadForm(forms.Form):
    """户主变更: names match the error keys of services.household_change_head ("head", "relation")."""

    head = forms.TypedChoiceField(label=_("新户主"), coerce=int, error_messages={"required": _("请选择新户主")})
    relation = forms.ChoiceField(label=_("原户主与新户主的关系"),
                                 choices=[BLANK, *((v, l) for v, l in c.Relation.choices if v != c.Relation.HEAD)],
                                 error_messages={"required": _("请选择原户主与新户主的关系")})

    def __init__(self, *args, members: list[Person], current_head_id: int | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["head"].choices = [BLANK, *((p.pk, p.name) for p in members if p.pk != current_head_id)]


class MergeForm(forms.Form):
    source = forms.IntegerField(label=_("被并入的家庭编号"), min_value=1,
                                widget=PickerInput("registry:pick_households", search_label=_("按户主或成员姓名、身份证号末几位查找家庭")),
                                help_text=_("该户全体成员及其收入、财产、支出、类别将并入本户，该户标记为“已合户”。"),
                                error_messages={"required": _("请填写要并入本户的家庭编号"), "invalid": _("家庭编号应为数字")})
    day = forms.DateField(label=_("合户日期"), widget=DateInput, initial=timezone.localdate)
