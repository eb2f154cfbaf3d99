"""The case inbox (issue 17 "The inbox and the lists"): the two tabs, the filters by type, state,
township, village and overdue, the search by name, ID number (whole or tail) and receipt number,
keyset paging, region names instead of codes, and the Excel export of the inbox and of the
overdue list (masked unless the user may export full numbers; scoped; logged)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse

from bangfu.cases import selectors
from bangfu.cases.choices import CaseState as S
from bangfu.cases.models import Case, Level

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 3)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    from bangfu.cases import views

    monkeypatch.setattr(views, "_today", lambda request: TODAY)


@pytest.fixture
def two(db):
    from bangfu_testing.counties import two_counties

    return two_counties()


@pytest.fixture
def people(two):
    from bangfu.accounts.choices import Role
    from bangfu_testing.factories import make_user

    return {
        "county": make_user("county_laian", Role.COUNTY_OFFICER, two["laian"]),
        "county_q": make_user("county_quanjiao", Role.COUNTY_OFFICER, two["quanjiao"]),
        "xinan": make_user("township_xinan", Role.TOWNSHIP_OFFICER, two["xinan"]),
        "worker": make_user("worker_v1", Role.VILLAGE_WORKER, two["xinan_v1"]),
        "auditor": make_user("auditor_laian", Role.AUDITOR, two["laian"]),
    }


def make_case(region, *, name, id_number, state=S.SUBMITTED, waits=Level.TOWNSHIP, due=TODAY + dt.timedelta(days=5),
              case_type="dibao", receipt=None) -> Case:
    return Case.objects.create(case_type=case_type, state=state, region_code=region.code, applicant_name=name,
                               applicant_id_number=id_number, applied_on=TODAY - dt.timedelta(days=20), due_date=due,
                               waits_for=waits, receipt_number=receipt)


@pytest.fixture
def cases(two):
    from bangfu_testing.factories import make_id_number

    return {
        # 新安镇: one overdue, one due later, one waiting for the county, one closed
        "late": make_case(two["xinan_v1"], name="赵一", id_number=make_id_number(area="341122", seq=11), due=TODAY - dt.timedelta(days=3),
                          receipt="BFABCDEFGH23"),
        "soon": make_case(two["xinan_v2"], name="钱二", id_number=make_id_number(area="341122", seq=12),
                          case_type="temporary_expenditure"),
        "county": make_case(two["xinan_v1"], name="孙三", id_number=make_id_number(area="341122", seq=13),
                            state=S.AWAITING_DECISION, waits=Level.COUNTY, due=TODAY + dt.timedelta(days=1)),
        "closed": make_case(two["xinan_v1"], name="李四", id_number=make_id_number(area="341122", seq=14),
                            state=S.COMPLETED, waits="", due=dt.date(9999, 12, 31)),
        # 半塔镇 (same county, other township)
        "banta": make_case(two["banta_v1"], name="周五", id_number=make_id_number(area="341122", seq=15), due=TODAY - dt.timedelta(days=1)),
        # 全椒县: never in a 来安县 list
        "other_county": make_case(two["xianghe_v1"], name="吴六", id_number=make_id_number(area="341124", seq=16),
                                  due=TODAY - dt.timedelta(days=9), waits=Level.COUNTY, state=S.AWAITING_DECISION),
    }


def pks(rows):
    return [c.pk for c in rows]


def flt(**kw):
    return selectors.InboxFilter(**kw)


def test_tabs_split_my_steps_from_the_others(people, cases):
    # the township officer's step: 新安镇's cases waiting for the township, oldest deadline first
    mine, _ = selectors.inbox(people["xinan"], flt(), today=TODAY)
    assert pks(mine) == [cases["late"].pk, cases["soon"].pk]
    # waits for others: open, in 新安镇, waiting for someone else (the county); closed left out
    others, _ = selectors.inbox(people["xinan"], flt(tab="others"), today=TODAY)
    assert pks(others) == [cases["county"].pk]
    # the county: its own step in its own county only; the other tab has the townships' cases
    mine, _ = selectors.inbox(people["county"], flt(), today=TODAY)
    assert pks(mine) == [cases["county"].pk]
    others, _ = selectors.inbox(people["county"], flt(tab="others"), today=TODAY)
    assert pks(others) == [cases["late"].pk, cases["banta"].pk, cases["soon"].pk]
    # a role that takes no step: nothing waits for it; it reads the others
    assert selectors.inbox(people["auditor"], flt(), today=TODAY)[0] == []
    assert len(selectors.inbox(people["auditor"], flt(tab="others"), today=TODAY)[0]) == 4


def test_filters_by_township_village_type_state_and_overdue(people, cases, two):
    county = people["county"]
    others = dict(tab="others")
    assert pks(selectors.inbox(county, flt(**others, township=two["banta"].code), today=TODAY)[0]) == [cases["banta"].pk]
    assert pks(selectors.inbox(county, flt(**others, village=two["xinan_v2"].code), today=TODAY)[0]) == [cases["soon"].pk]
    assert pks(selectors.inbox(county, flt(**others, case_type="temporary_expenditure"), today=TODAY)[0]) == [cases["soon"].pk]
    assert pks(selectors.inbox(county, flt(**others, overdue=True), today=TODAY)[0]) == [cases["late"].pk, cases["banta"].pk]
    assert pks(selectors.inbox(county, flt(**others, township=two["xinan"].code, overdue=True), today=TODAY)[0]) == [cases["late"].pk]
    assert selectors.inbox(county, flt(**others, state=S.NOTICE), today=TODAY)[0] == []
    # another county's township filters to nothing; a malformed code too (never to everything)
    assert selectors.inbox(county, flt(**others, township=two["xianghe"].code), today=TODAY)[0] == []
    assert selectors.inbox(county, flt(**others, township="34112200"), today=TODAY)[0] == []


def test_search_by_name_id_tail_whole_id_and_receipt(people, cases):
    county = people["county"]
    late = cases["late"]

    def search(q):
        return pks(selectors.inbox(county, flt(tab="others", q=q), today=TODAY)[0])

    assert search("赵") == [late.pk]
    assert search(late.applicant_id_number[-4:]) == [late.pk]
    assert search(late.applicant_id_number[-6:]) == [late.pk]
    assert search(late.applicant_id_number) == [late.pk]
    assert search("bfabcdefgh23") == [late.pk]  # receipt numbers are read aloud: any case
    assert search("吴") == []  # 全椒县's applicant


def test_keyset_pages_are_stable(people, cases):
    county = people["county"]
    first, nxt = selectors.inbox(county, flt(tab="others"), today=TODAY, limit=2)
    assert pks(first) == [cases["late"].pk, cases["banta"].pk]
    Case.objects.filter(pk=cases["late"].pk).update(state=S.COMPLETED, waits_for="", due_date=dt.date(9999, 12, 31))
    second, last = selectors.inbox(county, flt(tab="others"), today=TODAY, after=nxt, limit=2)
    assert pks(second) == [cases["soon"].pk] and last is None


def test_page_shows_names_not_codes_and_keeps_filters_in_links(client, people, cases, two):
    client.force_login(people["county"])
    response = client.get(reverse("cases:index"), {"tab": "others", "township": two["xinan"].code, "overdue": "on"})
    page = response.content.decode()
    assert pks(response.context["rows"]) == [cases["late"].pk]
    assert "新安镇 · 城东社区" in page
    assert ">341122001001<" not in page
    assert cases["late"].applicant_id_number not in page  # masked in the list
    assert f"township={two['xinan'].code}" in page  # the export link carries the filter
    # htmx asks for the table only
    fragment = client.get(reverse("cases:index"), {"tab": "others"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="inbox-table")
    assert "<form" not in fragment.content.decode() and "赵一" in fragment.content.decode()


def _sheet(response):
    import openpyxl

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def test_inbox_export_rows_masking_scope_and_log(client, people, cases, two):
    from bangfu.common.models import AccessLog

    # the township officer (may not export full numbers): masked, own township, the tab's rows
    client.force_login(people["xinan"])
    rows = _sheet(client.get(reverse("cases:inbox_export")))
    header, body = rows[0], [r for r in rows[1:] if isinstance(r[0], int)]
    assert header[4] == "身份证号（脱敏）"
    assert [r[0] for r in body] == [cases["late"].pk, cases["soon"].pk]
    late = body[0]
    assert late[1] == "BFABCDEFGH23" and late[3] == "赵一" and late[5] == "新安镇" and late[6] == "城东社区"
    assert late[4] != cases["late"].applicant_id_number and late[4].endswith(cases["late"].applicant_id_number[-4:]) and "*" in late[4]
    assert late[9] == 3  # three days past its deadline
    # the county officer of 来安县 (full numbers): every open case of 来安县, none of 全椒县
    client.force_login(people["county"])
    body = [r for r in _sheet(client.get(reverse("cases:inbox_export"), {"tab": "others"}))[1:] if isinstance(r[0], int)]
    assert sorted(r[0] for r in body) == sorted([cases["late"].pk, cases["banta"].pk, cases["soon"].pk])
    assert cases["late"].applicant_id_number in [r[4] for r in body]
    assert "吴六" not in [r[3] for r in body]
    # filters apply to the export as to the page
    body = [r for r in _sheet(client.get(reverse("cases:inbox_export"), {"tab": "others", "township": two["banta"].code}))[1:]
            if isinstance(r[0], int)]
    assert [r[0] for r in body] == [cases["banta"].pk]
    logs = AccessLog.objects.filter(object_type="cases.inbox", action=AccessLog.Action.EXPORT)
    assert logs.count() == 3 and "脱敏" in logs.order_by("pk").first().detail


def test_overdue_export_is_scoped_and_masked(client, people, cases, two):
    from bangfu.common.models import AccessLog

    client.force_login(people["county_q"])
    body = [r for r in _sheet(client.get(reverse("cases:overdue_export")))[1:] if isinstance(r[0], int)]
    assert [r[0] for r in body] == [cases["other_county"].pk]  # 全椒县 sees its own only
    client.force_login(people["xinan"])
    body = [r for r in _sheet(client.get(reverse("cases:overdue_export")))[1:] if isinstance(r[0], int)]
    assert [r[0] for r in body] == [cases["late"].pk]  # 新安镇 only, not 半塔镇
    assert "*" in body[0][4]
    client.force_login(people["county"])
    body = [r for r in _sheet(client.get(reverse("cases:overdue_export"), {"office": two["banta"].code}))[1:] if isinstance(r[0], int)]
    assert [r[0] for r in body] == [cases["banta"].pk] and body[0][5] == "半塔镇"
    assert AccessLog.objects.filter(object_type="cases.overdue").count() == 3


def test_export_needs_the_export_permission(client, people, cases, monkeypatch):
    from bangfu.accounts import permissions as perms

    # every role that reads cases may export lists today; one that may not gets 403
    client.force_login(people["xinan"])
    monkeypatch.setitem(perms._TABLE, "export", frozenset())
    assert client.get(reverse("cases:inbox_export")).status_code == 403
    assert client.get(reverse("cases:overdue_export")).status_code == 403
    assert "导出当前列表" not in client.get(reverse("cases:index")).content.decode()
