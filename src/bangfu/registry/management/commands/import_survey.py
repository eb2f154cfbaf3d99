"""`bangfu import-survey FILE --user USERNAME [--dry-run] [--mode all|good] [--bad-rows-out PATH]`"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from bangfu.accounts.models import User
from bangfu.common.progress import TqdmProgress
from bangfu.registry.errors import RegistryError
from bangfu.registry.survey.importer import survey_import
from bangfu.registry.survey.reader import SurveyFileError
from bangfu.registry.survey.report import ALL_OR_NOTHING, GOOD_ROWS
from bangfu.registry.survey.workbook import write_bad_rows

MODES = {"all": ALL_OR_NOTHING, "good": GOOD_ROWS}
ERRORS_PRINTED = 200


class Command(BaseCommand):
    help = "导入摸底调查表（xlsx 或 csv）：按身份证号码新增或更新家庭和成员"

    def add_arguments(self, parser):
        parser.add_argument("file", help="调查表文件（.xlsx 或 .csv）")
        parser.add_argument("--user", required=True, help="以哪个用户的身份导入（决定管辖范围，记入修改记录）")
        parser.add_argument("--dry-run", action="store_true", help="试运行：只检查并报告，不写入")
        parser.add_argument("--mode", choices=sorted(MODES), default="all",
                            help="all：有任何错误则一行都不导入（默认）；good：导入无误的家庭，有误的家庭写入错误行文件")
        parser.add_argument("--bad-rows-out", help="错误行文件路径（默认：原文件名_错误行.xlsx）")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args, file, user, dry_run, mode, bad_rows_out, no_progress, **options):
        try:
            acting_user = User.objects.select_related("region").get(username=user)
        except User.DoesNotExist:
            raise CommandError(f"用户“{user}”不存在") from None
        path = Path(file)
        if not path.exists():
            raise CommandError(f"文件“{file}”不存在")
        progress = None if no_progress else TqdmProgress()
        try:
            report = survey_import(acting_user=acting_user, source=path, mode=MODES[mode], dry_run=dry_run, progress=progress)
        except SurveyFileError as exc:
            raise CommandError(str(exc)) from None
        except RegistryError as exc:
            raise CommandError(" ".join(m for ms in exc.errors.values() for m in ms)) from None
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        for error in report.errors[:ERRORS_PRINTED]:
            self.stdout.write(str(error))
        if len(report.errors) > ERRORS_PRINTED:
            self.stdout.write(f"……另有 {len(report.errors) - ERRORS_PRINTED} 条错误未列出")
        if report.rejected and ((mode == "good" and not dry_run) or bad_rows_out):
            out = Path(bad_rows_out) if bad_rows_out else path.with_name(f"{path.stem}_错误行.xlsx")
            write_bad_rows(report, out)
            self.stdout.write(f"未导入的 {len(report.rejected)} 行及错误原因已写入：{out}")
        seconds = sum(report.seconds.values())
        style = self.style.SUCCESS if report.ok else self.style.WARNING
        self.stdout.write(style(f"{report.summary()}（用时 {seconds:.1f} 秒）"))
        if not report.ok and not report.written:
            raise CommandError(f"{'试运行发现' if dry_run else '有'} {report.bad_rows} 行错误，未写入任何数据")
