"""`bangfu synth-list --kind KIND --from-registry --typos RATE --seed S [--rows N] [--outside SHARE]
[--damage KINDS] [--without COLUMNS] --output FILE`: a synthetic external list with known truth
(issue 5), damaged the way real department files are (issue 12). See matching/synth_list.py."""

from django.core.management.base import BaseCommand, CommandError

from bangfu.matching.kinds import KINDS
from bangfu.matching.selectors import registry_frame
from bangfu.matching.synth_list import DAMAGES, WITHOUT, SynthListError, parse_damage, parse_without, synth_list, write_list


class Command(BaseCommand):
    help = "生成带已知真值的模拟外部名单（数据比对测试、演示和性能测试用）"

    def add_arguments(self, parser):
        parser.add_argument("--kind", required=True, choices=sorted(KINDS), help="名单种类")
        parser.add_argument("--from-registry", action="store_true", help="从困难群众数据库中抽取人员（否则全部为库外人员）")
        parser.add_argument("--typos", type=float, default=0.02, help="有错误的行所占比例（默认 0.02）")
        parser.add_argument("--seed", default="0", help="随机种子：相同种子、相同数据库生成相同名单")
        parser.add_argument("--rows", type=int, default=1000, help="行数（默认 1000）")
        parser.add_argument("--outside", type=float, default=0.05, help="库外人员所占比例（默认 0.05）")
        parser.add_argument("--damage", default="all",
                            help=f"有错误的行从这些错误类型中等概率抽取一种，逗号分隔（默认 all 全部；classic 为号码和姓名的七种）：{','.join(DAMAGES)}")
        parser.add_argument("--damage-outside", action="store_true", help="库外人员也按同样比例加错误（错误类型记为 outside:类型）")
        parser.add_argument("--without", default="", help=f"去掉这些列，逗号分隔：{','.join(WITHOUT)}")
        parser.add_argument("--output", required=True, help="输出文件（.csv 或 .xlsx；xlsx 中被 Excel 改成数字的号码是数字单元格）")

    def handle(self, *args, **options):
        if options["rows"] < 1:
            raise CommandError("行数至少为 1")
        registry = registry_frame() if options["from_registry"] else None
        seed = options["seed"]
        seed = int(seed) if str(seed).lstrip("-").isdigit() else seed
        try:
            damage, without = parse_damage(options["damage"]), parse_without(options["without"])
            if registry is None:
                import polars as pl

                from bangfu.matching.linkage import REGISTRY_SCHEMA

                registry = pl.DataFrame(schema=REGISTRY_SCHEMA)
            frame = synth_list(kind=options["kind"], registry=registry, rows=options["rows"], typos=options["typos"],
                               seed=seed, outside=options["outside"] if options["from_registry"] else 1.0,
                               damage=damage, without=without, damage_outside=options["damage_outside"])
            write_list(frame, options["output"])
        except SynthListError as exc:
            raise CommandError(str(exc)) from None
        errors = frame.filter(frame["错误类型"].is_in(["", "outside"]).not_()).height  # damaged outsiders count too
        self.stdout.write(self.style.SUCCESS(
            f"已生成{frame.height}行到 {options['output']}：其中库外人员{frame.filter(frame['错误类型'].str.starts_with('outside')).height}行，"
            f"有错误的行{errors}行；真值在“真实人员编号”“错误类型”两列。"))
