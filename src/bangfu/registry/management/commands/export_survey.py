"""`bangfu export-survey OUT.xlsx --user USERNAME [--village CODE] [--q TEXT] [--category 低保] [--status all]`"""

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from bangfu.accounts.models import User
from bangfu.common.progress import TqdmProgress
from bangfu.registry import choices as c
from bangfu.registry.errors import RegistryError
from bangfu.registry.selectors import HouseholdFilter
from bangfu.registry.survey.export import exports_full_numbers, survey_export


class Command(BaseCommand):
    help = "按摸底调查表格式导出家庭（范围与家庭档案列表相同；无权导出完整号码的用户，身份证号和电话脱敏）"

    def add_arguments(self, parser):
        parser.add_argument("out", help="输出文件（.xlsx）")
        parser.add_argument("--user", required=True, help="以哪个用户的身份导出（决定范围和是否脱敏，记入访问日志）")
        parser.add_argument("--village", default="", help="区划代码（6、9或12位），只导出该区划内的家庭")
        parser.add_argument("--q", default="", help="姓名、身份证号或其末几位")
        parser.add_argument("--category", default="", help="类别，如 低保 或 dibao")
        parser.add_argument("--status", default=c.HouseholdStatus.ACTIVE, help="家庭状态：active（在册，默认）、merged、cancelled 或 all")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, out, user, village, q, category, status, no_progress, **options):
        try:
            viewer = User.objects.select_related("region").get(username=user)
        except User.DoesNotExist:
            raise CommandError(f"用户“{user}”不存在") from None
        codes = {str(label): value for value, label in c.Category.choices} | {v: v for v in c.Category.values}
        if category and category not in codes:
            raise CommandError(f"类别“{category}”不存在，可选：{'、'.join(str(label) for _, label in c.Category.choices)}")
        if status != "all" and status not in c.HouseholdStatus.values:
            raise CommandError(f"状态“{status}”不存在，可选：{'、'.join(c.HouseholdStatus.values)}、all")
        flt = HouseholdFilter(q=q, village=village, category=codes.get(category, ""), status="" if status == "all" else status)
        try:
            rows = survey_export(viewer=viewer, target=out, flt=flt, progress=None if no_progress else TqdmProgress())
        except RegistryError as exc:
            raise CommandError(" ".join(m for ms in exc.errors.values() for m in ms)) from None
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        masked = "完整号码" if exports_full_numbers(viewer) else "身份证号和电话已脱敏"
        self.stdout.write(self.style.SUCCESS(f"已导出 {rows} 行到 {out}（{masked}）"))
