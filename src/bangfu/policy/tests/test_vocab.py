"""The engine's plain code lists equal the registry's Django choices (vocab.py says why)."""

from bangfu.policy import vocab
from bangfu.registry import choices as c


def codes(choices) -> tuple:
    return tuple(choices.values)


def test_code_lists_match_registry():
    assert vocab.HUKOU_TYPES == codes(c.HukouType)
    assert vocab.HOUSING_SAFETY == codes(c.HousingSafety)
    assert vocab.SEXES == codes(c.Sex)
    assert vocab.RELATIONS == codes(c.Relation)
    assert vocab.PERSON_STATUSES == codes(c.PersonStatus)
    assert vocab.LIVING_SITUATIONS == codes(c.LivingSituation)
    assert vocab.LABOR_CAPACITIES == codes(c.LaborCapacity)
    assert vocab.SCHOOLING_LEVELS == ("",) + codes(c.SchoolingLevel)
    assert vocab.DISABILITY_TYPES == codes(c.DisabilityType)
    assert vocab.SELF_CARE_COLUMNS == tuple(name for name, _ in c.SELF_CARE_ACTIVITIES)
    assert vocab.REGISTRY_INCOME_KINDS == codes(c.IncomeKind)
    assert vocab.ASSET_KINDS == codes(c.AssetKind)
    assert vocab.EXPENSE_KINDS == codes(c.ExpenseKind)
    assert vocab.CATEGORIES == codes(c.Category)
    assert vocab.CAUSES == codes(c.Cause)
    assert vocab.SUPPORTERS_CHECKED == codes(c.SupportersChecked)
    assert vocab.SUPPORT_DUTIES == codes(c.SupportDuty)
    assert vocab.SUPPORTER_RELATIONS == codes(c.SupporterRelation)
    assert vocab.SUPPORTER_CAPACITIES == codes(c.SupporterCapacity)


def test_engine_columns_match_registry_fields():
    """The person columns the DB side can fill straight from Person.objects.values()."""
    from bangfu.policy.engine.schema import TABLES
    from bangfu.registry.models import Person

    fields = {f.name for f in Person._meta.get_fields()}
    engine_only = {"person_id", "household_id", "has_supporter_outside", "tekun_support_mode"}
    assert {col.name for col in TABLES["persons"]} - engine_only <= fields
