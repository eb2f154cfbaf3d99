"""`bangfu survey-template OUT.xlsx`: the blank survey workbook with its 说明 sheet."""

from django.core.management.base import BaseCommand

from bangfu.registry.survey.workbook import write_template


class Command(BaseCommand):
    help = "生成空白摸底调查表模板（含“说明”工作表）"

    def add_arguments(self, parser):
        parser.add_argument("out", help="输出文件，如 摸底调查表.xlsx")

    def handle(self, *args, out, **options):
        write_template(out)
        self.stdout.write(self.style.SUCCESS(f"模板已写入：{out}"))
