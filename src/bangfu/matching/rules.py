"""Finding rules (issue 5 "Findings"): what a linked list says about the registry.

Each rule reads the rows of one batch (and the registry) set-wise and returns Draft findings;
services.list_import writes them with the batch in one COPY (bulkwrite.write_findings), and
services.link_decide re-runs the row rules for one row after a worker's decision. Who receives
what is read from registry Classification (dibao / tekun categories with their dates), the
registry's record, which the benefits app keeps in step with its Benefit rows; a benefit approved
but first paid next month (benefits.selectors.approved_not_yet_paid) also counts as covered.
Limits are policy parameters (asset_*, compulsory_school_age_*, disability_cert_check_interval_months), resolved for the person's region on the day of the run.

1. not covered (主动发现, R3): people on a risk list who are not in the registry, or whose
   household receives neither dibao nor tekun; for disability lists only severe disability
   (grade 1–2, intellectual or mental grade 3, R1(c) 残; 办法 §8); for unemployment lists only
   people of registered-poor, low-income or near-dibao households.
2. wrongly covered (错保, R5 不错保, R17): recipients on the death list (to stop from the month
   after death); households holding more vehicles, homes or businesses than the parameters allow
   (暂行办法 §9); public employees; people receiving in another region too.
3. disability certificates (R4): registry persons marked disabled, suspected disabled or mentally
   ill with no certificate number and not on the federation's list (only when the list is the
   federation's complete roster, ImportBatch.complete); certificates past the annual
   check; certificate data differing from the registry, with the proposed update.
4. schooling (R4): children of compulsory-school age on a dropout list.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import polars as pl
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bangfu.benefits.selectors import approved_not_yet_paid
from bangfu.common.months import add_months, next_month
from bangfu.common.money import format_yuan
from bangfu.registry import choices as rc
from bangfu.registry.models import Person

from .choices import FindingKind, LinkStatus
from .models import Finding, ImportBatch, kind_by_code
from .ruleframes import (
    ACCEPTED,
    Draft,
    _classifications,
    _data,
    _draft,
    _narrowing,
    _Params,
    _programmes,
    _receiving_today,
    _rows,
)
from .selectors import RECEIVING_CATEGORIES

DISABILITY_TYPE_BY_LABEL = {"视力": "visual", "听力": "hearing", "言语": "speech", "语言": "speech", "肢体": "physical",
                            "智力": "intellectual", "精神": "mental", "多重": "multiple"}
POOR_CATEGORIES = (rc.Category.REGISTERED_POOR, rc.Category.LOW_INCOME, rc.Category.NEAR_DIBAO)
PROGRAMME_LABEL = {"dibao": gettext_lazy("低保"), "tekun": gettext_lazy("特困供养")}


def _date(text) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(text)[:10]) if text else None
    except ValueError:
        return None


def disability_type_code(text: str | None) -> str:
    text = (text or "").replace("残疾", "").strip()
    return DISABILITY_TYPE_BY_LABEL.get(text, text if text in DISABILITY_TYPE_BY_LABEL.values() else "")


def is_severe(grade: int | None, type_code: str) -> bool:
    """R1(c) 残 and 办法 §8: grade 1–2, or intellectual or mental grade 3."""
    return grade is not None and (grade <= 2 or (grade == 3 and type_code in ("intellectual", "mental")))


def _names(programmes) -> str:
    return "、".join(str(PROGRAMME_LABEL.get(p, p)) for p in programmes)


# ---------------------------------------------------------------------------------------------
def not_covered(batch: ImportBatch, row_ids, today: dt.date) -> list[Draft]:
    """Rows not linked (or whose proposed link a worker rejected) are people not in the registry:
    the finding carries what the list says, never the rejected person (issue 5 §Findings 1)."""
    out = []
    candidates = _rows(batch, row_ids, [LinkStatus.ACCEPTED, LinkStatus.NONE, LinkStatus.REJECTED], linked=False)
    if batch.kind == "disability":
        candidates = [r for r in candidates
                      if is_severe(_data(r).get("disability_grade"), disability_type_code(_data(r).get("disability_type")))]
    linked = [r for r in candidates if r["link_status"] == LinkStatus.ACCEPTED and r["p_id"] is not None]
    receiving = _receiving_today(linked, today)
    # approved and paid from next month (办法 §21) is covered too: not yet receiving, not "not covered"
    waiting = approved_not_yet_paid([r["p_id"] for r in linked], today)
    poor: set[int] = set()
    if batch.kind == "unemployment":
        cls = _classifications([r["p_id"] for r in linked], POOR_CATEGORIES).filter(pl.col("end_date").is_null() | (pl.col("end_date") >= today))
        poor = set(cls["person_id"].to_list())  # a poor category of the person's household, whoever it names
    label = str(kind_by_code(batch.kind).label)
    for row in candidates:
        if row["link_status"] == LinkStatus.ACCEPTED and row["p_id"] is not None:
            if row["row_id"] in receiving or row["p_id"] in waiting:
                continue
            if batch.kind == "unemployment" and (row["household_id"] is None or row["p_id"] not in poor):
                continue
            if row["p_status"] != rc.PersonStatus.ACTIVE:
                continue
            out.append(_draft(row, FindingKind.NOT_COVERED, _("在“%(list)s”名单上，已在册但未享受低保或特困供养") % {"list": label},
                              {"in_registry": True, "list": _data(row)}))
        elif batch.kind != "unemployment":
            out.append(_draft(row, FindingKind.NOT_COVERED, _("在“%(list)s”名单上，未在困难群众数据库中") % {"list": label},
                              {"in_registry": False, "list": _data(row)}, in_registry=False))
    return out


def deceased_recipients(batch: ImportBatch, row_ids, today: dt.date) -> list[Draft]:
    # households with a receiving category not ended more than 800 days ago; exactly on the day after
    narrow = _narrowing(ended_since=today - dt.timedelta(days=800))
    linked = _rows(batch, row_ids, ACCEPTED, linked=True, narrow=narrow)
    cls = _classifications([r["p_id"] for r in linked], RECEIVING_CATEGORIES)
    dead = {}
    for row in linked:
        death = _date(_data(row).get("death_date"))
        if death is None or death > today:
            continue
        stop_from = next_month(death)
        dead[row["row_id"]] = (row, death, stop_from, min(stop_from, today))
    receiving = _programmes(cls, [(key, row["p_id"], on) for key, (row, _d, _s, on) in dead.items()])
    out = []
    for key, (row, death, stop_from, _on) in dead.items():
        programmes = receiving.get(key)
        if not programmes:
            continue
        out.append(_draft(row, FindingKind.DECEASED_RECIPIENT, _("%(date)s死亡，仍享受%(programmes)s；应自%(year)s年%(month)s月起停发")
                          % {"date": death.isoformat(), "programmes": _names(programmes), "year": stop_from.year, "month": f"{stop_from.month:02d}"},
                          {"death_date": death.isoformat(), "stop_from": stop_from.isoformat(), "programmes": programmes}))
    return out


ASSET_RULES = {
    "vehicle": ("asset_vehicle_max_count", gettext_lazy("享受救助的家庭有%(count)s辆机动车，超过上限%(limit)s")),
    "property": ("asset_housing_max_count", gettext_lazy("享受救助的家庭有%(count)s套住房，超过上限%(limit)s")),
    "business": ("asset_business_max_count", gettext_lazy("享受救助的家庭有%(count)s个经营实体，超过上限%(limit)s")),
}


def assets_over_limit(batch: ImportBatch, row_ids, today: dt.date) -> list[Draft]:
    parameter, unit = ASSET_RULES[batch.kind]
    param = _Params(today)
    linked = _rows(batch, row_ids, ACCEPTED, linked=True, narrow=_narrowing(on=today))
    receiving = _receiving_today(linked, today)
    per_household: dict[int, list[dict]] = defaultdict(list)
    for row in linked:
        if row["row_id"] in receiving and row["household_id"]:
            per_household[row["household_id"]].append(row)
    out = []
    for items in per_household.values():
        first = items[0]
        region = first["p_region"]
        counted = items
        if batch.kind == "vehicle":
            exempt = param("asset_vehicle_exempt_below", region)
            counted = [r for r in items if _data(r).get("vehicle_value") is None or exempt is None or _data(r)["vehicle_value"] >= exempt]
        limit = param(parameter, region)
        if limit is None or len(counted) <= limit:
            continue
        values = [format_yuan(_data(r)["vehicle_value"]) for r in counted if _data(r).get("vehicle_value") is not None]
        summary = str(unit) % {"count": len(counted), "limit": limit} + (_("（价值：%(values)s）") % {"values": "、".join(values[:5])} if values else "")
        out.append(_draft(first, FindingKind.ASSET_OVER_LIMIT, summary,
                          {"count": len(counted), "limit": limit, "parameter": parameter, "rows": [r["row_no"] for r in counted]}))
    return out


def public_employees(batch: ImportBatch, row_ids, today: dt.date) -> list[Draft]:
    linked = _rows(batch, row_ids, ACCEPTED, linked=True, narrow=_narrowing(on=today))
    receiving = _receiving_today(linked, today)
    out = []
    for r in linked:
        if (programmes := receiving.get(r["row_id"])) is None:
            continue
        employer = _data(r).get("employer")
        out.append(_draft(r, FindingKind.PUBLIC_EMPLOYEE, _("财政供养人员（%(employer)s），其家庭享受%(programmes)s") % {"employer": employer or _("单位未填"), "programmes": _names(programmes)},
                          {"employer": employer, "programmes": programmes}))
    return out


def double_receipt(batch: ImportBatch, row_ids, today: dt.date) -> list[Draft]:
    linked = _rows(batch, row_ids, ACCEPTED, linked=True, narrow=_narrowing(on=today))
    receiving = _receiving_today(linked, today)
    out = []
    for r in linked:
        if (programmes := receiving.get(r["row_id"])) is None:
            continue
        data = _data(r)
        out.append(_draft(r, FindingKind.DOUBLE_RECEIPT,
                          _("本地享受%(here)s，同时在%(where)s享受%(what)s") % {"here": _names(programmes), "where": data.get("assistance_region") or _("外地"),
                                                           "what": data.get("assistance_type") or _("救助")},
                          {"here": programmes, "elsewhere": data.get("assistance_region"), "type": data.get("assistance_type")}))
    return out


def _person_draft(person: dict, kind: str, summary: str, detail: dict) -> Draft:
    return Draft(kind, summary[:255], detail, None, person["id"], person["household_id"], person["region_code"], person["name"], person["id_number"])


def double_households(batch: ImportBatch, today: dt.date) -> list[Draft]:
    """A person of the batch's area who is a current member of two households that both receive
    (R17: one person, two households at once), from the registry's membership history."""
    from django.db.models import Count

    from bangfu.registry.models import Membership

    from .selectors import receiving_households

    receiving = receiving_households(today).filter(person__isnull=True).values("household_id")
    open_rows = Membership.objects.within(batch.region_code).filter(end_date__isnull=True, household_id__in=receiving)
    doubled = open_rows.values("person_id").annotate(n=Count("household_id", distinct=True)).filter(n__gte=2).values("person_id")
    households: dict[int, set[int]] = defaultdict(set)
    for pid, hid in open_rows.filter(person_id__in=doubled).values_list("person_id", "household_id"):
        households[pid].add(hid)
    out = []
    for person in Person.objects.filter(pk__in=doubled).order_by("pk").values("id", "household_id", "region_code", "name", "id_number"):
        held = sorted(households[person["id"]])
        out.append(_person_draft(person, FindingKind.DOUBLE_RECEIPT, _("同时是%(count)s个享受救助家庭的成员（家庭编号：%(ids)s）") % {"count": len(held), "ids": "、".join(map(str, held))},
                                 {"households": held}))
    return out


CERT_FIELD_NAMES = {"disability_cert_number": gettext_lazy("证号"), "disability_grade": gettext_lazy("等级"),
                    "disability_type": gettext_lazy("类别"), "disability_issue_date": gettext_lazy("发证日期"),
                    "disability_last_check": gettext_lazy("年审日期")}


def certificate_rows(batch: ImportBatch, row_ids, today: dt.date) -> list[Draft]:
    """R4: certificates past the annual check, and certificate data differing from the registry."""
    param = _Params(today)
    out = []
    for row in _rows(batch, row_ids, ACCEPTED, linked=True, extra=True):
        data = _data(row)
        grade, type_code = data.get("disability_grade"), disability_type_code(data.get("disability_type"))
        proposed = {}
        if data.get("cert_number") and data["cert_number"] != row["disability_cert_number"]:
            proposed["disability_cert_number"] = [row["disability_cert_number"], data["cert_number"]]
        if grade and grade != row["disability_grade"]:
            proposed["disability_grade"] = [row["disability_grade"], grade]
        if type_code and type_code != row["disability_type"]:
            proposed["disability_type"] = [row["disability_type"], type_code]
        for key, fld in (("issue_date", "disability_issue_date"), ("last_check", "disability_last_check")):
            day = _date(data.get(key))
            if day and day != row[fld]:
                proposed[fld] = [row[fld].isoformat() if row[fld] else None, day.isoformat()]
        if proposed:
            out.append(_draft(row, FindingKind.CERT_MISMATCH, _("残联数据与登记不一致：%(fields)s") % {"fields": "、".join(str(CERT_FIELD_NAMES[k]) for k in proposed)},
                              {"proposed": proposed}))
        last = _date(data.get("last_check")) or _date(data.get("issue_date")) or row["disability_last_check"] or row["disability_issue_date"]
        if last is not None:
            months = param("disability_cert_check_interval_months", row["p_region"]) or 12
            due = add_months(last, int(months))
            if due < today:
                out.append(_draft(row, FindingKind.CERT_OVERDUE, _("最近年审%(last)s，应于%(due)s前年审，已逾期") % {"last": last.isoformat(), "due": due.isoformat()},
                                  {"last_check": last.isoformat(), "due": due.isoformat(), "interval_months": months}))
    return out


def no_certificate(batch: ImportBatch, today: dt.date) -> list[Draft]:
    """R4: registry persons in the batch's area marked disabled, suspected disabled or mentally ill,
    without a certificate number, whom the federation's list does not hold either."""
    on_list = batch.rows.filter(person__isnull=False, link_status__in=[LinkStatus.ACCEPTED, LinkStatus.REVIEW]).values("person_id")
    # a refused row is linked to no one, but a valid number on it still says who is on the list
    refused = batch.rows.filter(link_status=LinkStatus.REFUSED).exclude(id_number="").values("id_number")
    people = (Person.objects.within(batch.region_code).filter(status=rc.PersonStatus.ACTIVE, disability_cert_number="")
              .filter(Q(disability_suspected=True) | Q(has_mental_disorder=True) | ~Q(disability_type=""))
              .exclude(pk__in=on_list).exclude(id_number__in=refused).order_by("pk"))
    type_labels = dict(Person._meta.get_field("disability_type").flatchoices)
    out = []
    for person in people.values("id", "household_id", "region_code", "name", "id_number", "has_mental_disorder",
                                "disability_suspected", "disability_type").iterator(chunk_size=5000):
        why = (_("精神障碍") if person["has_mental_disorder"] else
               (_("疑似残疾") if person["disability_suspected"] else
                _("登记为%(type)s残疾") % {"type": type_labels.get(person["disability_type"], person["disability_type"])}))
        out.append(_person_draft(person, FindingKind.NO_CERTIFICATE, _("%(why)s，未持残疾证，残联名单中也没有") % {"why": why}, {"reason": why}))
    return out


def dropouts(batch: ImportBatch, row_ids, today: dt.date) -> list[Draft]:
    param = _Params(today)
    out = []
    for row in _rows(batch, row_ids, ACCEPTED, linked=True, extra=True):
        data = _data(row)
        if data.get("student_status") != "dropout" or row["birth_date"] is None:
            continue
        birth = row["birth_date"]
        age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))  # Person.age_on
        low, high = param("compulsory_school_age_min", row["p_region"]), param("compulsory_school_age_max", row["p_region"])
        if low is not None and high is not None and low <= age <= high:
            out.append(_draft(row, FindingKind.DROPOUT, _("%(age)s岁，义务教育阶段，教育部门名单显示辍学（%(school)s）") % {"age": age, "school": data.get("school") or _("学校未填")},
                              {"age": age, "school": data.get("school")}))
    return out


def row_findings(batch: ImportBatch, today: dt.date, row_ids=None) -> list[Draft]:
    """The findings of the batch's rows (all of them, or those of `row_ids`)."""
    kind = kind_by_code(batch.kind)
    row_ids = list(row_ids) if row_ids is not None else None
    out: list[Draft] = []
    if batch.kind == "death":
        out += deceased_recipients(batch, row_ids, today)
    elif batch.kind in ASSET_RULES:
        out += assets_over_limit(batch, row_ids, today)
    elif batch.kind == "public_employee":
        out += public_employees(batch, row_ids, today)
    elif batch.kind == "other_assistance":
        out += double_receipt(batch, row_ids, today)
    if batch.kind == "disability":
        out += certificate_rows(batch, row_ids, today)
    if batch.kind == "education":
        out += dropouts(batch, row_ids, today)
    if kind.risk:
        out += not_covered(batch, row_ids, today)
    return out


def batch_findings(batch: ImportBatch, today: dt.date) -> list[Draft]:
    """The row findings, and those of the batch as a whole. A finding that rests on someone's
    ABSENCE from the list (no certificate: "not on the federation's list either") comes only from
    a complete list (全量, the department's roster for the area): absence from a partial list
    (增量, a few rows) says nothing (issue 12)."""
    out = row_findings(batch, today)
    if batch.kind == "disability" and batch.complete:
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
    from bangfu.policy.assessment import AssessmentError, household_assess

    if finding.household_id:
        try:
            judged = household_assess(household=finding.household, on=today)
        except AssessmentError as exc:
            return {"error": exc.message}
        groups = [g for m in judged.members for g in m.get("groups", [])]
        return {"scope": "household", "dibao_eligible": judged.household.get("dibao_eligible"),
                "dibao_total_fen": judged.household.get("dibao_total_fen"),
                "measures": [f"{g['who']}：{g['measure']}" for g in groups][:10]}
    return _judge_unregistered(finding, today)


def _judge_unregistered(finding: Finding, today: dt.date) -> dict:
    from bangfu.policy.current import current_parameter_set
    from bangfu.policy.engine import DocumentError, SchemaError, assess_documents
    from bangfu.policy.parameters import ParameterError

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
        return {"error": _("名单中没有出生日期和性别，无法测评；请入户核实后登记")}
    member = {"id": 1, "relation": "head", "birth_date": birth.isoformat(), "sex": sex}
    type_code = disability_type_code(data.get("disability_type"))
    if data.get("disability_grade") and type_code:
        member["disability"] = {"type": type_code, "grade": int(data["disability_grade"]), "cert_number": data.get("cert_number") or "list"}
    if data.get("student_status") == "dropout":
        member["dropped_out"] = True
    doc = {"id": 1, "region_code": finding.region_code, "members": [member]}
    try:
        result = assess_documents([doc], today, current_parameter_set())[0]
    except (DocumentError, SchemaError, ParameterError) as exc:  # what the engine names for a document it cannot judge
        return {"error": _("无法测评：%(reason)s") % {"reason": str(exc)[:100]}}
    groups = [g for m in result.get("members", []) for g in m.get("groups", [])]
    return {"scope": "list_only", "measures": [f"{g['who']}：{g['measure']}" for g in groups][:10],
            "note": _("仅依据名单信息测评，未含收入和财产；登记入户后按家庭测评")}
