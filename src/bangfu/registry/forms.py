"""Forms of the registry pages.

The forms check the shape of the input (required, choices, dates, amounts). The rules live in
services: the member formset calls services.validate_person_data and services.check_id_number for
every member, so that each member's errors show next to that member's fields and the service sees
only input it will accept. Whatever a service still refuses comes back as RegistryError.errors
({field: [messages]}) and apply_errors() puts it on the matching field.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import BaseFormSet, formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bangfu.accounts.access import scope
from bangfu.common.money import InvalidAmount, yuan_to_fen
from bangfu.regions.choices import Level
from bangfu.regions.models import Region

from . import choices as c
from . import services
from .errors import RegistryError
from .models import Household, Person

# Above this many regions a select is unusable on an old computer: fall back to typing the code.
MAX_REGION_CHOICES = 1500
BLANK = ("", _("（未填）"))


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _label(model, name: str) -> str:
    return model._meta.get_field(name).verbose_name


def scoped_regions(user, levels) -> Any:
    """Regions of the given levels inside the user's subtree (accounts.access.scope on the code)."""
    return scope(user, Region.objects.filter(level__in=levels), field="code").order_by("code")


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
            groups[region.code[:9]] = group
            choices.append((region.name, group))
        else:
            group = groups.get(region.code[:9])
            (group if group is not None else choices).append((region.code, region.name))
    return choices


# ----------------------------------------------------------------------------- household list


class HouseholdSearchForm(forms.Form):
    STATUS_ALL = "all"

    q = forms.CharField(label=_("姓名或身份证号"), required=False, max_length=32,
                        widget=forms.TextInput(attrs={"placeholder": _("姓名、身份证号或其末几位"), "type": "search", "autocomplete": "off"}))
    village = forms.CharField(label=_("村（社区）"), required=False, max_length=12)
    category = forms.ChoiceField(label=_("类别"), required=False, choices=[("", _("全部类别")), *c.Category.choices])
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[*c.HouseholdStatus.choices, (STATUS_ALL, _("全部状态"))])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        choices = region_filter_choices(user)
        if choices is not None:
            self.fields["village"] = forms.ChoiceField(label=_("村（社区）"), required=False, choices=choices)
        else:
            self.fields["village"].widget.attrs["placeholder"] = _("区划代码")

    def filter_values(self) -> dict[str, str]:
        """The filter as selectors.HouseholdFilter takes it; invalid parts are left out."""
        self.is_valid()
        data = self.cleaned_data
        status = data.get("status") or c.HouseholdStatus.ACTIVE
        # A village outside the choices still filters (to nothing: the selector is scoped), rather
        # than being dropped and widening the list to everything the user may see.
        village = data.get("village") or (self.data.get("village", "") if "village" in self.errors else "")
        return {
            "q": data.get("q", ""),
            "village": village,
            "category": data.get("category", ""),
            "status": "" if status == self.STATUS_ALL else status,
        }


# ----------------------------------------------------------------------------- households


class HouseholdForm(forms.Form):
    address = forms.CharField(label=_label(Household, "address"), required=False, max_length=255)
    hukou_type = forms.ChoiceField(label=_label(Household, "hukou_type"), choices=c.HukouType.choices, initial=c.HukouType.RURAL)
    housing_safety = forms.ChoiceField(label=_label(Household, "housing_safety"), choices=c.HousingSafety.choices, initial=c.HousingSafety.UNKNOWN)
    note = forms.CharField(label=_label(Household, "note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    field_order = ["village", "address", "hukou_type", "housing_safety", "note"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"] = village_field(user)
        self.order_fields(self.field_order)

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"region_id": data["village"].pk, **{k: data[k] for k in services.HOUSEHOLD_FIELDS if k in data}}

    @classmethod
    def initial_for(cls, household: Household) -> dict[str, Any]:
        return {"village": household.region_code, **{k: getattr(household, k) for k in services.HOUSEHOLD_FIELDS}}


# ----------------------------------------------------------------------------- members


def _bool(name: str, label=None) -> forms.BooleanField:
    return forms.BooleanField(label=label or _label(Person, name), required=False, initial=Person._meta.get_field(name).default)


class MemberForm(forms.Form):
    """One member's details, as services.PERSON_FIELDS names them."""

    name = forms.CharField(label=_label(Person, "name"), max_length=64, error_messages={"required": _("请填写姓名")})
    id_number = forms.CharField(label=_label(Person, "id_number"), max_length=24,
                                error_messages={"required": _("请填写身份证号码")},
                                widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text", "size": 20}))
    relation = forms.ChoiceField(label=_label(Person, "relation"), choices=c.Relation.choices, initial=c.Relation.OTHER)
    phone = forms.CharField(label=_label(Person, "phone"), required=False, max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"}))
    living_situation = forms.ChoiceField(label=_label(Person, "living_situation"), choices=c.LivingSituation.choices, initial=c.LivingSituation.WITH_FAMILY)
    labor_capacity = forms.ChoiceField(label=_label(Person, "labor_capacity"), choices=c.LaborCapacity.choices, initial=c.LaborCapacity.FULL)
    can_eat = _bool("can_eat", c.SELF_CARE_ACTIVITIES[0][1])
    can_dress = _bool("can_dress", c.SELF_CARE_ACTIVITIES[1][1])
    can_get_up = _bool("can_get_up", c.SELF_CARE_ACTIVITIES[2][1])
    can_toilet = _bool("can_toilet", c.SELF_CARE_ACTIVITIES[3][1])
    can_walk_indoors = _bool("can_walk_indoors", c.SELF_CARE_ACTIVITIES[4][1])
    can_bathe = _bool("can_bathe", c.SELF_CARE_ACTIVITIES[5][1])
    schooling_level = forms.ChoiceField(label=_label(Person, "schooling_level"), required=False, choices=[BLANK, *c.SchoolingLevel.choices])
    enrolled = _bool("enrolled")
    dropped_out = _bool("dropped_out")
    major_illnesses = forms.MultipleChoiceField(label=_label(Person, "major_illnesses"), required=False,
                                                choices=c.MajorIllness.choices, widget=forms.CheckboxSelectMultiple)
    disability_suspected = _bool("disability_suspected")
    disability_cert_number = forms.CharField(label=_label(Person, "disability_cert_number"), required=False, max_length=32)
    disability_type = forms.ChoiceField(label=_label(Person, "disability_type"), required=False, choices=[BLANK, *c.DisabilityType.choices])
    disability_grade = forms.TypedChoiceField(label=_label(Person, "disability_grade"), required=False, coerce=int, empty_value=None,
                                              choices=[BLANK, *c.DisabilityGrade.choices])
    disability_issue_date = forms.DateField(label=_label(Person, "disability_issue_date"), required=False, widget=DateInput)
    disability_last_check = forms.DateField(label=_label(Person, "disability_last_check"), required=False, widget=DateInput)
    is_orphan = _bool("is_orphan")
    is_unsupported_child = _bool("is_unsupported_child")
    has_mental_disorder = _bool("has_mental_disorder")

    SELF_CARE = tuple(name for name, _label_ in c.SELF_CARE_ACTIVITIES)
    MAIN = ("name", "id_number", "relation", "phone", "living_situation", "labor_capacity")
    SCHOOLING = ("schooling_level", "enrolled", "dropped_out")
    DISABILITY = ("disability_suspected", "disability_cert_number", "disability_type", "disability_grade",
                  "disability_issue_date", "disability_last_check")
    SPECIAL = ("is_orphan", "is_unsupported_child", "has_mental_disorder")

    def field_group(self, names):
        return [self[name] for name in names if name in self.fields]

    def main_fields(self):
        return self.field_group(self.MAIN)

    def self_care_fields(self):
        return self.field_group(self.SELF_CARE)

    def schooling_fields(self):
        return self.field_group(self.SCHOOLING)

    def disability_fields(self):
        return self.field_group(self.DISABILITY)

    def special_fields(self):
        return self.field_group(self.SPECIAL)

    def extra_fields(self):
        return self.field_group(("status", "hukou_place", "religious_staff_since"))

    def details_open(self) -> bool:
        """Open the folded parts (health, disability, schooling) when they hold an error or a value."""
        names = (*self.SCHOOLING, *self.DISABILITY, *self.SPECIAL, "major_illnesses")
        if self.is_bound and any(name in self.errors for name in names):
            return True
        return any(self[name].value() not in (None, "", [], False) for name in names)

    def person_data(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k in services.PERSON_FIELDS or k == "id_number"}


class PersonForm(MemberForm):
    """Editing one person. The ID number is not shown in full: a new one is typed, or left blank."""

    status = forms.ChoiceField(label=_label(Person, "status"), choices=c.PersonStatus.choices)
    hukou_place = forms.CharField(label=_label(Person, "hukou_place"), required=False, max_length=255)
    religious_staff_since = forms.DateField(label=_label(Person, "religious_staff_since"), required=False, widget=DateInput)

    def __init__(self, *args, person: Person, **kwargs):
        kwargs.setdefault("initial", {f: getattr(person, f) for f in services.PERSON_FIELDS})
        super().__init__(*args, **kwargs)
        self.person = person
        field = self.fields["id_number"]
        field.required = False
        field.label = _("新身份证号码")
        field.help_text = _("不更改请留空。")

    def person_data(self) -> dict[str, Any]:
        data = super().person_data()
        if not data.get("id_number"):
            data.pop("id_number", None)
        return data


def check_members(members: list[dict[str, Any]], *, viewer) -> dict[int, dict[str, list[str]]]:
    """Ask the services about each member of a new household, before anything is saved; also
    catch one number typed twice. Returns {index: {field: [messages]}}; valid ID numbers are
    normalised in place (15 → 18 digits, x → X). Shared by the create form and the API."""
    problems: dict[int, dict[str, list[str]]] = {}
    seen: dict[str, int] = {}
    for index, data in enumerate(members):
        errors = services.validate_person_data(data)
        raw = data.get("id_number")
        if raw:
            try:
                number, _birth, _sex = services.check_id_number(raw, viewer=viewer)
            except RegistryError as exc:
                for field, messages in exc.errors.items():
                    errors.setdefault(field, []).extend(messages)
            else:
                if number in seen:
                    errors.setdefault("id_number", []).append(
                        str(_("与第%(n)s名成员的身份证号码重复") % {"n": seen[number] + 1}))
                else:
                    seen[number] = index
                    data["id_number"] = number
        if errors:
            problems[index] = errors
    return problems


class BaseMemberFormSet(BaseFormSet):
    """The members of a new household. clean() asks the services about each member, so all members'
    errors show at once, each under its own field."""

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("prefix", "members")
        super().__init__(*args, **kwargs)
        self.user = user

    def filled_forms(self):
        return [f for f in self.forms if getattr(f, "cleaned_data", None)]

    def clean(self):
        forms_with_data = [form for form in self.forms if getattr(form, "cleaned_data", None)]
        problems = check_members([form.cleaned_data for form in forms_with_data], viewer=self.user)
        for index, errors in problems.items():
            for field, messages in errors.items():
                for message in messages:
                    _add_error(forms_with_data[index], field, message)

    def add_non_form_error(self, message: str) -> None:
        self.non_form_errors()
        self._non_form_errors.append(message)

    def member_data(self) -> list[dict[str, Any]]:
        return [form.person_data() for form in self.filled_forms()]


MemberFormSet = formset_factory(MemberForm, formset=BaseMemberFormSet, extra=1, max_num=30, validate_max=True)
MEMBER_FORMSET_INITIAL = [{"relation": c.Relation.HEAD}]


def member_formset(data=None, *, user, add_row: bool = False) -> BaseMemberFormSet:
    """Two rows when empty (the head, and one more). `add_row` re-shows posted data with one more blank
    row, for browsers without htmx."""
    if data is not None and add_row:
        data = data.copy()
        key = "members-TOTAL_FORMS"
        try:
            data[key] = str(min(int(data.get(key, "0")) + 1, 30))
        except ValueError:
            data[key] = "2"
    return MemberFormSet(data, user=user, initial=MEMBER_FORMSET_INITIAL)


def _add_error(form: forms.Form, field: str | None, message: str) -> None:
    if field not in form.fields:
        field = None
    if field is not None and field not in getattr(form, "cleaned_data", {}) and form.has_error(field):
        # the form already said what is wrong with this field
        return
    form.add_error(field, message)


def apply_errors(form: forms.Form, errors: dict[str, list[str]], *, formset: BaseMemberFormSet | None = None) -> None:
    """Put a service's {field: [messages]} on the matching fields of `form` (or of the formset)."""
    for field, messages in errors.items():
        for message in messages:
            if formset is not None and (field == "members" or (field not in form.fields and field in MemberForm.base_fields)):
                if field in MemberForm.base_fields:
                    message = f"{MemberForm.base_fields[field].label}：{message}"
                formset.add_non_form_error(message)
            else:
                _add_error(form, field, message)


# ----------------------------------------------------------------------------- split and merge


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
                                help_text=_("该户全体成员及其收入、财产、支出、类别将并入本户，该户标记为“已合户”。"),
                                error_messages={"required": _("请填写要并入本户的家庭编号"), "invalid": _("家庭编号应为数字")})
    day = forms.DateField(label=_("合户日期"), widget=DateInput, initial=timezone.localdate)


# ----------------------------------------------------------------------------- household rows


class YuanField(forms.CharField):
    """An amount typed in yuan ("1234.50"), cleaned to integer fen."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "size": 10}))
        kwargs.setdefault("error_messages", {"required": _("请填写金额")})
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return yuan_to_fen(value)
        except InvalidAmount as exc:
            raise forms.ValidationError(str(exc)) from None

    def prepare_value(self, value):
        if isinstance(value, int):
            return f"{value / 100:.2f}"
        return value


class HouseholdItemForm(forms.Form):
    """Common part of the income, asset, expense and category forms: the member concerned."""

    kind_name = ""
    person = forms.TypedChoiceField(label=_("相关成员"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, members: list[Person], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", _("（全家）")), *((p.pk, p.name) for p in members)]

    def _check_dates(self, data, start: str, end: str) -> None:
        if data.get(start) and data.get(end) and data[end] < data[start]:
            self.add_error(end, _("截止日期不能早于起始日期"))

    def item_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["person_id"] = data.pop("person", None)
        return data


class DatedMonthlyItemForm(HouseholdItemForm):
    """Income and rigid-expense rows: a monthly amount over a period of validity."""

    valid_from = forms.DateField(label=_("起始日期"), widget=DateInput, error_messages={"required": _("请填写起始日期")})
    valid_to = forms.DateField(label=_("截止日期"), required=False, widget=DateInput)
    note = forms.CharField(label=_("说明"), required=False, max_length=255)
    field_order = ["person", "kind", "monthly_amount_fen", "valid_from", "valid_to", "note"]

    def clean(self):
        data = super().clean()
        self._check_dates(data, "valid_from", "valid_to")
        return data


class IncomeForm(DatedMonthlyItemForm):
    kind_name = "income"
    title = _("收入")
    kind = forms.ChoiceField(label=_("收入类型"), choices=c.IncomeKind.choices)
    monthly_amount_fen = YuanField(label=_("月收入（元）"))


class AssetForm(HouseholdItemForm):
    kind_name = "asset"
    title = _("财产")
    kind = forms.ChoiceField(label=_("财产类型"), choices=c.AssetKind.choices)
    value_fen = YuanField(label=_("价值（元）"))
    quantity = forms.IntegerField(label=_("数量"), min_value=1, initial=1)
    description = forms.CharField(label=_("说明"), required=False, max_length=255)


class ExpenseForm(DatedMonthlyItemForm):
    kind_name = "expense"
    title = _("刚性支出")
    kind = forms.ChoiceField(label=_("刚性支出类型"), choices=c.ExpenseKind.choices)
    monthly_amount_fen = YuanField(label=_("月均支出（元）"))


CLASSIFICATION_CHOICES = [
    (_("类别"), [(f"{c.ClassificationKind.CATEGORY}:{v}", label) for v, label in c.Category.choices]),
    (_("致困原因"), [(f"{c.ClassificationKind.CAUSE}:{v}", label) for v, label in c.Cause.choices]),
]


class ClassificationForm(HouseholdItemForm):
    kind_name = "classification"
    title = _("类别或致困原因")
    code = forms.ChoiceField(label=_("类别或致困原因"), choices=CLASSIFICATION_CHOICES)
    start_date = forms.DateField(label=_("起始日期"), widget=DateInput, initial=timezone.localdate,
                                 error_messages={"required": _("请填写起始日期")})
    end_date = forms.DateField(label=_("终止日期"), required=False, widget=DateInput)

    def clean(self):
        data = super().clean()
        self._check_dates(data, "start_date", "end_date")
        return data

    def item_data(self) -> dict[str, Any]:
        data = super().item_data()
        data["kind"], data["code"] = data.pop("code").split(":", 1)
        return data


ITEM_FORMS: dict[str, type[HouseholdItemForm]] = {
    form.kind_name: form for form in (IncomeForm, AssetForm, ExpenseForm, ClassificationForm)
}

