"""`bangfu simulate --set NAME=VALUE|+N%|-N% … [--region CODE] [--on DATE] --user USERNAME
[--xlsx OUT.xlsx]`: compare the parameters in force with changed ones on the registry of a
region, by township, to the screen and to a workbook (issue 3; see policy/simulation.py)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bangfu.common.progress import TqdmProgress

from .reassess import _date, _user


class Command(BaseCommand):
    help = "政策测算：调整参数（新值或上下浮动百分比）后，按乡镇列出新增、停发低保的户数和月度、年度支出变化"

    def add_arguments(self, parser):
        parser.add_argument("--set", dest="changes", action="extend", nargs="+", required=True, metavar="NAME=VALUE",
                            help="调整项，如 dibao_standard_rural=+10%%、dibao_standard_urban=820.00、near_dibao_factor=2；"
                                 "参数名后加 @区划代码 只调整该区划")
        parser.add_argument("--user", required=True, help="以哪个用户的身份测算（决定管辖范围）")
        parser.add_argument("--region", help="区划代码（2、4、6、9 或 12 位），默认为该用户的所属区划")
        parser.add_argument("--on", help="评估日期 YYYY-MM-DD，默认今天")
        parser.add_argument("--xlsx", help="同时写入 Excel 文件（汇总、明细、参数三张表）")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args, changes, user, region=None, on=None, xlsx=None, no_progress=False, **options):
        from django.core.exceptions import PermissionDenied

        from bangfu.policy.reassessment import ReassessmentError
        from bangfu.policy.simulation import parse_settings, screen_lines, simulate, write_workbook

        acting_user = _user(user)
        day = _date(on)
        if xlsx and not Path(xlsx).resolve().parent.is_dir():
            raise CommandError(f"无法写入 {xlsx}：目录不存在")
        progress = None if no_progress or options["verbosity"] == 0 else TqdmProgress()
        try:
            result = simulate(acting_user=acting_user, settings=parse_settings(changes), region_code=region, on=day,
                              progress=progress)
        except (ReassessmentError, PermissionDenied) as exc:  # SimulationError is one
            raise CommandError(str(exc)) from None
        for line in screen_lines(result):
            self.stdout.write(line)
        if xlsx:
            write_workbook(result, xlsx)
            self.stdout.write(f"已写入 {xlsx}（汇总 {result.townships.height} 个乡镇（街道），明细 {result.details.height} 户）")
