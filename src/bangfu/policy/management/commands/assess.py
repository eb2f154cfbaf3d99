"""`bangfu assess FILE.json [--on YYYY-MM-DD]`: judge household JSON documents (docs/policy.md,
"家庭 JSON 格式") and print the determinations as JSON. Uses the parameters in force: the
shipped defaults with the administrators' values from the database."""

import datetime as dt
import json
import sys

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "按家庭 JSON 文档判断低保、特困、临时救助和四类特殊困难对象，输出 JSON"

    def add_arguments(self, parser):
        parser.add_argument("file", help="家庭 JSON 文件（一户的对象或多户的列表），- 为标准输入")
        parser.add_argument("--on", help="评估日期 YYYY-MM-DD，默认今天")
        parser.add_argument("--no-reasons", action="store_true", help="不输出理由")
        parser.add_argument("--defaults-only", action="store_true", help="只用出厂参数，不读数据库中的设置")

    def handle(self, *args, file, on=None, no_reasons=False, defaults_only=False, **options):
        from bangfu.policy.engine import DocumentError, SchemaError, assess_documents
        from bangfu.policy.parameters import ParameterError, default_parameter_set

        try:
            day = dt.date.fromisoformat(on) if on else dt.date.today()
        except ValueError:
            raise CommandError(f"评估日期“{on}”应为 YYYY-MM-DD 格式") from None
        try:
            text = sys.stdin.read() if file == "-" else open(file, encoding="utf-8").read()
            docs = json.loads(text)
        except OSError as exc:
            raise CommandError(f"无法读取文件 {file}：{exc.strerror}") from None
        except json.JSONDecodeError as exc:
            raise CommandError(f"文件 {file} 不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列") from None
        single = isinstance(docs, dict)
        try:
            if defaults_only:
                params = default_parameter_set()
            else:
                from bangfu.policy.selectors import parameter_set

                params = parameter_set()
            result = assess_documents([docs] if single else docs, day, params, explain=not no_reasons)
        except (DocumentError, SchemaError, ParameterError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(json.dumps(result[0] if single else result, ensure_ascii=False, indent=2))
