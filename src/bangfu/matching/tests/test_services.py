"""Importing lists, the findings each kind produces from a small hand-made registry, the review
queue remembering decisions, withdrawal, and bad files (issue 5 "Done when")."""

import io

from django.core.exceptions import PermissionDenied
import pytest

from bangfu.matching import services
from bangfu.matching.choices import BatchStatus, FindingKind, FindingStatus, LinkStatus
from bangfu.matching.kinds import KINDS
from bangfu.matching.models import Finding, ImportBatch, LinkDecision, ListRow
from bangfu.matching.reader import ListFileError, parse, read_table

from .conftest import TODAY, csv_bytes

pytestmark = pytest.mark.django_db


def load(user, kind, header, rows, *, source="测试来源", mapping=None, complete=False):
    table = read_table(csv_bytes(header, rows))
    parsed = parse(table, KINDS[kind], mapping=mapping, today=TODAY)
    return services.list_import(acting_user=user, kind=kind, source=source, source_date=TODAY, parsed=parsed, today=TODAY,
                                complete=complete)


def kinds_of(batch):
    return sorted((f.kind, f.name) for f in Finding.objects.filter(batch=batch))


def test_death_list_finds_a_recipient_to_stop_from_the_month_after(users, people):
    """Issue 5 §Findings 2: recipients on the death list, benefit to stop from the month after death."""
    ids = people["ids"]
    batch = load(users["county"], "death", ["公民身份号码", "姓名", "死亡日期"], [
        [ids["zhang"], "张伟", "2025-05-20"],   # dibao household → wrongly covered
        [ids["zhao"], "赵强", "2025-05-01"],    # receives nothing → no finding
    ])
    found = Finding.objects.get(batch=batch)
    assert (found.kind, found.person_id) == (FindingKind.DECEASED_RECIPIENT, people["persons"]["zhang"].pk)
    assert found.detail["stop_from"] == "2025-06-01"
    assert found.region_code == people["persons"]["zhang"].region_code
    assert batch.counts["accepted"] == 2


def test_disability_list_findings(users, people):
    """R4: no certificate (赵强, mentally ill), certificate data differing (孙丽 grade 2 → 1 with a
    new check), severe disability not covered (孙丽's household receives nothing; and a stranger)."""
    ids = people["ids"]
    stranger = "340102198803030036"
    batch = load(users["county"], "disability", ["身份证号", "姓名", "残疾证号", "残疾类别", "残疾等级", "发证日期", "最近年审日期"], [
        [ids["sun"], "孙丽", ids["sun"] + "42", "肢体", "一级", "2018-03-01", "2023-01-10"],
        [stranger, "陌生人", stranger + "11", "视力", "二级", "2020-01-01", "2025-01-01"],
    ], complete=True)
    got = kinds_of(batch)
    assert (FindingKind.NO_CERTIFICATE, "赵强") in got
    assert (FindingKind.CERT_MISMATCH, "孙丽") in got
    assert (FindingKind.CERT_OVERDUE, "孙丽") in got  # last check 2023-01-10 + 12 months < 2025-06-30
    assert (FindingKind.NOT_COVERED, "孙丽") in got
    assert (FindingKind.NOT_COVERED, "陌生人") in got
    mismatch = Finding.objects.get(batch=batch, kind=FindingKind.CERT_MISMATCH)
    assert mismatch.detail["proposed"]["disability_grade"] == [2, 1]
    assert (FindingKind.NO_CERTIFICATE, "孙丽") not in got


def test_asset_lists_find_recipients_above_the_limits(users, people):
    """暂行办法 §9 via parameters asset_vehicle_max_count (0) and asset_vehicle_exempt_below (10000 元)."""
    ids = people["ids"]
    batch = load(users["county"], "vehicle", ["身份证号", "姓名", "号牌号码", "车辆价值"], [
        [ids["li"], "李娜", "皖A12345", "56000"],   # dibao household, valued car → over the limit of 0
        [ids["wang"], "王芳", "皖A00001", "3000"],  # tekun, below the exempt value → not counted
        [ids["zhao"], "赵强", "皖A99999", "80000"],  # not a recipient
    ])
    assert kinds_of(batch) == [(FindingKind.ASSET_OVER_LIMIT, "李娜")]
    load(users["county"], "public_employee", ["身份证号", "姓名", "工作单位"], [[ids["zhang"], "张伟", "某局"]])
    assert Finding.objects.filter(kind=FindingKind.PUBLIC_EMPLOYEE, name="张伟").exists()
    load(users["county"], "other_assistance", ["身份证号", "姓名", "救助类别", "享受地"], [[ids["wang"], "王芳", "低保", "合肥市蜀山区"]])
    assert Finding.objects.filter(kind=FindingKind.DOUBLE_RECEIPT, name="王芳").exists()


def test_dropout_list_refers_children_of_school_age(users, people):
    """R4: a 12-year-old (compulsory_school_age 6–15) listed as a dropout."""
    ids = people["ids"]
    batch = load(users["county"], "education", ["身份证号", "姓名", "学籍状态", "学校"], [
        [ids["zhou"], "周小明", "辍学", "大兴小学"], [ids["zhao"], "赵强", "辍学", "成人学校"]])
    assert (FindingKind.DROPOUT, "周小明") in kinds_of(batch)
    assert (FindingKind.DROPOUT, "赵强") not in kinds_of(batch)


def test_review_queue_remembers_decisions(users, people):
    ids = people["ids"]
    zhang = ids["zhang"]
    typo_name_and_number = [zhang, "刘德华", "2025-05-20"]  # exact number, another name → review
    batch = load(users["county"], "death", ["身份证号", "姓名", "死亡日期"], [typo_name_and_number])
    row = ListRow.objects.get(batch=batch)
    assert row.link_status == LinkStatus.REVIEW and not Finding.objects.filter(batch=batch).exists()
    services.link_decide(acting_user=users["township_a"], row_id=row.pk, accept=True, today=TODAY)
    assert LinkDecision.objects.get(fingerprint=row.fingerprint).accepted
    assert Finding.objects.filter(batch=batch, kind=FindingKind.DECEASED_RECIPIENT).exists()
    again = load(users["county"], "death", ["身份证号", "姓名", "死亡日期"], [typo_name_and_number])
    row2 = ListRow.objects.get(batch=again)
    assert (row2.link_status, row2.method) == (LinkStatus.ACCEPTED, "remembered")


def test_a_village_b_worker_cannot_decide_village_a_links(users, people):
    batch = load(users["county"], "death", ["身份证号", "姓名", "死亡日期"], [[people["ids"]["zhang"], "刘德华", "2025-05-20"]])
    row = ListRow.objects.get(batch=batch)
    from bangfu.accounts.access import NotFound

    with pytest.raises(NotFound):
        services.link_decide(acting_user=users["village_b"], row_id=row.pk, accept=True, today=TODAY)


def test_withdrawing_a_batch_removes_what_it_produced(users, people):
    batch = load(users["county"], "death", ["身份证号", "姓名", "死亡日期"], [[people["ids"]["zhang"], "张伟", "2025-05-20"]])
    assert Finding.objects.filter(batch=batch).count() == 1
    with pytest.raises(services.MatchingError):
        services.batch_withdraw(acting_user=users["county"], batch_id=batch.pk, reason="")
    services.batch_withdraw(acting_user=users["county"], batch_id=batch.pk, reason="导错了文件")
    batch.refresh_from_db()
    assert batch.status == BatchStatus.WITHDRAWN
    assert not Finding.objects.filter(batch=batch).exists() and not ListRow.objects.filter(batch=batch).exists()


def test_finding_status_and_case_link(users, people):
    batch = load(users["county"], "death", ["身份证号", "姓名", "死亡日期"], [[people["ids"]["zhang"], "张伟", "2025-05-20"]])
    finding = Finding.objects.get(batch=batch)
    with pytest.raises(services.MatchingError):
        services.finding_set_status(acting_user=users["village_a"], finding_id=finding.pk, status=FindingStatus.DISMISSED)
    services.finding_set_status(acting_user=users["village_a"], finding_id=finding.pk, status=FindingStatus.DISMISSED, reason="已停发")
    url = services.finding_open_case(acting_user=users["village_a"], finding_id=finding.pk)
    assert f"household={people['households']['dibao'].pk}" in url and "type=termination" in url and f"origin=matching:{finding.pk}" in url
    finding.refresh_from_db()
    assert finding.case_opened_at is not None and finding.status == FindingStatus.DISMISSED
    # creation is recorded by the batch; each change by the finding's history, with who made it
    assert [h.history_user for h in finding.history.all()] == [users["village_a"], users["village_a"]]


def test_column_mapping_is_saved_and_used(users, people):
    kind = KINDS["death"]
    header = ["编号", "死者", "证件", "日期"]
    table = read_table(csv_bytes(header, [["1", "张伟", people["ids"]["zhang"], "2025-05-20"]]))
    with pytest.raises(ListFileError):
        parse(table, kind, today=TODAY)
    mapping = {"name": "死者", "id_number": "证件", "death_date": "日期"}
    services.mapping_save(acting_user=users["county"], kind="death", headers=header, mapping=mapping)
    assert services.saved_mapping("death", header) == mapping
    parsed = parse(table, kind, mapping=services.saved_mapping("death", header), today=TODAY)
    assert parsed.frame["id_number"].to_list() == [people["ids"]["zhang"]]


def test_unreadable_rows_are_listed_with_their_reason(users, people):
    table = read_table(csv_bytes(["身份证号", "姓名", "死亡日期"], [
        ["3.40102198E+17", "张伟", "2025-05-20"], ["", "", "2025-01-01"], [people["ids"]["li"], "李娜", "不详"]]))
    parsed = parse(table, KINDS["death"], today=TODAY)
    reasons = {b["row"]: b["reason"] for b in parsed.bad_rows}
    assert "科学计数法" in reasons[2] and "都为空" in reasons[3] and "死亡日期" in reasons[4]
    # every row is kept; rows 3 (nothing to identify) and 4 (unreadable death date) as refused
    assert parsed.frame.height == 3 and parsed.skipped == 2
    assert parsed.frame.filter(parsed.frame["refusal"].is_not_null())["row_no"].to_list() == [3, 4]


@pytest.mark.parametrize("name, content, message", [
    ("a.csv", b"", "空"),
    ("a.xlsx", b"\x00\x01garbage\xff" * 50, "无法读取"),
    ("a.csv", b"\x00\x01\x02binary", "二进制"),
    ("a.pdf", b"%PDF-1.4", "不支持"),
    ("a.csv", "身份证号,姓名,死亡日期\n".encode(), "只有表头"),
    ("a.csv", "编号,备注\n1,2\n".encode(), "找不到表头"),
    ("a.csv", ("身份证号,姓名,死亡日期\n1," + "x" * (10 * 1024 * 1024) + ",2025-01-01\n").encode(), "过长"),
])
def test_bad_files_answer_a_clear_error_and_change_nothing(users, name, content, message):
    upload = io.BytesIO(content)
    upload.name = name
    with pytest.raises(ListFileError, match=message):
        parse(read_table(upload), KINDS["death"], today=TODAY)
    assert not ImportBatch.objects.exists()


def test_wrong_columns_name_what_is_missing(users):
    with pytest.raises(ListFileError, match="死亡日期"):
        parse(read_table(csv_bytes(["身份证号", "姓名"], [["1", "x"]])), KINDS["death"], today=TODAY)


def test_only_import_roles_may_load(users, people):
    with pytest.raises(PermissionDenied):
        load(users["village_a"], "death", ["身份证号", "姓名", "死亡日期"], [[people["ids"]["zhang"], "张伟", "2025-05-20"]])
    assert not ImportBatch.objects.exists()


def test_a_member_of_two_receiving_households_is_found(users, people):
    """R17: one person receiving in two households at once (an open membership in each)."""
    import datetime as dt

    from bangfu.registry.models import Membership

    zhao = people["persons"]["zhao"]
    Membership.objects.create(person=zhao, household=people["households"]["dibao"], region_code=zhao.region_code,
                              relation="other", start_date=dt.date(2024, 1, 1), start_reason="added")
    from bangfu.registry.services import item_add

    item_add(acting_user=users["village_a"], household_id=people["households"]["none"].pk, kind="classification",
             data={"kind": "category", "code": "dibao", "start_date": dt.date(2024, 1, 1)})
    batch = load(users["county"], "other_assistance", ["身份证号", "姓名", "救助类别"], [[people["ids"]["wang"], "王芳", "低保"]])
    got = kinds_of(batch)
    assert (FindingKind.DOUBLE_RECEIPT, "赵强") in got and (FindingKind.DOUBLE_RECEIPT, "王芳") in got
