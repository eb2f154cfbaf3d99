"""`bangfu payroll build --county CODE --month YYYY-MM --user USERNAME [--programme dibao|tekun|temporary_assistance]`,
`bangfu payroll build-supplementary --county CODE --month YYYY-MM --user USERNAME` (补发批次):
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
        export = sub.add_parser("export", help="生成已审批花名册的银行代发文件（审批后的花名册随之锁定）")
        export.add_argument("payroll", type=int, help="花名册编号")
        export.add_argument("file", help="写入的文件")
        export.add_argument("--bank", required=True, help="银行文件格式代码，如 rcb_gbk_pipe")
        export.add_argument("--user", required=True, help="以哪个县级用户的身份生成（记入操作记录）")
        supp = sub.add_parser("build-supplementary", help="生成补发批次：账户已更正的发放失败明细再发一次")
        supp.add_argument("--county", required=True, help="县级区划代码（6位或12位）")
        supp.add_argument("--month", required=True, help="补发批次月份 YYYY-MM")
        supp.add_argument("--user", required=True, help="以哪个县级用户的身份生成（记入生成人）")
        ret = sub.add_parser("import-return", help="导入银行回盘文件")
        ret.add_argument("payroll", type=int, help="花名册编号")
        ret.add_argument("file", help="回盘文件")
        ret.add_argument("--bank", required=True, help="银行文件格式代码")
        ret.add_argument("--user", required=True, help="以哪个县级用户的身份导入")

    def handle(self, *args, verb, **options):
        if verb == "build":
            return self._build(**options)
        if verb in ("build-supplementary", "build_supplementary"):
            return self._supplementary(**options)
        if verb in ("export", "import-return", "import_return"):
            return self._bank(verb, **options)
        raise CommandError(f"未知的操作“{verb}”")

    def _user(self, user):
        try:
            return User.objects.select_related("region").get(username=user)
        except User.DoesNotExist:
            raise CommandError(f"用户“{user}”不存在") from None

    def _bank(self, verb, *, payroll, file, bank, user, **_options):
        from pathlib import Path

        from bangfu.payments import bank as bank_module
        from bangfu.payments import selectors

        acting_user = self._user(user)
        try:
            obj = selectors.payroll_for(acting_user, payroll)
            if verb == "export":
                data, n, total = bank_module.payroll_bank_file(acting_user=acting_user, payroll=obj, bank_code=bank)
                Path(file).write_bytes(data)
                self.stdout.write(self.style.SUCCESS(f"已生成代发文件 {file}：{n} 笔，合计 {format_yuan(total)} 元"))
                return
            path = Path(file)
            if not path.is_file():
                raise CommandError(f"文件“{file}”不存在")
            record = bank_module.payroll_return_import(acting_user=acting_user, payroll=obj, data=path.read_bytes(), filename=path.name,
                                                       bank_code=bank)
        except services.PaymentError as exc:
            raise CommandError(str(exc)) from None
        except PermissionDenied as exc:
            raise CommandError(str(exc) or "没有此操作的权限") from None
        except Http404:
            raise CommandError("花名册不存在或不在此用户的辖区内") from None
        for row, text in record.problems[:200]:
            self.stdout.write(f"第{row}行：{text}")
        self.stdout.write(self.style.SUCCESS(f"回盘已导入：入账 {record.paid} 笔，失败 {record.failed} 笔，无法处理 {len(record.problems)} 行"))

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

    def _supplementary(self, *, county, month, user, **_options):
        from bangfu.payments import supplementary

        acting_user = self._user(user)
        the_month = parse_month(month)
        if the_month is None or len(month.strip()) != 7:
            raise CommandError(f"月份“{month}”无效，应为 YYYY-MM")
        try:
            payroll, n = supplementary.supplementary_build(acting_user=acting_user, county_code=county, month=the_month)
        except services.PaymentError as exc:
            raise CommandError(str(exc)) from None
        except PermissionDenied as exc:
            raise CommandError(str(exc) or "没有生成补发批次的权限") from None
        except Http404:
            raise CommandError("该县不在此用户的辖区内") from None
        if payroll is None:
            self.stdout.write("没有收款账户已更正的发放失败明细，未生成补发批次")
            return
        self.stdout.write(self.style.SUCCESS(
            f"已生成补发批次：{n} 笔，合计 {format_yuan(payroll.total_fen)} 元，有疑点暂停 {payroll.held_count} 笔。花名册编号："))
        self.stdout.write(str(payroll.pk))
