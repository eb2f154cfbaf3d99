"""`bangfu funds statement --county CODE --month YYYY-MM FILE.xlsx --user USERNAME`: the monthly
statement of fund use (资金使用月报) as the page exports it, read as that user (permission and region
checked by funds.statement); the export is logged like the page's."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from bangfu.accounts.models import User
from bangfu.common.models import AccessLog, log_access
from bangfu.common.months import parse_month
from bangfu.payments import exports_funds, funds
from bangfu.regions.models import Region


class Command(BaseCommand):
    help = "资金台账：funds statement 导出一个县某月的资金使用月报（Excel）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        st = sub.add_parser("statement", help="导出资金使用月报")
        st.add_argument("file", help="写入的 xlsx 文件")
        st.add_argument("--county", required=True, help="县级区划代码（6位或12位）")
        st.add_argument("--month", required=True, help="月份 YYYY-MM")
        st.add_argument("--user", required=True, help="以哪个用户的身份读取（县级经办、审计监督）")

    def handle(self, *args, verb, file, county, month, user, **options):
        month_date = parse_month(month)
        if month_date is None:
            raise CommandError("月份应为 YYYY-MM")
        try:
            acting_user = User.objects.select_related("region").get(username=user)
        except User.DoesNotExist:
            raise CommandError(f"用户“{user}”不存在") from None
        try:
            code = funds.county_of(acting_user, county).code
            rows = funds.statement(acting_user, code, month_date)
        except PermissionDenied:
            raise CommandError("该用户不能查看资金台账") from None
        except Http404:
            raise CommandError("该县不存在或不在该用户的辖区内") from None
        name = Region.objects.filter(code=code).values_list("name", flat=True).first() or code
        with Path(file).open("wb") as target:
            exports_funds.write_statement(target, rows, county_name=name, month=month_date)
        log_access(acting_user=acting_user, action=AccessLog.Action.EXPORT, object_type="funds_statement", object_id=code,
                   region_code=acting_user.region.code if acting_user.region_id else "", detail=f"资金使用月报导出 {code} {month_date:%Y-%m}")
        total = rows[-1]
        self.stdout.write(f"{name} {month_date:%Y-%m}: {total.lines_paid} 笔 {total.paid} 分 → {file}")
