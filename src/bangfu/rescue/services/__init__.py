"""Writes of the rescue app (篇四, R18–R25). Each takes the acting user, runs in one transaction,
locks the row it changes and leaves history (django-simple-history, author = acting user).

A stay is changed only by the staff of its station (selectors.stay_for_edit); a stay of another
station answers "not found" exactly as a missing one.

One module per part of the work: stays (intake and end of stay), tracing, care (placements,
institutions and their statements), settlement, prevention (the home region's register and its
follow-ups), patrols, reports (mandatory reporting) and stations; _common holds what they share.
"""

from .care import assessment_record, institution_create, institution_statement, placement_start, rate_set, rates_on
from .patrols import encounter_add, patrol_create
from .prevention import follow_up_record, prevention_entry_create
from .reports import report_made, report_record
from .settlement import settlement_advance, settlement_apply, settlement_plan
from .stations import station_staff_link
from .stays import PHOTO_MAX_BYTES, PHOTO_TYPES, STAY_FIELDS, check_escort, photo_file, service_add, stay_create, stay_end, stay_photo_add
from .tracing import identity_confirm, stay_register_person, tracing_step_record

__all__ = [
    "PHOTO_MAX_BYTES", "PHOTO_TYPES", "STAY_FIELDS", "assessment_record", "check_escort", "encounter_add", "follow_up_record",
    "identity_confirm", "institution_create", "institution_statement", "patrol_create", "photo_file", "placement_start",
    "prevention_entry_create", "rate_set", "rates_on", "report_made", "report_record", "service_add", "settlement_advance",
    "settlement_apply", "settlement_plan", "station_staff_link", "stay_create", "stay_end", "stay_photo_add",
    "stay_register_person", "tracing_step_record",
]
