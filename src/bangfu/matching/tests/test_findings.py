"""Finding rules, set-based (rules.batch_findings / bulkwrite.write_findings): what each finding carries,
and which rows produce none (issue 5 §Findings)."""

import pytest

from bangfu.matching import services
from bangfu.matching.choices import FindingKind, FindingStatus, LinkStatus
from bangfu.matching.models import Finding, ListRow

from .conftest import TODAY
from .test_services import load

pytestmark = pytest.mark.django_db


def test_a_rejected_link_is_not_covered_as_the_list_person_not_the_rejected_one(users, people):
    """Issue 5 §Linkage "a worker accepts or rejects" and §Findings 1 "people on a risk list who
    are not in the registry": once the worker says the proposed person is not the listed one, the
    not-covered finding names the person on the list, not the rejected registry person, and is
    not attached to that person's household (a case must not open on it)."""
    zhang = people["ids"]["zhang"]
    batch = load(users["county"], "registered_poor", ["身份证号", "姓名", "户类型"], [[zhang, "刘德华", "监测户"]])
    row = ListRow.objects.get(batch=batch)
    assert row.link_status == LinkStatus.REVIEW and not Finding.objects.filter(batch=batch).exists()
    services.link_decide(acting_user=users["township_a"], row_id=row.pk, accept=False, today=TODAY)
    finding = Finding.objects.get(batch=batch)
    assert finding.kind == FindingKind.NOT_COVERED and finding.detail["in_registry"] is False
    assert (finding.person_id, finding.household_id, finding.name) == (None, None, "刘德华")
    assert (finding.region_code, finding.row_id) == (row.region_code, row.pk)


def test_an_accepted_link_after_review_is_judged_as_the_registry_person(users, people):
    """Issue 5 §Findings 1: accepted, the listed person is 张伟, whose household receives dibao → no
    not-covered finding; 赵强 (no benefit) on the same list is not covered, routed to his village."""
    ids = people["ids"]
    batch = load(users["county"], "registered_poor", ["身份证号", "姓名", "户类型"], [[ids["zhang"], "刘德华", "监测户"], [ids["zhao"], "赵强", "脱贫户"]])
    row = ListRow.objects.get(batch=batch, row_no=2)
    services.link_decide(acting_user=users["township_a"], row_id=row.pk, accept=True, today=TODAY)
    found = list(Finding.objects.filter(batch=batch))
    assert [(f.kind, f.name) for f in found] == [(FindingKind.NOT_COVERED, "赵强")]
    zhao = people["persons"]["zhao"]
    assert (found[0].person_id, found[0].household_id, found[0].region_code) == (zhao.pk, zhao.household_id, zhao.region_code)
    assert found[0].detail == {"in_registry": True, "list": {"poor_type": "脱贫户"}}


def test_a_non_risk_list_makes_findings_only_of_recipients(users, people):
    """Issue 5 §Findings 2: a public-employee list finds recipients only; a listed person who
    receives nothing, and a person not in the registry, produce no finding (only risk lists
    report people not covered, §Findings 1)."""
    ids = people["ids"]
    stranger = "340102198803030036"
    batch = load(users["county"], "public_employee", ["身份证号", "姓名", "工作单位"], [
        [ids["zhang"], "张伟", "某局"], [ids["zhao"], "赵强", "某中学"], [stranger, "陌生人", "某医院"], [ids["wang"], "王芳", ""]])
    found = {f.name: f for f in Finding.objects.filter(batch=batch)}
    assert sorted(found) == ["张伟", "王芳"] and batch.counts["findings"] == 2
    zhang = found["张伟"]
    assert (zhang.kind, zhang.status, zhang.household_id) == (FindingKind.PUBLIC_EMPLOYEE, FindingStatus.OPEN, people["households"]["dibao"].pk)
    assert zhang.summary == "财政供养人员（某局），其家庭享受低保" and zhang.detail == {"employer": "某局", "programmes": ["dibao"]}
    assert found["王芳"].detail == {"employer": None, "programmes": ["tekun"]}
    assert found["王芳"].region_code == people["persons"]["wang"].region_code  # routed to village B


def test_unemployment_list_reports_only_people_of_poor_households(users, people):
    """Issue 5 §Findings 1 "unemployed in poor households": 赵强 unemployed in a household that
    is neither poor nor receiving → nothing; once the household is registered poor → not covered;
    a person not in the registry cannot be known to be of a poor household → nothing."""
    import datetime as dt

    from bangfu.registry.services import item_add

    ids = people["ids"]
    batch = load(users["county"], "unemployment", ["身份证号", "姓名", "登记日期"], [[ids["zhao"], "赵强", "2025-03-01"]])
    assert not Finding.objects.filter(batch=batch).exists()
    item_add(acting_user=users["village_a"], household_id=people["households"]["none"].pk, kind="classification",
             data={"kind": "category", "code": "registered_poor", "start_date": dt.date(2021, 1, 1)})
    batch = load(users["county"], "unemployment", ["身份证号", "姓名", "登记日期"], [
        [ids["zhao"], "赵强", "2025-03-01"], ["340102198803030036", "陌生人", "2025-03-01"]])
    assert [(f.kind, f.name) for f in Finding.objects.filter(batch=batch)] == [(FindingKind.NOT_COVERED, "赵强")]
