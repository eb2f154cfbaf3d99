"""Writes to the registry (R3). Each takes the acting user, runs in one transaction, locks the
rows it changes and leaves history rows (django-simple-history) with the user as author.

Scoping: a service refuses a household or region outside the acting user's subtree with the same
"not found" a missing record gives (accounts.access).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.accounts.permissions import check_perm
from bangfu.accounts.access import NotFound, access_by_id, in_scope
from bangfu.common.idnumber import InvalidIdNumber, parse_id_number
from bangfu.regions.choices import Level
from bangfu.regions.models import Region

from . import permissions
from . import choices as c
from . import moves
from .errors import DuplicatePerson, RegistryError
from .models import Asset, Classification, Household, IncomeItem, Membership, Person, RigidExpense, Supporter
from .signals import person_died

PERSON_FIELDS = (
    "name", "relation", "phone", "hukou_place", "living_situation", "labor_capacity",
    "can_eat", "can_dress", "can_get_up", "can_toilet", "can_walk_indoors", "can_bathe",
    "schooling_level", "enrolled", "dropped_out", "major_illnesses", "disability_suspected",
    "disability_cert_number", "disability_type", "disability_grade", "disability_issue_date",
    "disability_last_check", "is_orphan", "is_unsupported_child", "has_mental_disorder",
    "religious_staff_since", "status", "death_date", "gugua", "supporters_checked",
)
HOUSEHOLD_FIELDS = ("address", "hukou_type", "housing_safety", "local_hukou", "family_planning_two_daughters", "note")
MAJOR_ILLNESS_CODES = frozenset(c.MajorIllness.values)  # .values builds a new list on each access


def _stamp(obj, user) -> None:
    # simple-history reads the author from here when no request is at hand (CLI, tasks).
    obj._history_user = user


def _village(user, region_id) -> Region:
    try:
        region = Region.objects.get(pk=region_id, level=Level.VILLAGE)
    except (Region.DoesNotExist, ValueError, TypeError):
        raise RegistryError({"region": [_("请选择所在村（社区）")]}) from None
    if not in_scope(user, region.code):
        raise RegistryError({"region": [_("请选择所在村（社区）")]})
    return region


def validate_person_data(data: dict[str, Any]) -> dict[str, list[str]]:
    """Field-level checks shared by forms, imports and the API. Returns {field: [messages]}."""
    errors: dict[str, list[str]] = {}
    grade = data.get("disability_grade")
    has_cert = bool(data.get("disability_cert_number"))
    if grade not in (None, "") and not data.get("disability_type"):
        errors.setdefault("disability_type", []).append(_("填写了残疾等级，须同时填写残疾类别"))
    if has_cert and grade in (None, ""):
        errors.setdefault("disability_grade", []).append(_("有残疾证的，须填写残疾等级（1–4级）"))
    if has_cert and data.get("disability_suspected"):
        errors.setdefault("disability_suspected", []).append(_("已有残疾证的，不能同时标记为“疑似残疾未办证”"))
    issue, check = data.get("disability_issue_date"), data.get("disability_last_check")
    if issue and check and check < issue:
        errors.setdefault("disability_last_check", []).append(_("最近年审日期不能早于发证日期"))
    illnesses = data.get("major_illnesses") or []
    unknown = [i for i in illnesses if i not in MAJOR_ILLNESS_CODES]
    if unknown:
        errors.setdefault("major_illnesses", []).append(_("未知的重大疾病：%(unknown)s") % {"unknown": _("、").join(unknown)})
    death = data.get("death_date")
    if death and (data.get("status") or c.PersonStatus.ACTIVE) != c.PersonStatus.DECEASED:
        errors.setdefault("death_date", []).append(_("只有状态为“已死亡”时才填写死亡日期"))
    elif death and death > timezone.localdate():
        errors.setdefault("death_date", []).append(_("死亡日期不能晚于今天"))
    if data.get("dropped_out") and data.get("enrolled"):
        errors.setdefault("dropped_out", []).append(_("不能同时为“在校”和“辍学”"))
    phone = (data.get("phone") or "").strip()
    if phone and not (phone.replace("-", "").isdigit() and 7 <= len(phone.replace("-", "")) <= 12):
        errors.setdefault("phone", []).append(_("电话号码应为7–12位数字"))
    return errors


def check_id_number(raw: str, *, viewer, exclude_person_id: int | None = None) -> tuple[str, dt.date, str]:
    """Validate an ID number and make sure no other active person holds it.

    A duplicate in another region is reported without saying where (issue 2 §4)."""
    try:
        info = parse_id_number(raw)
    except InvalidIdNumber as exc:
        raise RegistryError({"id_number": [str(exc)]}) from None
    other = Person.objects.filter(id_number=info.number).exclude(pk=exclude_person_id).only("pk", "region_code", "household_id").first()
    if other is not None:
        if in_scope(viewer, other.region_code) and other.household_id:
            raise DuplicatePerson({"id_number": [_("该身份证号码已登记在本辖区家庭（编号 %(household_id)s）中，一人只能在一个家庭") % {"household_id": other.household_id}]})
        raise DuplicatePerson({"id_number": [_("该身份证号码已在系统中登记，一人只能在一个家庭；如需迁入，请联系上级民政部门核实")]})
    return info.number, info.birth_date, info.sex


@transaction.atomic
def household_create(*, acting_user, region_id, members: Iterable[dict[str, Any]], start_date: dt.date | None = None,
                     reason: str = c.MembershipReason.CREATED, **fields) -> Household:
    """Create a household with its members; the member whose relation is "head" becomes the head."""
    check_perm(acting_user, permissions.EDIT)
    region = _village(acting_user, region_id)
    members = list(members)
    if not members:
        raise RegistryError({"members": [_("家庭至少要有一名成员")]})
    heads = [m for m in members if m.get("relation") == c.Relation.HEAD]
    if len(heads) != 1:
        raise RegistryError({"members": [_("须有且只有一名成员的关系为“户主”")]})
    household = Household(region=region, region_code=region.code, **{k: v for k, v in fields.items() if k in HOUSEHOLD_FIELDS})
    _stamp(household, acting_user)
    household.save()
    for data in members:
        person = _person_add(acting_user=acting_user, household=household, data=data, start_date=start_date, reason=reason)
        if data.get("relation") == c.Relation.HEAD:
            household.head = person
    _stamp(household, acting_user)
    household.save(update_fields=["head"])
    return household


def _person_add(*, acting_user, household: Household, data: dict[str, Any], start_date, reason) -> Person:
    errors = validate_person_data(data)
    try:
        number, birth, sex = check_id_number(data.get("id_number", ""), viewer=acting_user)
    except RegistryError as exc:
        errors.update(exc.errors)
        if isinstance(exc, DuplicatePerson):
            raise DuplicatePerson(errors) from None
    if not (data.get("name") or "").strip():
        errors.setdefault("name", []).append(_("请填写姓名"))
    if errors:
        raise RegistryError(errors)
    person = Person(household=household, region_code=household.region_code, id_number=number, birth_date=birth, sex=sex,
                    **{k: data[k] for k in PERSON_FIELDS if k in data})
    person.name = person.name.strip()
    _stamp(person, acting_user)
    person.save()
    Membership.objects.create(person=person, household=household, region_code=household.region_code, relation=person.relation,
                              start_date=start_date or timezone.localdate(), start_reason=reason)
    return person


@transaction.atomic
def person_add(*, acting_user, household_id: int, data: dict[str, Any], start_date: dt.date | None = None) -> Person:
    check_perm(acting_user, permissions.EDIT)
    household = access_by_id(acting_user, Household.objects.select_for_update(), household_id)
    if household.status != c.HouseholdStatus.ACTIVE:
        raise RegistryError(_("该家庭已不在册，不能增加成员"))
    if data.get("relation") == c.Relation.HEAD and household.head_id:
        raise RegistryError({"relation": [_("该家庭已有户主")]})
    person = _person_add(acting_user=acting_user, household=household, data=data, start_date=start_date, reason=c.MembershipReason.ADDED)
    if data.get("relation") == c.Relation.HEAD:
        household.head = person
        _stamp(household, acting_user)
        household.save(update_fields=["head"])
    return person


@transaction.atomic
def person_update(*, acting_user, person_id: int, data: dict[str, Any]) -> Person:
    """Change a person's details. A new ID number is re-validated; sex and birth follow it."""
    check_perm(acting_user, permissions.EDIT)
    person = access_by_id(acting_user, Person.objects.select_for_update(), person_id)
    merged = {f: getattr(person, f) for f in PERSON_FIELDS} | {k: v for k, v in data.items() if k in PERSON_FIELDS}
    errors = validate_person_data(merged)
    if "id_number" in data and data["id_number"] != person.id_number:
        try:
            person.id_number, person.birth_date, person.sex = check_id_number(data["id_number"], viewer=acting_user, exclude_person_id=person.pk)
        except RegistryError as exc:
            errors.update(exc.errors)
    if not (merged.get("name") or "").strip():
        errors.setdefault("name", []).append(_("请填写姓名"))
    if errors:
        raise RegistryError(errors)
    if data.get("relation") == c.Relation.HEAD and person.relation != c.Relation.HEAD and person.household_id:
        household = Household.objects.select_for_update().get(pk=person.household_id)
        if household.head_id and household.head_id != person.pk:
            raise RegistryError({"relation": [_("该家庭已有户主，请先更改原户主的关系")]})
    was_deceased = person.status == c.PersonStatus.DECEASED
    for field in PERSON_FIELDS:
        if field in data:
            setattr(person, field, data[field])
    _stamp(person, acting_user)
    if person.death_date and person.death_date < person.birth_date:
        raise RegistryError({"death_date": [_("死亡日期不能早于出生日期")]})
    if person.status != c.PersonStatus.DECEASED:
        person.death_date = None
    person.save()
    if person.status == c.PersonStatus.DECEASED and not was_deceased:
        person_died.send(sender=Person, person=person, died_on=person.death_date or timezone.localdate(), acting_user=acting_user)
    return person


@transaction.atomic
def household_update(*, acting_user, household_id: int, **fields) -> Household:
    check_perm(acting_user, permissions.EDIT)
    household = access_by_id(acting_user, Household.objects.select_for_update(), household_id)
    if "region_id" in fields and fields["region_id"] != household.region_id:
        region = _village(acting_user, fields["region_id"])
        old_region_code = household.region_code
        household.region = region
        household.region_code = region.code
        # every row about the household, in every app, moves with it (registry/moves.py)
        moves.household_move(acting_user=acting_user, household=household, old_region_code=old_region_code)
    for key in HOUSEHOLD_FIELDS:
        if key in fields:
            setattr(household, key, fields[key])
    _stamp(household, acting_user)
    household.save()
    return household


@transaction.atomic
def household_change_head(*, acting_user, household_id: int, person_id: int, former_head_relation: str = c.Relation.OTHER) -> Household:
    """Make another member the head (户主变更); the former head takes `former_head_relation`."""
    check_perm(acting_user, permissions.EDIT)
    household = access_by_id(acting_user, Household.objects.select_for_update(), household_id)
    members = {p.pk: p for p in Person.objects.select_for_update().filter(household=household).order_by("pk")}
    if person_id not in members:
        raise RegistryError({"head": [_("新户主须是本家庭成员")]})
    if former_head_relation not in c.Relation.values or former_head_relation == c.Relation.HEAD:
        raise RegistryError({"relation": [_("请选择原户主与新户主的关系")]})
    former = members.get(household.head_id)
    if former is not None and former.pk != person_id:
        former.relation = former_head_relation
        _stamp(former, acting_user)
        former.save()
    new_head = members[person_id]
    new_head.relation = c.Relation.HEAD
    _stamp(new_head, acting_user)
    new_head.save()
    household.head = new_head
    _stamp(household, acting_user)
    household.save()
    return household


ITEM_MODELS = {"income": IncomeItem, "asset": Asset, "expense": RigidExpense, "classification": Classification,
               "supporter": Supporter}


@transaction.atomic
def item_add(*, acting_user, household_id: int, kind: str, data: dict[str, Any]):
    """Add an income, asset, rigid-expense, category/cause or outside-supporter row to a household."""
    check_perm(acting_user, permissions.EDIT)
    household = access_by_id(acting_user, Household.objects.select_for_update(), household_id)
    model = ITEM_MODELS[kind]
    person_id = data.pop("person_id", None)
    if person_id is not None and not household.members.filter(pk=person_id).exists():
        raise RegistryError({"person": [_("该人员不是本家庭成员")]})
    if kind == "supporter":
        data = _supporter_data(person_id, data)
    item = model(household=household, person_id=person_id, region_code=household.region_code, **data)
    _stamp(item, acting_user)
    item.save()
    if kind == "supporter":
        # a recorded supporter answers "were the supporters checked?"
        person = Person.objects.select_for_update().get(pk=person_id)
        if person.supporters_checked != c.SupportersChecked.RECORDED:
            person.supporters_checked = c.SupportersChecked.RECORDED
            _stamp(person, acting_user)
            person.save()
    return item


def _supporter_data(person_id: int | None, data: dict[str, Any]) -> dict[str, Any]:
    """A supporter row: a member supported, a valid ID number when one is given (its birth date
    wins over a typed one), and no capacity code outside the list."""
    if person_id is None:
        raise RegistryError({"person": [_("请选择被扶养人")]})
    data = dict(data)
    raw = (data.get("id_number") or "").strip()
    if raw:
        try:
            info = parse_id_number(raw)
        except InvalidIdNumber as exc:
            raise RegistryError({"id_number": [str(exc)]}) from None
        data["id_number"], data["birth_date"] = info.number, info.birth_date
    if not (data.get("name") or "").strip():
        raise RegistryError({"name": [_("请填写姓名")]})
    if data.get("capacity", "") not in c.SupporterCapacity.values:
        raise RegistryError({"capacity": [_("履行义务能力的值无效")]})
    return data


@transaction.atomic
def item_delete(*, acting_user, kind: str, item_id: int) -> None:
    check_perm(acting_user, permissions.EDIT)
    item = access_by_id(acting_user, ITEM_MODELS[kind].objects.select_for_update(), item_id)
    _stamp(item, acting_user)
    item.delete()


@transaction.atomic
def classification_set(*, acting_user, household: Household, code: str, start_date: dt.date, monthly_amount_fen: int | None,
                       person_id: int | None = None) -> Classification | None:
    """From `start_date` on, the household (or its member `person_id`) holds the category `code`
    at `monthly_amount_fen` a month, or no longer holds it when that is None. Categories are dated
    rows (R3), so the engine reads the right amount on any day: rows of the category still in force
    on `start_date` end there (a row starting later ends where it starts: it never applied).

    Called by the app that decides benefits (benefits.benefit_grant/benefit_change), which has checked the
    acting user's right to decide; so no registry permission is asked here. The rows are locked
    and each change leaves a history row with the acting user as author."""
    from django.db.models import Q

    rows = (Classification.objects.select_for_update()
            .filter(household_id=household.pk, person_id=person_id, kind=c.ClassificationKind.CATEGORY, code=code)
            .filter(Q(end_date__isnull=True) | Q(end_date__gt=start_date)).order_by("pk"))
    for row in rows:
        row.end_date = max(start_date, row.start_date)
        _stamp(row, acting_user)
        row.save()
    if monthly_amount_fen is None:
        return None
    row = Classification(household=household, person_id=person_id, kind=c.ClassificationKind.CATEGORY, code=code,
                         monthly_amount_fen=monthly_amount_fen, start_date=start_date)
    _stamp(row, acting_user)
    row.save()
    return row


def _end_membership(person: Person, day: dt.date, reason: str) -> None:
    Membership.objects.filter(person=person, household_id=person.household_id, end_date__isnull=True).update(end_date=day, end_reason=reason)


@transaction.atomic
def household_split(*, acting_user, household_id: int, person_ids: list[int], new_head_id: int,
                    address: str | None = None, day: dt.date | None = None) -> Household:
    """分户: move some members into a new household in the same village; history is kept."""
    check_perm(acting_user, permissions.EDIT)
    day = day or timezone.localdate()
    source = access_by_id(acting_user, Household.objects.select_for_update(), household_id)
    if source.status != c.HouseholdStatus.ACTIVE:
        raise RegistryError(_("该家庭已不在册，不能分户"))
    people = list(Person.objects.select_for_update().filter(household=source, pk__in=person_ids).order_by("pk"))
    if len(people) != len(set(person_ids)) or not people:
        raise RegistryError({"members": [_("请选择本家庭的成员进行分户")]})
    remaining = source.members.exclude(pk__in=person_ids).count()
    if remaining == 0:
        raise RegistryError({"members": [_("分户后原家庭至少要保留一名成员")]})
    if new_head_id not in person_ids:
        raise RegistryError({"head": [_("新户主须是分出的成员之一")]})
    new = Household(region=source.region, region_code=source.region_code, address=address if address is not None else source.address,
                    hukou_type=source.hukou_type, housing_safety=source.housing_safety, local_hukou=source.local_hukou,
                    family_planning_two_daughters=source.family_planning_two_daughters, split_from=source)
    _stamp(new, acting_user)
    new.save()
    # a person's outside supporters go with them
    for item in Supporter.objects.select_for_update().filter(household=source, person_id__in=person_ids).order_by("pk"):
        item.household = new
        _stamp(item, acting_user)
        item.save()
    for person in people:
        _end_membership(person, day, c.MembershipReason.SPLIT)
        person.household = new
        person.relation = c.Relation.HEAD if person.pk == new_head_id else c.Relation.OTHER
        _stamp(person, acting_user)
        person.save()
        Membership.objects.create(person=person, household=new, region_code=new.region_code, relation=person.relation, start_date=day, start_reason=c.MembershipReason.SPLIT)
    new.head_id = new_head_id
    new.save(update_fields=["head"])
    if source.head_id in person_ids:
        source.head = None
        _stamp(source, acting_user)
        source.save(update_fields=["head"])
    return new


@transaction.atomic
def household_merge(*, acting_user, target_id: int, source_id: int, day: dt.date | None = None) -> Household:
    """合户: every member of `source` joins `target`; `source` is kept as merged, with its history."""
    check_perm(acting_user, permissions.EDIT)
    day = day or timezone.localdate()
    if target_id == source_id:
        raise RegistryError(_("不能与自身合户"))
    # Lock in a consistent order so two merges of the same pair cannot deadlock.
    first, second = sorted([target_id, source_id])
    locked = {h.pk: h for h in (access_by_id(acting_user, Household.objects.select_for_update(), pk) for pk in (first, second))}
    target, source = locked[target_id], locked[source_id]
    if target.status != c.HouseholdStatus.ACTIVE or source.status != c.HouseholdStatus.ACTIVE:
        raise RegistryError(_("只能合并在册家庭"))
    if target.region_code != source.region_code:
        raise RegistryError(_("只能合并同一村（社区）的家庭"))
    for person in Person.objects.select_for_update().filter(household=source).order_by("pk"):
        _end_membership(person, day, c.MembershipReason.MERGED)
        person.household = target
        if person.relation == c.Relation.HEAD:
            person.relation = c.Relation.OTHER
        _stamp(person, acting_user)
        person.save()
        Membership.objects.create(person=person, household=target, region_code=target.region_code, relation=person.relation, start_date=day, start_reason=c.MembershipReason.MERGED)
    for model in (IncomeItem, Asset, RigidExpense, Classification, Supporter):
        for item in model.objects.select_for_update().filter(household=source).order_by("pk"):
            item.household = target
            _stamp(item, acting_user)
            item.save()
    source.status = c.HouseholdStatus.MERGED
    source.merged_into = target
    source.head = None
    _stamp(source, acting_user)
    source.save()
    return target


__all__ = [
    "NotFound", "household_create", "household_update", "household_change_head", "person_add", "person_update", "item_add",
    "item_delete", "household_split", "household_merge", "check_id_number", "validate_person_data",
]
