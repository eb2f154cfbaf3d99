"""Forms of the registry pages.

The forms check the shape of the input (required, choices, dates, amounts). The rules live in
services: the member formset calls services.validate_person_data and services.check_id_number for
every member, so that each member's errors show next to that member's fields and the service sees
only input it will accept. Whatever a service still refuses comes back as RegistryError.errors
({field: [messages]}) and apply_errors() puts it on the matching field.
"""

from .common import (
    BLANK,
    MAX_REGION_CHOICES,
    VillageField,
    region_filter_choices,
    scoped_regions,
    village_field,
)
from .households import HouseholdForm
from .items import (
    CLASSIFICATION_CHOICES,
    ITEM_FORMS,
    AssetForm,
    ClassificationForm,
    DatedMonthlyItemForm,
    ExpenseForm,
    HouseholdItemForm,
    IncomeForm,
    SupporterForm,
    YuanField,
)
from .members import (
    MEMBER_FORMSET_INITIAL,
    BaseMemberFormSet,
    MemberForm,
    MemberFormSet,
    PersonForm,
    apply_errors,
    check_members,
    member_formset,
)
from .search import HouseholdSearchForm
from .splitmerge import ChangeHeadForm, MergeForm, SplitForm

__all__ = [
    "BLANK", "CLASSIFICATION_CHOICES", "ITEM_FORMS", "MAX_REGION_CHOICES", "MEMBER_FORMSET_INITIAL", "AssetForm",
    "BaseMemberFormSet", "ChangeHeadForm", "ClassificationForm", "DatedMonthlyItemForm", "ExpenseForm",
    "HouseholdForm", "HouseholdItemForm", "HouseholdSearchForm", "IncomeForm", "MemberForm", "MemberFormSet", "MergeForm",
    "PersonForm", "SplitForm", "SupporterForm", "VillageField", "YuanField", "apply_errors", "check_members", "member_formset",
    "region_filter_choices", "scoped_regions", "village_field",
]  # fmt: skip
