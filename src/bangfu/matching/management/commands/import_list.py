"""`bangfu import-list FILE --kind KIND --user USERNAME [--source TEXT] [--date YYYY-MM-DD] [--complete]`:
the web page's list import from the command line (issue 12): the same reading and checks
(reader.read_table, parse with the column mapping saved for these headers, else the recognised
headers), the same services.list_import, the same batch. The last line printed is the batch
number, for scripts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from bangfu.accounts.models import User
from bangfu.common.progress import TqdmProgress
from bangfu.matching import services
from bangfu.matching.models import kind_by_code
from bangfu.matching.reader import ListFileError, find_header, parse, read_table


class Command(BaseCommand):
    help = "导入外部部门名单并与困难群众数据库比对（与网页“导入外部名单”相同），最后一行输出批次编号"

    def add_arguments(self, parser):
        parser.add_argument("file", help="名单文件（.xlsx 或 .csv）")
        parser.add_argument("--kind", required=True, help="名单种类代码，如 disability、death（见 docs/matching.md）")
        parser.add_argument("--user", required=True, help="以哪个用户的身份导入（决定批次的区划，记入导入人）")
        parser.add_argument("--source", default="", help="数据来源，如“区残联 2025年6月导出”（默认：文件名）")
        parser.add_argument("--date", default="", help="数据日期 YYYY-MM-DD（默认：今天）")
        parser.add_argument("--complete", action="store_true",
                            help="全量名单：该部门在本辖区的全部名单（只有全量名单才产生“名单上没有”类的发现，如残疾人未办证）")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args, file, kind, user, source, date, complete, no_progress, **options):
        try:
            acting_user = User.objects.select_related("region").get(username=user)
        except User.DoesNotExist:
            raise CommandError(f"用户“{user}”不存在") from None
        try:
            kind_obj = kind_by_code(kind)
        except KeyError:
            raise CommandError(f"未知的名单种类“{kind}”") from None
        try:
            source_date = dt.date.fromisoformat(date) if date else dt.date.today()
        except ValueError:
            raise CommandError(f"数据日期“{date}”无效，应为 YYYY-MM-DD") from None
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"文件“{file}”不存在")
        try:
            table = read_table(path)
            _index, headers = find_header(table, kind_obj)
            parsed = parse(table, kind_obj, mapping=services.saved_mapping(kind_obj.code, headers))
            self.stdout.write(f"已读取 {path.name}：{parsed.frame.height} 行，读取时拒收 {parsed.skipped} 行；开始比对……")
            batch = services.list_import(acting_user=acting_user, kind=kind_obj.code, source=source or path.name,
                                         source_date=source_date, parsed=parsed, complete=complete, filename=path.name,
                                         progress=None if no_progress else TqdmProgress())
        except (ListFileError, services.MatchingError) as exc:
            raise CommandError(str(exc)) from None
        except PermissionDenied as exc:
            raise CommandError(str(exc) or "没有导入外部名单的权限") from None
        counts = batch.counts
        for bad in batch.bad_rows[:200]:
            self.stdout.write(f"第{bad['row']}行：{bad['reason']}{'（未导入）' if bad['skipped'] else ''}")
        self.stdout.write(self.style.SUCCESS(
            f"已导入 {counts.get('rows', 0)} 行（{'全量' if batch.complete else '增量'}名单）：已匹配 {counts.get('accepted', 0)}，"
            f"待人工确认 {counts.get('review', 0)}，未匹配 {counts.get('none', 0)}，拒收 {counts.get('refused', 0)}；"
            f"比对发现 {counts.get('findings', 0)} 条。批次编号："))
        self.stdout.write(str(batch.pk))
