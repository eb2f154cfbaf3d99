"""`bangfu import-regions FILE [--dry-run]`: import townships and villages from CSV (R3, issue 2)."""

from django.core.management.base import BaseCommand, CommandError

from bangfu.regions.services import RegionImportError, regions_csv_import


class Command(BaseCommand):
    help = "从 CSV 文件导入乡镇（街道）和村（社区）区划。表头 code,name，可选 parent_code；UTF-8 或 GBK 编码。"

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help="CSV 文件路径")
        parser.add_argument("--dry-run", action="store_true", help="只检查并统计，不写入数据库")

    def handle(self, *args, **options):
        path = options["file"]
        try:
            counts = regions_csv_import(path, dry_run=options["dry_run"])
        except FileNotFoundError:
            raise CommandError(f"文件不存在：{path}") from None
        except OSError as exc:
            raise CommandError(f"无法读取文件 {path}：{exc.strerror or exc}") from None
        except RegionImportError as exc:
            for message in exc.errors:
                self.stderr.write(message)
            raise CommandError(f"导入失败：共{len(exc.errors)}处错误，数据库未作任何修改。") from None
        prefix = "检查通过（试运行，未写入）" if options["dry_run"] else "导入完成"
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix}：共{counts['rows']}行，新增{counts['created']}个，更新{counts['updated']}个，未变{counts['unchanged']}个。"
            )
        )
