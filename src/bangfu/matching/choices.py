"""Code lists of the matching app (issue 5). Codes are English; labels Chinese."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class BatchStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    WITHDRAWN = "withdrawn", _("已撤回")


class IdStatus(models.TextChoices):
    """What the ID-number cell of a list row turned out to be (idcheck.classify)."""

    VALID = "valid", pgettext_lazy("ID number", "有效")
    CONVERTED_15 = "converted_15", _("15位已转18位")
    BAD_CHECK = "bad_check", _("校验码错误")
    INVALID = "invalid", _("无效号码")
    LOST_DIGITS = "lost_digits", _("被Excel改为科学计数法")
    MISSING = "missing", _("缺号码")


class LinkStatus(models.TextChoices):
    NONE = "none", _("未匹配")
    ACCEPTED = "accepted", _("已匹配")
    REVIEW = "review", _("待人工确认")
    REJECTED = "rejected", _("已否决")
    # a row the import refused (a value it cannot read, or nothing to identify the person by): kept
    # with its reason so that the batch page and the results sent back list it, never linked
    REFUSED = "refused", _("已拒收（未比对）")


class LinkMethod(models.TextChoices):
    EXACT_ID = "exact_id", _("身份证号一致")
    ID_ONE_EDIT = "id_one_edit", _("身份证号差一位")
    NAME_BIRTH = "name_birth", _("姓名与出生日期")
    NAME_AREA = "name_area", _("姓名与地区")
    REMEMBERED = "remembered", _("沿用以往人工确认")


class FindingKind(models.TextChoices):
    NOT_COVERED = "not_covered", _("未纳入救助（主动发现）")
    DECEASED_RECIPIENT = "deceased_recipient", _("死亡仍享受待遇（错保）")
    ASSET_OVER_LIMIT = "asset_over_limit", _("财产超标（错保）")
    PUBLIC_EMPLOYEE = "public_employee", _("财政供养人员（错保）")
    DOUBLE_RECEIPT = "double_receipt", _("重复享受（错保）")
    NO_CERTIFICATE = "no_certificate", _("残疾或精神障碍未办证")
    CERT_OVERDUE = "cert_overdue", _("残疾证逾期未年审")
    CERT_MISMATCH = "cert_mismatch", _("残疾证信息与登记不一致")
    DROPOUT = "dropout", _("适龄儿童辍学")


class FindingStatus(models.TextChoices):
    OPEN = "open", _("待核实")
    CONFIRMED = "confirmed", _("已核实")
    DISMISSED = "dismissed", _("已排除")


# The case type (cases.choices.CaseType) each finding kind opens through cases:case_create;
# referral kinds (certificates, schooling) go to another department as a list, not as a case.
CASE_TYPE = {
    FindingKind.NOT_COVERED: "dibao",
    FindingKind.DECEASED_RECIPIENT: "termination",
    FindingKind.ASSET_OVER_LIMIT: "review",
    FindingKind.PUBLIC_EMPLOYEE: "review",
    FindingKind.DOUBLE_RECEIPT: "review",
}
