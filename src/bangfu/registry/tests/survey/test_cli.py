"""The survey verbs of the `bangfu` command: survey-template, import-survey, export-survey."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from bangfu.common.models import AccessLog
from bangfu.registry.models import Person
from bangfu.registry.survey.columns import HEADERS

from .helpers import member, read_xlsx, write_xlsx

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_survey_template(tmp_path):
    out = run("survey_template", str(tmp_path / "t.xlsx"))
    assert "模板已写入" in out
    from python_calamine import CalamineWorkbook

    assert CalamineWorkbook.from_path(str(tmp_path / "t.xlsx")).get_sheet_by_index(0).to_python()[0] == list(HEADERS)


def test_import_dry_run_then_good_rows_with_bad_rows_file(users, tmp_path):
    # given
    path = write_xlsx(tmp_path / "s.xlsx", [member("1", "赵一", "户主"), member("2", "孙三", "户主", 在校="也许")])
    # when: a dry run
    with pytest.raises(CommandError, match="试运行发现 1 行错误"):
        run("import_survey", str(path), "--user", "worker_a", "--dry-run", "--no-progress")
    assert Person.objects.count() == 0
    # when: good rows
    out = run("import_survey", str(path), "--user", "worker_a", "--mode", "good", "--bad-rows-out", str(tmp_path / "bad.xlsx"), "--no-progress")
    # then
    assert "第3行“在校”列：“也许”应填“是”或“否”" in out
    assert "共 2 行、2 户" in out and "新增 1 户、1 人" in out
    assert list(Person.objects.values_list("name", flat=True)) == ["赵一"]
    assert [r["姓名"] for r in read_xlsx(tmp_path / "bad.xlsx")] == ["孙三"]


def test_import_refuses_an_unknown_user_or_a_partner(users, tmp_path):
    path = write_xlsx(tmp_path / "s.xlsx", [member("1", "赵一", "户主")])
    with pytest.raises(CommandError, match="用户“nobody”不存在"):
        run("import_survey", str(path), "--user", "nobody")
    with pytest.raises(CommandError, match="权限"):
        run("import_survey", str(path), "--user", "partner", "--no-progress")


def test_export_survey_with_filters(users, household_a, household_b, tmp_path):
    # when
    out = run("export_survey", str(tmp_path / "e.xlsx"), "--user", "worker_a", "--no-progress")
    county = run("export_survey", str(tmp_path / "c.xlsx"), "--user", "county", "--village", household_b.region_code, "--no-progress")
    # then
    assert "已导出 2 行" in out and "已脱敏" in out
    assert {r["姓名"] for r in read_xlsx(tmp_path / "e.xlsx")} == {"张伟", "李娜"}
    assert "已导出 1 行" in county and "完整号码" in county
    assert AccessLog.objects.count() == 2
    with pytest.raises(CommandError, match="类别“五保”不存在"):
        run("export_survey", str(tmp_path / "x.xlsx"), "--user", "county", "--category", "五保")
