"""`bangfu sync-worklists --region 341122 [--date YYYY-MM-DD]`: open and close the R4 follow-up
items of a region from the policy engine's flags (outreach.worklists). Run it after
`bangfu reassess` over the same region."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from bangfu.common.progress import TqdmProgress
from bangfu.outreach.worklists import sync_worklists


class Command(BaseCommand):
    help = "按政策引擎的跟进提示，生成或办结跟进清单事项"

    def add_arguments(self, parser):
        parser.add_argument("--region", required=True, help="区划代码（6、9 或 12 位）")
        parser.add_argument("--date", help="测评日期 YYYY-MM-DD，默认今天")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        code = options["region"].strip()
        if not code.isdigit() or len(code) not in (2, 4, 6, 9, 12):
            raise CommandError("区划代码应为 2、4、6、9 或 12 位数字")
        try:
            day = dt.date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError:
            raise CommandError("日期应为 YYYY-MM-DD 格式") from None
        progress = None if options["no_progress"] else TqdmProgress()
        result = sync_worklists(region_code=code, on_date=day, progress=progress)
        self.stdout.write(f"提示 {result.flagged} 项：新建 {result.opened}，保持 {result.kept}，办结 {result.closed}")
