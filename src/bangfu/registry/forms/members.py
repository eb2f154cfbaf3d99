"""Member forms, the new household's member formset and putting service errors on fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import BaseFormSet, formset_factory
from django.utils.translation import gettext_lazy as _

from .. import choices as c
from .. import services
from ..errors import RegistryError
from ..models import Person
from .common import BLANK, _label
from bangfu.common.widgets import DateInput


def _bool(name: str, label=None) -> forms.BooleanField:
    return forms.BooleanField(label=label or _label(Person, name), required=False, initial=Person._meta.get_field(name).default)


class UnknownYesNo(forms.NullBooleanSelect):
    """未核实 / 是 / 否: a fact not known stays null (it is not "no")."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("unknown", _("未核实")), ("true", _("是")), ("false", _("否"))]


class _UnknownFirstChoice(forms.ChoiceField):
    """A choice whose first option ("未核实") is the default: the browser posts it for a blank new
    member row, a client may post nothing; both leave the row unchanged, so an extra blank row is
    ignored rather than validated."""

    def has_changed(self, initial, data) -> bool:
        default = c.SupportersChecked.UNKNOWN
        return (data or default) != (initial or default)


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
    gugua = forms.NullBooleanField(label=_label(Person, "gugua"), required=False, widget=UnknownYesNo)
    supporters_checked = _UnknownFirstChoice(label=_label(Person, "supporters_checked"), choices=c.SupportersChecked.choices,
                                             required=False)

    SELF_CARE = tuple(name for name, _label_ in c.SELF_CARE_ACTIVITIES)
    MAIN = ("name", "id_number", "relation", "phone", "living_situation", "labor_capacity")
    SCHOOLING = ("schooling_level", "enrolled", "dropped_out")
    DISABILITY = ("disability_suspected", "disability_cert_number", "disability_type", "disability_grade",
                  "disability_issue_date", "disability_last_check")
    SPECIAL = ("is_orphan", "is_unsupported_child", "has_mental_disorder")
    SUPPORT = ("gugua", "supporters_checked")

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

    def support_fields(self):
        return self.field_group(self.SUPPORT)

    def extra_fields(self):
        return self.field_group(("status", "death_date", "hukou_place", "religious_staff_since"))

    def details_open(self) -> bool:
        """Open the folded parts (health, disability, schooling) when they hold an error or a value."""
        names = (*self.SCHOOLING, *self.DISABILITY, *self.SPECIAL, "major_illnesses")
        if self.is_bound and any(name in self.errors for name in (*names, *self.SUPPORT)):
            return True
        return any(self[name].value() not in (None, "", [], False) for name in names)

    def person_data(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k in services.PERSON_FIELDS or k == "id_number"}
        if not data.get("supporters_checked"):
            data.pop("supporters_checked", None)  # not posted: keep what is recorded
        return data


class PersonForm(MemberForm):
    """Editing one person. The ID number is not shown in full: a new one is typed, or left blank."""

    status = forms.ChoiceField(label=_label(Person, "status"), choices=c.PersonStatus.choices)
    death_date = forms.DateField(label=_label(Person, "death_date"), required=False, widget=DateInput,
                                 help_text=_("状态为“已死亡”时填写；不知道确切日期的留空，按登记当天计"))
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
