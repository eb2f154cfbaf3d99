"""`bangfu monthly-report --region CODE --month YYYY-MM FILE.xlsx [--user USERNAME]`: the monthly
statistics of a region as the page exports them (the filed layout). With --user the region is
read as that user (permission and region checked, the export logged); without, as the operator of
the server, who may read every region."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from bangfu.accounts.models import User
from bangfu.common.models import AccessLog, log_access
from bangfu.common.months import parse_month
from bangfu.regions.codes import RegionCode
from bangfu.regions.models import Region
from bangfu.reports import exports, monthly, selectors


class Command(BaseCommand):
    help = "统计月报：导出一个区划某月的统计月报（Excel，按报送格式）"

    def add_arguments(self, parser):
        parser.add_argument("file", help="写入的 xlsx 文件")
        parser.add_argument("--region", required=True, help="区划代码（6、9或12位）")
        parser.add_argument("--month", required=True, help="月份 YYYY-MM")
        parser.add_argument("--user", default="", help="以哪个用户的身份读取（可选）")

    def handle(self, *args, file, region, month, user, **options):
        month_date = parse_month(month)
        if month_date is None or len(month.strip()) != 7:
            raise CommandError("月份应为 YYYY-MM")
        acting_user = None
        if user:
            try:
                acting_user = User.objects.select_related("region").get(username=user)
                area = selectors.report_area(acting_user, region)
            except User.DoesNotExist:
                raise CommandError(f"用户“{user}”不存在") from None
            except PermissionDenied:
                raise CommandError("该用户不能查看统计报表") from None
            except Http404:
                raise CommandError("该区划不存在或不在该用户的辖区内") from None
        else:
            try:
                area = RegionCode.parse(region)
            except ValueError as exc:
                raise CommandError(str(exc)) from None
            if not Region.objects.filter(code=area.code).exists():
                raise CommandError(f"区划“{region}”不存在")
        report = monthly.monthly_report(area, month_date)
        with Path(file).open("wb") as target:
            exports.write_report(target, report)
        if acting_user is not None:
            log_access(acting_user=acting_user, action=AccessLog.Action.EXPORT, object_type="monthly_report", object_id=area.code,
                       region_code=area.code, detail=f"统计月报导出 {area.code} {month_date:%Y-%m}")
        self.stdout.write(f"{report.area_name} {month_date:%Y-%m}: {len(report.rows)} 行 → {file}")
