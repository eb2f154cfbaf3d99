"""The household list's search form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .. import choices as c
from .common import region_filter_choices, scoped_regions

SORT_CHOICES = [("", _("户号（新建在前）")), ("number", _("户号（从小到大）")), ("head", _("户主姓名")),
                ("village", _("村（社区）")), ("updated", _("最近更新"))]


class HouseholdSearchForm(forms.Form):
    STATUS_ALL = "all"

    q = forms.CharField(label=_("姓名或身份证号"), required=False, max_length=32,
                        widget=forms.TextInput(attrs={"placeholder": _("姓名、身份证号或其末几位"), "type": "search", "autocomplete": "off"}))
    village = forms.CharField(label=_("村（社区）"), required=False, max_length=12)
    category = forms.ChoiceField(label=_("类别"), required=False, choices=[("", _("全部类别")), *c.Category.choices])
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[*c.HouseholdStatus.choices, (STATUS_ALL, _("全部状态"))])
    township = forms.ChoiceField(label=_("乡镇（街道）"), required=False)
    sort = forms.ChoiceField(label=_("排序"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from bangfu.regions.choices import Level

        townships = scoped_regions(user, [Level.TOWNSHIP]).only("code", "name")[:500]
        self.fields["township"].choices = [("", _("全部乡镇（街道）"))] + [(r.code, r.name) for r in townships]
        choices = region_filter_choices(user)
        if choices is not None:
            self.fields["village"] = forms.ChoiceField(label=_("村（社区）"), required=False, choices=choices)
        else:
            self.fields["village"].widget.attrs["placeholder"] = _("区划代码")

    def sort_value(self) -> str:
        self.is_valid()
        return self.cleaned_data.get("sort", "") if hasattr(self, "cleaned_data") else ""

    def filter_values(self) -> dict[str, str]:
        """The filter as selectors.HouseholdFilter takes it; invalid parts are left out."""
        self.is_valid()
        data = self.cleaned_data
        status = data.get("status") or c.HouseholdStatus.ACTIVE
        # A village outside the choices still filters (to nothing: the selector is scoped), rather
        # than being dropped and widening the list to everything the user may see.
        village = data.get("village") or (self.data.get("village", "") if "village" in self.errors else "")
        township = data.get("township") or (str(self.data.get("township", ""))[:12] if "township" in self.errors else "")
        return {
            "q": data.get("q", ""),
            "village": village,
            "township": township,
            "category": data.get("category", ""),
            "status": "" if status == self.STATUS_ALL else status,
        }
