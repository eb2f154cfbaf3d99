"""`bangfu synth --households N --county CODE --seed S [--batch 5000]`: synthetic registry data
for demos and benchmarks (R3, issue 2 item 8). See synth/services.py."""

from django.core.management.base import BaseCommand, CommandError

from bangfu.synth.services import SynthError, synthesize


class Command(BaseCommand):
    help = "为指定县（区）生成模拟的困难家庭及成员数据（演示、测试和性能测试用）"

    def add_arguments(self, parser):
        parser.add_argument("--households", type=int, required=True, help="生成的户数")
        parser.add_argument("--county", required=True, help="县级区划代码，6位，如 340102")
        parser.add_argument("--seed", default="0", help="随机种子：相同种子生成相同数据（默认 0）")
        parser.add_argument("--batch", type=int, default=5000, help="每批写入的户数（默认 5000）")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args, **options):
        if options["households"] < 0:
            raise CommandError("户数不能为负数")
        if options["batch"] < 1:
            raise CommandError("每批户数至少为 1")
        seed = options["seed"]
        seed = int(seed) if str(seed).lstrip("-").isdigit() else seed
        try:
            counts = synthesize(
                county_code=options["county"],
                households=options["households"],
                seed=seed,
                batch=options["batch"],
                progress=not options["no_progress"] and options["verbosity"] > 0,
            )
        except SynthError as exc:
            raise CommandError(str(exc)) from None
        if counts["townships_generated"]:
            self.stdout.write(f"已为该县生成{counts['townships_generated']}个乡镇（街道）、{counts['villages_generated']}个村（社区）。")
        self.stdout.write(
            self.style.SUCCESS(
                f"已生成{counts['households']}户、{counts['persons']}人；成员关系{counts['memberships']}条，收入{counts['incomes']}条，"
                f"财产{counts['assets']}条，刚性支出{counts['expenses']}条，类别与致困原因{counts['classifications']}条。"
            )
        )
