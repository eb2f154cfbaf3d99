"""Unique 18-digit ID numbers of one county for synthetic persons (GB 11643-1999)."""

from __future__ import annotations

import datetime as dt

from bangfu.common.idnumber import check_char
from bangfu.registry.models import Person


class IdAllocator:
    """Unique 18-digit ID numbers of one county (GB 11643-1999).

    For each birth date and sex a counter walks the 500 sequence numbers (odd for men, even for
    women; 000 is not used) from a start that depends on the date, skipping the ones `taken`
    (already in the database). When a day is full the birth date moves one day earlier.
    """

    def __init__(self, area_code: str, taken: dict[int, int] | None = None):
        self.area_code = area_code
        self.taken = taken or {}  # birth ordinal -> bit mask of the sequence numbers in use
        self.next_slot: dict[int, int] = {}
        self._date_text: dict[int, str] = {}

    @classmethod
    def from_database(cls, area_code: str) -> IdAllocator:
        taken: dict[int, int] = {}
        upper = f"{int(area_code) + 1:06d}"
        numbers = Person.objects.filter(id_number__gte=area_code, id_number__lt=upper).values_list("id_number", flat=True)
        for number in numbers.iterator(chunk_size=20000):
            if len(number) == 18 and number.startswith(area_code) and number[6:17].isdigit():
                try:
                    birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14])).toordinal()
                except ValueError:
                    continue
                taken[birth] = taken.get(birth, 0) | 1 << int(number[14:17])
        return cls(area_code, taken)

    def allocate(self, birth_ordinal: int, male: bool) -> tuple[int, str]:
        """Return (birth ordinal actually used, ID number)."""
        capacity = 500 if male else 499
        while True:
            key = birth_ordinal * 2 + male
            slot_index = self.next_slot.get(key, 0)
            mask = self.taken.get(birth_ordinal, 0)
            start = birth_ordinal * 7919 % capacity
            while slot_index < capacity:
                slot = (start + slot_index) % capacity
                slot_index += 1
                sequence = 2 * slot + 1 if male else 2 * slot + 2
                if not mask >> sequence & 1:
                    self.next_slot[key] = slot_index
                    text = self._date_text.get(birth_ordinal)
                    if text is None:
                        text = self._date_text[birth_ordinal] = dt.date.fromordinal(birth_ordinal).strftime("%Y%m%d")
                    first17 = f"{self.area_code}{text}{sequence:03d}"
                    return birth_ordinal, first17 + check_char(first17)
            self.next_slot[key] = capacity
            birth_ordinal -= 1
