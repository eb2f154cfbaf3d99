from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    VILLAGE_WORKER = "village_worker", _("村（社区）工作人员")
    TOWNSHIP_OFFICER = "township_officer", _("乡镇（街道）经办人员")
    COUNTY_OFFICER = "county_officer", _("县级民政干部")
    PARTNER_VIEWER = "partner_viewer", _("协作部门查看人员")
    AUDITOR = "auditor", _("审计监督人员")
    STATION_STAFF = "station_staff", _("救助管理站工作人员")
    HELPER = "helper", _("帮扶责任人")
    ADMIN = "admin", _("系统管理员")


class Department(models.TextChoices):
    CIVIL_AFFAIRS = "civil_affairs", _("民政")
    DISABLED_FEDERATION = "disabled_federation", _("残联")
    EDUCATION = "education", _("教育")
    RURAL_REVITALIZATION = "rural_revitalization", _("乡村振兴（扶贫）")
    HEALTH = "health", _("卫生健康")
    HUMAN_RESOURCES = "human_resources", _("人社")
