"""The survey sheet (摸底表, R3) in one table: the template, the reader, the validator, the
exporter and the user guide (docs/registry.md) all take their columns from COLUMNS, so they
cannot drift apart.

One row per person. Rows with the same 户编号 form a household; household columns (marked
`household=True`) are read from the head's row and may be left blank on the other members' rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from bangfu.registry import choices as c

from .cells import CellError, Choice, Count, Date, IdNumber, LostDigits, Money, MultiChoice, Parser, Text, YesNo


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    parser: Parser
    required: bool = False
    help: str = ""
    household: bool = False  # a household column: taken from the head's row
    width: int = 12

    @property
    def lost_digits(self) -> str:
        return _("%(header)s被 Excel 存为数字，已丢失末位，请把该列设为文本后重新填写") % {"header": self.header}

    def parse(self, value):
        try:
            return self.parser.parse(value)
        except LostDigits:
            raise CellError(self.lost_digits) from None


RELATION_ALIASES = {
    "本人": c.Relation.HEAD, "户主本人": c.Relation.HEAD,
    "妻": c.Relation.SPOUSE, "妻子": c.Relation.SPOUSE, "夫": c.Relation.SPOUSE, "丈夫": c.Relation.SPOUSE,
    "子": c.Relation.CHILD, "女": c.Relation.CHILD, "儿子": c.Relation.CHILD, "女儿": c.Relation.CHILD,
    "长子": c.Relation.CHILD, "次子": c.Relation.CHILD, "长女": c.Relation.CHILD, "次女": c.Relation.CHILD,
    "之子": c.Relation.CHILD, "之女": c.Relation.CHILD,
    "父亲": c.Relation.PARENT, "母亲": c.Relation.PARENT, "父": c.Relation.PARENT, "母": c.Relation.PARENT,
    "孙子": c.Relation.GRANDCHILD, "孙女": c.Relation.GRANDCHILD, "外孙": c.Relation.GRANDCHILD, "外孙女": c.Relation.GRANDCHILD,
    "祖父": c.Relation.GRANDPARENT, "祖母": c.Relation.GRANDPARENT,
    "兄弟": c.Relation.SIBLING, "姐妹": c.Relation.SIBLING, "哥哥": c.Relation.SIBLING, "弟弟": c.Relation.SIBLING,
    "姐姐": c.Relation.SIBLING, "妹妹": c.Relation.SIBLING,
    "儿媳": c.Relation.CHILD_IN_LAW, "女婿": c.Relation.CHILD_IN_LAW,
}
GRADE_ALIASES = {f"{n}{suffix}": n for n in range(1, 5) for suffix in ("", "级")}
HUKOU_ALIASES = {"城市": c.HukouType.URBAN, "非农业": c.HukouType.URBAN, "农业": c.HukouType.RURAL}

# The sheet's headers are a fixed Chinese format, whatever the interface language.
SELF_CARE_HEADERS = {
    "can_eat": "能自主吃饭", "can_dress": "能自主穿衣", "can_get_up": "能自主上下床",
    "can_toilet": "能自主如厕", "can_walk_indoors": "能室内行走", "can_bathe": "能自主洗澡",
}
SELF_CARE_HELP = "本人能否独立完成；“否”表示需要他人帮助。特困人员生活自理能力按此六项评估"

# The household's assets (财产, 《社会救助暂行办法》第九条) by kind: the columns give the household's
# total of each kind, as a count, a value in yuan, or both (a vehicle is counted only when one is
# worth at least the local exemption value, so its value is asked too). Blank: not given, the
# registry's rows stay; 0: the household has none, its rows of that kind are removed.
ASSET_COLUMNS: dict[str, tuple[str | None, str | None]] = {  # kind -> (count field, value field)
    c.AssetKind.DEPOSIT: (None, "asset_deposit_fen"),
    c.AssetKind.HOUSING: ("asset_housing_count", None),
    c.AssetKind.VEHICLE: ("asset_vehicle_count", "asset_vehicle_fen"),
    c.AssetKind.BUSINESS: ("asset_business_count", None),
    c.AssetKind.OTHER: (None, "asset_other_fen"),
}
# Each member's monthly rigid expenses (刚性支出, 办法第十四条) by kind. Blank: not given; 0: none,
# the member's current rows of that kind end.
EXPENSE_COLUMNS: dict[str, str] = {
    c.ExpenseKind.MEDICAL: "expense_medical_fen",
    c.ExpenseKind.DISABILITY_CARE: "expense_disability_care_fen",
    c.ExpenseKind.EDUCATION: "expense_education_fen",
}
BLANK_KEEPS = "留空表示未填报，不改动系统中已有记录；填0表示没有"

COLUMNS: tuple[Column, ...] = (
    Column("户编号", "household_key", Text(64, text=True, describe="文本"), True,
           "同一户的成员填相同的户编号，用来在本表内把成员归为一户；可填户主身份证号码或表内自编序号。"
           "与系统中的家庭编号无关：再次导入时按成员身份证号码找到系统中原有的家庭", width=20),
    Column("村（社区）代码", "village_code", Text(12, digits=12, repeats=True), True,
           "12位统计用区划代码，须是您辖区内的村（社区）。户主行必填，同户其他行可留空", household=True, width=16),
    Column("住址", "address", Text(255), False, "家庭住址。户主行填写", household=True, width=24),
    Column("户籍性质", "hukou_type", Choice(c.HukouType, aliases=HUKOU_ALIASES), False,
           "户主行填写；新建家庭留空时按“农村”", household=True),
    Column("住房安全", "housing_safety", Choice(c.HousingSafety), False, "户主行填写；新建家庭留空时按“未鉴定”", household=True),
    Column("当地常住户口", "local_hukou", YesNo(), False,
           "家庭是否持有当地常住户口（低保、特困须具备）。户主行填写；新建家庭留空时按“是”", household=True, width=10),
    Column("计生二女结扎户", "family_planning_two_daughters", YesNo(), False,
           "户主行填写；新建家庭留空时按“否”", household=True, width=10),
    Column("姓名", "name", Text(64), True, "与身份证一致", width=10),
    Column("身份证号码", "id_number", IdNumber(), True,
           "请把本列设为文本格式后再粘贴，否则 Excel 会把18位号码存为数字并丢失末3位。旧式15位号码自动转换为18位", width=22),
    Column("与户主关系", "relation", Choice(c.Relation, aliases=RELATION_ALIASES), True,
           "每户须有且只有一名“户主”", width=10),
    Column("联系电话", "phone", Text(20, text=True, describe="7–12位数字，可含“-”（文本格式）"), False, "手机或固定电话", width=14),
    Column("户籍所在地", "hukou_place", Text(255, repeats=True), False, "户口登记地址", width=20),
    Column("居住状况", "living_situation", Choice(c.LivingSituation), False, "新增人员留空时按“与家人同住”"),
    Column("劳动能力", "labor_capacity", Choice(c.LaborCapacity), False, "新增人员留空时按“有劳动能力”"),
    *(Column(SELF_CARE_HEADERS[field], field, YesNo(), False, SELF_CARE_HELP, width=10) for field, _label in c.SELF_CARE_ACTIVITIES),
    Column("文化程度", "schooling_level", Choice(c.SchoolingLevel), False, "学生填在读学段"),
    Column("在校", "enrolled", YesNo(), False, "是否在校就读", width=8),
    Column("辍学", "dropped_out", YesNo(), False, "义务教育阶段辍学的填“是”；不能与“在校”同时为“是”", width=8),
    Column("重大疾病", "major_illnesses", MultiChoice(c.MajorIllness, what="重大疾病"), False,
           "患有的重大疾病，多种用“、”分隔", width=18),
    Column("疑似残疾未办证", "disability_suspected", YesNo(), False, "已有残疾证的不能填“是”", width=10),
    Column("残疾证号", "disability_cert_number", Text(32, text=True, describe="文本，最多32字"), False,
           "第二代残疾人证号（20位，文本格式）", width=24),
    Column("残疾类别", "disability_type", Choice(c.DisabilityType), False, "填了残疾等级的须填"),
    Column("残疾等级", "disability_grade", Choice(c.DisabilityGrade, aliases=GRADE_ALIASES), False,
           "有残疾证的须填；可写“一级”或数字1–4"),
    Column("发证日期", "disability_issue_date", Date(), False, "残疾证发证日期"),
    Column("最近年审日期", "disability_last_check", Date(), False, "不能早于发证日期"),
    Column("孤儿", "is_orphan", YesNo(), False, "父母均已死亡或被宣告死亡、失踪的未满18周岁儿童", width=8),
    Column("事实无人抚养儿童", "is_unsupported_child", YesNo(), False,
           "父母双方均符合重残、重病、服刑在押、强制隔离戒毒、失联等情形之一，或一方如此、另一方死亡或失踪的儿童", width=10),
    Column("精神障碍", "has_mental_disorder", YesNo(), False, "经医疗机构诊断患有精神障碍", width=8),
    Column("孤寡", "gugua", YesNo(), False, "无配偶、无子女、无其他法定赡养扶养义务人的填“是”；未核实的留空（留空不按孤寡认定）", width=8),
    Column("户外法定义务人", "supporters_checked", Choice(c.SupportersChecked), False,
           "户外赡养、抚养、扶养义务人是否已核实；新增人员留空时按“未核实”。义务人本人情况在家庭页面逐人登记", width=16),
    Column("月收入（元）", "income_fen", Money(), False,
           "本人一项月收入；有多项收入的，其余在家庭页面录入。填了金额须同时选收入类型"),
    Column("收入类型", "income_kind", Choice(c.IncomeKind), False, "与“月收入（元）”成对填写", width=16),
    Column("医疗自付费用（元/月）", "expense_medical_fen", Money(), False,
           "本人月均自付医疗费用（扣除医保报销后）。" + BLANK_KEEPS, width=14),
    Column("残疾康复护理费用（元/月）", "expense_disability_care_fen", Money(), False,
           "本人月均残疾康复、护理费用。" + BLANK_KEEPS, width=14),
    Column("教育费用（元/月）", "expense_education_fen", Money(), False,
           "本人月均必需的就学费用。" + BLANK_KEEPS, width=14),
    Column("类别", "categories", MultiChoice(c.Category, what="类别"), False,
           "家庭所属类别，户主行填写，多项用“、”分隔，如“低保、建档立卡”。导入只增加类别，不会终止已有类别",
           household=True, width=18),
    Column("致困原因", "causes", MultiChoice(c.Cause, what="致困原因"), False,
           "户主行填写，多项用“、”分隔。导入只增加，不会终止已有原因", household=True, width=14),
    Column("存款及有价证券（元）", "asset_deposit_fen", Money(), False,
           "全家银行存款、股票、债券、基金等合计。户主行填写；" + BLANK_KEEPS, household=True, width=14),
    Column("房产（套）", "asset_housing_count", Count("套"), False,
           "全家拥有的住房套数。户主行填写；" + BLANK_KEEPS, household=True, width=10),
    Column("机动车辆（辆）", "asset_vehicle_count", Count("辆"), False,
           "全家拥有的机动车辆数，含单辆价值较低的代步车（是否计入由系统按当地豁免价值判断）。户主行填写；"
           "新填车辆的须同时填“机动车辆价值（元）”；" + BLANK_KEEPS, household=True, width=10),
    Column("机动车辆价值（元）", "asset_vehicle_fen", Money(), False,
           "上列车辆的价值合计。户主行填写；车辆数为0的留空或填0", household=True, width=14),
    Column("经营实体（个）", "asset_business_count", Count("个"), False,
           "全家成员名下办理了工商登记的个体工商户、企业等经营实体数。户主行填写；" + BLANK_KEEPS, household=True, width=10),
    Column("其他财产（元）", "asset_other_fen", Money(), False,
           "上述以外的大额财产价值合计。户主行填写；" + BLANK_KEEPS, household=True, width=14),
)

BY_FIELD: dict[str, Column] = {col.field: col for col in COLUMNS}
HEADERS: tuple[str, ...] = tuple(col.header for col in COLUMNS)
REQUIRED_HEADERS: tuple[str, ...] = tuple(col.header for col in COLUMNS if col.required)
HOUSEHOLD_FIELDS: tuple[str, ...] = tuple(col.field for col in COLUMNS if col.household)
ERROR_HEADER = "错误原因"


def normalize_header(text) -> str:
    """Headers as people retype them: half-width brackets, stray spaces, a '*' for required."""
    return (str(text or "").strip().replace(" ", "").replace("\u3000", "").replace("*", "")
            .replace("(", "（").replace(")", "）"))


HEADER_LOOKUP: dict[str, Column] = {normalize_header(col.header): col for col in COLUMNS}


def markdown_table() -> str:
    """The column table of the user guide (docs/registry.md), rendered from COLUMNS."""
    lines = ["| 列 | 列名 | 必填 | 格式与可选值 | 说明 |", "|---|---|---|---|---|"]
    for index, col in enumerate(COLUMNS):
        letter = column_letter(index)
        required = "是" if col.required else ""
        if col.household:
            required = (required + "（户主行）") if required else "户主行"
        cells = [letter, col.header, required, col.parser.describe, col.help]
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines)


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
