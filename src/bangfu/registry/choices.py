"""Code lists of the registry (R3). Codes are English (glossary of domain.md); labels Chinese."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HukouType(models.TextChoices):
    URBAN = "urban", _("城镇")
    RURAL = "rural", _("农村")


class HouseholdStatus(models.TextChoices):
    ACTIVE = "active", _("在册")
    MERGED = "merged", _("已合户")
    CANCELLED = "cancelled", _("已注销")


class HousingSafety(models.TextChoices):
    UNKNOWN = "unknown", _("未鉴定")
    SAFE = "safe", _("安全")
    C_GRADE = "c_grade", _("C级危房")
    D_GRADE = "d_grade", _("D级危房")
    NO_HOUSING = "no_housing", _("无房")


class Sex(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class Relation(models.TextChoices):
    HEAD = "head", _("户主")
    SPOUSE = "spouse", _("配偶")
    CHILD = "child", _("子女")
    PARENT = "parent", _("父母")
    GRANDCHILD = "grandchild", _("孙子女")
    GRANDPARENT = "grandparent", _("祖父母")
    SIBLING = "sibling", _("兄弟姐妹")
    CHILD_IN_LAW = "child_in_law", _("儿媳女婿")
    OTHER = "other", _("其他")


class PersonStatus(models.TextChoices):
    ACTIVE = "active", _("在册")
    DECEASED = "deceased", _("已死亡")
    MOVED_OUT = "moved_out", _("已迁出")


class LivingSituation(models.TextChoices):
    WITH_FAMILY = "with_family", _("与家人同住")
    ALONE = "alone", _("独居")
    LEFT_BEHIND = "left_behind", _("留守")
    INSTITUTION = "institution", _("机构供养")


class LaborCapacity(models.TextChoices):
    FULL = "full", _("有劳动能力")
    PARTIAL = "partial", _("部分丧失劳动能力")
    NONE = "none", _("无劳动能力")


class SchoolingLevel(models.TextChoices):
    NONE = "none", _("未上学")
    PRESCHOOL = "preschool", _("学前")
    PRIMARY = "primary", _("小学")
    JUNIOR = "junior", _("初中")
    SENIOR = "senior", _("高中")
    VOCATIONAL = "vocational", _("中职")
    COLLEGE = "college", _("大专及以上")


class MajorIllness(models.TextChoices):
    """Major illnesses (重大疾病) commonly listed by medical-assistance rules."""

    CANCER = "cancer", _("恶性肿瘤")
    UREMIA = "uremia", _("尿毒症")
    LEUKEMIA = "leukemia", _("白血病")
    CONGENITAL_HEART = "congenital_heart", _("先天性心脏病")
    SEVERE_MENTAL = "severe_mental", _("重性精神病")
    ORGAN_TRANSPLANT = "organ_transplant", _("器官移植")
    HEMOPHILIA = "hemophilia", _("血友病")
    STROKE_SEQUELAE = "stroke_sequelae", _("脑卒中后遗症")
    TUBERCULOSIS = "tuberculosis", _("耐多药肺结核")
    AIDS = "aids", _("艾滋病机会性感染")
    APLASTIC_ANEMIA = "aplastic_anemia", _("再生障碍性贫血")
    DIABETES_COMPLICATIONS = "diabetes_complications", _("糖尿病并发症")


class DisabilityType(models.TextChoices):
    VISUAL = "visual", _("视力")
    HEARING = "hearing", _("听力")
    SPEECH = "speech", _("言语")
    PHYSICAL = "physical", _("肢体")
    INTELLECTUAL = "intellectual", _("智力")
    MENTAL = "mental", _("精神")
    MULTIPLE = "multiple", _("多重")


class DisabilityGrade(models.IntegerChoices):
    ONE = 1, _("一级")
    TWO = 2, _("二级")
    THREE = 3, _("三级")
    FOUR = 4, _("四级")


# The six activities of daily living of the tekun rules (特困人员认定办法).
SELF_CARE_ACTIVITIES = (
    ("can_eat", _("吃饭")),
    ("can_dress", _("穿衣")),
    ("can_get_up", _("上下床")),
    ("can_toilet", _("如厕")),
    ("can_walk_indoors", _("室内行走")),
    ("can_bathe", _("洗澡")),
)


class IncomeKind(models.TextChoices):
    WAGE = "wage", _("工资性收入")
    BUSINESS = "business", _("家庭经营净收入")
    PROPERTY = "property", _("财产净收入")
    TRANSFER = "transfer", _("转移净收入")
    PENSION = "pension", _("养老金")
    SUPPORT = "support", _("赡养（抚养、扶养）费")
    OTHER = "other", _("其他收入")
    # Not counted as family income (《最低生活保障审核确认办法》第十三条、第十四条; the parameter
    # income_excluded_kinds lists them), but recorded so that the survey shows them.
    AWARD = "award", _("奖励性收入")
    ASSISTANCE = "assistance", _("社会救助金")
    DISABILITY_ALLOWANCE = "disability_allowance", _("残疾人两项补贴")


class SupportersChecked(models.TextChoices):
    """Whether a person's legal supporters outside the household (户外法定义务人) were checked:
    "unknown" is not "none" (特困人员认定办法: tekun is not concluded while unknown)."""

    UNKNOWN = "unknown", _("未核实")
    NONE = "none", _("已核实，户外无法定义务人")
    RECORDED = "recorded", _("已核实，户外义务人已登记")


class SupportDuty(models.TextChoices):
    """The legal duty (《民法典》第二十六条、第一千零五十九条、第一千零七十四条、第一千零七十五条)."""

    ELDER = "elder", _("赡养")
    CHILD = "child", _("抚养")
    MUTUAL = "mutual", _("扶养")


class SupporterRelation(models.TextChoices):
    """The supporter's relation to the person supported."""

    CHILD = "child", _("子女")
    SPOUSE = "spouse", _("配偶")
    PARENT = "parent", _("父母")
    SIBLING = "sibling", _("兄弟姐妹")
    GRANDCHILD = "grandchild", _("孙子女、外孙子女")
    GRANDPARENT = "grandparent", _("祖父母、外祖父母")
    OTHER = "other", _("其他")


class SupporterCapacity(models.TextChoices):
    """A capacity the worker records directly; blank = judged from the recorded facts."""

    FACTS = "", _("按登记情况认定")
    ABLE = "able", _("经核实有履行义务能力")
    UNABLE = "unable", _("经核实无履行义务能力（省级规定的其他情形）")


class AssetKind(models.TextChoices):
    DEPOSIT = "deposit", _("存款及有价证券")
    HOUSING = "housing", _("房产")
    VEHICLE = "vehicle", _("机动车辆")
    BUSINESS = "business", _("经营实体")
    OTHER = "other", _("其他财产")


class ExpenseKind(models.TextChoices):
    MEDICAL = "medical", _("医疗自付费用")
    DISABILITY_CARE = "disability_care", _("残疾康复护理费用")
    EDUCATION = "education", _("教育费用")


class ClassificationKind(models.TextChoices):
    CATEGORY = "category", _("类别")
    CAUSE = "cause", _("致困原因")


class Category(models.TextChoices):
    """R3: the categories files are kept by."""

    DIBAO = "dibao", _("低保")
    TEKUN = "tekun", _("特困")
    REGISTERED_POOR = "registered_poor", _("建档立卡")
    SEVERE_DISABLED = "severe_disabled", _("重度残疾")
    MENTAL_PATIENT = "mental_patient", _("精神病患者")
    CHILD_IN_DIFFICULTY = "child_in_difficulty", _("困境儿童")
    LONELY_ELDERLY = "lonely_elderly", _("孤寡困难老人")
    INCAPACITATED = "incapacitated", _("失能人员")
    LOW_INCOME = "low_income", _("低收入家庭")
    NEAR_DIBAO = "near_dibao", _("低保边缘家庭")
    TEMPORARY_ASSISTANCE = "temporary_assistance", _("临时救助对象")


class Cause(models.TextChoices):
    """R3: causes of hardship (因病, 因残(伤), 因学, 因灾(疫))."""

    ILLNESS = "illness", _("因病")
    DISABILITY = "disability", _("因残（伤）")
    SCHOOLING = "schooling", _("因学")
    DISASTER = "disaster", _("因灾（疫）")


class MembershipReason(models.TextChoices):
    CREATED = "created", _("建档")
    IMPORTED = "imported", _("导入")
    ADDED = "added", _("增加成员")
    REMOVED = "removed", _("减少成员")
    SPLIT = "split", _("分户")
    MERGED = "merged", _("合户")
