"""Policy parameters: data, never constants (architecture.md; issue 3 "Parameters").

    from bangfu.policy.parameters import default_parameter_set
    ps = default_parameter_set()
    ps.resolve("dibao_standard_rural", "341122100201", date(2025, 8, 1)).value   # 73000 (fen)
    reform = ps.with_overrides({"dibao_standard_rural": "+10%"})

Pure Python: no Django import here (the DB model is `bangfu.policy.models.ParameterValue`,
merged in by `bangfu.policy.selectors.parameter_set`).
"""

from .codec import ParameterError
from .core import Citation, ParameterDef, ParameterSet, Resolved, ValueSpec, region_ancestry, region_prefix
from .helpers import StandardRange, round_fen, standard_range_from_consumption, tekun_basic_floor_fen, tekun_standard_fen, care_level_of
from .loading import default_parameter_set, from_mapping, from_yaml, merge_rows, to_mapping

__all__ = [
    "Citation", "ParameterDef", "ParameterError", "ParameterSet", "Resolved", "StandardRange", "ValueSpec",
    "default_parameter_set", "from_mapping", "from_yaml", "merge_rows", "region_ancestry", "region_prefix",
    "round_fen", "standard_range_from_consumption", "tekun_basic_floor_fen", "tekun_standard_fen", "care_level_of", "to_mapping",
]
