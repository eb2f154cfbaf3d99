"""Choices of the benefits app (issue 4: enrolment, amount history, periodic review)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Programme(models.TextChoices):
    DIBAO = "dibao", _("低保")
    TEKUN = "tekun", _("特困供养")
    TEMPORARY = "temporary_assistance", _("临时救助")


class SupportMode(models.TextChoices):
    # 国发〔2016〕14号 二、（四）: tekun persons are supported at home (分散) or in an institution (集中).
    DISPERSED = "dispersed", _("分散供养")
    INSTITUTIONAL = "institutional", _("集中供养")


class ReviewClass(models.TextChoices):
    # 办法 §31; seed 篇三 (四): A 类每年核查一次，B 类每半年核查一次 (R16).
    A = "A", _("A类（每年核查）")
    B = "B", _("B类（每半年核查）")


class BenefitStatus(models.TextChoices):
    ACTIVE = "active", _("享受中")
    GRADUAL_EXIT = "gradual_exit", _("渐退期")
    STOPPED = "stopped", _("已停发")


class ChangeKind(models.TextChoices):
    GRANT = "grant", _("批准享受")
    RAISE = "raise", _("增发")
    LOWER = "lower", _("减发")
    UNCHANGED = "unchanged", _("维持不变")
    STOP = "stop", _("停发")
    GRADUAL_EXIT = "gradual_exit", _("渐退")


class OneOffKind(models.TextChoices):
    EMERGENCY = "emergency", _("急难型")
    EXPENDITURE = "expenditure", _("支出型")


# Statuses under which a benefit is still being paid or decided on (blocks a second grant).
OPEN_STATUSES = (BenefitStatus.ACTIVE, BenefitStatus.GRADUAL_EXIT)


class OverpaymentReason(models.TextChoices):
    DEATH = "death", _("死亡后发放")


class OverpaymentState(models.TextChoices):
    OPEN = "open", _("待追回")
    RECOVERED = "recovered", _("已追回")
    WAIVED = "waived", _("已核销")


class JobOfferOutcome(models.TextChoices):
    ACCEPTED = "accepted", _("接受")
    REFUSED = "refused", _("拒绝")
