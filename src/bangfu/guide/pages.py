"""Which user guides the help shows, and which section each page of the system links to."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Guide:
    slug: str
    file: str  # under the docs directory
    title: str


# The guides for people who use the system, in the order of the work. The developers' documents
# (architecture, decisions, deployment, requirements) stay in the repository.
GUIDES = [
    Guide("registry", "registry.md", _("家庭档案与摸底调查表")),
    Guide("policy", "policy.md", _("政策规则与认定")),
    Guide("cases", "cases.md", _("案件办理")),
    Guide("benefits", "benefits.md", _("救助待遇与定期复核")),
    Guide("matching", "matching.md", _("数据比对")),
    Guide("outreach", "outreach.md", _("结对帮扶")),
    Guide("rescue", "rescue.md", _("流浪乞讨人员救助管理")),
    Guide("reports", "reports.md", _("统计月报")),
]
BY_SLUG = {g.slug: g for g in GUIDES}

# A page's help link: (namespace, url name) or the namespace alone → (guide, heading text of the
# section, as written in the guide). A test checks that every heading named here exists.
PAGE_SECTIONS: dict[tuple[str, str] | str, tuple[str, str]] = {
    ("registry", "survey_import"): ("registry", "二、摸底调查表导入"),
    ("registry", "household_list"): ("registry", "一、家庭档案"),
    "registry": ("registry", ""),
    ("policy", "parameters"): ("policy", ""),
    "policy": ("policy", ""),
    ("cases", "apply"): ("cases", "八、居民网上申请"),
    ("cases", "lookup"): ("cases", "八、居民网上申请"),
    ("cases", "case_create"): ("cases", "二、低保申请流程（各环节的办理人和时限）"),
    "cases": ("cases", ""),
    ("benefits", "index"): ("benefits", "三、到期复核清单（“待遇与复核”首页）"),
    "benefits": ("benefits", ""),
    "matching": ("matching", ""),
    "outreach": ("outreach", ""),
    "rescue": ("rescue", ""),
    "reports": ("reports", ""),
}


def section_for(namespace: str, url_name: str) -> tuple[str, str] | None:
    return PAGE_SECTIONS.get((namespace, url_name)) or PAGE_SECTIONS.get(namespace)
