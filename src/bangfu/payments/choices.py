"""Choices of the payments app (issue 15: accounts, the month's payroll, checks before approval)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HolderRelation(models.TextChoices):
    SELF = "self", _("本人")
    SPOUSE = "spouse", _("配偶")
    CHILD = "child", _("子女")
    PARENT = "parent", _("父母")
    OTHER_RELATIVE = "relative", _("其他亲属")
    GUARDIAN = "guardian", _("监护人")
    AGENT = "agent", _("委托代理人")
    INSTITUTION = "institution", _("供养机构（集中供养）")


class AccountScheme(models.TextChoices):
    """cards.SCHEMES: a card number has a check digit; a passbook or a unit's account has none."""

    BANK_CARD = "bank_card", _("银行卡（社保卡）")
    PASSBOOK = "passbook", _("存折")
    INSTITUTION = "institution", _("单位账户")


class PayrollState(models.TextChoices):
    DRAFT = "draft", _("待审核")
    CHECKED = "checked", _("乡镇已审核")
    APPROVED = "approved", _("县级已审批")
    LOCKED = "locked", _("已锁定")


class PayrollKind(models.TextChoices):
    REGULAR = "regular", _("当月发放")
    SUPPLEMENTARY = "supplementary", _("补充发放")


class LineKind(models.TextChoices):
    REGULAR = "regular", _("按月发放")
    BACK_PAY = "back_pay", _("补发")
    ADJUSTMENT = "adjustment", _("调整补差")
    GRADUAL_EXIT = "gradual_exit", _("渐退期发放")
    ONE_OFF = "one_off", _("临时救助（一次性）")
    RESEND = "resend", _("失败补发")


class Component(models.TextChoices):
    DIBAO = "dibao", _("低保金")
    TEKUN_BASIC = "tekun_basic", _("特困基本生活费")
    TEKUN_CARE = "tekun_care", _("特困照料护理费")
    TEMPORARY = "temporary", _("临时救助金")


class LineStatus(models.TextChoices):
    PENDING = "pending", _("待发放")
    HELD = "held", _("暂停（待核查）")
    RELEASED = "released", _("核查后放行")
    PAID = "paid", _("已到账")
    FAILED = "failed", _("发放失败")


class Flag(models.TextChoices):
    """A check before approval (R17): each flag holds the line until someone releases it."""

    DEAD = "dead", _("享受人员已死亡")
    SHARED_ACCOUNT = "shared_account", _("同一账户收取两户或两地待遇")
    HOLDER_NOT_RECIPIENT = "holder_mismatch", _("账户户名与享受人员不符且无代理人")
    NO_ACCOUNT = "no_account", _("未登记收款账户")
    DOUBLE_BENEFIT = "double_benefit", _("同一人重复享受（特困与低保或两地）")
    STAFF_RELATIVE = "staff_relative", _("工作人员近亲属未经县级入户核查")
    ABOVE_RULE = "above_rule", _("金额高于核算结果")
    JUMP = "jump", _("金额较上月变动且无变更决定")
    REVIEW_OVERDUE = "review_overdue", _("复核逾期")


# Lines a township checks and a bank file carries: not held.
PAYABLE = (LineStatus.PENDING, LineStatus.RELEASED)


# ── Recovery (追回) of amounts paid that should not have been ───────────────────────────────────


class ReceivableReason(models.TextChoices):
    DEATH = "death", _("死亡后仍发放")
    FRAUD = "fraud", _("冒领")
    WRONG_COVERAGE = "wrong_coverage", _("错保（不符合条件仍发放）")
    OTHER = "other", _("其他多发")


class ReceivableState(models.TextChoices):
    OPEN = "open", _("待追回")
    PARTLY = "partly", _("部分追回")
    RECOVERED = "recovered", _("已追回")
    WRITTEN_OFF = "written_off", _("已核销")


class DeductMode(models.TextChoices):
    NONE = "none", _("不扣减")
    MONTHLY = "monthly", _("每月扣减不超过限额")
    ALL = "all", _("全额扣减")


# Lines a deduction may be taken from: the month's own payment, back pay and adjustments of the
# household's recurring benefits; never temporary assistance (an emergency) nor a resend.
DEDUCTIBLE_KINDS = (LineKind.REGULAR, LineKind.BACK_PAY, LineKind.ADJUSTMENT, LineKind.GRADUAL_EXIT)
