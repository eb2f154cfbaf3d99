"""Finding rules (issue 5 "Findings"): what a linked list says about the registry.

Each rule reads the rows of one batch (and the registry) and returns unsaved Finding objects;
services.list_import saves them with the batch, and services.link_decide re-runs the row rules
for one row after a worker's decision. Who receives what is read from registry Classification
(dibao / tekun categories with their dates), the registry's record until the benefits app holds
Benefit rows. Limits are policy parameters (asset_*, compulsory_school_age_*,
disability_cert_check_interval_months), resolved for the person's region on the day of the run.

1. not covered (主动发现, R3): people on a risk list who are not in the registry, or whose
   household receives neither dibao nor tekun; for disability lists only severe disability
   (grade 1–2, intellectual or mental grade 3, R1(c) 残; 办法 §8); for unemployment lists only
   people of registered-poor, low-income or near-dibao households.
2. wrongly covered (错保, R5 不错保, R17): recipients on the death list (to stop from the month
   after death); households holding more vehicles, homes or businesses than the parameters allow
   (暂行办法 §9); public employees; people receiving in another region too.
3. disability certificates (R4): registry persons marked disabled, suspected disabled or mentally
   ill with no certificate number and not on the federation's list; certificates past the annual
   check; certificate data differing from the registry, with the proposed update.
4. schooling (R4): children of compulsory-school age on a dropout list.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Q

from bangfu.common.money import format_yuan
from bangfu.regions.codes import level_of, prefix_of, subtree_bounds
from bangfu.registry import choices as rc
from bangfu.registry.models import Classification, Person

from .choices import FindingKind, LinkStatus
from .kinds import kind_by_code
from .models import Finding, ImportBatch, ListRow
from .selectors import receiving_person_ids

DISABILITY_TYPE_BY_LABEL = {"视力": "visual", "听力": "hearing", "言语": "speech", "语言": "speech", "肢体": "physical",
                            "智力": "intellectual", "精神": "mental", "多重": "multiple"}
POOR_CATEGORIES = (rc.Category.REGISTERED_POOR, rc.Category.LOW_INCOME, rc.Category.NEAR_DIBAO)
PROGRAMME_LABEL = {"dibao": "低保", "tekun": "特困供养"}


def _param(name: str, region_code: str, on: dt.date):
    from bangfu.policy.current import current_parameter_set

    return current_parameter_set().value(name, region_code, on)


def _date(text) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(text)[:10]) if text else None
    except ValueError:
        return None


def _month_after(day: dt.date) -> dt.date:
    return dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def _add_months(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    last = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return dt.date(year, month, min(day.day, last))


def disability_type_code(text: str | None) -> str:
    text = (text or "").replace("残疾", "").strip()
    return DISABILITY_TYPE_BY_LABEL.get(text, text if text in DISABILITY_TYPE_BY_LABEL.values() else "")


def is_severe(grade: int | None, type_code: str) -> bool:
    """R1(c) 残 and 办法 §8: grade 1–2, or intellectual or mental grade 3."""
    return grade is not None and (grade <= 2 or (grade == 3 and type_code in ("intellectual", "mental")))


def _finding(batch: ImportBatch, row: ListRow | None, kind: str, summary: str, *, person: Person | None = None, detail=None) -> Finding:
    person = person or (row.person if row is not None else None)
    return Finding(
        batch=batch, row=row, kind=kind, person=person, household_id=person.household_id if person else None,
        region_code=person.region_code if person else row.region_code,
        name=person.name if person else (row.name if row else ""),
        id_number=person.id_number if person else (row.id_number if row else ""),
        summary=summary[:255], detail=detail or {},
    )


def _linked(rows, *, receiving_on: dt.date | None = None, light: bool = False):
    """Accepted rows with their person; with `receiving_on`, only those whose household has a
    dibao or tekun category in force that day (narrowed in SQL, checked exactly afterwards)."""
    qs = rows.filter(link_status=LinkStatus.ACCEPTED, person__isnull=False).select_related("person")
    if light:  # the recipient rules read a few columns; model instances cost per field
        qs = qs.only("id", "batch_id", "row_no", "region_code", "name", "id_number", "data", "link_status", "person_id",
                     "person__id", "person__name", "person__id_number", "person__region_code", "person__household_id")
    if receiving_on is not None:
        from .selectors import receiving_households

        qs = qs.filter(person__household_id__in=receiving_households(receiving_on).values("household_id"))
    return qs


# ---------------------------------------------------------------------------------------------
def not_covered(batch: ImportBatch, rows, today: dt.date) -> list[Finding]:
    out = []
    candidates = list(rows.filter(link_status__in=[LinkStatus.ACCEPTED, LinkStatus.NONE, LinkStatus.REJECTED]).select_related("person"))
    if batch.kind == "disability":
        candidates = [r for r in candidates if is_severe(r.data.get("disability_grade"), disability_type_code(r.data.get("disability_type")))]
    linked = [r for r in candidates if r.link_status == LinkStatus.ACCEPTED and r.person_id]
    receiving = receiving_person_ids([r.person_id for r in linked], today)
    poor: set[int] = set()
    if batch.kind == "unemployment":
        poor = set(Classification.objects.filter(kind=rc.ClassificationKind.CATEGORY, code__in=POOR_CATEGORIES,
                                                 household__in={r.person.household_id for r in linked if r.person.household_id})
                   .filter(Q(end_date__isnull=True) | Q(end_date__gte=today)).values_list("household_id", flat=True))
    label = str(kind_by_code(batch.kind).label)
    for row in candidates:
        if row.link_status == LinkStatus.ACCEPTED and row.person_id:
            if row.person_id in receiving:
                continue
            if batch.kind == "unemployment" and row.person.household_id not in poor:
                continue
            if row.person.status != rc.PersonStatus.ACTIVE:
                continue
            out.append(_finding(batch, row, FindingKind.NOT_COVERED, f"在“{label}”名单上，已在册但未享受低保或特困供养",
                                detail={"in_registry": True, "list": row.data}))
        elif batch.kind != "unemployment":
            out.append(_finding(batch, row, FindingKind.NOT_COVERED, f"在“{label}”名单上，未在困难群众数据库中",
                                detail={"in_registry": False, "list": row.data}))
    return out


def deceased_recipients(batch: ImportBatch, rows, today: dt.date) -> list[Finding]:
    out = []
    from .selectors import RECEIVING_CATEGORIES

    recently = Classification.objects.filter(kind=rc.ClassificationKind.CATEGORY, code__in=RECEIVING_CATEGORIES).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today - dt.timedelta(days=800)))
    linked = list(_linked(rows, light=True).filter(person__household_id__in=recently.values("household_id")))
    by_person = {}
    for row in linked:
        death = _date(row.data.get("death_date"))
        if death is None or death > today:
            continue
        stop_from = _month_after(death)
        on = min(stop_from, today)
        by_person[row.pk] = (row, death, stop_from, on)
    days = {on for (_r, _d, _s, on) in by_person.values()}
    receiving_on = {on: receiving_person_ids([r.person_id for (r, _d, _s, o) in by_person.values() if o == on], on) for on in days}
    for row, death, stop_from, on in by_person.values():
        programmes = receiving_on[on].get(row.person_id)
        if not programmes:
            continue
        names = "、".join(PROGRAMME_LABEL.get(p, p) for p in programmes)
        out.append(_finding(batch, row, FindingKind.DECEASED_RECIPIENT,
                            f"{death.isoformat()}死亡，仍享受{names}；应自{stop_from:%Y年%m月}起停发",
                            detail={"death_date": death.isoformat(), "stop_from": stop_from.isoformat(), "programmes": programmes}))
    return out


ASSET_RULES = {
    "vehicle": ("asset_vehicle_max_count", "辆机动车"),
    "property": ("asset_housing_max_count", "套住房"),
    "business": ("asset_business_max_count", "个经营实体"),
}


def assets_over_limit(batch: ImportBatch, rows, today: dt.date) -> list[Finding]:
    parameter, unit = ASSET_RULES[batch.kind]
    linked = list(_linked(rows, receiving_on=today, light=True))
    receiving = receiving_person_ids([r.person_id for r in linked], today)
    per_household: dict[int, list[ListRow]] = defaultdict(list)
    for row in linked:
        if row.person_id in receiving and row.person.household_id:
            per_household[row.person.household_id].append(row)
    out = []
    for _household_id, items in per_household.items():
        first = items[0]
        region = first.person.region_code
        counted = items
        if batch.kind == "vehicle":
            exempt = _param("asset_vehicle_exempt_below", region, today)
            counted = [r for r in items if r.data.get("vehicle_value") is None or exempt is None or r.data["vehicle_value"] >= exempt]
        limit = _param(parameter, region, today)
        if limit is None or len(counted) <= limit:
            continue
        values = [format_yuan(r.data["vehicle_value"]) for r in counted if r.data.get("vehicle_value") is not None]
        summary = f"享受救助的家庭有{len(counted)}{unit}，超过上限{limit}" + (f"（价值：{'、'.join(values[:5])}）" if values else "")
        out.append(_finding(batch, first, FindingKind.ASSET_OVER_LIMIT, summary,
                            detail={"count": len(counted), "limit": limit, "parameter": parameter, "rows": [r.row_no for r in counted]}))
    return out


def public_employees(batch: ImportBatch, rows, today: dt.date) -> list[Finding]:
    linked = list(_linked(rows, receiving_on=today, light=True))
    receiving = receiving_person_ids([r.person_id for r in linked], today)
    return [_finding(batch, r, FindingKind.PUBLIC_EMPLOYEE,
                     f"财政供养人员（{r.data.get('employer') or '单位未填'}），其家庭享受{'、'.join(PROGRAMME_LABEL.get(p, p) for p in receiving[r.person_id])}",
                     detail={"employer": r.data.get("employer"), "programmes": receiving[r.person_id]})
            for r in linked if r.person_id in receiving]


def double_receipt(batch: ImportBatch, rows, today: dt.date) -> list[Finding]:
    linked = list(_linked(rows, receiving_on=today, light=True))
    receiving = receiving_person_ids([r.person_id for r in linked], today)
    return [_finding(batch, r, FindingKind.DOUBLE_RECEIPT,
                     f"本地享受{'、'.join(PROGRAMME_LABEL.get(p, p) for p in receiving[r.person_id])}，同时在{r.data.get('assistance_region') or '外地'}享受{r.data.get('assistance_type') or '救助'}",
                     detail={"here": receiving[r.person_id], "elsewhere": r.data.get("assistance_region"), "type": r.data.get("assistance_type")})
            for r in linked if r.person_id in receiving]


def double_households(batch: ImportBatch, today: dt.date) -> list[Finding]:
    """A person of the batch's area who is a current member of two households that both receive
    (R17: one person, two households at once), from the registry's membership history."""
    from django.db.models import Count

    from bangfu.registry.models import Membership

    from .selectors import receiving_households

    low, high = subtree_bounds(prefix_of(batch.region_code, level_of(batch.region_code)))
    receiving = receiving_households(today).filter(person__isnull=True).values("household_id")
    open_rows = Membership.objects.filter(region_code__gte=low, region_code__lte=high, end_date__isnull=True, household_id__in=receiving)
    doubled = open_rows.values("person_id").annotate(n=Count("household_id", distinct=True)).filter(n__gte=2).values("person_id")
    out = []
    for person in Person.objects.filter(pk__in=doubled):
        households = sorted(open_rows.filter(person=person).values_list("household_id", flat=True))
        out.append(_finding(batch, None, FindingKind.DOUBLE_RECEIPT, f"同时是{len(households)}个享受救助家庭的成员（家庭编号：{'、'.join(map(str, households))}）",
                            person=person, detail={"households": households}))
    return out


def certificate_rows(batch: ImportBatch, rows, today: dt.date) -> list[Finding]:
    """R4: certificates past the annual check, and certificate data differing from the registry."""
    out = []
    for row in _linked(rows):
        person, data = row.person, row.data
        grade, type_code = data.get("disability_grade"), disability_type_code(data.get("disability_type"))
        proposed = {}
        if data.get("cert_number") and data["cert_number"] != person.disability_cert_number:
            proposed["disability_cert_number"] = [person.disability_cert_number, data["cert_number"]]
        if grade and grade != person.disability_grade:
            proposed["disability_grade"] = [person.disability_grade, grade]
        if type_code and type_code != person.disability_type:
            proposed["disability_type"] = [person.disability_type, type_code]
        for key, fld in (("issue_date", "disability_issue_date"), ("last_check", "disability_last_check")):
            day = _date(data.get(key))
            if day and day != getattr(person, fld):
                proposed[fld] = [getattr(person, fld).isoformat() if getattr(person, fld) else None, day.isoformat()]
        if proposed:
            names = {"disability_cert_number": "证号", "disability_grade": "等级", "disability_type": "类别",
                     "disability_issue_date": "发证日期", "disability_last_check": "年审日期"}
            out.append(_finding(batch, row, FindingKind.CERT_MISMATCH, "残联数据与登记不一致：" + "、".join(names[k] for k in proposed),
                                detail={"proposed": proposed}))
        last = _date(data.get("last_check")) or _date(data.get("issue_date")) or person.disability_last_check or person.disability_issue_date
        if last is not None:
            months = _param("disability_cert_check_interval_months", person.region_code, today) or 12
            due = _add_months(last, int(months))
            if due < today:
                out.append(_finding(batch, row, FindingKind.CERT_OVERDUE, f"最近年审{last.isoformat()}，应于{due.isoformat()}前年审，已逾期",
                                    detail={"last_check": last.isoformat(), "due": due.isoformat(), "interval_months": months}))
    return out


def no_certificate(batch: ImportBatch, today: dt.date) -> list[Finding]:
    """R4: registry persons in the batch's area marked disabled, suspected disabled or mentally ill,
    without a certificate number, whom the federation's list does not hold either."""
    low, high = subtree_bounds(prefix_of(batch.region_code, level_of(batch.region_code)))
    on_list = batch.rows.filter(person__isnull=False, link_status__in=[LinkStatus.ACCEPTED, LinkStatus.REVIEW]).values("person_id")
    people = (Person.objects.filter(region_code__gte=low, region_code__lte=high, status=rc.PersonStatus.ACTIVE, disability_cert_number="")
              .filter(Q(disability_suspected=True) | Q(has_mental_disorder=True) | ~Q(disability_type=""))
              .exclude(pk__in=on_list))
    out = []
    for person in people.iterator(chunk_size=2000):
        why = "精神障碍" if person.has_mental_disorder else ("疑似残疾" if person.disability_suspected else f"登记为{person.get_disability_type_display()}残疾")
        out.append(_finding(batch, None, FindingKind.NO_CERTIFICATE, f"{why}，未持残疾证，残联名单中也没有", person=person,
                            detail={"reason": why}))
    return out


def dropouts(batch: ImportBatch, rows, today: dt.date) -> list[Finding]:
    out = []
    for row in _linked(rows):
        if row.data.get("student_status") != "dropout":
            continue
        person = row.person
        age = person.age_on(today)
        low = _param("compulsory_school_age_min", person.region_code, today)
        high = _param("compulsory_school_age_max", person.region_code, today)
        if low is not None and high is not None and low <= age <= high:
            out.append(_finding(batch, row, FindingKind.DROPOUT, f"{age}岁，义务教育阶段，教育部门名单显示辍学（{row.data.get('school') or '学校未填'}）",
                                detail={"age": age, "school": row.data.get("school")}))
    return out


def row_findings(batch: ImportBatch, rows, today: dt.date) -> list[Finding]:
    """The findings of `rows` (a queryset of the batch's rows)."""
    kind = kind_by_code(batch.kind)
    out: list[Finding] = []
    if batch.kind == "death":
        out += deceased_recipients(batch, rows, today)
    elif batch.kind in ASSET_RULES:
        out += assets_over_limit(batch, rows, today)
    elif batch.kind == "public_employee":
        out += public_employees(batch, rows, today)
    elif batch.kind == "other_assistance":
        out += double_receipt(batch, rows, today)
    if batch.kind == "disability":
        out += certificate_rows(batch, rows, today)
    if batch.kind == "education":
        out += dropouts(batch, rows, today)
    if kind.risk:
        out += not_covered(batch, rows, today)
    return out


def batch_findings(batch: ImportBatch, today: dt.date) -> list[Finding]:
    out = row_findings(batch, batch.rows.all(), today)
    if batch.kind == "disability":
        out += no_certificate(batch, today)
    if batch.kind == "other_assistance":
        out += double_households(batch, today)
    return out


# ---------------------------------------------------------------------------------------------
def judgement(finding: Finding, today: dt.date) -> dict:
    """The engine's first judgement of what may apply to a not-covered person (policy engine).

    In the registry: the household's live determination (the same engine and parameters as the
    household page). Not in the registry: the engine judges a one-person household from what
    the list says (birth date, sex, disability, major illness, schooling); with no income or
    asset data it can only name the special groups and measures (R1(c)), not dibao eligibility."""
    from bangfu.policy.determination import household_determination

    if finding.household_id:
        det = household_determination(finding.household, on=today)
        if not det.ok:
            return {"error": det.error}
        groups = [g for m in det.members for g in m.get("groups", [])]
        return {"scope": "household", "dibao_eligible": det.household.get("dibao_eligible"),
                "dibao_total_fen": det.household.get("dibao_total_fen"),
                "measures": [f"{g['who']}：{g['measure']}" for g in groups][:10]}
    return _judge_unregistered(finding, today)


def _judge_unregistered(finding: Finding, today: dt.date) -> dict:
    from bangfu.policy.current import current_parameter_set
    from bangfu.policy.engine import DocumentError, assess_documents

    from .idcheck import classify

    row = finding.row
    data = row.data if row else {}
    number = classify(finding.id_number or (row.id_raw if row else ""))[1]
    birth = row.birth_date if row and row.birth_date else None
    sex = row.sex if row and row.sex else None
    if number:
        from bangfu.common.idnumber import parse_id_number

        info = parse_id_number(number)
        birth, sex = birth or info.birth_date, sex or info.sex
    if birth is None or sex is None:
        return {"error": "名单中没有出生日期和性别，无法测评；请入户核实后登记"}
    member = {"id": 1, "relation": "head", "birth_date": birth.isoformat(), "sex": sex}
    type_code = disability_type_code(data.get("disability_type"))
    if data.get("disability_grade") and type_code:
        member["disability"] = {"type": type_code, "grade": int(data["disability_grade"]), "cert_number": data.get("cert_number") or "list"}
    if data.get("student_status") == "dropout":
        member["dropped_out"] = True
    doc = {"id": 1, "region_code": finding.region_code, "members": [member]}
    try:
        result = assess_documents([doc], today, current_parameter_set())[0]
    except (DocumentError, Exception) as exc:  # the page must still open
        return {"error": f"无法测评：{str(exc)[:100]}"}
    groups = [g for m in result.get("members", []) for g in m.get("groups", [])]
    return {"scope": "list_only", "measures": [f"{g['who']}：{g['measure']}" for g in groups][:10],
            "note": "仅依据名单信息测评，未含收入和财产；登记入户后按家庭测评"}
