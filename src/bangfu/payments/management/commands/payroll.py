"""`bangfu payroll build --county CODE --month YYYY-MM --user USERNAME [--programme dibao|tekun|temporary_assistance]`:
the page's "生成花名册" from the command line (issue 15): the same service, the same checks. The last
line printed is the payroll's number, for scripts."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from bangfu.accounts.models import User
from bangfu.common.money import format_yuan
from bangfu.common.months import parse_month
from bangfu.payments import services


class Command(BaseCommand):
    help = "发放花名册：payroll build 生成当月花名册（与网页“生成花名册”相同），最后一行输出花名册编号"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        build = sub.add_parser("build", help="生成一个县当月的发放花名册")
        build.add_argument("--county", required=True, help="县级区划代码（6位或12位）")
        build.add_argument("--month", required=True, help="发放月份 YYYY-MM")
        build.add_argument("--user", required=True, help="以哪个县级用户的身份生成（记入生成人）")
        build.add_argument("--programme", default="", help="救助项目：dibao、tekun、temporary_assistance（默认全部）")

    def handle(self, *args, verb, **options):
        if verb == "build":
            return self._build(**options)
        raise CommandError(f"未知的操作“{verb}”")

    def _build(self, *, county, month, user, programme, **_options):
        try:
            acting_user = User.objects.select_related("region").get(username=user)
        except User.DoesNotExist:
            raise CommandError(f"用户“{user}”不存在") from None
        the_month = parse_month(month)
        if the_month is None or len(month.strip()) != 7:
            raise CommandError(f"发放月份“{month}”无效，应为 YYYY-MM")
        try:
            payroll, built = services.payroll_build(acting_user=acting_user, county_code=county, month=the_month, programme=programme)
        except services.PaymentError as exc:
            raise CommandError(str(exc)) from None
        except PermissionDenied as exc:
            raise CommandError(str(exc) or "没有生成花名册的权限") from None
        except Http404:
            raise CommandError("该县不在此用户的辖区内") from None
        what = "已生成" if built else "该月花名册已存在，未重复生成"
        self.stdout.write(self.style.SUCCESS(
            f"{what}：{payroll.month:%Y-%m} 共 {payroll.line_count} 笔，合计 {format_yuan(payroll.total_fen)} 元，"
            f"有疑点暂停 {payroll.held_count} 笔。花名册编号："))
        self.stdout.write(str(payroll.pk))
