"""`bangfu demo-setup`: national divisions, one real county with generated townships and villages,
synthetic households, one demo user per role (printed with their passwords), and a little data
in each workflow app (bangfu.demo.data: benefits, cases, outreach, rescue, matching)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from bangfu.accounts.choices import Department, Role
from bangfu.accounts.models import User
from bangfu.regions.choices import Level
from bangfu.regions.codes import RegionCode
from bangfu.regions.models import Region

DEMO_PASSWORD = "bangfu-demo-2026"


class Command(BaseCommand):
    help = "载入演示数据：行政区划、一个县的乡镇村、合成家庭和每个角色一个演示账号"

    def add_arguments(self, parser):
        parser.add_argument("--county", default="341122", help="县级区划代码（6位），默认 341122 来安县")
        parser.add_argument("--households", type=int, default=3000, help="合成家庭数")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--force", action="store_true",
                            help="不在调试模式、或数据库中已有非演示账号时，仍然载入（会重置 admin 等账号的密码）")

    def handle(self, *args, county, households, seed, **options):
        from bangfu.demo.guard import check_demo_setup_allowed

        check_demo_setup_allowed(force=options.get("force", False), demo_password=DEMO_PASSWORD)
        from bangfu.regions.services import national_divisions_load
        from bangfu.registry.models import Household
        from bangfu.synth.services import synthesize

        if not (county.isdigit() and len(county) == 6):
            raise CommandError(f"县级区划代码“{county}”应为6位数字")
        national_divisions_load()
        county_region = Region.objects.filter(code=RegionCode.parse(county).code, level=Level.COUNTY).first()
        if county_region is None:
            raise CommandError(f"行政区划中没有县级代码 {county}")
        if not Household.objects.within(county_region).exists():
            self.stdout.write(f"正在为{county_region.full_name}生成 {households} 户演示家庭…")
            synthesize(county_code=county, households=households, seed=seed, progress=True)
        users = self._users(county_region)
        self._demo_data(users, county_region, seed)
        self.stdout.write(self.style.SUCCESS("\n演示账号（密码均为 %s）：" % DEMO_PASSWORD))
        for user in users:
            self.stdout.write(f"  {user.username:<12} {user.get_role_display():<16} {user.region.full_name}")
        self.stdout.write("\n启动服务（make serve）后，用浏览器打开它打印的地址登录。")

    @transaction.atomic
    def _users(self, county: Region) -> list[User]:
        township = county.children.order_by("code").first()
        village = township.children.order_by("code").first() if township else None
        if village is None:
            raise CommandError(f"{county.full_name} 没有乡镇和村（社区）")
        province = county.parent.parent if county.parent and county.parent.parent else county
        spec = [
            ("village", Role.VILLAGE_WORKER, village, Department.CIVIL_AFFAIRS, "村居", "专干"),
            ("township", Role.TOWNSHIP_OFFICER, township, Department.CIVIL_AFFAIRS, "乡镇", "民政办"),
            ("county", Role.COUNTY_OFFICER, county, Department.CIVIL_AFFAIRS, "县", "民政局"),
            ("partner", Role.PARTNER_VIEWER, county, Department.DISABLED_FEDERATION, "县", "残联"),
            ("auditor", Role.AUDITOR, county, Department.CIVIL_AFFAIRS, "审计", "监督员"),
            ("station", Role.STATION_STAFF, county, Department.CIVIL_AFFAIRS, "救助站", "工作人员"),
            ("helper", Role.HELPER, village, Department.CIVIL_AFFAIRS, "帮扶", "责任人"),
            ("admin", Role.ADMIN, province, Department.CIVIL_AFFAIRS, "系统", "管理员"),
        ]
        users = []
        for username, role, region, department, last, first in spec:
            username = self._username(username, role, region, county)
            user, _created = User.objects.get_or_create(username=username)
            user.role, user.region, user.department = role, region, department
            user.last_name, user.first_name = last, first
            user.is_staff = user.is_superuser = role == Role.ADMIN
            user.set_password(DEMO_PASSWORD)
            user.is_demo = user.must_change_password = True  # exempt in debug mode (accounts.middleware)
            user.save()
            users.append(user)
        return users

    @staticmethod
    def _username(base: str, role: str, region: Region, county: Region) -> str:
        """The plain login ("village", …) unless it already belongs to another county's demo: then
        the login is suffixed with this county's code ("village_341124"), so a second county on
        the same database gets its own logins and leaves the first county's as they were."""
        existing = User.objects.filter(username=base).first()
        if existing is None or (existing.role == role and existing.region_id == region.pk):
            return base
        return f"{base}_{RegionCode.parse(county.code).prefix}"

    def _demo_data(self, users: list[User], county: Region, seed: int) -> None:
        """Each app's demo rows through its services (bangfu.demo.data); idempotent."""
        from bangfu.demo.data import DemoContext, build_all

        by_name = {u.username.split("_", 1)[0]: u for u in users}  # by role name, whatever the county suffix
        ctx = DemoContext(users=by_name, county=county, township=by_name["township"].region,
                          village=by_name["village"].region, seed=seed)
        counts = build_all(ctx)
        made = "，".join(f"{app} {n}" for app, n in counts.items())
        self.stdout.write(f"各业务模块演示数据（本次新建）：{made}")
