"""The household form (create and edit)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .. import choices as c
from .. import services
from ..models import Household
from .common import _label, village_field


class HouseholdForm(forms.Form):
    address = forms.CharField(label=_label(Household, "address"), required=False, max_length=255)
    hukou_type = forms.ChoiceField(label=_label(Household, "hukou_type"), choices=c.HukouType.choices, initial=c.HukouType.RURAL)
    housing_safety = forms.ChoiceField(label=_label(Household, "housing_safety"), choices=c.HousingSafety.choices, initial=c.HousingSafety.UNKNOWN)
    # a select, not a checkbox: a form posted without it keeps the recorded value (an unticked box
    # would silently record "not local" and refuse dibao)
    local_hukou = forms.TypedChoiceField(label=_label(Household, "local_hukou"), required=False, initial=True, empty_value=None,
                                         coerce=lambda v: v in (True, "True", "true", "1"),
                                         choices=[(True, _("是")), (False, _("否"))])
    family_planning_two_daughters = forms.BooleanField(label=_label(Household, "family_planning_two_daughters"), required=False)
    note = forms.CharField(label=_label(Household, "note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    field_order = ["village", "address", "hukou_type", "housing_safety", "local_hukou", "family_planning_two_daughters", "note"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"] = village_field(user)
        self.order_fields(self.field_order)

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"region_id": data["village"].pk,
                **{k: data[k] for k in services.HOUSEHOLD_FIELDS if k in data and not (k == "local_hukou" and data[k] is None)}}

    @classmethod
    def initial_for(cls, household: Household) -> dict[str, Any]:
        return {"village": household.region_code, **{k: getattr(household, k) for k in services.HOUSEHOLD_FIELDS}}
