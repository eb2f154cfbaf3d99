"""`bangfu export-list-rows BATCH FILE --user USERNAME`: a batch's list back to its department,
one line per row with the outcome (比对结果回传, issue 12), as .xlsx or .csv by FILE's suffix.
The same rows as the batch page's "下载比对结果": ID numbers masked unless USERNAME may export
them in full, the batch only if USERNAME can see it, the export logged."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from bangfu.accounts.access import NotFound
from bangfu.accounts.models import User
from bangfu.matching.export import ExportError, list_rows_export


class Command(BaseCommand):
    help = "导出比对批次的逐行比对结果（回传给名单来源部门），按文件扩展名写 .xlsx 或 .csv"

    def add_arguments(self, parser):
        parser.add_argument("batch", help="批次编号（import-list 最后一行输出的数字，或批次页地址中的数字）")
        parser.add_argument("file", help="输出文件（.xlsx 或 .csv）")
        parser.add_argument("--user", required=True, help="以哪个用户的身份导出（决定能看到的批次和身份证号是否遮蔽，记入访问日志）")

    def handle(self, *args, batch, file, user, **options):
        try:
            viewer = User.objects.select_related("region").get(username=user)
        except User.DoesNotExist:
            raise CommandError(f"用户“{user}”不存在") from None
        if not str(batch).isdigit():
            raise CommandError(f"批次编号“{batch}”应为数字")
        path = Path(file)
        if path.suffix.lower() in (".xlsx", ".csv") and not path.parent.is_dir():
            raise CommandError(f"目录“{path.parent}”不存在")
        try:
            n = list_rows_export(viewer=viewer, batch_id=int(batch), target=path, suffix=path.suffix)
        except ExportError as exc:
            raise CommandError(str(exc)) from None
        except NotFound:
            raise CommandError(f"批次“{batch}”不存在（或不在用户“{user}”的辖区内）") from None
        except PermissionDenied as exc:
            raise CommandError(str(exc) or "没有导出比对结果的权限") from None
        self.stdout.write(self.style.SUCCESS(f"已导出批次{batch}的比对结果 {n} 行到 {path}"))
