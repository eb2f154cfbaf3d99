"""Code lists the rules engine understands, as plain tuples.

The engine and the parameters are pure Python (no Django), so they cannot import
`bangfu.registry.choices` (a Django module). These tuples repeat its codes; a test
(`tests/test_vocab.py`) proves they stay equal. Codes that exist only for the engine (income
kinds excluded by 办法 §13–14, emergency events, the supplement criteria) are defined here.
"""

from __future__ import annotations

HUKOU_TYPES = ("urban", "rural")
HOUSING_SAFETY = ("unknown", "safe", "c_grade", "d_grade", "no_housing")
SEXES = ("M", "F")
RELATIONS = ("head", "spouse", "child", "parent", "grandchild", "grandparent", "sibling", "child_in_law", "other")
PERSON_STATUSES = ("active", "deceased", "moved_out")
LIVING_SITUATIONS = ("with_family", "alone", "left_behind", "institution")
LABOR_CAPACITIES = ("full", "partial", "none")
SCHOOLING_LEVELS = ("", "none", "preschool", "primary", "junior", "senior", "vocational", "college")
DISABILITY_TYPES = ("visual", "hearing", "speech", "physical", "intellectual", "mental", "multiple")
SELF_CARE_COLUMNS = ("can_eat", "can_dress", "can_get_up", "can_toilet", "can_walk_indoors", "can_bathe")

# Registry income kinds, plus three the engine recognises so that 办法 §13–14 exclusions
# (awards, assistance payments, disability allowances) can be entered and left out by parameter.
REGISTRY_INCOME_KINDS = ("wage", "business", "property", "transfer", "pension", "support", "other")
INCOME_KINDS = REGISTRY_INCOME_KINDS + ("award", "assistance", "disability_allowance")
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
    "severe_disability": "持证重度残疾（一、二级）",
    "intellectual_mental_grade_3": "三级智力、精神残疾",
    "disability_grade_3_4": "三、四级残疾",
    "major_illness": "患重特大疾病",
    "aged_a": "达到A类年龄线",
    "aged_b": "达到B类年龄线",
    "minor_in_school": "在校未成年人",
    "orphan_or_unsupported": "孤儿或事实无人抚养儿童",
    "no_labor_capacity": "无劳动能力",
    "incapacitated": "生活不能完全自理",
}

ROUNDING_MODES = (
    "fen", "fen_up", "jiao_half_up", "jiao_up", "jiao_down", "yuan_half_up", "yuan_up", "yuan_down",
)

LABELS = {
    "hukou_type": {"urban": "城市", "rural": "农村"},
    "category": {
        "dibao": "低保", "tekun": "特困", "registered_poor": "建档立卡", "severe_disabled": "重度残疾",
        "mental_patient": "精神病患者", "child_in_difficulty": "困境儿童", "lonely_elderly": "孤寡困难老人",
        "incapacitated": "失能困难人员", "low_income": "低收入家庭", "near_dibao": "低保边缘家庭",
        "temporary_assistance": "临时救助对象",
    },
    "cause": {"illness": "因病", "disability": "因残（伤）", "schooling": "因学", "disaster": "因灾（疫）"},
    "expense": {"medical": "医疗", "disability_care": "残疾康复护理", "education": "教育"},
    "emergency": {
        "disaster": "自然灾害", "epidemic": "疫情", "fire": "火灾", "accident": "意外事故",
        "illness": "突发重病", "other": "其他急难",
    },
    "care_level": {"self_care": "生活自理", "partial": "半护理（部分失能）", "full": "全护理（完全失能）"},
}
