"""The steps of the workflow: one handler per action of the transition table, called by
`services.case_perform` inside its transaction after the table, role, region and version checks. A
handler validates the step's data, records it on the case and returns the event's comment; it
raises CaseError to refuse (the whole transaction then rolls back)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from bangfu.accounts.access import in_scope
from bangfu.benefits import services as benefit_services
from bangfu.benefits.choices import ChangeKind, OneOffKind, Programme, SupportMode
from bangfu.policy import services as policy_services
from bangfu.registry.models import Household, Person

from .assessment import assess_case, proposed_amount, tekun_part
from .choices import APPLICATION_TYPES, PROGRAMME_OF, CaseType as T, ObjectionOutcome, Origin, Proposal
from .models import Investigation, Level, Objection
from .notices import notice_issue
from .rules import (
    GRADUAL_EXIT_MAX_MONTHS,
    NOTICE_DAYS,
    TOTAL_DAYS_EXTENDED,
    CaseError,
    _require_reason,
    is_delegated,
    township_limit_fen,
)
from .workdays import add_workdays


def _h_request_documents(case, *, data, **_kw):
    if case.documents_requested_on is not None:
        raise CaseError(_("已一次性告知过需补齐的材料，不能再次要求（《最低生活保障审核确认办法》第十条）"))
    items = [str(x).strip() for x in (data.get("documents") or []) if str(x).strip()]
    if not items:
        raise CaseError(_("请列出需补齐的全部材料"))
    case.missing_documents = items
    case.documents_requested_on = _kw["today"]
    return _("需补齐：%(items)s") % {"items": _("、").join(items)}


def _h_accept(case, *, acting_user, data, today, **_kw):
    household_id = data.get("household_id")
    if household_id:
        try:
            household = Household.objects.get(pk=household_id)
        except (Household.DoesNotExist, ValueError, TypeError):
            raise CaseError(_("户号 %(id)s 不存在或不在您的辖区") % {"id": household_id}) from None
        if not in_scope(acting_user, household.region_code) or household.region_code != case.region_code:
            raise CaseError(_("户号 %(id)s 不存在或不在您的辖区") % {"id": household_id})
        case.household = household
    if case.household_id is None:
        raise CaseError(_("请先关联申请家庭（户号）再受理"))
    if case.identity_unverified:
        raise CaseError(_("申请人身份未核实：网上申请所填身份证号属于在册家庭成员，须请申请人持身份证到乡镇（街道）当面核实后再受理"))
    if case.case_type in (T.DIBAO_INDIVIDUAL, T.TEKUN) and case.person_id is None:
        person = Person.objects.filter(household_id=case.household_id, id_number=case.applicant_id_number).first()
        if person is None:
            raise CaseError(_("单独申请和特困人员认定的申请人须是该家庭的在册成员"))
        case.person = person
    if case.documents_requested_on:
        case.missing_documents = []
    case.accepted_on = today
    case.accepted_by = acting_user
    programme = PROGRAMME_OF.get(case.case_type)
    case.delegated = programme in ("dibao", "tekun") and is_delegated(case.region_code, programme, today)
    case.decider_level = Level.TOWNSHIP if case.delegated else Level.COUNTY
    return data.get("comment", "")


def _h_verify_identity(case, *, data, **_kw):
    """The township saw the applicant of an online application in person, with their ID card, and
    found them to be the member whose ID number the form named. Records how; changes no registry
    data (what the applicant typed stays on the case only)."""
    if not case.identity_unverified:
        raise CaseError(_("该申请无需核实申请人身份"))
    how = _require_reason(data)
    case.identity_unverified = False
    return _("申请人身份已当面核实：%(how)s") % {"how": how}


def _h_decline(case, *, data, today, **_kw):
    reason = _require_reason(data)
    case.decision_reasons = reason
    case.notified_on = today
    notice_issue(case, today, level=Level.TOWNSHIP)  # 不予受理: the township's own notice
    return reason


def _h_start_investigation(case, *, acting_user, today, data, **_kw):
    return data.get("comment", "")


def _attach_determination(case, today, support_mode: str = ""):
    doc = assess_case(case, today, support_mode=support_mode)
    case.determination = doc
    case.determined_on = today
    case.amount_fen = proposed_amount(case.case_type, doc, case.person_id)
    case.review_class = doc.get("review_class") or ""
    return doc


def _h_record_investigation(case, *, acting_user, data, today, **_kw):
    ids = {int(x) for x in (data.get("investigators") or [])}
    if len(ids) < 2:
        raise CaseError(_("入户调查须有两名以上调查人员（《最低生活保障审核确认办法》第十六条）"))
    from bangfu.accounts.models import User

    users = list(User.objects.filter(pk__in=ids, is_active=True))
    if len(users) != len(ids) or any(not in_scope(u, case.region_code) for u in users):
        raise CaseError(_("调查人员须是负责该地区的在岗工作人员"))
    if case.related_staff_id in ids:
        raise CaseError(_("与申请人存在近亲属关系的工作人员不能参与调查（《最低生活保障审核确认办法》第十一条）"))
    visit_record = (data.get("visit_record") or "").strip()
    economic_check = (data.get("economic_check") or "").strip()
    if not visit_record:
        raise CaseError(_("请填写入户调查记录"))
    if not economic_check:
        raise CaseError(_("请填写家庭经济状况核对结果"))
    support_mode = (data.get("support_mode") or "") if case.case_type == T.TEKUN else ""
    if support_mode and support_mode not in SupportMode.values:
        raise CaseError(_("供养方式须为分散供养或集中供养"))
    inv = Investigation.objects.create(
        case=case, region_code=case.region_code, started_on=data.get("visited_on") or today,
        visited_on=data.get("visited_on") or today, visit_record=visit_record, economic_check=economic_check,
        recorded_by=acting_user)
    inv.investigators.set(users)
    doc = _attach_determination(case, today, support_mode)
    names = _("、").join(u.get_full_name() or u.username for u in users)
    return _("调查人员：%(names)s；测评：%(result)s") % {"names": names, "result": _summary(case, doc)}


def _summary(case, doc) -> str:
    from bangfu.common.money import format_yuan

    if case.amount_fen is None:
        return _("未得出金额")
    if case.case_type in (T.TEMPORARY_EMERGENCY, T.TEMPORARY_EXPENDITURE):
        return _("临时救助%(grade)s，建议%(amount)s元") % {"grade": doc.get("ta_grade_label") or "",
                                                        "amount": format_yuan(case.amount_fen)}
    if case.case_type == T.TEKUN:
        return _tekun_text(doc, case.person_id) or _("不符合特困人员条件")
    return _("月低保金%(amount)s元") % {"amount": format_yuan(case.amount_fen)}


def _h_propose_approval(case, *, acting_user, data, today, **_kw):
    case.initial_opinion = (data.get("comment") or _("经调查核实，拟同意")).strip()
    case.initial_reviewed_by = acting_user
    if case.case_type in APPLICATION_TYPES:
        case.notice_start = today
        case.notice_end = today + dt.timedelta(days=NOTICE_DAYS - 1)  # 7 days including the first
    elif case.case_type == T.TEMPORARY_EXPENDITURE:
        if not case.amount_fen:
            raise CaseError(_("测评未得出临时救助金额，不能提出同意意见"))
        limit = township_limit_fen(case.region_code, today)
        case.decider_level = Level.TOWNSHIP if case.amount_fen <= limit else Level.COUNTY
    return case.initial_opinion


def _h_propose_rejection(case, *, acting_user, data, **_kw):
    case.initial_opinion = _require_reason(data)
    case.initial_reviewed_by = acting_user
    return case.initial_opinion


def _h_objection(outcome):
    def handler(case, *, acting_user, data, today, **_kw):
        content = _require_reason(data)
        Objection.objects.create(case=case, region_code=case.region_code, received_on=data.get("received_on") or today,
                                 content=content, outcome=outcome, recorded_by=acting_user)
        case.notice_start = case.notice_end = None  # a new notice follows the new initial review
        return content
    return handler


def _h_democratic_review(case, *, data, **_kw):
    record = _require_reason(data)
    case.democratic_review_record = record
    return record


def _h_end_notice(case, *, today, **_kw):
    if case.notice_end is None or today <= case.notice_end:
        raise CaseError(_("公示期（7天）尚未届满，公示截止日为 %(d)s") % {"d": case.notice_end})
    return ""


def _check_decision_preconditions(case):
    if (case.related_staff_id or case.related_staff_name) and case.county_visit_on is None:
        raise CaseError(_("申请人是工作人员近亲属，须先由县级民政部门入户核查（《最低生活保障审核确认办法》第二十条）"))


def _amount_fen(data) -> int | None:
    """The step's `amount_fen` (an API caller sends any JSON): None when not given, else a whole
    number of fen from 0 to MAX_FEN (a larger one overflowed the database: a 500)."""
    from bangfu.common.money import MAX_FEN, MAX_YUAN

    raw = data.get("amount_fen")
    if raw in (None, ""):
        return None
    if isinstance(raw, bool) or not (isinstance(raw, int) or (isinstance(raw, str) and raw.strip().isdigit())):
        raise CaseError(_("金额应为整数（分）"))
    amount = int(raw)
    if not 0 <= amount <= MAX_FEN:
        raise CaseError(_("金额过大：不能超过 %(max)s 元") % {"max": f"{MAX_YUAN:,}"})
    return amount


def _tekun_text(doc, person_id) -> str:
    """"特困供养金 X 元（基本生活 Y 元 + 分散供养照料护理 Z 元）", or "" when not tekun-eligible."""
    from bangfu.common.money import format_yuan

    p = tekun_part(doc, person_id)
    if not p or not p.get("tekun_eligible") or not p.get("tekun_amount_fen"):
        return ""
    mode = SupportMode(p["tekun_support_mode"]).label if p.get("tekun_support_mode") in SupportMode.values else ""
    return _("特困供养金%(amount)s元（基本生活%(basic)s元＋%(mode)s照料护理%(care)s元）") % {
        "amount": format_yuan(p["tekun_amount_fen"]), "basic": format_yuan(p.get("tekun_basic_fen") or 0),
        "mode": mode, "care": format_yuan(p.get("tekun_care_fen") or 0)}


def _approve_tekun(case, *, acting_user, data, today):
    """A tekun case is approved at the engine's amount for the member (国发〔2016〕14号 二、（三）:
    basic living + care, by standard — not a figure typed by the decider; issue 14). The benefit
    stores the two parts and the support mode."""
    from bangfu.common.money import format_yuan

    p = tekun_part(case.determination, case.person_id)
    if not p or not p.get("tekun_eligible") or not p.get("tekun_amount_fen"):
        raise CaseError(_("测评认定该成员不符合特困人员条件，不能按特困供养批准；请不予批准，或退回乡镇核实后重新调查"))
    amount = p["tekun_amount_fen"]
    typed = _amount_fen(data)
    if typed is not None and typed != amount:
        raise CaseError(_("特困供养金按标准核定为 %(amount)s 元，不能另填金额") % {"amount": format_yuan(amount)})
    case.amount_fen = amount
    case.decided_by, case.decided_on = acting_user, today
    case.decision_reasons = (data.get("comment") or "").strip()
    case.benefit = benefit_services.benefit_grant(
        acting_user=acting_user, household=case.household, programme=Programme.TEKUN, monthly_amount_fen=amount,
        approved_on=today, case_id=case.pk, person=case.person,
        parts={"basic_fen": p.get("tekun_basic_fen") or 0, "care_fen": p.get("tekun_care_fen") or 0},
        support_mode=p.get("tekun_support_mode") or "")
    text = _tekun_text(case.determination, case.person_id)
    return f"{text}；{case.decision_reasons}" if case.decision_reasons else text


def _h_approve(case, *, acting_user, data, today, **_kw):
    from bangfu.common.money import format_yuan

    _check_decision_preconditions(case)
    if case.case_type == T.TEMPORARY_EMERGENCY:
        return _approve_emergency_rest(case, acting_user=acting_user, data=data, today=today)
    if case.case_type in APPLICATION_TYPES and case.notice_end is None:
        raise CaseError(_("该申请未经公示，不能批准；请退回乡镇重新初审"))
    if case.case_type == T.TEKUN:
        return _approve_tekun(case, acting_user=acting_user, data=data, today=today)
    amount = _amount_fen(data)
    amount = amount if amount is not None else case.amount_fen
    if not amount or amount <= 0:
        raise CaseError(_("测评核定的金额为零，不能批准；请填写核定金额或不予批准"))
    reasons = (data.get("comment") or "").strip()
    engine = proposed_amount(case.case_type, case.determination, case.person_id) if case.determination else None
    above = case.case_type != T.TEMPORARY_EXPENDITURE and engine is not None and amount > engine
    if above and not reasons:
        # 《最低生活保障审核确认办法》: the amount follows the household's assessed income; an amount
        # above the assessment is the decider's own judgement and is recorded with its reason
        raise CaseError(_("核定金额 %(amount)s 元高于测评金额 %(engine)s 元，须在“意见或说明”中写明理由")
                        % {"amount": format_yuan(amount), "engine": format_yuan(engine)})
    case.amount_fen = amount
    case.decided_by, case.decided_on = acting_user, today
    case.decision_reasons = reasons
    notice_issue(case, today)
    if case.case_type == T.TEMPORARY_EXPENDITURE:
        engine = proposed_amount(case.case_type, case.determination, case.person_id)
        if engine is not None and amount > engine:
            raise CaseError(_("金额不能高于测评分档的建议金额"))
        benefit_services.one_off_payment_create(acting_user=acting_user, household=case.household, amount_fen=amount, approved_on=today,
                                  case_id=case.pk, kind=OneOffKind.EXPENDITURE)
    else:
        person = case.person if case.case_type == T.DIBAO_INDIVIDUAL else None
        benefit = benefit_services.benefit_grant(acting_user=acting_user, household=case.household, programme=Programme.DIBAO,
                                         monthly_amount_fen=amount, approved_on=today, case_id=case.pk,
                                         review_class=case.review_class, person=person)
        case.benefit = benefit
    if above:
        return _("核定金额 %(amount)s 元高于测评金额 %(engine)s 元，理由：%(reasons)s") % {
            "amount": format_yuan(amount), "engine": format_yuan(engine), "reasons": reasons}
    return case.decision_reasons


def _h_reject(case, *, acting_user, data, today, **_kw):
    _check_decision_preconditions(case)
    case.decision_reasons = _require_reason(data)
    case.decided_by, case.decided_on = acting_user, today
    notice_issue(case, today)
    return case.decision_reasons


def _h_return(case, *, data, **_kw):
    return _require_reason(data)


def _h_notify_rejection(case, *, today, data, **_kw):
    case.notified_on = today
    return data.get("comment", "")


def _emergency_amounts(case, data, today):
    """(engine amount, amount asked, township limit) of an emergency case, the determination attached."""
    doc = _attach_determination(case, today)
    engine_amount = case.amount_fen
    if not engine_amount:
        raise CaseError(_("测评未得出急难型临时救助金额，请核实急难事件、发生日期和损失金额"))
    amount = _amount_fen(data)
    amount = amount if amount is not None else engine_amount
    if amount > engine_amount:
        raise CaseError(_("金额不能高于测评分档的建议金额"))
    if amount <= 0:
        raise CaseError(_("请填写救助金额"))
    return doc, engine_amount, amount, township_limit_fen(case.region_code, today)


def _h_grant_first(case, *, acting_user, data, today, **_kw):
    """先行救助 by the township within its limit (暂行办法 §48: "情况紧急的，可以按照规定简化审批手续")."""
    from bangfu.common.money import format_yuan

    doc, _engine, amount, limit = _emergency_amounts(case, data, today)
    if amount > limit:
        raise CaseError(_("先行救助金额须在乡镇（街道）审批限额 %(limit)s 元以内；超过限额的，请办理“在限额内先行救助，余额报县级审批”，"
                          "或由县级民政部门先行救助") % {"limit": format_yuan(limit)})
    case.amount_fen = amount
    case.paid_first_fen = amount
    case.decider_level = Level.TOWNSHIP
    case.decided_by, case.decided_on = acting_user, today
    notice_issue(case, today)
    benefit_services.one_off_payment_create(acting_user=acting_user, household=case.household, amount_fen=amount, approved_on=today,
                              case_id=case.pk, kind=OneOffKind.EMERGENCY)
    return _summary(case, doc)


def _h_grant_first_refer(case, *, acting_user, data, today, **_kw):
    """An emergency above the township's limit is not refused for its size (暂行办法 §48; 国发〔2014〕
    47号 "紧急程序": 乡镇人民政府（街道办事处）、县级民政部门应先行救助): the township pays its limit at
    once and the rest (the assessed amount less what it paid) goes to the county, which decides it
    like any temporary assistance above the township's limit ("approve" / "reject")."""
    from bangfu.common.money import format_yuan

    _doc, _engine, amount, limit = _emergency_amounts(case, data, today)
    if amount <= limit:
        raise CaseError(_("金额在乡镇（街道）审批限额以内，请直接先行救助"))
    case.amount_fen = amount
    case.paid_first_fen = limit
    case.decider_level = Level.COUNTY
    case.initial_opinion = (data.get("comment") or "").strip()
    case.initial_reviewed_by = acting_user
    benefit_services.one_off_payment_create(acting_user=acting_user, household=case.household, amount_fen=limit, approved_on=today,
                              case_id=case.pk, kind=OneOffKind.EMERGENCY)
    return _("乡镇（街道）在审批限额内先行救助 %(first)s 元，余额 %(rest)s 元报县级民政部门审批（测评金额 %(amount)s 元）") % {
        "first": format_yuan(limit), "rest": format_yuan(amount - limit), "amount": format_yuan(amount)}


def _h_county_grant_first(case, *, acting_user, data, today, **_kw):
    """The county civil-affairs bureau helps first with the whole amount (国发〔2014〕47号 紧急程序:
    县级人民政府民政部门应先行救助); the township completes the paperwork afterwards."""
    doc, _engine, amount, _limit = _emergency_amounts(case, data, today)
    case.amount_fen = amount
    case.paid_first_fen = amount
    case.decider_level = Level.COUNTY
    case.decided_by, case.decided_on = acting_user, today
    case.decision_reasons = (data.get("comment") or "").strip()
    notice_issue(case, today)
    benefit_services.one_off_payment_create(acting_user=acting_user, household=case.household, amount_fen=amount, approved_on=today,
                              case_id=case.pk, kind=OneOffKind.EMERGENCY)
    return _("县级民政部门先行救助：") + _summary(case, doc)


def _approve_emergency_rest(case, *, acting_user, data, today):
    """The county decides the rest of an emergency the township helped first within its limit."""
    from bangfu.common.money import format_yuan

    rest = (case.amount_fen or 0) - (case.paid_first_fen or 0)
    if rest <= 0:
        raise CaseError(_("没有需要县级审批的余额"))
    amount = _amount_fen(data)
    amount = rest if amount is None else amount
    if not 0 < amount <= rest:
        raise CaseError(_("县级审批的金额须大于零，且不超过余额 %(rest)s 元") % {"rest": format_yuan(rest)})
    case.amount_fen = case.paid_first_fen + amount
    case.decided_by, case.decided_on = acting_user, today
    case.decision_reasons = (data.get("comment") or "").strip()
    notice_issue(case, today)
    benefit_services.one_off_payment_create(acting_user=acting_user, household=case.household, amount_fen=amount, approved_on=today,
                              case_id=case.pk, kind=OneOffKind.EMERGENCY)
    return _("批准余额 %(amount)s 元（乡镇已先行救助 %(first)s 元）") % {
        "amount": format_yuan(amount), "first": format_yuan(case.paid_first_fen)}


def _h_complete(case, *, data, **_kw):
    case.findings = _require_reason(data)
    return case.findings


def _h_record_findings(case, *, acting_user, data, today, **_kw):
    case.findings = _require_reason(data)
    proposal = data.get("proposal") or ""
    if proposal not in Proposal.values:
        raise CaseError(_("请选择处理意见"))
    if case.case_type == T.TERMINATION and proposal not in (Proposal.STOP, Proposal.GRADUAL_EXIT):
        raise CaseError(_("终止待遇案件的处理意见只能是停发或渐退"))
    proposed = case.amount_fen
    _attach_determination(case, today)
    benefit = case.benefit
    amount = _amount_fen(data)
    if amount is not None:
        case.amount_fen = amount
    elif case.origin == Origin.WORK_REFUSAL:
        case.amount_fen = proposed  # 暂行办法 §45: the household's amount less the member's own share, not the engine's
    current = benefit.monthly_amount_fen if benefit else None
    if proposal == Proposal.UNCHANGED:
        case.amount_fen = current
    elif proposal in (Proposal.RAISE, Proposal.LOWER):
        if not case.amount_fen or current is None:
            raise CaseError(_("请填写变更后的月待遇金额"))
        if proposal == Proposal.RAISE and case.amount_fen <= current:
            raise CaseError(_("提高后的金额须高于现金额"))
        if proposal == Proposal.LOWER and case.amount_fen >= current:
            raise CaseError(_("降低后的金额须低于现金额；减至零请选择停发"))
    exit_months = int(data.get("exit_months") or 0)
    if proposal == Proposal.GRADUAL_EXIT and not 1 <= exit_months <= GRADUAL_EXIT_MAX_MONTHS:
        raise CaseError(_("渐退期为1至6个月（《最低生活保障审核确认办法》第三十三条）"))
    case.exit_months = exit_months if proposal == Proposal.GRADUAL_EXIT else 0
    case.proposal = proposal
    case.initial_reviewed_by = acting_user
    return f"{Proposal(proposal).label}：{case.findings}"


def _h_decide(case, *, acting_user, data, today, **_kw):
    _check_decision_preconditions(case)
    benefit = case.benefit
    if benefit is None:
        raise CaseError(_("案件未关联待遇"))
    kind = {Proposal.UNCHANGED: ChangeKind.UNCHANGED, Proposal.RAISE: ChangeKind.RAISE, Proposal.LOWER: ChangeKind.LOWER,
            Proposal.STOP: ChangeKind.STOP, Proposal.GRADUAL_EXIT: ChangeKind.GRADUAL_EXIT}[case.proposal]
    benefit = benefit_services.benefit_change(
        acting_user=acting_user, benefit=benefit, kind=kind, decided_on=today, case_id=case.pk,
        monthly_amount_fen=case.amount_fen if kind in (ChangeKind.RAISE, ChangeKind.LOWER) else None,
        exit_months=case.exit_months, note=(data.get("comment") or "")[:255])
    if case.case_type == T.REVIEW and kind in (ChangeKind.RAISE, ChangeKind.LOWER):
        benefit_services.benefit_review_record(acting_user=acting_user, benefit=benefit, reviewed_on=today, case_id=case.pk)
    case.decided_by, case.decided_on = acting_user, today
    case.decision_reasons = (data.get("comment") or "").strip()
    if kind != ChangeKind.UNCHANGED:  # an unchanged review changes nothing the person must be told of
        notice_issue(case, today)
    if case.benefit_change_id:
        policy_services.benefit_change_mark_handled(change_id=case.benefit_change_id)
    return f"{Proposal(case.proposal).label}"


def _h_record_relative(case, *, acting_user, data, **_kw):
    relation = _require_reason(data, "relation")
    staff_id = data.get("related_staff")
    name = (data.get("name") or "").strip()
    if staff_id:
        from bangfu.accounts.models import User

        staff = User.objects.filter(pk=staff_id).first()
        if staff is None:
            raise CaseError(_("工作人员不存在"))
        case.related_staff = staff
        name = name or staff.get_full_name() or staff.username
    if not name:
        raise CaseError(_("请填写相关工作人员或村委会成员姓名"))
    case.related_staff_name, case.related_staff_relation = name, relation
    return _("登记近亲属关系：%(name)s（%(rel)s）") % {"name": name, "rel": relation}


def _h_county_visit(case, *, acting_user, data, today, **_kw):
    case.county_visit_record = _require_reason(data)
    case.county_visit_on = data.get("visited_on") or today
    case.county_visited_by = acting_user
    return case.county_visit_record


def _h_extend(case, *, data, **_kw):
    if case.extended:
        raise CaseError(_("办理时限已延长过"))
    if case.accepted_on is None:
        raise CaseError(_("案件尚未受理"))
    case.extension_reason = _require_reason(data)[:255]
    case.extended = True
    case.overall_deadline = add_workdays(case.accepted_on, TOTAL_DAYS_EXTENDED)  # 办法 §22
    return case.extension_reason


HANDLERS = {
    "request_documents": _h_request_documents,
    "accept": _h_accept,
    "verify_identity": _h_verify_identity,
    "decline": _h_decline,
    "start_investigation": _h_start_investigation,
    "record_investigation": _h_record_investigation,
    "propose_approval": _h_propose_approval,
    "propose_rejection": _h_propose_rejection,
    "objection_reinvestigate": _h_objection(ObjectionOutcome.REINVESTIGATE),
    "objection_democratic_review": _h_objection(ObjectionOutcome.DEMOCRATIC_REVIEW),
    "democratic_review": _h_democratic_review,
    "end_notice": _h_end_notice,
    "approve": _h_approve,
    "reject": _h_reject,
    "return_to_township": _h_return,
    "notify_rejection": _h_notify_rejection,
    "grant_first": _h_grant_first,
    "grant_first_refer": _h_grant_first_refer,
    "county_grant_first": _h_county_grant_first,
    "complete": _h_complete,
    "record_findings": _h_record_findings,
    "decide": _h_decide,
    "return_findings": _h_return,
    "record_relative": _h_record_relative,
    "county_visit": _h_county_visit,
    "extend": _h_extend,
}

