"""`bangfu synth-list --kind KIND --from-registry --typos RATE --seed S [--rows N] [--outside SHARE] --output FILE`:
a synthetic external list with known truth (issue 5). See matching/synth_list.py."""

from django.core.management.base import BaseCommand, CommandError

from bangfu.matching.kinds import KINDS
from bangfu.matching.selectors import registry_frame
from bangfu.matching.synth_list import SynthListError, synth_list, write_list


class Command(BaseCommand):
    help = "生成带已知真值的模拟外部名单（数据比对测试、演示和性能测试用）"

    def add_arguments(self, parser):
        parser.add_argument("--kind", required=True, choices=sorted(KINDS), help="名单种类")
        parser.add_argument("--from-registry", action="store_true", help="从困难群众数据库中抽取人员（否则全部为库外人员）")
        parser.add_argument("--typos", type=float, default=0.02, help="有错误的行所占比例（默认 0.02）")
        parser.add_argument("--seed", default="0", help="随机种子：相同种子、相同数据库生成相同名单")
        parser.add_argument("--rows", type=int, default=1000, help="行数（默认 1000）")
        parser.add_argument("--outside", type=float, default=0.05, help="库外人员所占比例（默认 0.05）")
        parser.add_argument("--output", required=True, help="输出文件（.csv 或 .xlsx）")

    def handle(self, *args, **options):
        if options["rows"] < 1:
            raise CommandError("行数至少为 1")
        registry = registry_frame() if options["from_registry"] else None
        seed = options["seed"]
        seed = int(seed) if str(seed).lstrip("-").isdigit() else seed
        try:
            if registry is None:
                import polars as pl

                from bangfu.matching.linkage import REGISTRY_SCHEMA

                registry = pl.DataFrame(schema=REGISTRY_SCHEMA)
            frame = synth_list(kind=options["kind"], registry=registry, rows=options["rows"], typos=options["typos"],
                               seed=seed, outside=options["outside"] if options["from_registry"] else 1.0)
            write_list(frame, options["output"])
        except SynthListError as exc:
            raise CommandError(str(exc)) from None
        errors = frame.filter(frame["错误类型"].is_in(["", "outside"]).not_()).height
        self.stdout.write(self.style.SUCCESS(
            f"已生成{frame.height}行到 {options['output']}：其中库外人员{frame.filter(frame['错误类型'] == 'outside').height}行，"
            f"有错误的行{errors}行；真值在“真实人员编号”“错误类型”两列。"))
