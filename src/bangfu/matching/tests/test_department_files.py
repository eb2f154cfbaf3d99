"""Real department files (issue 12): rows the import refuses with their reason (never the whole
file), complete (全量) and partial (增量) lists, a benefit approved but not yet paid, and the
results sent back to the department (the batch download and the two CLI verbs)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from python_calamine import CalamineWorkbook

from bangfu.common.models import AccessLog
from bangfu.matching import services
from bangfu.matching.choices import FindingKind, LinkStatus
from bangfu.matching.kinds import KINDS
from bangfu.matching.models import Finding, ImportBatch, ListRow
from bangfu.matching.reader import parse, read_table

from .conftest import TODAY, csv_bytes

pytestmark = pytest.mark.django_db

DISABILITY = ["身份证号", "姓名", "残疾证号", "残疾类别", "残疾等级", "发证日期"]


def load(user, kind, header, rows, *, complete=False):
    parsed = parse(read_table(csv_bytes(header, rows)), KINDS[kind], today=TODAY)
    return services.list_import(acting_user=user, kind=kind, source="测试来源", source_date=TODAY, parsed=parsed, today=TODAY,
                                complete=complete)


def rows_of(batch):
    return {r.row_no: r for r in ListRow.objects.filter(batch=batch)}


# ----------------------------------------------------------------------------- refused rows

def test_rows_with_values_the_kind_cannot_hold_are_refused_with_their_reason(users, people):
    """A grade 五级 or 6 (valid: 一级–四级), an unreadable 发证日期: the row is kept as refused with
    its reason, not linked, and makes no finding; the other rows are imported as usual."""
    ids = people["ids"]
    stranger = "340102198803030036"
    batch = load(users["county"], "disability", DISABILITY, [
        [ids["sun"], "孙丽", ids["sun"] + "42", "肢体", "五级", "2018-03-01"],      # row 2: grade 五级
        [stranger, "陌生人", stranger + "11", "视力", "6", "2020-01-01"],         # row 3: grade 6
        [ids["zhao"], "赵强", "", "精神", "二级", "去年春天"],                      # row 4: unreadable date
        [ids["zhang"], "张伟", ids["zhang"] + "11", "肢体", "2", "2020-01-01"],   # row 5: fine
    ])
    rows = rows_of(batch)
    for n in (2, 3, 4):
        assert rows[n].link_status == LinkStatus.REFUSED and rows[n].person_id is None, n
    assert "残疾等级" in rows[2].refusal and "五级" in rows[2].refusal
    assert "残疾等级" in rows[3].refusal and "6" in rows[3].refusal
    assert "发证日期" in rows[4].refusal and "去年春天" in rows[4].refusal
    assert rows[5].link_status == LinkStatus.ACCEPTED and rows[5].refusal == ""
    assert not Finding.objects.filter(batch=batch, row__row_no__in=[2, 3, 4]).exists()
    skipped = {b["row"] for b in batch.bad_rows if b["skipped"]}
    assert skipped == {2, 3, 4}
    assert batch.counts["refused"] == 3 and batch.counts["rows"] == 4


def test_an_unreadable_death_date_refuses_the_row_not_the_file(users, people):
    ids = people["ids"]
    batch = load(users["county"], "death", ["身份证号", "姓名", "死亡日期"], [
        [ids["zhang"], "张伟", "2025-13-45"], [ids["wang"], "王芳", "2025-05-20"]])
    rows = rows_of(batch)
    assert rows[2].link_status == LinkStatus.REFUSED and "死亡日期" in rows[2].refusal
    assert [f.name for f in Finding.objects.filter(batch=batch)] == ["王芳"]  # 张伟's row makes no finding


def test_a_row_with_neither_name_nor_number_is_refused(users, people):
    batch = load(users["county"], "death", ["身份证号", "姓名", "死亡日期"], [
        ["", "", "2025-05-20"], [people["ids"]["wang"], "王芳", "2025-05-20"]])
    row = rows_of(batch)[2]
    assert row.link_status == LinkStatus.REFUSED and "都为空" in row.refusal


def test_a_name_nothing_can_identify_is_refused_but_a_name_in_the_area_is_not(users, people):
    """No usable number, no birth date: refused only when no one of that name can be proposed."""
    batch = load(users["county"], "registered_poor", ["身份证号", "姓名", "户类型"], [
        ["", "欧阳无名", "监测户"],      # no one of that name anywhere → refused
        ["12345", "欧阳无名", "监测户"],  # an invalid number is no evidence either
        ["", "赵强", "监测户"],          # 赵强 lives in the list's area → not refused
    ])
    rows = rows_of(batch)
    assert rows[2].link_status == LinkStatus.REFUSED and "无法识别" in rows[2].refusal
    assert rows[3].link_status == LinkStatus.REFUSED
    assert rows[4].link_status != LinkStatus.REFUSED and rows[4].refusal == ""
    assert not Finding.objects.filter(batch=batch, name="欧阳无名").exists()
    assert {b["row"] for b in batch.bad_rows if b["skipped"]} == {2, 3}


def test_refused_rows_are_not_in_the_review_queue_or_the_counts(users, people):
    from bangfu.matching import selectors

    batch = load(users["county"], "death", ["身份证号", "姓名", "死亡日期"], [[people["ids"]["zhang"], "刘德华", "不详"]])
    assert rows_of(batch)[2].link_status == LinkStatus.REFUSED
    assert not selectors.review_queue(users["county"]).exists()
    assert batch.counts.get("review", 0) == 0 and batch.counts.get("none", 0) == 0


# ----------------------------------------------------------------------------- complete and partial lists

def test_a_partial_disability_list_says_nothing_about_who_is_absent(users, people):
    """A three-row list from the federation is not its roster: no 未办证 finding from it; the same
    rows as the complete roster (全量) report 赵强 (mentally ill, no certificate, not on it)."""
    ids = people["ids"]
    three = [[ids["sun"], "孙丽", ids["sun"] + "42", "肢体", "二级", "2018-03-01"],
             [ids["zhang"], "张伟", ids["zhang"] + "11", "肢体", "四级", "2020-01-01"],
             [ids["li"], "李娜", ids["li"] + "11", "视力", "四级", "2020-01-01"]]
    partial = load(users["county"], "disability", DISABILITY, three, complete=False)
    assert not partial.complete
    assert not Finding.objects.filter(batch=partial, kind=FindingKind.NO_CERTIFICATE).exists()
    complete = load(users["county"], "disability", DISABILITY, three, complete=True)
    assert complete.complete
    assert [f.name for f in Finding.objects.filter(batch=complete, kind=FindingKind.NO_CERTIFICATE)] == ["赵强"]


def test_a_refused_row_still_shows_who_is_on_a_complete_list(users, people):
    """赵强's row is refused (grade 五级) but his number is on the federation's roster: he is not
    reported as "not on the federation's list either"."""
    ids = people["ids"]
    batch = load(users["county"], "disability", DISABILITY, [[ids["zhao"], "赵强", "", "精神", "五级", "2018-03-01"]], complete=True)
    assert rows_of(batch)[2].link_status == LinkStatus.REFUSED
    assert not Finding.objects.filter(batch=batch).exists()


# ----------------------------------------------------------------------------- approved, paid from next month

def test_a_household_approved_today_and_paid_from_next_month_is_covered(users, people):
    """办法 §21: payment starts the month after approval. A household approved on the day of the
    run is covered, not 未纳入救助."""
    from bangfu.benefits.services import benefit_grant

    ids = people["ids"]
    header = ["身份证号", "姓名", "户类型"]
    before = load(users["county"], "registered_poor", header, [[ids["zhao"], "赵强", "监测户"]])
    assert Finding.objects.filter(batch=before, kind=FindingKind.NOT_COVERED, name="赵强").exists()
    benefit = benefit_grant(acting_user=users["county"], household=people["households"]["none"], programme="dibao",
                            monthly_amount_fen=50000, approved_on=TODAY, case_id=None)
    assert benefit.start_month == dt.date(2025, 7, 1)
    after = load(users["county"], "registered_poor", header, [[ids["zhao"], "赵强", "监测户"]])
    assert not Finding.objects.filter(batch=after, kind=FindingKind.NOT_COVERED).exists()


# ----------------------------------------------------------------------------- import-list

def _write_csv(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([header, *rows])
    return str(path)


def test_import_list_cli_imports_as_the_page_does_and_ends_with_the_batch_number(users, people, tmp_path):
    ids = people["ids"]
    path = _write_csv(tmp_path / "死亡名单.csv", ["身份证号", "姓名", "死亡日期"],
                      [[ids["zhang"], "张伟", "2025-05-20"], [ids["li"], "李娜", "不详"]])
    out = io.StringIO()
    call_command("import_list", path, kind="death", user="county", source="区公安分局", date="2025-06-01", stdout=out, stderr=io.StringIO())
    last = out.getvalue().strip().splitlines()[-1]
    batch = ImportBatch.objects.get()
    assert last == str(batch.pk)
    assert (batch.kind, batch.source, batch.source_date, batch.loaded_by, batch.complete) == (
        "death", "区公安分局", dt.date(2025, 6, 1), users["county"], False)
    assert rows_of(batch)[3].link_status == LinkStatus.REFUSED
    call_command("import_list", path, kind="disability", user="county", complete=True, stdout=io.StringIO(), stderr=io.StringIO())
    assert ImportBatch.objects.order_by("-pk").first().complete


@pytest.mark.parametrize("args, options, message", [
    (["FILE"], {"kind": "death", "user": "nobody"}, "用户“nobody”不存在"),
    (["FILE"], {"kind": "weather", "user": "county"}, "未知的名单种类“weather”"),
    (["MISSING"], {"kind": "death", "user": "county"}, "不存在"),
    (["EMPTY"], {"kind": "death", "user": "county"}, "文件是空的"),
    (["FILE"], {"kind": "death", "user": "county", "date": "2025-02-30"}, "数据日期"),
    (["FILE"], {"kind": "death", "user": "worker_a"}, "权限"),
])
def test_import_list_cli_refuses_in_plain_chinese(users, people, tmp_path, args, options, message):
    files = {"FILE": _write_csv(tmp_path / "a.csv", ["身份证号", "姓名", "死亡日期"], [[people["ids"]["zhang"], "张伟", "2025-05-20"]]),
             "MISSING": str(tmp_path / "none.csv"), "EMPTY": str(tmp_path / "empty.csv")}
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(CommandError) as err:
        call_command("import_list", *[files[a] for a in args], **options, stdout=io.StringIO(), stderr=io.StringIO())
    assert message in str(err.value)
    assert not ImportBatch.objects.exists()


# ----------------------------------------------------------------------------- results back to the department

@pytest.fixture
def mixed_batch(users, people):
    """Township A's death list: an auto link (张伟), a review (李娜's number, another name), a
    stranger (none) and a refused row (bad date)."""
    ids = people["ids"]
    return load(users["township_a"], "death", ["身份证号", "姓名", "死亡日期"], [
        [ids["zhang"], "张伟", "2025-05-20"],
        [ids["li"], "刘德华", "2025-05-20"],
        ["340102198803030036", "陌生人", "2025-05-20"],
        [ids["zhao"], "赵强", "不详"],
    ])


def test_list_rows_export_one_line_per_row_in_order(users, people, mixed_batch):
    from bangfu.matching.export import list_row_lines

    ids = people["ids"]
    lines = list(list_row_lines(mixed_batch, viewer=users["county"]))
    assert [line["row_no"] for line in lines] == [2, 3, 4, 5]
    assert [line["outcome"] for line in lines] == ["auto", "review", "none", "refused"]
    auto, review, none, refused = lines
    assert (auto["name"], auto["id_given"], auto["person_id_number"], auto["score"]) == ("张伟", ids["zhang"], ids["zhang"], 1.0)
    assert auto["method"] == "身份证号一致" and auto["outcome_words"] == "已匹配"
    assert review["person_id_number"] == "" and (review["candidate_name"], review["candidate_id_number"]) == ("李娜", ids["li"])
    assert none["person_id_number"] == none["candidate_name"] == ""
    assert "死亡日期" in refused["refusal"] and refused["outcome_words"] == "已拒收（未比对）" and refused["score"] is None


def test_list_rows_export_masks_numbers_for_roles_without_the_full_id_export(users, people, mixed_batch):
    from bangfu.matching.export import list_row_lines

    ids = people["ids"]
    auto = next(iter(list_row_lines(mixed_batch, viewer=users["township_a"])))
    assert auto["id_given"] == auto["person_id_number"] == ids["zhang"][:4] + "*" * 10 + ids["zhang"][-4:]


def test_batch_page_downloads_the_results_and_logs_it(client, users, people, mixed_batch):
    client.force_login(users["township_a"])
    page = client.get(f"/matching/batches/{mixed_batch.pk}/").content.decode()
    assert "下载比对结果" in page and "已拒收" in page
    response = client.get(f"/matching/batches/{mixed_batch.pk}/export/")
    assert response.status_code == 200
    sheet = CalamineWorkbook.from_object(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    assert sheet[0][:4] == ["行号", "姓名", "身份证号（原样）", "比对结果"]
    assert [row[3] for row in sheet[1:]] == ["auto", "review", "none", "refused"]
    log = AccessLog.objects.get(object_type="matching.listrow")
    assert log.user == users["township_a"] and log.object_id == str(mixed_batch.pk) and "号码已遮蔽" in log.detail


def test_a_batch_outside_the_region_cannot_be_downloaded(client, users, regions, people, mixed_batch):
    from bangfu.accounts.choices import Role
    from bangfu_testing.factories import make_user

    other = make_user("township_b", Role.TOWNSHIP_OFFICER, regions["township_b"])
    client.force_login(other)
    assert client.get(f"/matching/batches/{mixed_batch.pk}/export/").status_code == 404
    client.force_login(users["village_a"])  # may view, may not export
    assert client.get(f"/matching/batches/{mixed_batch.pk}/export/").status_code == 403
    assert not AccessLog.objects.filter(object_type="matching.listrow").exists()


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_list_rows_cli_writes_by_suffix(users, people, mixed_batch, tmp_path, suffix):
    target = tmp_path / f"结果{suffix}"
    out = io.StringIO()
    call_command("export_list_rows", str(mixed_batch.pk), str(target), user="admin", stdout=out)
    if suffix == ".csv":
        with open(target, encoding="utf-8-sig") as fh:
            lines = list(csv.reader(fh))
    else:
        lines = CalamineWorkbook.from_path(str(target)).get_sheet_by_index(0).to_python()
    assert [line[3] for line in lines[1:]] == ["auto", "review", "none", "refused"]
    assert lines[1][4] == people["ids"]["zhang"] or people["ids"]["zhang"] in lines[1]  # admin: full numbers
    assert AccessLog.objects.filter(object_type="matching.listrow", user=users["admin"]).count() == 1


def test_export_list_rows_cli_refuses_in_plain_chinese(users, people, mixed_batch, tmp_path):
    with pytest.raises(CommandError, match="批次“999999”不存在"):
        call_command("export_list_rows", "999999", str(tmp_path / "a.csv"), user="admin")
    with pytest.raises(CommandError, match="文件类型"):
        call_command("export_list_rows", str(mixed_batch.pk), str(tmp_path / "a.txt"), user="admin")
    with pytest.raises(CommandError, match="不存在"):
        call_command("export_list_rows", str(mixed_batch.pk), str(tmp_path / "a.csv"), user="nobody")


WEIRD_DATES = ["2025-02-30", "0000-00-00", "1-1-1", "99999999", "2025年13月1日", "45000", "2025.5.20", "1e400", "-1",
               "２０２５－０５－２０", "2025/05/20 12:00:00", "'2025-05-20", "00010101", "99991231", "2025-5"]


def test_no_date_text_makes_the_whole_import_fail(users, people):
    """Issue 12 "a bad row is refused with its reason, never the whole file": whatever a date cell
    holds, in the birth-date column or the kind's own, the import completes."""
    ids = people["ids"]
    rows = [[ids["wang"] if i == 0 else "", f"某人{i}", text, text] for i, text in enumerate(WEIRD_DATES)]
    batch = load(users["county"], "death", ["身份证号", "姓名", "出生日期", "死亡日期"], rows)
    stored = ListRow.objects.filter(batch=batch)
    assert stored.count() == len(WEIRD_DATES) == batch.counts["rows"]
    refused = set(stored.filter(link_status=LinkStatus.REFUSED).values_list("row_no", flat=True))
    assert all("死亡日期" in r.refusal or "无法识别" in r.refusal for r in stored.filter(link_status=LinkStatus.REFUSED))
    assert 2 + WEIRD_DATES.index("2025-02-30") in refused


def test_the_upload_page_asks_whether_the_list_is_complete(client, users, people):
    client.force_login(users["county"])
    form = {"kind": "disability", "source": "区残联", "source_date": "2025-06-01"}

    def upload(**extra):
        data = csv_bytes(DISABILITY, [[people["ids"]["sun"], "孙丽", "", "肢体", "二级", "2018-03-01"]])
        return client.post("/matching/import/", {**form, **extra, "file": data})

    page = upload()
    assert page.status_code == 200 and "请选择名单是全量还是增量" in page.content.decode()
    location = upload(complete="complete")["Location"]
    client.post(location, {"id_number": "身份证号", "name": "姓名", "disability_type": "残疾类别", "disability_grade": "残疾等级",
                           "issue_date": "发证日期"})
    batch = ImportBatch.objects.get()
    assert batch.complete
    assert Finding.objects.filter(batch=batch, kind=FindingKind.NO_CERTIFICATE, name="赵强").exists()
    page = client.get(f"/matching/batches/{batch.pk}/").content.decode()
    assert "全量（该部门在本辖区的全部名单）" in page


@pytest.mark.parametrize("text, grade", [("一级", 1), ("二级（重度）", 2), ("残疾3级", 3), ("4", 4), ("肆级", 4),
                                         ("五级", None), ("6", None), ("0", None), ("1-2级", None), ("不详", None)])
def test_disability_grades_one_to_four_are_read_the_rest_refused(text, grade):
    """Disability grades are 一级–四级 (GB/T 26341-2010 残疾人残疾分类和分级)."""
    import json

    parsed = parse(read_table(csv_bytes(DISABILITY, [["340102198803030039", "某人", "", "肢体", text, "2020-01-01"]])),
                   KINDS["disability"], today=TODAY)
    row = parsed.frame.row(0, named=True)
    assert json.loads(row["data"])["disability_grade"] == grade
    assert (row["refusal"] is None) == (grade is not None)


def test_unreadable_sex_is_said_but_does_not_refuse_the_row():
    """Sex is identity, not the kind's data: a cell that says neither 男 nor 女 is not used, and
    said; the row is still linked on its number."""
    parsed = parse(read_table(csv_bytes(["身份证号", "姓名", "性别", "死亡日期"], [
        ["340102198803030039", "某人", "未知", "2025-05-20"], ["340102198803030039", "某人", " 女 ", "2025-05-20"]])),
        KINDS["death"], today=TODAY)
    assert parsed.frame["sex"].to_list() == [None, "F"] and parsed.frame["refusal"].to_list() == [None, None]
    assert [(b["row"], b["skipped"]) for b in parsed.bad_rows if "性别" in b["reason"]] == [(2, False)]
