"""The kinds of external list (外部比对名单, issue 5 "External lists") and their columns.

Each kind has a documented column set (docs/matching.md lists them, the template carries them);
every kind shares the identity columns (ID number, name, and optionally sex, birth date, address,
region code) that linkage uses. A deployment adds a kind with `ListKind` rows in the database
(code, name, extra columns): such a kind is linked like the others and its extra columns are kept
with each row; it produces findings only if it is marked as a risk list (not-covered check).
This module knows no model: `models.kind_by_code` looks a code up among these and the added ones.

Headers are recognised after normalisation (spaces, brackets and "（必填）" removed), through the
aliases below, which are the headers the departments' own exports use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Col:
    field: str
    header: str
    parser: str = "text"  # text | id | date | sex | int | money | status
    aliases: tuple[str, ...] = ()
    required: bool = False
    help: str = ""
    bounds: tuple[int, int] | None = None  # an int column's lowest and highest valid value


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    department: str
    columns: tuple[Col, ...]
    risk: bool = False  # a risk list: its people not in the registry or not assisted are "not covered" (R3)
    note: str = ""
    extra: tuple[Col, ...] = field(default_factory=tuple)

    @property
    def all_columns(self) -> tuple[Col, ...]:
        return IDENTITY + self.columns + self.extra


IDENTITY = (
    Col("id_number", "身份证号", "id", ("公民身份号码", "身份证号码", "证件号码", "身份证件号码", "证件号", "身份证", "居民身份证号", "身份号码", "idnumber", "sfzh")),
    Col("name", "姓名", "text", ("名字", "人员姓名", "户主姓名", "对象姓名", "死者姓名", "学生姓名", "xm"), required=True),
    Col("sex", "性别", "sex", ("xb",)),
    Col("birth_date", "出生日期", "date", ("出生年月", "出生年月日", "生日", "csrq")),
    Col("address", "住址", "text", ("地址", "家庭住址", "户籍地址", "户籍所在地", "居住地址", "现住址")),
    Col("region_code", "区划代码", "text", ("行政区划代码", "行政区划", "所在地区划代码", "区划")),
)

KINDS: dict[str, Kind] = {k.code: k for k in (
    Kind("disability", _("残联持证残疾人"), _("残联"), (
        Col("cert_number", "残疾证号", "text", ("残疾人证号", "证号", "残疾证号码")),
        Col("disability_type", "残疾类别", "text", ("类别", "残疾类型")),
        Col("disability_grade", "残疾等级", "int", ("等级", "残疾级别"), bounds=(1, 4)),  # 一级–四级 (GB/T 26341)
        Col("issue_date", "发证日期", "date", ("发证时间", "办证日期")),
        Col("last_check", "最近年审日期", "date", ("年审日期", "年检日期", "最近年检日期")),
    ), risk=True, note=_("重度残疾（一、二级，或智力、精神三级）未纳入救助的，列入主动发现；与登记信息比对等级、类别和年审。")),
    Kind("registered_poor", _("建档立卡（防返贫监测）"), _("乡村振兴（扶贫）"), (
        Col("poor_type", "户类型", "text", ("监测对象类型", "人员类型", "类型")),
    ), risk=True, note=_("脱贫户、监测户未纳入救助的，列入主动发现。")),
    Kind("death", _("死亡人员"), _("公安、卫健、殡葬"), (
        Col("death_date", "死亡日期", "date", ("死亡时间", "注销日期"), required=True),
    ), note=_("仍在享受低保、特困待遇的，列入错保，自死亡次月起停发。")),
    Kind("education", _("教育（家庭经济困难学生、辍学）"), _("教育"), (
        Col("student_status", "学籍状态", "status", ("在校状态", "状态", "就读状态")),
        Col("school", "学校", "text", ("学校名称", "就读学校")),
    ), risk=True, note=_("辍学的适龄儿童转教育部门劝返；困难学生未纳入救助的，列入主动发现。")),
    Kind("unemployment", _("失业登记"), _("人社"), (
        Col("register_date", "登记日期", "date", ("失业登记日期",)),
    ), risk=True, note=_("困难家庭中的失业人员未纳入救助的，列入主动发现。")),
    Kind("illness", _("大病及医疗费用"), _("医保、卫健"), (
        Col("illness", "病种", "text", ("疾病名称", "诊断")),
        Col("medical_cost", "个人自付费用", "money", ("自付费用", "自付金额", "个人负担")),
    ), risk=True, note=_("大病患者未纳入救助的，列入主动发现（“病”的对象）。")),
    Kind("vehicle", _("机动车登记"), _("公安交管"), (
        Col("plate", "号牌号码", "text", ("车牌号", "车牌号码")),
        Col("vehicle_value", "车辆价值", "money", ("评估价值", "价值")),
    ), note=_("享受救助的家庭拥有计价机动车超过限额的，列入错保（暂行办法§9，参数 asset_vehicle_*）。")),
    Kind("property", _("不动产登记"), _("自然资源（不动产）"), (
        Col("property_address", "坐落", "text", ("房屋坐落", "不动产坐落")),
    ), note=_("享受救助的家庭住房套数超过限额的，列入错保（参数 asset_housing_max_count）。")),
    Kind("business", _("市场主体登记"), _("市场监管"), (
        Col("business_name", "企业名称", "text", ("字号名称", "市场主体名称", "名称")),
    ), note=_("享受救助的家庭有经营实体超过限额的，列入错保（参数 asset_business_max_count）。")),
    Kind("public_employee", _("财政供养人员"), _("组织、人社、财政"), (
        Col("employer", "工作单位", "text", ("单位", "单位名称")),
    ), note=_("享受救助的家庭成员为财政供养人员的，列入错保，须核查（办法§11 近亲属备案另行处理）。")),
    Kind("other_assistance", _("外地低保、特困名单"), _("外地民政"), (
        Col("assistance_type", "救助类别", "text", ("保障类别", "类别")),
        Col("assistance_region", "享受地", "text", ("享受地区", "发放地")),
    ), note=_("同一人在两地同时享受的，列入重复享受（错保）。")),
    Kind("vagrant_returnee", _("流浪乞讨返乡人员"), _("救助管理站"), (
        Col("return_date", "返乡日期", "date", ("送返日期",)),
    ), risk=True, note=_("返乡人员未纳入救助的，列入主动发现。")),
)}

_STRIP = re.compile(r"[\s　:：*＊()（）\[\]【】]|必填|选填")


def normalize_header(text) -> str:
    return _STRIP.sub("", str(text or "")).lower()


def header_lookup(kind: Kind) -> dict[str, str]:
    """normalised header → field, for every column of the kind."""
    out: dict[str, str] = {}
    for col in kind.all_columns:
        for text in (col.header, *col.aliases, col.field):
            out.setdefault(normalize_header(text), col.field)
    return out
