"""Synthetic families drawn from one random stream (R3, issue 2 item 8): Chinese names from a
surname frequency table, household structures from a single elderly person to three generations,
incomes around the dibao line, assets, rigid expenses, disabilities, major illnesses, schooling,
left-behind and lonely elderly, orphans, and the categories and causes of R3. Rows are only drawn
here, as dicts, from the weights in `tables`; `writing` gives them keys and writes them."""

from __future__ import annotations

import datetime as dt
import random
from bisect import bisect
from dataclasses import dataclass, field
from itertools import accumulate

from django.db import models

from bangfu.regions.models import Region
from bangfu.registry import choices as c
from bangfu.registry.models import Asset, Classification, IncomeItem, RigidExpense, Supporter

from .ids import IdAllocator
from .tables import (_ATTAINMENT_TABLES, _CERTIFICATES_SINCE, _DISABILITY_DIGIT, _DISABILITY_TABLES, _GIVEN, _ILLNESS_TABLES,
                     _MOBILE_PREFIXES, _ROADS, _SELF_CARE_ORDER, _SURNAME_CHARS, _SURNAME_CUM, _TYPE_CUM, _TYPE_NAMES)

# Ages and dates are taken on this day, not today, so that a seed always gives the same people.
REFERENCE_DATE = dt.date(2025, 6, 30)
# Monthly dibao standards (yuan) the incomes are drawn around; typical of a central province in
# 2024. Synthetic data only: the policy standards themselves are policy parameters, not these.
DIBAO_STANDARD_YUAN = {c.HukouType.RURAL: 650, c.HukouType.URBAN: 850}


@dataclass(slots=True)
class _Member:
    values: dict
    age: int
    male: bool


@dataclass(slots=True)
class _Family:
    values: dict
    members: list[_Member] = field(default_factory=list)
    # (model, values, index of the member or None)
    items: list[tuple[type[models.Model], dict, int | None]] = field(default_factory=list)
    file_ordinal: int = 0


class _Generator:
    """Draws families for the villages of one county from one random stream."""

    def __init__(self, rng: random.Random, villages: list[Region], allocator: IdAllocator):
        self.rng = rng
        self.villages = villages
        village_rng = random.Random(f"{rng.random()}:villages")
        self.village_cum = tuple(accumulate(0.3 + village_rng.random() * 1.7 for _v in villages))
        self.allocator = allocator
        self.reference_ordinal = REFERENCE_DATE.toordinal()
        # Born in (anchor[age] - 365, anchor[age]] means exactly `age` years old on the reference date.
        self.age_anchor = [REFERENCE_DATE.replace(year=REFERENCE_DATE.year - age).toordinal() for age in range(0, 111)]

    # -- small draws -------------------------------------------------------------------------

    def pick(self, table):
        keys, cum = table
        return keys[bisect(cum, self.rng.random() * cum[-1])]

    def surname(self) -> str:
        return _SURNAME_CHARS[bisect(_SURNAME_CUM, self.rng.random() * _SURNAME_CUM[-1])]

    def given_name(self, male: bool, birth_year: int) -> str:
        era = 0 if birth_year < 1965 else 1 if birth_year < 2000 else 2
        pool = _GIVEN["M" if male else "F", era]
        rng = self.rng
        if rng.random() < 0.25:
            return rng.choice(pool)
        return rng.choice(pool) + rng.choice(pool)

    def date_between(self, first: int, last: int) -> dt.date:
        if last <= first:
            return dt.date.fromordinal(first)
        return dt.date.fromordinal(self.rng.randint(first, last))

    # -- families ----------------------------------------------------------------------------

    def family(self) -> _Family:
        rng = self.rng
        random_ = rng.random
        village = self.villages[bisect(self.village_cum, random_() * self.village_cum[-1])]
        community = village.code_value.local_part < "200"  # GB/T 10114: 001–199 residents' committees, 200–399 villages
        place = village.full_name or village.name
        urban = random_() < (0.85 if community else 0.05)
        hukou = c.HukouType.URBAN if urban else c.HukouType.RURAL
        if community:
            address = f"{place}{rng.choice(_ROADS)}{rng.randint(1, 300)}号"
        else:
            address = f"{place}{rng.randint(1, 15)}组{rng.randint(1, 99)}号"
        draw = random_()
        housing = (
            c.HousingSafety.SAFE if draw < 0.6 else c.HousingSafety.UNKNOWN if draw < 0.85
            else c.HousingSafety.C_GRADE if draw < 0.93 else c.HousingSafety.D_GRADE if draw < 0.97
            else c.HousingSafety.NO_HOUSING
        )  # fmt: skip
        family = _Family(
            values={
                "region_id": village.pk, "region_code": village.code, "address": address,
                "hukou_type": hukou, "housing_safety": housing,
            },
        )  # fmt: skip
        family.file_ordinal = self.reference_ordinal - rng.randint(30, 3650)
        kind = _TYPE_NAMES[bisect(_TYPE_CUM, random_() * _TYPE_CUM[-1])]
        self._members(family, kind, place, hukou)
        self._incomes_assets_expenses(family, kind, hukou)
        self._supporters(family, kind)
        return family

    def _person(self, family: _Family, relation: str, age: int, male: bool, surname: str, hukou_place: str) -> _Member:
        rng = self.rng
        age = max(0, min(age, 105))
        birth_ordinal = self.age_anchor[age] - rng.randrange(365)
        birth_ordinal, id_number = self.allocator.allocate(birth_ordinal, male)
        birth = dt.date.fromordinal(birth_ordinal)
        values = {
            "name": surname + self.given_name(male, birth.year), "id_number": id_number,
            "sex": c.Sex.MALE if male else c.Sex.FEMALE, "birth_date": birth, "relation": relation,
            "hukou_place": hukou_place,
        }  # fmt: skip
        member = _Member(values, age, male)
        family.members.append(member)
        return member

    def _members(self, family: _Family, kind: str, place: str, hukou: str) -> None:
        rng = self.rng
        randint, random_ = rng.randint, rng.random
        family_name = self.surname()
        children: list[_Member] = []
        elders: list[_Member] = []
        head_male = random_() < 0.8
        if kind == "elderly_alone":
            head_male = random_() < 0.4
            head_age = min(60 + int(rng.expovariate(1 / 12)), 100)
        elif kind == "single_adult":
            head_age = randint(25, 59)
        elif kind == "elderly_couple":
            head_age = min(60 + int(rng.expovariate(1 / 10)), 98)
        elif kind in ("nuclear", "single_parent"):
            head_age = randint(24, 55)
            head_male = random_() < (0.85 if kind == "nuclear" else 0.3)
        elif kind == "three_generations":
            head_age = randint(30, 55)
        elif kind == "stem":
            head_age = randint(50, 72)
        else:  # skipped_generation: grandparents raising grandchildren
            head_age = randint(55, 82)
            head_male = random_() < 0.55
        head_surname = family_name if head_male or kind in ("elderly_alone", "single_adult") else self.surname()
        head = self._person(family, c.Relation.HEAD, head_age, head_male, head_surname, place)
        has_spouse = kind in ("elderly_couple", "nuclear", "three_generations") or (
            kind in ("stem", "skipped_generation") and random_() < 0.7
        )
        if has_spouse:
            spouse_age = head_age + (randint(-6, 2) if head_male else randint(-2, 6))
            self._person(family, c.Relation.SPOUSE, spouse_age, not head_male, self.surname() if head_male else family_name, place)
        if kind in ("nuclear", "single_parent", "three_generations"):
            max_children = 2 if kind == "three_generations" else 3  # at most six members with the parents
            for _ in range(1 + (random_() < 0.55) + (random_() < 0.2)):
                if len(children) >= max_children:
                    break
                child_age = head_age - randint(21, 36)
                if child_age < 0:
                    child_age = randint(0, max(0, head_age - 21))
                children.append(self._person(family, c.Relation.CHILD, child_age, random_() < 0.52, family_name, place))
        if kind == "three_generations":
            for parent_male in (True, False) if random_() < 0.4 else (random_() < 0.4,):
                parent_age = min(head_age + randint(22, 35), 100)
                surname = head_surname if parent_male else self.surname()
                elders.append(self._person(family, c.Relation.PARENT, parent_age, parent_male, surname, place))
        if kind == "stem":
            son = self._person(family, c.Relation.CHILD, head_age - randint(22, 32), True, family_name, place)
            children.append(son)
            if len(family.members) < 6 and random_() < 0.8:
                self._person(family, c.Relation.CHILD_IN_LAW, son.age + randint(-3, 2), False, self.surname(), place)
            for _ in range(1 + (random_() < 0.4)):
                if len(family.members) >= 6:
                    break
                grandchild_age = randint(0, max(0, son.age - 21))
                children.append(self._person(family, c.Relation.GRANDCHILD, grandchild_age, random_() < 0.52, family_name, place))
        if kind == "skipped_generation":
            for _ in range(1 + (random_() < 0.45) + (random_() < 0.15)):
                children.append(self._person(family, c.Relation.GRANDCHILD, randint(1, 16), random_() < 0.52, family_name, place))
        assert len(family.members) <= 6

        # Situations of the family as a whole.
        rural = hukou == c.HukouType.RURAL
        left_behind_children = kind == "skipped_generation" or (rural and children and random_() < 0.2)
        orphans = kind == "skipped_generation" and random_() < 0.25
        unsupported = kind == "skipped_generation" and not orphans and random_() < 0.15
        for member in family.members:
            self._attributes(family, member, kind)
        if kind == "elderly_alone":
            draw = random_()
            head.values["living_situation"] = (
                c.LivingSituation.ALONE if draw < 0.85 else c.LivingSituation.INSTITUTION if draw < 0.92 else c.LivingSituation.LEFT_BEHIND
            )
        elif kind == "single_adult":
            head.values["living_situation"] = c.LivingSituation.ALONE if random_() < 0.5 else c.LivingSituation.WITH_FAMILY
        elif kind == "elderly_couple" and random_() < 0.35:
            for member in family.members:
                member.values["living_situation"] = c.LivingSituation.LEFT_BEHIND
        elif kind == "skipped_generation":
            for member in family.members:
                member.values["living_situation"] = c.LivingSituation.LEFT_BEHIND
        if left_behind_children:
            for child in children:
                if child.age < 16:
                    child.values["living_situation"] = c.LivingSituation.LEFT_BEHIND
            if kind != "skipped_generation" and random_() < 0.4:  # the mother stays, the father works away
                for member in family.members:
                    if not member.male and 18 <= member.age < 60 and member.values["relation"] in (c.Relation.HEAD, c.Relation.SPOUSE):
                        member.values["living_situation"] = c.LivingSituation.LEFT_BEHIND
        for elder in elders:
            if elder.age >= 60 and random_() < 0.1:
                elder.values["living_situation"] = c.LivingSituation.LEFT_BEHIND
        for child in children:
            if child.age < 18:
                if orphans:
                    child.values["is_orphan"] = True
                    child.values["living_situation"] = c.LivingSituation.WITH_FAMILY
                elif unsupported or (kind == "single_parent" and random_() < 0.03):
                    child.values["is_unsupported_child"] = True

    def _attributes(self, family: _Family, member: _Member, kind: str) -> None:
        """Health, disability, schooling, labor capacity and self-care of one person."""
        rng = self.rng
        random_, randint = rng.random, rng.randint
        values, age = member.values, member.age
        group = "child" if age < 18 else "adult" if age < 60 else "elderly"
        birth_ordinal = values["birth_date"].toordinal()

        if age >= 18 and random_() < (0.8 if age <= 60 else 0.45 if age <= 80 else 0.1):
            values["phone"] = rng.choice(_MOBILE_PREFIXES) + f"{randint(0, 99999999):08d}"

        # Disability (about 6 % of persons; more among the old and in one-person households).
        disability_rate = {"child": 0.025, "adult": 0.055, "elderly": 0.1}[group]
        if kind in ("single_adult", "elderly_alone"):
            disability_rate *= 1.6
        grade = None
        kind_of_disability = ""
        if random_() < disability_rate:
            kind_of_disability = self.pick(_DISABILITY_TABLES[group])
            draw = random_()
            grade = 1 if draw < 0.12 else 2 if draw < 0.35 else 3 if draw < 0.65 else 4
            issue_first = max(birth_ordinal + 365, _CERTIFICATES_SINCE)
            if random_() < 0.12 or issue_first > self.reference_ordinal - 30:
                # Suspected, never certified (infants cannot be yet): R4's list for the disability federation.
                values["disability_suspected"] = True
                grade = None
            else:
                issued = self.date_between(issue_first, self.reference_ordinal - 30)
                years = max(0, (self.reference_ordinal - issued.toordinal()) // 365)
                overdue = random_() < 0.25
                checked_years = randint(0, max(0, years - 2)) if overdue else years
                last_check = dt.date.fromordinal(min(issued.toordinal() + checked_years * 365, self.reference_ordinal))
                values.update(
                    disability_type=kind_of_disability, disability_grade=grade, disability_issue_date=issued,
                    disability_last_check=last_check,
                    disability_cert_number=f"{values['id_number']}{_DISABILITY_DIGIT[kind_of_disability]}{grade}",
                )  # fmt: skip
            if kind_of_disability == "mental":
                values["has_mental_disorder"] = True

        # Major illness (about 3 %).
        illness_rate = {"child": 0.008, "adult": 0.025, "elderly": 0.05}[group]
        illnesses: list[str] = []
        if random_() < illness_rate:
            illnesses.append(self.pick(_ILLNESS_TABLES[group]))
            if random_() < 0.1:
                other = self.pick(_ILLNESS_TABLES[group])
                if other not in illnesses:
                    illnesses.append(other)
            values["major_illnesses"] = illnesses
            if "severe_mental" in illnesses:
                values["has_mental_disorder"] = True

        # Schooling: the level being attended for ages 3–22, the level reached for adults.
        if 3 <= age <= 22:
            if age <= 5:
                level, enrolled = "preschool", random_() < 0.85
            elif age <= 11:
                level, enrolled = "primary", True
            elif age <= 14:
                level, enrolled = "junior", True
            elif age <= 17:
                draw = random_()
                level, enrolled = ("senior", True) if draw < 0.62 else ("vocational", True) if draw < 0.92 else ("junior", False)
            else:
                draw = random_()
                if draw < 0.45:
                    level, enrolled = "college", True
                else:
                    level, enrolled = "senior" if draw < 0.75 else "vocational" if draw < 0.9 else "junior", False
            if 7 <= age <= 17 and enrolled and random_() < 0.015:
                values["dropped_out"] = True
                enrolled = False
            if kind_of_disability == "intellectual" and grade in (1, 2) and age >= 6:
                level, enrolled = "none", False
            values["schooling_level"] = level
            values["enrolled"] = enrolled
        elif age > 22:
            birth_year = values["birth_date"].year
            table = next(t for year, t in _ATTAINMENT_TABLES if birth_year < year)
            values["schooling_level"] = self.pick(table)

        # Self-care (six activities) and labor capacity follow age, disability and illness.
        unable = 0
        if grade == 1 and random_() < 0.7:
            unable = randint(2, 6)
        elif grade == 2 and random_() < 0.3:
            unable = randint(1, 4)
        elif age >= 80 and random_() < 0.25:
            unable = randint(1, 6)
        elif age >= 70 and random_() < 0.08:
            unable = randint(1, 3)
        elif illnesses and random_() < 0.2:
            unable = randint(1, 3)
        if age < 3:
            unable = 0  # infants are looked after anyway; the activities are not assessed
        for activity in _SELF_CARE_ORDER[:unable]:
            values[activity] = False

        if age < 16:
            labor = c.LaborCapacity.NONE
        elif age < 60:
            labor = c.LaborCapacity.FULL
            if grade in (1, 2) or (grade == 3 and kind_of_disability in ("intellectual", "mental")):
                labor = c.LaborCapacity.NONE
            elif grade in (3, 4) or values.get("disability_suspected"):
                labor = c.LaborCapacity.PARTIAL
            if illnesses:
                labor = c.LaborCapacity.NONE if random_() < 0.5 else c.LaborCapacity.PARTIAL
        elif age < 65:
            draw = random_()
            labor = c.LaborCapacity.FULL if draw < 0.4 else c.LaborCapacity.PARTIAL if draw < 0.85 else c.LaborCapacity.NONE
        elif age < 75:
            labor = c.LaborCapacity.PARTIAL if random_() < 0.55 else c.LaborCapacity.NONE
        else:
            labor = c.LaborCapacity.PARTIAL if random_() < 0.15 else c.LaborCapacity.NONE
        if age >= 60 and (grade or illnesses):
            labor = c.LaborCapacity.NONE
        if unable >= 3:
            labor = c.LaborCapacity.NONE
        elif unable and labor == c.LaborCapacity.FULL:
            labor = c.LaborCapacity.PARTIAL
        values["labor_capacity"] = labor

    def _incomes_assets_expenses(self, family: _Family, kind: str, hukou: str) -> None:
        rng = self.rng
        random_, randint = rng.random, rng.randint
        members = family.members
        size = len(members)
        standard = DIBAO_STANDARD_YUAN[hukou]
        ref = self.reference_ordinal
        items = family.items

        def income(kind_of_income: str, yuan: int, note: str, index: int) -> None:
            since = self.date_between(ref - 540, ref - 1)
            items.append((IncomeItem, {"kind": kind_of_income, "monthly_amount_fen": yuan * 100, "valid_from": since, "note": note}, index))

        def asset(kind_of_asset: str, yuan: int, description: str) -> None:
            items.append((Asset, {"kind": kind_of_asset, "value_fen": yuan * 100, "description": description}, 0))

        def expense(kind_of_expense: str, yuan: int, note: str, index: int) -> None:
            since = self.date_between(ref - 540, ref - 1)
            values = {"kind": kind_of_expense, "monthly_amount_fen": yuan * 100, "valid_from": since, "note": note}
            items.append((RigidExpense, values, index))

        # Income band: the registry holds many households near the dibao line.
        draw = random_()
        band = "poor" if draw < 0.35 else "near" if draw < 0.55 else "low" if draw < 0.7 else "other"
        low_factor, high_factor = {"poor": (0.15, 1.0), "near": (1.0, 1.5), "low": (1.5, 2.0), "other": (2.0, 5.0)}[band]
        target = int(size * standard * (low_factor + (high_factor - low_factor) * random_()))

        total = 0
        for index, member in enumerate(members):
            if member.age >= 60:
                if hukou == c.HukouType.URBAN and band == "other" and random_() < 0.4:
                    amount, note = randint(1800, 4000), "职工基本养老金"
                else:
                    amount, note = randint(150, 320), "城乡居民基础养老金"
                income(c.IncomeKind.PENSION, amount, note, index)
                total += amount
        earners = [i for i, m in enumerate(members) if 18 <= m.age < 60 and m.values["labor_capacity"] != c.LaborCapacity.NONE]
        rest = max(0, target - total)
        if rest and earners:
            shares = [random_() + 0.2 for _ in earners]
            scale = rest / sum(shares)
            for index, share in zip(earners, shares, strict=True):
                amount = int(share * scale)
                if amount <= 0:
                    continue
                if hukou == c.HukouType.RURAL and random_() < 0.35:
                    kind_of_income, note = c.IncomeKind.BUSINESS, "种植养殖"
                else:
                    kind_of_income, note = c.IncomeKind.WAGE, "务工收入"
                income(kind_of_income, amount, note, index)
                total += amount
        elif rest and random_() < 0.6:
            amount = max(50, rest)
            kind_of_income = c.IncomeKind.SUPPORT if random_() < 0.7 else c.IncomeKind.TRANSFER
            note = "子女赡养费" if kind_of_income == c.IncomeKind.SUPPORT else "亲友资助"
            income(kind_of_income, amount, note, 0)
            total += amount
        if band in ("low", "other") and random_() < 0.15:
            amount = randint(100, 800)
            income(c.IncomeKind.PROPERTY, amount, "土地流转租金", 0)
            total += amount
        per_capita = total / size

        # Assets.
        wealth = {"poor": 0.3, "near": 0.6, "low": 1.0, "other": 2.0}[band]
        if random_() < (0.7 if hukou == c.HukouType.RURAL else 0.45) and family.values["housing_safety"] != c.HousingSafety.NO_HOUSING:
            rooms = randint(2, 6)
            asset(c.AssetKind.HOUSING, int(randint(30_000, 200_000) * wealth), f"自建房{rooms}间" if hukou == c.HukouType.RURAL else "住宅一套")
        if random_() < 0.45:
            asset(c.AssetKind.DEPOSIT, int(randint(500, 30_000) * wealth), "银行存款")
        if random_() < 0.05 * wealth:
            asset(c.AssetKind.VEHICLE, randint(20_000, 120_000), "家用小汽车")
        elif random_() < 0.2:
            asset(c.AssetKind.OTHER, randint(1_500, 6_000), "电动三轮车")
        if band == "other" and random_() < 0.05:
            asset(c.AssetKind.BUSINESS, randint(20_000, 300_000), "个体经营")

        # Rigid expenses: medical for the ill, care for the severely disabled, school for students.
        medical = education = False
        for index, member in enumerate(members):
            values = member.values
            if values.get("major_illnesses") and random_() < 0.85:
                expense(c.ExpenseKind.MEDICAL, randint(600, 6000), "住院及门诊自付", index)
                medical = True
            if values.get("disability_grade") in (1, 2) and random_() < 0.3:
                expense(c.ExpenseKind.DISABILITY_CARE, randint(200, 1500), "康复护理", index)
            if values.get("enrolled") and values.get("schooling_level") in ("senior", "vocational", "college") and random_() < 0.4:
                expense(c.ExpenseKind.EDUCATION, randint(300, 1500), "学杂费及住宿费", index)
                education = True

        # Categories and causes (R3).
        def classify(kind_of_row: str, code: str, index: int | None = None, amount_fen: int | None = None) -> None:
            start = self.date_between(ref - 2000, ref - 30)
            values = {"kind": kind_of_row, "code": code, "start_date": start, "monthly_amount_fen": amount_fen}
            items.append((Classification, values, index))

        category, cause = c.ClassificationKind.CATEGORY, c.ClassificationKind.CAUSE
        head = members[0]
        lonely = kind == "elderly_alone" and head.age >= 60
        if lonely and band == "poor" and head.values["labor_capacity"] == c.LaborCapacity.NONE and random_() < 0.5:
            classify(category, c.Category.TEKUN, 0)
        elif per_capita < standard and random_() < 0.75:
            # the amount granted at the last review: the gap then, which income has since moved
            granted = max(1, int((standard - per_capita) * size * (0.85 + 0.3 * random_())))
            classify(category, c.Category.DIBAO, amount_fen=granted * 100)
        elif per_capita < standard * 1.5 and random_() < 0.5:
            classify(category, c.Category.NEAR_DIBAO)
        elif per_capita < standard * 2 and random_() < 0.5:
            classify(category, c.Category.LOW_INCOME)
        if hukou == c.HukouType.RURAL and band != "other" and random_() < 0.15:
            classify(category, c.Category.REGISTERED_POOR)
        if lonely and head.age >= 70 and band in ("poor", "near") and random_() < 0.6:
            classify(category, c.Category.LONELY_ELDERLY, 0)
        if band in ("poor", "near") and random_() < 0.04:
            classify(category, c.Category.TEMPORARY_ASSISTANCE)
        disabled = illness = False
        for index, member in enumerate(members):
            values = member.values
            if values.get("disability_grade") in (1, 2):
                classify(category, c.Category.SEVERE_DISABLED, index)
            if values.get("has_mental_disorder"):
                classify(category, c.Category.MENTAL_PATIENT, index)
            if values.get("is_orphan") or values.get("is_unsupported_child"):
                classify(category, c.Category.CHILD_IN_DIFFICULTY, index)
            if sum(not values.get(a, True) for a in _SELF_CARE_ORDER) >= 3:
                classify(category, c.Category.INCAPACITATED, index)
            disabled = disabled or bool(values.get("disability_type") or values.get("disability_suspected"))
            illness = illness or bool(values.get("major_illnesses"))
        if illness or medical:
            classify(cause, c.Cause.ILLNESS)
        if disabled:
            classify(cause, c.Cause.DISABILITY)
        if education:
            classify(cause, c.Cause.SCHOOLING)
        if random_() < 0.03:
            classify(cause, c.Cause.DISASTER)

    def _supporters(self, family: _Family, kind: str) -> None:
        """Legal supporters outside the household (户外法定义务人) and 孤寡, as a village worker
        records them (《特困人员认定办法》第十条): most elderly with no working-age member at home
        have children living elsewhere, recorded and mostly able; some have verifiably none; a few
        were never checked ("unknown", which the engine does not presume). Some children are
        themselves 60 or older and on dibao, or 70 or older and poor: unable to support."""
        rng = self.rng
        random_, randint = rng.random, rng.randint
        members = family.members
        working_age_at_home = any(18 <= m.age < 60 for m in members)
        elders = [i for i, m in enumerate(members) if m.age >= 60]
        if not elders:
            if kind == "single_adult":  # a lone adult (possibly disabled): siblings or parents elsewhere, rarely recorded
                head = members[0]
                draw = random_()
                head.values["supporters_checked"] = c.SupportersChecked.NONE if draw < 0.6 else c.SupportersChecked.UNKNOWN
            return
        couple = any(m.values["relation"] == c.Relation.SPOUSE for m in members)
        for index in elders:
            if couple and members[index].values["relation"] in (c.Relation.HEAD, c.Relation.SPOUSE):
                members[index].values["gugua"] = False  # a spouse at home
        if working_age_at_home:
            # children at home support them; the worker usually noted that nobody else is liable
            for index in elders:
                members[index].values["supporters_checked"] = c.SupportersChecked.NONE if random_() < 0.8 else c.SupportersChecked.UNKNOWN
                if members[index].values.get("gugua") is None and members[index].values["relation"] in (c.Relation.HEAD, c.Relation.SPOUSE):
                    members[index].values["gugua"] = False  # children at home
            return
        draw = random_()
        if draw < 0.70:
            # children living elsewhere, shared by the elderly of the household
            youngest = min(members[i].age for i in elders)
            children = []
            for _ in range(1 + (random_() < 0.6) + (random_() < 0.3)):
                age = youngest - randint(20, 38)  # the youngest elder is 60 or more
                male = random_() < 0.52
                birth = dt.date.fromordinal(self.age_anchor[min(age, 110)] - rng.randrange(365))
                on_dibao = age >= 60 and random_() < 0.3
                poor = age >= 70 and random_() < 0.4
                severe = random_() < 0.03
                children.append({
                    "duty": c.SupportDuty.ELDER, "relation": c.SupporterRelation.CHILD,
                    "name": self.surname() + self.given_name(male, birth.year), "birth_date": birth,
                    "on_dibao": on_dibao, "income_below_disposable": poor or (severe and random_() < 0.5),
                    "severe_disability": severe,
                })  # fmt: skip
            for index in elders:
                values = members[index].values
                values["supporters_checked"] = c.SupportersChecked.RECORDED
                values["gugua"] = False
                for child in children:
                    family.items.append((Supporter, dict(child), index))
        elif draw < 0.90:
            for index in elders:
                values = members[index].values
                values["supporters_checked"] = c.SupportersChecked.NONE
                if values.get("gugua") is None and len(elders) == 1 and kind == "elderly_alone":
                    values["gugua"] = True
        # else: never checked — supporters_checked stays "unknown", gugua unknown

