"""The household JSON format (docs/policy.md, "家庭 JSON 格式"): one document per household with
its members, incomes, assets, rigid expenses, current categories and any emergency.

`frames_from_documents` validates and turns documents into the engine's tables;
`assess_documents` judges them and returns one JSON-ready dict per household, in input order.
Money is given in yuan ("1200.00" or 1200) under the plain key, or in fen under the `_fen` key.
Errors are collected and raised together as `DocumentError`, each naming its path.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Iterable, Mapping

import polars as pl

from bangfu.common.dates import birth_date_problem, day_problem
from bangfu.common.money import InvalidAmount, too_large, yuan_to_fen
from bangfu.common.texts import _

from .. import vocab
from ..parameters import ParameterSet
from .reasons import sentence
from .run import Assessment, assess
from .schema import TABLES, Frames


class DocumentError(ValueError):
    """`errors`: the sentences ("第1户.members[0].sex：…"); `by_path`: (path, message) pairs."""

    def __init__(self, errors: list[str], by_path: list[tuple[str, str]] | None = None):
        self.errors = errors
        self.by_path = by_path if by_path is not None else [("", e) for e in errors]
        super().__init__(_("；").join(errors))


HOUSEHOLD_KEYS = {"id", "region_code", "hukou_type", "housing_safety", "local_hukou", "family_planning_two_daughters",
                  "last_review_date", "emergency", "members", "incomes", "assets", "expenses", "categories", "note"}
DISABILITY_KEYS = {"type": "disability_type", "grade": "disability_grade", "cert_number": "disability_cert_number",
                   "issue_date": "disability_issue_date", "last_check": "disability_last_check", "suspected": "disability_suspected"}
PERSON_FIELDS = {c.name: c for c in TABLES["persons"]} | {"id": None, "name": None, "self_care": None, "disability": None,
                                                        "supporters": None}
SUPPORTER_KEYS = {c.name for c in TABLES["supporters"]} - {"household_id", "person_id"} | {"name", "note"}
CODES = {
    "hukou_type": vocab.HUKOU_TYPES, "housing_safety": vocab.HOUSING_SAFETY, "sex": vocab.SEXES,
    "relation": vocab.RELATIONS, "status": vocab.PERSON_STATUSES, "labor_capacity": vocab.LABOR_CAPACITIES,
    "living_situation": vocab.LIVING_SITUATIONS, "schooling_level": vocab.SCHOOLING_LEVELS,
    "disability_type": vocab.DISABILITY_TYPES, "supporters_checked": vocab.SUPPORTERS_CHECKED,
    "tekun_support_mode": vocab.TEKUN_SUPPORT_MODES,
}


MAX_QUANTITY = 1_000_000  # of one asset row; with MAX_FEN a product still fits in 64 bits


class _Reader:
    def __init__(self):
        self.errors: list[str] = []
        self.by_path: list[tuple[str, str]] = []

    def fail(self, path: str, message: str) -> None:
        self.errors.append(_("%(path)s：%(message)s") % {"path": path, "message": message})
        self.by_path.append((path, message))

    def date(self, path: str, raw: Any) -> dt.date | None:
        if raw is None or raw == "":
            return None
        if isinstance(raw, dt.date):
            return raw
        try:
            day = dt.date.fromisoformat(str(raw))
        except ValueError:
            self.fail(path, _("日期“%(raw)s”应为 YYYY-MM-DD 格式") % {"raw": raw})
            return None
        problem = day_problem(day)
        if problem:
            self.fail(path, problem)
            return None
        return day

    def boolean(self, path: str, raw: Any, default: bool | None) -> bool | None:
        if raw is None:
            return default
        if isinstance(raw, bool):
            return raw
        self.fail(path, _("应为 true 或 false，而不是“%(raw)s”") % {"raw": raw})
        return default

    def code(self, path: str, raw: Any, allowed: tuple, default: Any) -> Any:
        if raw is None:
            return default
        if raw not in allowed:
            self.fail(path, _("“%(raw)s”不是有效代码（可用：%(allowed)s）") % {"raw": raw, "allowed": _("、").join(a for a in allowed if a)})
            return default
        return raw

    def money(self, path: str, item: Mapping, key: str, *, required: bool = False, default: int | None = 0) -> int | None:
        fen_key = f"{key}_fen"
        if item.get(fen_key) is not None:
            raw = item[fen_key]
            if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
                self.fail(f"{path}.{fen_key}", _("应为非负整数（分）"))
                return default
            if too_large(raw):
                self.fail(f"{path}.{fen_key}", too_large(raw))
                return default
            return raw
        raw = item.get(key)
        if raw is None:
            if required:
                self.fail(f"{path}.{key}", _("缺少金额"))
            return default
        if isinstance(raw, float):
            raw = Decimal(repr(raw))
        try:
            return yuan_to_fen(raw)
        except InvalidAmount as exc:
            self.fail(f"{path}.{key}", str(exc))
            return default

    def unknown(self, path: str, item: Mapping, allowed: Iterable[str]) -> None:
        extra = sorted(set(item) - set(allowed))
        if extra:
            self.fail(path, _("未知字段 %(extra)s") % {"extra": ', '.join(extra)})


def _supporters(r: _Reader, path: str, raw: Any, pid: int, hid: int) -> list[dict]:
    """`members[].supporters`: the member's legal supporters outside the household."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        r.fail(path, _("应为列表"))
        return []
    rows = []
    for k, item in enumerate(raw):
        where = f"{path}[{k}]"
        if not isinstance(item, Mapping):
            r.fail(where, _("应为对象"))
            continue
        r.unknown(where, item, SUPPORTER_KEYS)
        age = item.get("age")
        if age is not None and (isinstance(age, bool) or not isinstance(age, int) or not 0 <= age <= 150):
            r.fail(f"{where}.age", _("应为 0–150 的整数"))
            age = None
        row = {"household_id": hid, "person_id": pid, "age": age,
               "relation": r.code(f"{where}.relation", item.get("relation"), vocab.SUPPORTER_RELATIONS, "other"),
               "birth_date": r.date(f"{where}.birth_date", item.get("birth_date")),
               "capacity": r.code(f"{where}.capacity", item.get("capacity"), vocab.SUPPORTER_CAPACITIES, "")}
        for name in ("on_dibao", "on_tekun", "income_below_disposable", "severe_disability", "no_civil_capacity"):
            row[name] = r.boolean(f"{where}.{name}", item.get(name), False)
        rows.append(row)
    return rows


def _person(r: _Reader, path: str, raw: Mapping, pid: int, hid: int) -> dict:
    flat = dict(raw)
    for key, value in (raw.get("self_care") or {}).items():
        if key not in vocab.SELF_CARE_COLUMNS:
            r.fail(f"{path}.self_care", _("未知项目 %(key)s") % {"key": key})
        flat[key] = value
    disability = raw.get("disability") or {}
    r.unknown(f"{path}.disability", disability, DISABILITY_KEYS)
    for key, column in DISABILITY_KEYS.items():
        if key in disability:
            flat[column] = disability[key]
    r.unknown(path, raw, PERSON_FIELDS)
    row: dict[str, Any] = {"person_id": pid, "household_id": hid}
    for col in TABLES["persons"]:
        if col.name in ("person_id", "household_id"):
            continue
        value = flat.get(col.name)
        where = f"{path}.{col.name}"
        if col.dtype == pl.Date:
            row[col.name] = r.date(where, value)
            if col.required and row[col.name] is None and value is None:
                r.fail(where, _("缺少出生日期"))
            if col.name == "birth_date" and birth_date_problem(row[col.name]):
                r.fail(where, birth_date_problem(row[col.name]))
                row[col.name] = None
        elif col.dtype == pl.Boolean:
            row[col.name] = r.boolean(where, value, col.default)
        elif col.name in CODES:
            row[col.name] = r.code(where, value, CODES[col.name], col.default)
        elif col.name == "disability_grade":
            if value is not None and (isinstance(value, bool) or value not in (1, 2, 3, 4)):
                r.fail(where, _("残疾等级应为 1–4"))
                value = None
            row[col.name] = value
        elif col.name == "major_illnesses":
            if value is None:
                value = []
            if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
                r.fail(where, _("应为疾病代码列表"))
                value = []
            row[col.name] = value
        else:
            row[col.name] = None if value is None else str(value)
    return row


def _dated_rows(r: _Reader, path: str, items: Any, hid: int, ids: dict, *, kind_codes: tuple, money_key: str,
                money_column: str, date_keys: tuple[str, str] | None, table: str) -> list[dict]:
    rows = []
    if items is None:
        return rows
    if not isinstance(items, list):
        r.fail(path, _("应为列表"))
        return rows
    kind_key = "code" if table == "categories" else "kind"
    allowed = {kind_key, "member", money_key, f"{money_key}_fen", "note"}
    if date_keys:
        allowed |= set(date_keys)
    if table == "assets":
        allowed.add("quantity")
    for i, item in enumerate(items):
        where = f"{path}[{i}]"
        if not isinstance(item, Mapping):
            r.fail(where, _("应为对象"))
            continue
        r.unknown(where, item, allowed)
        member = item.get("member")
        if member is not None and member not in ids:
            r.fail(f"{where}.member", _("没有编号为 %(member)s 的成员") % {"member": member})
        row = {
            "household_id": hid, "person_id": ids.get(member),
            kind_key: r.code(f"{where}.{kind_key}", item.get(kind_key), kind_codes, None),
            money_column: r.money(where, item, money_key, required=table != "categories",
                                  default=None if table == "categories" else 0),
        }
        if row[kind_key] is None and item.get(kind_key) is None:
            r.fail(f"{where}.{kind_key}", _("缺少类型代码"))
        if date_keys:
            row[date_keys[0]] = r.date(f"{where}.{date_keys[0]}", item.get(date_keys[0]))
            row[date_keys[1]] = r.date(f"{where}.{date_keys[1]}", item.get(date_keys[1]))
        if table == "assets":
            qty = item.get("quantity", 1)
            if isinstance(qty, bool) or not isinstance(qty, int) or not 0 <= qty <= MAX_QUANTITY:
                r.fail(f"{where}.quantity", _("应为 0 至 %(max)s 的整数") % {"max": f"{MAX_QUANTITY:,}"})
                qty = 1
            row["quantity"] = qty
        rows.append(row)
    return rows


def frames_from_documents(docs: list[Mapping]) -> tuple[Frames, list[Any], dict[int, Any]]:
    """Documents → (Frames, household ids in input order, person_id → member id)."""
    r = _Reader()
    if not isinstance(docs, list):
        raise DocumentError([_("请求应为家庭文档列表")])
    households, persons, incomes, assets, expenses, categories, supporters = [], [], [], [], [], [], []
    doc_ids: list[Any] = []
    member_ids: dict[int, Any] = {}
    next_pid = 1
    for hid, doc in enumerate(docs):
        path = _("第%(n)s户") % {"n": hid + 1}
        if not isinstance(doc, Mapping):
            r.fail(path, _("应为对象"))
            doc_ids.append(None)
            continue
        r.unknown(path, doc, HOUSEHOLD_KEYS)
        doc_ids.append(doc.get("id", hid + 1))
        region = str(doc.get("region_code") or "")
        if not (region.isdigit() and len(region) == 12):
            r.fail(f"{path}.region_code", _("区划代码“%(region)s”应为 12 位数字") % {"region": region})
        emergency = doc.get("emergency") or {}
        r.unknown(f"{path}.emergency", emergency, {"event", "date", "loss", "loss_fen", "note"})
        households.append({
            "household_id": hid, "region_code": region,
            "hukou_type": r.code(f"{path}.hukou_type", doc.get("hukou_type"), vocab.HUKOU_TYPES, "rural"),
            "housing_safety": r.code(f"{path}.housing_safety", doc.get("housing_safety"), vocab.HOUSING_SAFETY, "unknown"),
            "local_hukou": r.boolean(f"{path}.local_hukou", doc.get("local_hukou"), True),
            "family_planning_two_daughters": r.boolean(f"{path}.family_planning_two_daughters", doc.get("family_planning_two_daughters"), False),
            "emergency_event": r.code(f"{path}.emergency.event", emergency.get("event"), vocab.EMERGENCY_EVENTS, None),
            "emergency_date": r.date(f"{path}.emergency.date", emergency.get("date")),
            "emergency_loss_fen": r.money(f"{path}.emergency", emergency, "loss"),
            "last_review_date": r.date(f"{path}.last_review_date", doc.get("last_review_date")),
        })
        if emergency.get("event") is not None and emergency.get("date") is None:
            r.fail(f"{path}.emergency.date", _("急难事件缺少发生日期"))
        members = doc.get("members")
        if not isinstance(members, list) or not members:
            r.fail(f"{path}.members", _("至少应有一名成员"))
            members = []
        ids: dict[Any, int] = {}
        for j, raw in enumerate(members):
            where = f"{path}.members[{j}]"
            if not isinstance(raw, Mapping):
                r.fail(where, _("应为对象"))
                continue
            member_id = raw.get("id", j + 1)
            if member_id in ids:
                r.fail(f"{where}.id", _("成员编号 %(member_id)s 重复") % {"member_id": member_id})
            ids[member_id] = next_pid
            member_ids[next_pid] = member_id
            persons.append(_person(r, where, raw, next_pid, hid))
            supporters += _supporters(r, f"{where}.supporters", raw.get("supporters"), next_pid, hid)
            next_pid += 1
        incomes += _dated_rows(r, f"{path}.incomes", doc.get("incomes"), hid, ids, kind_codes=vocab.INCOME_KINDS,
                               money_key="monthly_amount", money_column="monthly_amount_fen",
                               date_keys=("valid_from", "valid_to"), table="incomes")
        assets += _dated_rows(r, f"{path}.assets", doc.get("assets"), hid, ids, kind_codes=vocab.ASSET_KINDS,
                              money_key="value", money_column="value_fen", date_keys=None, table="assets")
        expenses += _dated_rows(r, f"{path}.expenses", doc.get("expenses"), hid, ids, kind_codes=vocab.EXPENSE_KINDS,
                                money_key="monthly_amount", money_column="monthly_amount_fen",
                                date_keys=("valid_from", "valid_to"), table="expenses")
        categories += _dated_rows(r, f"{path}.categories", doc.get("categories"), hid, ids, kind_codes=vocab.CATEGORIES,
                                  money_key="amount", money_column="amount_fen",
                                  date_keys=("start_date", "end_date"), table="categories")
    if r.errors:
        raise DocumentError(r.errors, r.by_path)

    def frame(table: str, rows: list[dict]) -> pl.DataFrame:
        schema = {c.name: c.dtype for c in TABLES[table]}
        return pl.DataFrame(rows, schema={k: schema[k] for k in rows[0]}) if rows else None

    return Frames(
        households=frame("households", households), persons=frame("persons", persons),
        incomes=frame("incomes", incomes), assets=frame("assets", assets),
        expenses=frame("expenses", expenses), categories=frame("categories", categories),
        supporters=frame("supporters", supporters),
    ), doc_ids, member_ids


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def result_documents(result: Assessment, doc_ids: list[Any] | None = None,
                     member_ids: dict[int, Any] | None = None) -> list[dict]:
    """An Assessment as one dict per household, in household_id order (JSON-ready: dates as
    ISO strings, money as integer fen in `*_fen` fields)."""
    member_ids = member_ids or {}
    persons: dict[int, list[dict]] = {}
    by_person: dict[int, dict] = {}
    for row in result.persons.iter_rows(named=True):
        row = {k: _jsonable(v) for k, v in row.items()}
        pid, hid = row.pop("person_id"), row.pop("household_id")
        row = {"id": member_ids.get(pid, pid), **row, "groups": [], "reasons": []}
        persons.setdefault(hid, []).append(row)
        by_person[pid] = row
    for g in result.groups.iter_rows(named=True):
        by_person[g["person_id"]]["groups"].append({k: g[k] for k in ("group", "rule", "who", "measure", "source")})
    household_reasons: dict[int, list[dict]] = {}
    if result.reasons is not None:
        reasons = result.reasons.sort(["household_id", "seq", "person_id"], nulls_last=False)
        for rr in reasons.with_columns(sentence=sentence()).iter_rows(named=True):
            item = {"rule": rr["rule"], "text": rr["sentence"], "source": rr["source"]}
            if rr["person_id"] is None:
                household_reasons.setdefault(rr["household_id"], []).append(item)
            else:
                by_person[rr["person_id"]]["reasons"].append(item)
    out = []
    for row in result.households.sort("household_id").iter_rows(named=True):
        hid = row["household_id"]
        body = {k: _jsonable(v) for k, v in row.items() if k != "household_id"}
        out.append({
            "id": doc_ids[hid] if doc_ids is not None else hid,
            "on": result.on.isoformat(),
            **body,
            "members": persons.get(hid, []),
            "reasons": household_reasons.get(hid, []),
        })
    return out


def assess_documents(docs: list[Mapping], on: dt.date, params: ParameterSet | None = None, *,
                     explain: bool = True) -> list[dict]:
    """Judge household JSON documents (the `bangfu assess` and `POST /api/assess` format)."""
    frames, doc_ids, member_ids = frames_from_documents(docs)
    # the reader has already checked every code, naming its field
    return result_documents(assess(frames, on, params, explain=explain, check_codes=False), doc_ids, member_ids)
