"""`bangfu reassess [--region CODE] [--on YYYY-MM-DD] --user USERNAME`: judge every household of a
region from the registry, store the determinations and the changes against the current benefits
(issue 3; see policy/reassessment.py)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from bangfu.accounts.models import User
from bangfu.common.progress import TqdmProgress


class Command(BaseCommand):
    help = "重新核算：按登记信息判断区划内每户的低保等待遇，保存结论并列出与现享受待遇相比的变化"

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="以哪个用户的身份核算（决定管辖范围，记入核算记录）")
        parser.add_argument("--region", help="区划代码（2、4、6、9 或 12 位），默认为该用户的所属区划")
        parser.add_argument("--on", help="评估日期 YYYY-MM-DD，默认今天")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args, user, region=None, on=None, no_progress=False, **options):
        from django.core.exceptions import PermissionDenied

        from bangfu.policy.parameters import ParameterError
        from bangfu.policy.reassessment import ReassessmentError, reassess, summary_lines

        acting_user = _user(user)
        day = _date(on)
        progress = None if no_progress or options["verbosity"] == 0 else TqdmProgress()
        try:
            run = reassess(acting_user=acting_user, region_code=region, on=day, progress=progress)
        except (ReassessmentError, ParameterError, PermissionDenied) as exc:
            raise CommandError(str(exc)) from None
        for line in summary_lines(run):
            self.stdout.write(line)


def _user(username: str) -> User:
    try:
        return User.objects.select_related("region").get(username=username)
    except User.DoesNotExist:
        raise CommandError(f"用户“{username}”不存在") from None


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"评估日期“{text}”应为 YYYY-MM-DD 格式") from None
