"""Code lists the rules engine understands, as plain tuples.

The engine and the parameters are pure Python (no Django), so they cannot import
`bangfu.registry.choices` (a Django module). These tuples repeat its codes; a test
(`tests/test_vocab.py`) proves they stay equal. Codes that exist only for the engine (income
kinds excluded by 办法 §13–14, emergency events, the supplement criteria) are defined here.
"""

from __future__ import annotations

from bangfu.common.texts import gettext_noop

HUKOU_TYPES = ("urban", "rural")
HOUSING_SAFETY = ("unknown", "safe", "c_grade", "d_grade", "no_housing")
SEXES = ("M", "F")
RELATIONS = ("head", "spouse", "child", "parent", "grandchild", "grandparent", "sibling", "child_in_law", "other")
PERSON_STATUSES = ("active", "deceased", "moved_out")
LIVING_SITUATIONS = ("with_family", "alone", "left_behind", "institution")
LABOR_CAPACITIES = ("full", "partial", "none")
SCHOOLING_LEVELS = ("", "none", "preschool", "primary", "junior", "senior", "vocational", "college")
DISABILITY_TYPES = ("visual", "hearing", "speech", "physical", "intellectual", "mental", "multiple")
# Tekun support mode (国发〔2016〕14号 二、（四）: 分散供养 at home, 集中供养 in an institution): an
# engine input per person, given by the tekun case or benefit; engine/tekun_amount.py.
TEKUN_SUPPORT_MODES = ("dispersed", "institutional")
SELF_CARE_COLUMNS = ("can_eat", "can_dress", "can_get_up", "can_toilet", "can_walk_indoors", "can_bathe")

# Income kinds; the last three (awards, assistance payments, disability allowances) are left out
# of counted income by the parameter income_excluded_kinds (办法 §13–14).
REGISTRY_INCOME_KINDS = ("wage", "business", "property", "transfer", "pension", "support", "other",
                         "award", "assistance", "disability_allowance")
INCOME_KINDS = REGISTRY_INCOME_KINDS

# Legal supporters outside the household (特困人员认定办法第十条): whether they were checked
# ("unknown" is not "none"), the duty, the relation and a capacity recorded directly
# ("" = judged from the recorded facts).
SUPPORTERS_CHECKED = ("unknown", "none", "recorded")
SUPPORT_DUTIES = ("elder", "child", "mutual")
SUPPORTER_RELATIONS = ("child", "spouse", "parent", "sibling", "grandchild", "grandparent", "other")
SUPPORTER_CAPACITIES = ("", "able", "unable")
ASSET_KINDS = ("deposit", "housing", "vehicle", "business", "other")
EXPENSE_KINDS = ("medical", "disability_care", "education")

CATEGORIES = (
    "dibao", "tekun", "registered_poor", "severe_disabled", "mental_patient", "child_in_difficulty",
    "lonely_elderly", "incapacitated", "low_income", "near_dibao", "temporary_assistance",
)
CAUSES = ("illness", "disability", "schooling", "disaster")

# Emergencies that lead to emergency-type temporary assistance (暂行办法 §47).
EMERGENCY_EVENTS = ("disaster", "epidemic", "fire", "accident", "illness", "other")
DISASTER_EVENTS = ("disaster", "epidemic", "fire", "accident")

# Person predicates a province may use as supplement class criteria (R14). Each is computed by
# the engine (engine/person.py, `supplement_predicates`); parameters list which ones make a class.
SUPPLEMENT_CRITERIA = {
    "severe_disability": gettext_noop("持证重度残疾（一、二级）"),
    "intellectual_mental_grade_3": gettext_noop("三级智力、精神残疾"),
    "disability_grade_3_4": gettext_noop("三、四级残疾"),
    "major_illness": gettext_noop("患重特大疾病"),
    "aged_a": gettext_noop("达到A类年龄线"),
    "aged_b": gettext_noop("达到B类年龄线"),
    "minor_in_school": gettext_noop("在校未成年人"),
    "orphan_or_unsupported": gettext_noop("孤儿或事实无人抚养儿童"),
    "no_labor_capacity": gettext_noop("无劳动能力"),
    "incapacitated": gettext_noop("生活不能完全自理"),
}

ROUNDING_MODES = (
    "fen", "fen_up", "jiao_half_up", "jiao_up", "jiao_down", "yuan_half_up", "yuan_up", "yuan_down",
)

LABELS = {
    "hukou_type": {"urban": gettext_noop("城市"), "rural": gettext_noop("农村")},
    "category": {
        "dibao": gettext_noop("低保"), "tekun": gettext_noop("特困"), "registered_poor": gettext_noop("建档立卡"), "severe_disabled": gettext_noop("重度残疾"),
        "mental_patient": gettext_noop("精神病患者"), "child_in_difficulty": gettext_noop("困境儿童"), "lonely_elderly": gettext_noop("孤寡困难老人"),
        "incapacitated": gettext_noop("失能困难人员"), "low_income": gettext_noop("低收入家庭"), "near_dibao": gettext_noop("低保边缘家庭"),
        "temporary_assistance": gettext_noop("临时救助对象"),
    },
    "cause": {"illness": gettext_noop("因病"), "disability": gettext_noop("因残（伤）"), "schooling": gettext_noop("因学"), "disaster": gettext_noop("因灾（疫）")},
    "expense": {"medical": gettext_noop("医疗"), "disability_care": gettext_noop("残疾康复护理"), "education": gettext_noop("教育")},
    "emergency": {
        "disaster": gettext_noop("自然灾害"), "epidemic": gettext_noop("疫情"), "fire": gettext_noop("火灾"), "accident": gettext_noop("意外事故"),
        "illness": gettext_noop("突发重病"), "other": gettext_noop("其他急难"),
    },
    "tekun_support_mode": {"dispersed": gettext_noop("分散供养"), "institutional": gettext_noop("集中供养")},
    "care_level": {"self_care": gettext_noop("生活自理"), "partial": gettext_noop("半护理（部分失能）"), "full": gettext_noop("全护理（完全失能）")},
}
