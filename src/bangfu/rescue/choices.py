"""Choice lists of the rescue app (篇四, R18–R25). Labels are Chinese, through gettext."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReferralSource(models.TextChoices):
    """How the person came to the station (R18, R21)."""

    WALK_IN = "walk_in", _("自行求助")
    POLICE = "police", _("公安机关护送")
    URBAN_MANAGEMENT = "urban_management", _("城管部门护送")
    PATROL = "patrol", _("街面巡查护送")
    HOSPITAL = "hospital", _("医疗机构转介")
    OTHER = "other", _("其他单位或个人护送")


ESCORTED_SOURCES = frozenset({ReferralSource.POLICE, ReferralSource.URBAN_MANAGEMENT, ReferralSource.PATROL,
                              ReferralSource.OTHER})


class IdentityStatus(models.TextChoices):
    KNOWN = "known", _("身份已知")
    UNIDENTIFIED = "unidentified", _("身份不明")
    MATCHED = "matched", _("寻亲查明")


class Sex(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")
    UNKNOWN = "U", _("不详")


class StayStatus(models.TextChoices):
    OPEN = "open", _("在站（含站外托养）")
    ENDED = "ended", _("已离站")


class EndReason(models.TextChoices):
    RETURNED_HOME = "returned_home", _("返乡（护送或自行返回）")
    LEFT_BY_CHOICE = "left_by_choice", _("自愿离站")
    TRANSFERRED = "transferred", _("转移至其他机构")
    SETTLED = "settled", _("落户安置")
    DIED = "died", _("死亡")


class ServiceKind(models.TextChoices):
    """The services of R19, each with dates and a cost."""

    FOOD_LODGING = "food_lodging", _("生活救助（食宿）")
    MEDICAL = "medical", _("医疗救治（据实结算）")
    EDUCATION = "education", _("教育矫治")
    RETURN_TRAVEL = "return_travel", _("返乡救助（乘车凭证、护送）")
    TEMPORARY_PLACEMENT = "temporary_placement", _("临时安置")
    SHELTER = "shelter", _("反家庭暴力庇护")
    MINOR_PROTECTION = "minor_protection", _("未成年人社会保护")


class TracingStepKind(models.TextChoices):
    """Family-tracing checklist of an unidentified person (R22)."""

    NOTICE = "notice", _("发布寻亲公告（全国救助寻亲网、今日头条）")
    FINGERPRINT_FACE = "fingerprint_face", _("报请公安指纹、人像比对")
    DNA = "dna", _("报请公安采集DNA比对")


class TracingResult(models.TextChoices):
    PENDING = "pending", _("待反馈")
    NO_MATCH = "no_match", _("未比中")
    MATCHED = "matched", _("比中")


class PlacementKind(models.TextChoices):
    """Where a long stay is cared for, by health and age (R22)."""

    ON_SITE = "on_site", _("站内照料")
    WELFARE = "welfare", _("社会福利机构托养")
    ELDERLY = "elderly", _("养老机构托养")
    MENTAL_REHAB = "mental_rehab", _("精神康复机构托养")


class InstitutionKind(models.TextChoices):
    WELFARE = "welfare", _("社会福利机构")
    ELDERLY = "elderly", _("养老机构")
    MENTAL_REHAB = "mental_rehab", _("精神康复机构")
    CHILD_WELFARE = "child_welfare", _("儿童福利机构")
    TEKUN = "tekun", _("特困人员供养服务机构")


class CareLevel(models.TextChoices):
    """Self-care ability (特困人员认定办法): all six activities able, 1–3 unable, 4 or more unable."""

    SELF_CARING = "self_caring", _("生活自理")
    PARTLY_DEPENDENT = "partly", _("部分失能（半护理）")
    FULLY_DEPENDENT = "fully", _("完全失能（全护理）")


SELF_CARE_ACTIVITIES = (
    ("can_eat", _("吃饭")), ("can_dress", _("穿衣")), ("can_get_up", _("上下床")),
    ("can_toilet", _("如厕")), ("can_walk_indoors", _("室内行走")), ("can_bathe", _("洗澡")),
)


class SettlementStatus(models.TextChoices):
    """R24: station application → civil-affairs plan → government approval → household registration."""

    APPLIED = "applied", _("救助站已申请")
    PLANNED = "planned", _("民政部门已提出安置方案")
    APPROVED = "approved", _("政府已批准")
    REGISTERED = "registered", _("已办理户口登记、安置完成")


class SettlementOutcome(models.TextChoices):
    TEKUN_INSTITUTION = "tekun_institution", _("纳入特困供养，转供养服务机构集中供养")
    CHILD_WELFARE = "child_welfare", _("转儿童福利机构供养，纳入孤儿基本生活保障")
    OTHER = "other", _("其他安置（写明）")


class PreventionCategory(models.TextChoices):
    """People prone to wandering, in their home region (R23)."""

    SEVERE_MENTAL = "severe_mental", _("严重精神障碍患者")
    INTELLECTUAL = "intellectual", _("智力残疾人员")
    RETURNED = "returned", _("受助返乡人员")
    RETURNED_FAMILY = "returned_family", _("受助返乡人员家庭")


class FollowUpKind(models.TextChoices):
    VISIT = "visit", _("入户走访")
    CALL = "call", _("电话回访")


class EncounterAction(models.TextChoices):
    """What a street patrol did for a person it met (R21)."""

    INFORMED = "informed", _("告知到救助站求助")
    ESCORTED = "escorted", _("护送至救助站（书面交接）")
    HOSPITAL = "hospital", _("送医救治")
    REFUSED = "refused", _("拒绝救助（已劝导、留联系方式）")


class ReportKind(models.TextChoices):
    """Mandatory reporting (R23, R25)."""

    ABUSE = "abuse", _("疑似虐待")
    ABANDONMENT = "abandonment", _("疑似遗弃")
    DOMESTIC_VIOLENCE = "domestic_violence", _("疑似家庭暴力")


class ReportVictim(models.TextChoices):
    MINOR = "minor", _("未成年人")
    ELDERLY = "elderly", _("老年人")
    DISABLED = "disabled", _("残疾人")
    OTHER = "other", _("其他")
