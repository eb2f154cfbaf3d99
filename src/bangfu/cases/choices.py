"""Vocabulary of the case workflow (issue 4; R5, R12, R15, R16, R2; 办法 §4–22, §31–33)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseType(models.TextChoices):
    DIBAO = "dibao", _("低保申请（家庭）")
    DIBAO_INDIVIDUAL = "dibao_individual", _("低保单独申请（单人保）")
    TEKUN = "tekun", _("特困人员认定")
    TEMPORARY_EMERGENCY = "temporary_emergency", _("临时救助（急难型）")
    TEMPORARY_EXPENDITURE = "temporary_expenditure", _("临时救助（支出型）")
    REVIEW = "review", _("定期核查")
    BENEFIT_CHANGE = "benefit_change", _("待遇变更")
    TERMINATION = "termination", _("终止待遇")


APPLICATION_TYPES = frozenset({CaseType.DIBAO, CaseType.DIBAO_INDIVIDUAL, CaseType.TEKUN})
FULL_PATH_TYPES = APPLICATION_TYPES | {CaseType.TEMPORARY_EXPENDITURE}
TEMPORARY_TYPES = frozenset({CaseType.TEMPORARY_EMERGENCY, CaseType.TEMPORARY_EXPENDITURE})
BENEFIT_TYPES = frozenset({CaseType.REVIEW, CaseType.BENEFIT_CHANGE, CaseType.TERMINATION})
# Types whose decision is delegable to the township (R5: "townships may approve dibao and tekun").
PROGRAMME_OF = {
    CaseType.DIBAO: "dibao", CaseType.DIBAO_INDIVIDUAL: "dibao", CaseType.TEKUN: "tekun",
    CaseType.TEMPORARY_EMERGENCY: "temporary_assistance", CaseType.TEMPORARY_EXPENDITURE: "temporary_assistance",
}


class CaseState(models.TextChoices):
    SUBMITTED = "submitted", _("已登记，待受理")
    DOCUMENTS_REQUESTED = "documents_requested", _("待补齐材料")
    ACCEPTED = "accepted", _("已受理，待入户调查")
    INVESTIGATING = "investigating", _("入户调查中")
    INVESTIGATED = "investigated", _("已调查，待初审")
    NOTICE = "notice", _("公示中")
    DEMOCRATIC_REVIEW = "democratic_review", _("待民主评议")
    AWAITING_DECISION = "awaiting_decision", _("待审核确认")
    PAID_FIRST = "paid_first", _("已先行救助，待补办手续")
    REVIEW_OPEN = "review_open", _("待核查")
    REVIEW_PROPOSED = "review_proposed", _("已提出处理意见，待决定")
    REJECTED = "rejected", _("不予批准，待书面告知")
    APPROVED = "approved", _("已批准")
    DECIDED = "decided", _("已决定")
    COMPLETED = "completed", _("已办结")
    CLOSED_REJECTED = "closed_rejected", _("不予批准（已告知）")


FINAL_STATES = frozenset({CaseState.APPROVED, CaseState.DECIDED, CaseState.COMPLETED, CaseState.CLOSED_REJECTED})
OPEN_STATES = frozenset(set(CaseState.values) - {str(s) for s in FINAL_STATES})


class Origin(models.TextChoices):
    WORKER = "worker", _("工作人员录入")
    ONLINE = "online", _("居民网上申请")
    REVIEW = "review", _("定期核查")
    REASSESSMENT = "reassessment", _("重新核算发现")
    LINK = "link", _("其他模块转入")
    WORK_REFUSAL = "work_refusal", _("无正当理由拒绝就业")


class Proposal(models.TextChoices):
    """What a review proposes (办法 §31–33); the same names as benefits.choices.ChangeKind."""

    UNCHANGED = "unchanged", _("维持不变")
    RAISE = "raise", _("提高")
    LOWER = "lower", _("降低")
    STOP = "stop", _("停发")
    GRADUAL_EXIT = "gradual_exit", _("渐退")


class ObjectionOutcome(models.TextChoices):
    REINVESTIGATE = "reinvestigate", _("重新调查")
    DEMOCRATIC_REVIEW = "democratic_review", _("民主评议")


class EmergencyKind(models.TextChoices):
    EMERGENCY = "emergency", _("急难型")
    EXPENDITURE = "expenditure", _("支出型")
