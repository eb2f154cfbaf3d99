"""Code lists of the outreach app (R4, R6–R9). Codes are English (domain.md glossary); labels Chinese."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HelperKind(models.TextChoices):
    """R7: who pairs with whom — leaders, branches, party members, and the social forces of R6."""

    CADRE = "cadre", _("干部")
    PARTY_MEMBER = "party_member", _("党员")
    BRANCH = "branch", _("党支部")
    SOCIAL_ORG = "social_org", _("社会组织")
    CHARITY = "charity", _("慈善组织")
    VOLUNTEER = "volunteer", _("志愿者")


class TargetKind(models.TextChoices):
    HOUSEHOLD = "household", _("困难家庭")
    PERSON = "person", _("孤寡老人、孤儿等个人")
    VILLAGE = "village", _("村（社区）")


class Measure(models.TextChoices):
    """R7 / 篇二（一）(2)(3): the measures agreed for a pair."""

    FUNDS = "funds", _("资金扶持")
    SKILLS = "skills", _("技能培训")
    JOBS = "jobs", _("就业推荐")
    MEDICAL_REHAB = "medical_rehab", _("医疗康复")
    SCHOOLING_PLAN = "schooling_plan", _("长期助学计划")
    LIVING_CARE = "living_care", _("生活照料")
    COLLECTIVE_ECONOMY = "collective_economy", _("发展集体经济")


class VisitWay(models.TextChoices):
    HOME = "home", _("入户走访")
    PHONE = "phone", _("电话回访")
    VIDEO = "video", _("视频回访")


class ItemKind(models.TextChoices):
    """R4 follow-up lists; the first four come from the policy engine's flags
    (policy/engine/followup.py), employment from visits or by hand (R9)."""

    SCHOOL = "school_not_enrolled", _("适龄儿童未入学或辍学")
    NO_CERTIFICATE = "disability_no_certificate", _("残疾或精神障碍未办残疾证")
    CERT_CHECK = "certificate_check_overdue", _("残疾证逾期未年审")
    UNSAFE_HOUSING = "elderly_unsafe_housing", _("孤寡留守老人住房不安全")
    EMPLOYMENT = "employment", _("就业与技能培训需求")


# Engine flag code → worklist kind (the codes are the same; this is the list of those synced).
ENGINE_KINDS = (ItemKind.SCHOOL, ItemKind.NO_CERTIFICATE, ItemKind.CERT_CHECK, ItemKind.UNSAFE_HOUSING)


class ItemStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    REFERRED = "referred", _("已转介")
    CLOSED = "closed", _("已办结")


class CloseReason(models.TextChoices):
    FLAG_CLEARED = "flag_cleared", _("重新核算后情形已消除")
    RESOLVED = "resolved", _("已解决")
    NOT_APPLICABLE = "not_applicable", _("核实不属实")
    PERSON_LEFT = "person_left", _("人员已死亡或迁出")


class ReferralTarget(models.TextChoices):
    EDUCATION = "education", _("教育部门")
    DISABLED_FEDERATION = "disabled_federation", _("残联")
    VILLAGE_COMMITTEE = "village_committee", _("村（居）委会")
    HOUSING = "housing", _("住建部门")
    HUMAN_RESOURCES = "human_resources", _("人社部门")
    RURAL_REVITALIZATION = "rural_revitalization", _("乡村振兴（扶贫）部门")
    HEALTH = "health", _("卫生健康部门")
    OTHER = "other", _("其他")


# R4: where each list goes by default.
DEFAULT_REFERRAL = {
    ItemKind.SCHOOL: ReferralTarget.EDUCATION,
    ItemKind.NO_CERTIFICATE: ReferralTarget.DISABLED_FEDERATION,
    ItemKind.CERT_CHECK: ReferralTarget.DISABLED_FEDERATION,
    ItemKind.UNSAFE_HOUSING: ReferralTarget.VILLAGE_COMMITTEE,
    ItemKind.EMPLOYMENT: ReferralTarget.HUMAN_RESOURCES,
}


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("待确认")
    APPLIED = "applied", _("已确认并更新档案")
    REJECTED = "rejected", _("未采纳")


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("半年例会")
    URGENT = "urgent", _("紧急会议")


class Phase(models.TextChoices):
    """R6 / 篇一、篇五 四: the pilot's phases, in order."""

    ORGANISATION = "organisation", _("组织准备")
    TRAINING = "training", _("宣传培训")
    SURVEY = "survey", _("摸底排查")
    IDENTIFICATION = "identification", _("精准识别与数据录入")
    ASSISTANCE = "assistance", _("实施救助与动态管理")
