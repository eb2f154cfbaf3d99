"""The written notices of decisions (issue 14): each kind says what was decided, why, on which
legal basis, the person's rights (行政复议 within 60 days, 《行政复议法》第二十条; 行政诉讼 within 6
months, 《行政诉讼法》第四十六条), the issuing office's name and its document number, and the
members covered. Numbers come from a counter per office and year."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from bangfu.benefits import services as benefit_services
from bangfu.cases import services
from bangfu.cases.models import DocumentCounter
from bangfu.cases.notices import document_number_allocate, notice_context

from .conftest import DAY

pytestmark = pytest.mark.django_db

RIGHTS = ("如对本决定不服，可以自收到本通知书之日起六十日内向瑶海区人民政府申请行政复议（《中华人民共和国行政复议法》第二十条），"
          "也可以自收到本通知书之日起六个月内依法向人民法院提起行政诉讼（《中华人民共和国行政诉讼法》第四十六条）。")


def _text(client, user, case) -> str:
    client.force_login(user)
    response = client.get(reverse("cases:decision_print", args=[case.pk]))
    assert response.status_code == 200
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _members(household):
    return [m.name for m in household.members.order_by("pk")]


def test_approval_notice(client, flow, household_a, staff):
    """办法 §21: approved on 17 June 2025 → paid from July 2025. No income, 2 × 880 = 1,760 元."""
    case = flow.create(household_a, today=DAY)
    flow.to_awaiting_decision(case, DAY)
    case = flow.do(case, "approve", "county", dt.date(2025, 6, 17))
    text = _text(client, staff["county"], case)
    assert "审批决定通知书" in text and "瑶海民救〔2025〕1号" in text
    assert "您于 2025年6月9日 提出的低保申请（家庭），经调查核实、公示和审核确认，决定予以批准。" in text
    assert "核定金额每月 1,760.00 元，自 2025年7月 起发放（《最低生活保障审核确认办法》第二十一条）。" in text
    assert "依据：《社会救助暂行办法》第十一条，《最低生活保障审核确认办法》第二十一条。" in text
    assert RIGHTS in text and "瑶海区民政局（盖章）" in text
    assert all(name in text for name in _members(household_a))
    assert household_a.head.id_number not in text


def test_refusal_notice(client, flow, household_a, staff):
    case = flow.create(household_a, today=DAY)
    flow.to_investigated(case, DAY)
    flow.do(case, "propose_rejection", "township_a", DAY, comment="存款超标")
    case = flow.do(case, "reject", "county", DAY, comment="家庭存款超过当地规定")
    text = _text(client, staff["county"], case)
    assert "不予批准通知书" in text and "瑶海民救〔2025〕1号" in text
    assert "经调查核实和审核，决定不予批准。" in text and "理由：家庭存款超过当地规定" in text
    assert "依据：《社会救助暂行办法》第十一条" in text and RIGHTS in text
    assert "予以批准" not in text


def test_not_accepted_notice_is_the_townships(client, flow, household_a, staff):
    case = flow.create(household_a, today=DAY)
    case = flow.do(case, "decline", "township_a", DAY, comment="非本乡镇户籍")
    text = _text(client, staff["township_a"], case)
    assert "不予受理通知书" in text and "经审查，决定不予受理。" in text and "理由：非本乡镇户籍" in text
    assert "明光路民救〔2025〕1号" in text and "明光路街道办事处（盖章）" in text
    assert "依据：《最低生活保障审核确认办法》第十条。" in text and RIGHTS in text


def _granted(household, staff, amount=100000):
    return benefit_services.benefit_grant(acting_user=staff["county"], household=household, programme="dibao",
                                          monthly_amount_fen=amount, approved_on=dt.date(2025, 5, 20), case_id=None,
                                          review_class="A")


def _change(flow, staff, benefit, proposal, **data):
    case = services.benefit_case_open(acting_user=staff["township_a"], benefit=benefit, case_type="benefit_change",
                                      today=dt.date(2025, 6, 16))
    flow.do(case, "record_findings", "township_a", dt.date(2025, 6, 16), proposal=proposal, **data)
    return flow.do(case, "decide", "county", dt.date(2025, 6, 20), comment="经县级审核")


def test_reduction_notice(client, flow, household_a, staff):
    """办法 §21 applied to a change: decided 20 June → the new amount from July (1,000 → 600 元)."""
    benefit = _granted(household_a, staff)
    case = _change(flow, staff, benefit, "lower", amount_fen=60000, comment="家庭成员务工收入增加")
    text = _text(client, staff["county"], case)
    assert "减发通知书" in text and "瑶海民救〔2025〕1号" in text
    assert "经核查，决定自 2025年7月 起将低保由每月 1,000.00 元减发为每月 600.00 元。" in text
    assert "理由：家庭成员务工收入增加；经县级审核" in text
    assert "依据：《社会救助暂行办法》第十三条，《最低生活保障审核确认办法》第三十一条。" in text
    assert RIGHTS in text and "予以批准" not in text
    assert all(name in text for name in _members(household_a))


def test_stop_notice(client, flow, household_a, staff):
    """Stop decided 20 June 2025: paid through June, nothing from July (办法 §31; 暂行办法 §13)."""
    benefit = _granted(household_a, staff)
    case = _change(flow, staff, benefit, "stop", comment="家庭人均收入高于当地低保标准")
    text = _text(client, staff["county"], case)
    assert "停发通知书" in text and "经核查，决定停发低保：发放至 2025年6月，自 2025年7月 起停发。" in text
    assert "理由：家庭人均收入高于当地低保标准" in text and "《社会救助暂行办法》第十三条" in text
    assert RIGHTS in text and "予以批准" not in text and "瑶海民救〔2025〕1号" in text


def test_gradual_exit_notice(client, flow, household_a, staff):
    """办法 §33: 3 months' gradual exit decided in June → paid July–September, stopped after."""
    benefit = _granted(household_a, staff)
    case = _change(flow, staff, benefit, "gradual_exit", exit_months=3, comment="务工收入超过标准")
    text = _text(client, staff["county"], case)
    assert "渐退通知书" in text and "给予 3 个月渐退期：渐退期内按每月 1,000.00 元照常发放至 2025年9月，期满停发。" in text
    assert "《最低生活保障审核确认办法》第三十三条" in text and RIGHTS in text


def test_unchanged_review_prints_no_notice_and_takes_no_number(client, flow, household_a, staff):
    benefit = _granted(household_a, staff)
    case = _change(flow, staff, benefit, "unchanged", comment="情况无变化")
    assert case.document_number == "" and notice_context(case)["kind"] == ""
    client.force_login(staff["county"])
    assert client.get(reverse("cases:decision_print", args=[case.pk])).status_code == 404


def test_temporary_notice_with_the_townships_first_payment(client, flow, household_a, staff):
    """Emergency above the limit: township 2,000 元 first, county 3,280 元 more, 5,280 元 in all
    (暂行办法 §47–48)."""
    case = flow.create(household_a, case_type="temporary_emergency", today=DAY, emergency_event="fire",
                       emergency_date=DAY - dt.timedelta(days=5), emergency_loss_fen=600000)
    flow.do(case, "grant_first_refer", "township_a", DAY)
    case = flow.do(case, "approve", "county", DAY)
    text = _text(client, staff["county"], case)
    assert "临时救助决定通知书" in text
    assert "乡镇（街道）已先行救助 2,000.00 元，经审核，决定再给予 3,280.00 元，合计 5,280.00 元，一次性发放。" in text
    assert "依据：《社会救助暂行办法》第四十七条、第四十八条。" in text and RIGHTS in text


def test_numbers_count_per_office_and_year():
    """One counter per office and year: 1, 2 for one office; 1 for another; 1 again next year."""
    assert [document_number_allocate("340102000000", 2025) for _ in range(2)] == [1, 2]
    assert document_number_allocate("340102001000", 2025) == 1
    assert document_number_allocate("340102000000", 2026) == 1
    assert DocumentCounter.objects.get(office_code="340102000000", year=2025).last == 2


def test_a_refused_decision_gives_its_number_back(flow, household_a, staff):
    """The number is taken inside the decision's transaction: an approval that benefits then refuses
    (the household already has a dibao) rolls back with its number, so the next notice is number 1."""
    from bangfu.common.errors import DomainError

    case = flow.create(household_a, today=DAY)
    flow.to_awaiting_decision(case, DAY)
    _granted(household_a, staff)
    with pytest.raises(DomainError, match="不能重复批准"):
        flow.do(case, "approve", "county", dt.date(2025, 6, 17))
    assert not DocumentCounter.objects.exists()
    case = flow.do(case, "reject", "county", dt.date(2025, 6, 17), comment="已在享受低保")
    assert case.document_number == "瑶海民救〔2025〕1号"


def test_tekun_approval_notice_covers_the_member(client, flow, staff, regions):
    """Tekun approved 17 June 2025 for an 80-year-old without income whose wife (76, pension
    900.00, in a dibao household: 认定办法 第十条（二）) cannot support him and who has no supporter
    outside: the engine's amount, 合肥 rural standard 880.00 → basic ceil(1.3 × 880.00) = 1,144.00
    + dispersed self-care 80.00 = 1,224.00 元, paid from July; 暂行办法 §16; the member only."""
    from bangfu.registry.models import IncomeItem
    from bangfu.registry.services import household_create
    from bangfu_testing.factories import person_data

    household = household_create(acting_user=staff["village_a"], region_id=regions["village_a"].pk, address="胜利路11号", members=[
        person_data("钱老汉", "head", birth=dt.date(1945, 2, 1), supporters_checked="none"),
        person_data("赵老太", "spouse", sex="F", birth=dt.date(1949, 2, 1), labor_capacity="none"),
    ])
    wife = household.members.get(relation="spouse")
    IncomeItem.objects.create(household=household, person=wife, kind="pension", monthly_amount_fen=90000, valid_from=dt.date(2025, 1, 1))
    person = household.members.get(relation="head")
    case = flow.create(household, case_type="tekun", person=person, today=DAY)
    flow.to_awaiting_decision(case, DAY)
    case = flow.do(case, "approve", "county", dt.date(2025, 6, 17))
    text = _text(client, staff["county"], case)
    assert "核定供养金额每月 1,224.00 元，自 2025年7月 起发放。" in text and "依据：《社会救助暂行办法》第十六条。" in text
    assert person.name in text and wife.name not in text
