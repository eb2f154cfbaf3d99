"""Registry API (django-ninja, mounted at /api/ with session auth; schema at /api/openapi.json).

Same rules as the pages: every read is scoped (selectors / accounts.access), ID numbers and phones
are masked, opening one household is logged (VIEW_RECORD), bad input answers 422 with Chinese
messages keyed by field ("village", "members.1.id_number", …) and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema, Status

from bangfu.common import api_errors
from bangfu.common.errors import CommonErrorCode, error_body
from bangfu.accounts.access import NotFound
from bangfu.accounts.permissions import check_perm
from bangfu.common.idnumber import mask_id_number, mask_phone
from bangfu.common.models import AccessLog, log_access
from bangfu.regions.choices import Level

from . import permissions
from . import choices as c
from . import selectors, services
from .errors import RegistryError
from .forms import check_members, scoped_regions
from .models import Household, Person, Supporter
from .selectors import member_counts

router = Router(tags=["registry"])

NOT_SAVED = _("输入有误，未保存")


# ----------------------------------------------------------------------------- schemas


ErrorOut = api_errors.ErrorOut  # the project's one error schema


class HouseholdRowOut(Schema):
    id: int
    head_name: str | None
    head_id_number: str = Field(description="脱敏身份证号，如 3401**********123X")
    head_phone: str = Field(description="脱敏电话，如 138****5678")
    village_code: str
    village_name: str
    member_count: int
    categories: list[c.Category]
    housing_safety: c.HousingSafety
    status: c.HouseholdStatus


class HouseholdPageOut(Schema):
    items: list[HouseholdRowOut]
    next_before: int | None = Field(description="下一页：以此值作为 before 参数再次请求；为空表示没有更多")


class MemberOut(Schema):
    id: int
    name: str
    id_number: str = Field(description="脱敏身份证号")
    sex: c.Sex
    age: int
    relation: c.Relation
    status: c.PersonStatus
    phone: str = Field(description="脱敏电话")
    living_situation: c.LivingSituation
    labor_capacity: c.LaborCapacity
    unable_activities: int = Field(description="六项日常生活活动中不能自理的项数")
    schooling_level: c.SchoolingLevel | None
    enrolled: bool
    dropped_out: bool
    major_illnesses: list[str]
    disability_suspected: bool
    disability_type: c.DisabilityType | None
    disability_grade: c.DisabilityGrade | None
    is_orphan: bool
    is_unsupported_child: bool
    has_mental_disorder: bool
    gugua: bool | None = Field(description="孤寡：true/false；null 表示未核实（不按孤寡认定）")
    supporters_checked: c.SupportersChecked = Field(description="户外法定义务人是否已核实")
    death_date: dt.date | None


class SupporterOut(Schema):
    id: int
    person_id: int = Field(description="被扶养人（本户成员）")
    duty: c.SupportDuty
    relation: c.SupporterRelation
    name: str
    id_number: str = Field(description="脱敏身份证号；未登记为空")
    birth_date: dt.date | None
    on_dibao: bool
    on_tekun: bool
    income_below_disposable: bool
    severe_disability: bool
    no_civil_capacity: bool
    capacity: c.SupporterCapacity
    note: str


class IncomeOut(Schema):
    id: int
    person_id: int | None
    kind: c.IncomeKind
    monthly_amount_fen: int
    valid_from: dt.date
    valid_to: dt.date | None
    note: str


class AssetOut(Schema):
    id: int
    person_id: int | None
    kind: c.AssetKind
    value_fen: int
    quantity: int
    description: str


class ExpenseOut(Schema):
    id: int
    person_id: int | None
    kind: c.ExpenseKind
    monthly_amount_fen: int
    valid_from: dt.date
    valid_to: dt.date | None
    note: str


class ClassificationOut(Schema):
    id: int
    person_id: int | None
    kind: c.ClassificationKind
    code: str
    label: str
    start_date: dt.date
    end_date: dt.date | None


class HouseholdOut(Schema):
    id: int
    village_code: str
    village_name: str
    address: str
    hukou_type: c.HukouType
    housing_safety: c.HousingSafety
    local_hukou: bool
    family_planning_two_daughters: bool
    status: c.HouseholdStatus
    head_id: int | None
    merged_into_id: int | None
    split_from_id: int | None
    created_at: dt.datetime
    updated_at: dt.datetime
    members: list[MemberOut]
    incomes: list[IncomeOut]
    assets: list[AssetOut]
    expenses: list[ExpenseOut]
    classifications: list[ClassificationOut]
    supporters: list[SupporterOut]


class HouseholdQuery(Schema):
    q: str = Field("", max_length=32, description="姓名（开头）、完整身份证号或其末几位")
    village: str = Field("", max_length=12, description="村（社区）或乡镇的区划代码（12位）")
    category: c.Category | None = None
    status: c.HouseholdStatus | Literal["all"] = c.HouseholdStatus.ACTIVE
    before: int | None = Field(None, ge=1, description="翻页：上一页返回的 next_before")


class MemberIn(Schema):
    name: str = Field(max_length=64)
    id_number: str = Field(max_length=24)
    relation: c.Relation = c.Relation.OTHER
    phone: str = Field("", max_length=20)
    hukou_place: str = Field("", max_length=255)
    living_situation: c.LivingSituation = c.LivingSituation.WITH_FAMILY
    labor_capacity: c.LaborCapacity = c.LaborCapacity.FULL
    can_eat: bool = True
    can_dress: bool = True
    can_get_up: bool = True
    can_toilet: bool = True
    can_walk_indoors: bool = True
    can_bathe: bool = True
    schooling_level: c.SchoolingLevel | None = None
    enrolled: bool = False
    dropped_out: bool = False
    major_illnesses: list[c.MajorIllness] = Field(default_factory=list)
    disability_suspected: bool = False
    disability_cert_number: str = Field("", max_length=32)
    disability_type: c.DisabilityType | None = None
    disability_grade: c.DisabilityGrade | None = None
    disability_issue_date: dt.date | None = None
    disability_last_check: dt.date | None = None
    is_orphan: bool = False
    is_unsupported_child: bool = False
    has_mental_disorder: bool = False
    gugua: bool | None = Field(None, description="孤寡；null（默认）表示未核实")
    supporters_checked: c.SupportersChecked = c.SupportersChecked.UNKNOWN

    def service_data(self) -> dict[str, Any]:
        data = self.dict()
        for key in ("schooling_level", "disability_type"):
            data[key] = data[key] or ""
        data["major_illnesses"] = [str(i.value if hasattr(i, "value") else i) for i in data["major_illnesses"]]
        if data["disability_grade"] is not None:
            data["disability_grade"] = int(data["disability_grade"])
        return data


class PersonPatchIn(Schema):
    """The facts of a person the rules read that change after registration; a field left out of
    the request stays as recorded (other details are changed on the household page)."""

    status: c.PersonStatus | None = Field(None, description="状态；记录死亡时为 deceased，并可填 death_date")
    death_date: dt.date | None = Field(None, description="死亡日期；仅状态为 deceased 时填写，不能晚于今天")
    gugua: bool | None = Field(None, description="孤寡；null 表示未核实")
    supporters_checked: c.SupportersChecked | None = None


class HouseholdPatchIn(Schema):
    """Household facts; a field left out of the request stays as recorded."""

    address: str | None = Field(None, max_length=255)
    hukou_type: c.HukouType | None = None
    housing_safety: c.HousingSafety | None = None
    local_hukou: bool | None = Field(None, description="持有当地常住户口")
    family_planning_two_daughters: bool | None = Field(None, description="计生二女结扎户")
    note: str | None = None


class SupporterIn(Schema):
    duty: c.SupportDuty
    relation: c.SupporterRelation
    name: str = Field(max_length=64)
    id_number: str = Field("", max_length=24, description="可不填；填写的须是有效的身份证号码，出生日期按号码")
    birth_date: dt.date | None = None
    on_dibao: bool = False
    on_tekun: bool = False
    income_below_disposable: bool = False
    severe_disability: bool = False
    no_civil_capacity: bool = False
    capacity: c.SupporterCapacity = c.SupporterCapacity.FACTS
    note: str = Field("", max_length=255)


class HouseholdIn(Schema):
    village: str = Field(max_length=12, description="所在村（社区）的12位区划代码，须在本人辖区内")
    address: str = Field("", max_length=255)
    hukou_type: c.HukouType = c.HukouType.RURAL
    housing_safety: c.HousingSafety = c.HousingSafety.UNKNOWN
    local_hukou: bool = Field(True, description="持有当地常住户口")
    family_planning_two_daughters: bool = Field(False, description="计生二女结扎户")
    note: str = ""
    members: list[MemberIn] = Field(description="家庭成员；须有且只有一名关系为 head（户主）")


# ----------------------------------------------------------------------------- helpers


def _row(household: Household, counts: dict[int, int]) -> dict[str, Any]:
    head = household.head
    return {
        "id": household.pk,
        "head_name": head.name if head else None,
        "head_id_number": mask_id_number(head.id_number) if head else "",
        "head_phone": mask_phone(head.phone) if head else "",
        "village_code": household.region_code,
        "village_name": household.region.name,
        "member_count": counts.get(household.pk, 0),
        "categories": [cl.code for cl in household.classifications.all()],
        "housing_safety": household.housing_safety,
        "status": household.status,
    }


def _member(person: Person, today: dt.date) -> dict[str, Any]:
    return {
        "id": person.pk, "name": person.name, "id_number": mask_id_number(person.id_number), "sex": person.sex,
        "age": person.age_on(today), "relation": person.relation, "status": person.status, "phone": mask_phone(person.phone),
        "living_situation": person.living_situation, "labor_capacity": person.labor_capacity,
        "unable_activities": person.unable_activities, "schooling_level": person.schooling_level or None,
        "enrolled": person.enrolled, "dropped_out": person.dropped_out, "major_illnesses": list(person.major_illnesses or []),
        "disability_suspected": person.disability_suspected, "disability_type": person.disability_type or None,
        "disability_grade": person.disability_grade, "is_orphan": person.is_orphan,
        "is_unsupported_child": person.is_unsupported_child, "has_mental_disorder": person.has_mental_disorder,
        "gugua": person.gugua, "supporters_checked": person.supporters_checked, "death_date": person.death_date,
    }


def _supporter(row: Supporter) -> dict[str, Any]:
    # masked like every person's number in the API; the full number is shown on the page, logged
    return {"id": row.pk, "person_id": row.person_id, "duty": row.duty, "relation": row.relation, "name": row.name,
            "id_number": mask_id_number(row.id_number) if row.id_number else "", "birth_date": row.birth_date,
            "on_dibao": row.on_dibao, "on_tekun": row.on_tekun, "income_below_disposable": row.income_below_disposable,
            "severe_disability": row.severe_disability, "no_civil_capacity": row.no_civil_capacity,
            "capacity": row.capacity, "note": row.note}


def _detail(household: Household) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "id": household.pk, "village_code": household.region_code, "village_name": household.region.name,
        "address": household.address, "hukou_type": household.hukou_type, "housing_safety": household.housing_safety,
        "local_hukou": household.local_hukou, "family_planning_two_daughters": household.family_planning_two_daughters,
        "status": household.status, "head_id": household.head_id, "merged_into_id": household.merged_into_id,
        "split_from_id": household.split_from_id, "created_at": household.created_at, "updated_at": household.updated_at,
        "members": [_member(p, today) for p in selectors.household_members(household)],
        "incomes": list(household.incomeitems.order_by("pk")),
        "assets": list(household.assets.order_by("pk")),
        "expenses": list(household.rigidexpenses.order_by("pk")),
        "classifications": [_classification(row) for row in household.classifications.order_by("pk")],
        "supporters": [_supporter(row) for row in household.supporters.order_by("pk")],
    }


def _classification(row) -> dict[str, Any]:
    # the label is a lazy translation: made a str here, in the request's language (a lazy object
    # reaching the response schema was a 500)
    return {"id": row.pk, "person_id": row.person_id, "kind": row.kind, "code": row.code, "label": str(row.label),
            "start_date": row.start_date, "end_date": row.end_date}


def _error(detail, errors: dict[str, list[str]] | None = None, *, code=CommonErrorCode.INVALID) -> dict[str, Any]:
    return error_body(code=code, message=detail, errors=errors)


# ----------------------------------------------------------------------------- endpoints


@router.get("/households", response={200: HouseholdPageOut, 403: ErrorOut, 422: ErrorOut}, summary="家庭列表（按辖区，脱敏，分页）")
def household_list(request: HttpRequest, filters: Query[HouseholdQuery]):
    check_perm(request.user, permissions.VIEW_HOUSEHOLDS)
    status = "" if filters.status == "all" else str(filters.status)
    flt = selectors.HouseholdFilter(q=filters.q, village=filters.village, category=str(filters.category or ""), status=status)
    rows, next_before = selectors.household_page(request.user, flt, before=filters.before)
    counts = member_counts([h.pk for h in rows])
    return {"items": [_row(h, counts) for h in rows], "next_before": next_before}


@router.get("/households/{int:household_id}", response={200: HouseholdOut, 403: ErrorOut, 404: ErrorOut}, summary="家庭档案（成员身份证号脱敏；查看记入日志）")
def household_detail(request: HttpRequest, household_id: int):
    check_perm(request.user, permissions.VIEW_HOUSEHOLDS)
    household = selectors.household_get(request.user, household_id)
    log_access(acting_user=request.user, action=AccessLog.Action.VIEW_RECORD, object_type="household", object_id=household.pk,
               region_code=household.region_code, detail=f"API 家庭档案 {household.pk}", request=request)
    return _detail(household)


def _unstorable_text(data: Any, path: str = "") -> dict[str, list[str]]:
    """Fields whose text no database can store: a NUL character (PostgreSQL refuses it) or a lone
    UTF-16 surrogate (not encodable as UTF-8). Refused as a 422 instead of a server error."""
    found: dict[str, list[str]] = {}
    if isinstance(data, str):
        try:
            data.encode("utf-8")
            bad = "\x00" in data
        except UnicodeEncodeError:
            bad = True
        if bad:
            found[path or "body"] = [gettext("含有无法保存的字符")]
    elif isinstance(data, dict):
        for key, value in data.items():
            found.update(_unstorable_text(value, f"{path}.{key}" if path else str(key)))
    elif isinstance(data, list | tuple):
        for index, value in enumerate(data):
            found.update(_unstorable_text(value, f"{path}.{index}" if path else str(index)))
    return found


@router.post("/households", response={201: HouseholdOut, 403: ErrorOut, 422: ErrorOut}, summary="新建家庭档案")
def household_create(request: HttpRequest, payload: HouseholdIn):
    check_perm(request.user, permissions.EDIT)
    if bad := _unstorable_text(payload.dict()):
        return Status(422, _error(NOT_SAVED, bad))
    errors: dict[str, list[str]] = {}
    village = scoped_regions(request.user, [Level.VILLAGE]).filter(code=payload.village.strip()).first()
    if village is None:
        errors["village"] = [gettext("请选择您辖区内的村（社区）（12位区划代码）")]
    members = [m.service_data() for m in payload.members]
    for index, problems in check_members(members, viewer=request.user).items():
        for field, messages in problems.items():
            errors[f"members.{index}.{field}"] = messages
    for index, data in enumerate(members):
        if not data["name"].strip():
            errors.setdefault(f"members.{index}.name", []).append(gettext("请填写姓名"))
    if not errors:
        try:
            household = services.household_create(
                acting_user=request.user, region_id=village.pk, members=members, address=payload.address,
                hukou_type=payload.hukou_type, housing_safety=payload.housing_safety, note=payload.note,
                local_hukou=payload.local_hukou, family_planning_two_daughters=payload.family_planning_two_daughters)
        except RegistryError as exc:
            for field, messages in exc.errors.items():
                key = {"region": "village", "__all__": "__all__"}.get(field, field if field in HouseholdIn.model_fields else "members")
                errors.setdefault(key, []).extend(messages)
        else:
            household = selectors.household_get(request.user, household.pk)
            return Status(201, _detail(household))
    return Status(422, _error(NOT_SAVED, errors))


@router.patch("/households/{int:household_id}", response={200: HouseholdOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
              summary="修改家庭信息（户籍、计生二女结扎户等）")
def household_patch(request: HttpRequest, household_id: int, payload: HouseholdPatchIn):
    check_perm(request.user, permissions.EDIT)
    data = payload.dict(exclude_unset=True)
    if bad := _unstorable_text(data):
        return Status(422, _error(NOT_SAVED, bad))
    nulls = [k for k, v in data.items() if v is None]
    if nulls:
        return Status(422, _error(NOT_SAVED, {k: [gettext("不能为空")] for k in nulls}))
    try:
        services.household_update(acting_user=request.user, household_id=household_id, **data)
    except RegistryError as exc:
        return _refused(exc)
    return _detail(selectors.household_get(request.user, household_id))


def _person(request: HttpRequest, person_id: int) -> Person:
    """The person `person_id` if the viewer may read the registry there; 404 alike otherwise."""
    check_perm(request.user, permissions.VIEW_HOUSEHOLDS)
    return selectors.person_get(request.user, person_id)


def _refused(exc: RegistryError) -> Status:
    """A service's refusal in the API's error format: 422 keyed by field, nothing saved."""
    return Status(422, _error(NOT_SAVED, {k: [str(m) for m in v] for k, v in exc.errors.items()}))


@router.patch("/persons/{int:person_id}", response={200: MemberOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
              summary="修改人员状态、死亡日期、孤寡与户外义务人核实情况")
def person_patch(request: HttpRequest, person_id: int, payload: PersonPatchIn):
    """Through services.person_update, as the person form: the same checks (a death date needs the
    status 已死亡 and cannot be in the future or before birth), the same history row, and a death
    recorded here stops benefits as one recorded on the page does."""
    check_perm(request.user, permissions.EDIT)
    data = payload.dict(exclude_unset=True)
    if "status" in data and data["status"] is None:
        return Status(422, _error(NOT_SAVED, {"status": [gettext("取值无效")]}))
    if "supporters_checked" in data and data["supporters_checked"] is None:
        return Status(422, _error(NOT_SAVED, {"supporters_checked": [gettext("取值无效")]}))
    try:
        person = services.person_update(acting_user=request.user, person_id=person_id, data=data)
    except RegistryError as exc:
        return _refused(exc)
    return _member(person, timezone.localdate())


@router.get("/persons/{int:person_id}/supporters", response={200: list[SupporterOut], 403: ErrorOut, 404: ErrorOut},
            summary="户外法定义务人（身份证号脱敏；查看记入日志）")
def supporter_list(request: HttpRequest, person_id: int):
    person = _person(request, person_id)
    rows = list(Supporter.objects.filter(person=person).order_by("pk"))
    log_access(acting_user=request.user, action=AccessLog.Action.VIEW_RECORD, object_type="person", object_id=person.pk,
               region_code=person.region_code, detail=f"API 户外法定义务人 {person.pk}", request=request)
    return [_supporter(row) for row in rows]


@router.post("/persons/{int:person_id}/supporters", response={201: SupporterOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
             summary="登记户外法定义务人")
def supporter_add(request: HttpRequest, person_id: int, payload: SupporterIn):
    """Through services.item_add, as the page: the person's 户外法定义务人 becomes 已登记, history
    rows carry the user."""
    check_perm(request.user, permissions.EDIT)
    person = _person(request, person_id)
    if bad := _unstorable_text(payload.dict()):
        return Status(422, _error(NOT_SAVED, bad))
    if person.household_id is None:
        return Status(422, _error(NOT_SAVED, {"__all__": [gettext("该人员不在任何家庭中，不能登记户外法定义务人")]}))
    data = payload.dict()
    data["person_id"] = person.pk
    try:
        row = services.item_add(acting_user=request.user, household_id=person.household_id, kind="supporter", data=data)
    except RegistryError as exc:
        return _refused(exc)
    return Status(201, _supporter(row))


@router.delete("/persons/{int:person_id}/supporters/{int:supporter_id}", response={204: None, 403: ErrorOut, 404: ErrorOut},
               summary="删除户外法定义务人")
def supporter_delete(request: HttpRequest, person_id: int, supporter_id: int):
    check_perm(request.user, permissions.EDIT)
    person = _person(request, person_id)
    if not Supporter.objects.filter(pk=supporter_id, person=person).exists():
        raise NotFound()
    services.item_delete(acting_user=request.user, kind="supporter", item_id=supporter_id)
    return Status(204, None)


# ----------------------------------------------------------------------------- Chinese validation errors

_MESSAGES = {
    "missing": _("必填"),
    "string_type": _("应为文字"),
    "string_too_long": _("太长"),
    "int_type": _("应为整数"),
    "int_parsing": _("应为整数"),
    "greater_than_equal": _("数值太小"),
    "bool_type": _("应为 true 或 false"),
    "bool_parsing": _("应为 true 或 false"),
    "date_type": _("日期格式应为 YYYY-MM-DD"),
    "date_parsing": _("日期格式应为 YYYY-MM-DD"),
    "date_from_datetime_parsing": _("日期格式应为 YYYY-MM-DD"),
    "list_type": _("应为列表"),
    "dict_type": _("应为对象"),
    "model_attributes_type": _("应为对象"),
    "json_invalid": _("请求内容不是有效的 JSON"),
}


def chinese_validation_errors(request: HttpRequest, exc) -> JsonResponse:
    """Handler for ninja.errors.ValidationError that answers like the endpoints do: 422 with
    Chinese messages keyed by field. Register it on the NinjaAPI (api_urls.py):
    `api.add_exception_handler(ninja.errors.ValidationError, chinese_validation_errors)`."""
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", ())]
        if loc and loc[0] in ("body", "query", "path", "form", "header", "cookie"):
            loc = loc[1:]
        if loc and loc[0] in ("payload", "filters"):
            loc = loc[1:]
        key = ".".join(loc) or "__all__"
        kind = error.get("type", "")
        if kind in ("enum", "literal_error"):
            expected = (error.get("ctx") or {}).get("expected", "")
            message = gettext("取值无效，可选：%(expected)s") % {"expected": expected} if expected else gettext("取值无效")
        else:
            message = str(_MESSAGES.get(kind, _("格式不正确")))
        errors.setdefault(key, []).append(message)
    return JsonResponse(_error(NOT_SAVED, errors), status=422, json_dumps_params={"ensure_ascii": False})
