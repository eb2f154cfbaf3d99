"""The parameter set in force, kept between requests (issue 3 "Interfaces").

`selectors.parameter_set()` reads every `ParameterValue` row and merges it over the YAML
defaults; the engine then caches its resolved parameter table per `ParameterSet` object
(`engine/ptable.py`, keyed by identity). Building a new set per request would throw that cache
away, so the page, the API and the panel share one set per process and rebuild it only when the
rows change.

"Changed" must hold across processes (several web workers, the task worker, `bangfu` commands):
each call asks the database for a version — row count and highest id of `ParameterValue`, highest
id and latest date of its history — in one small query. Any save or delete through the ORM (the
service, the admin) writes a history row, so the version moves. Within this process a
post_save/post_delete receiver also bumps a generation counter, so a change made here is seen
even inside a test transaction that later rolls back. Bulk `QuerySet.update()` or raw SQL writes
bypass both and are not supported: parameters are written through `services.parameter_value_create`.
"""

from __future__ import annotations

import threading
from typing import Any

from django.db import connection
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import ParameterValue
from .parameters import ParameterSet
from .selectors import parameter_set

_lock = threading.Lock()
_generation = 0
_cached: tuple[Any, ParameterSet] | None = None


@receiver(post_save, sender=ParameterValue, dispatch_uid="policy.current.saved")
@receiver(post_delete, sender=ParameterValue, dispatch_uid="policy.current.deleted")
def _changed(**kwargs) -> None:
    global _generation, _cached
    with _lock:
        _generation += 1
        _cached = None


def parameter_version() -> tuple:
    """A value that changes whenever a ParameterValue row is added, changed or deleted."""
    values = connection.ops.quote_name(ParameterValue._meta.db_table)
    history = connection.ops.quote_name(ParameterValue.history.model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM {values}), (SELECT MAX(id) FROM {values}), "
            f"(SELECT MAX(history_id) FROM {history}), (SELECT MAX(history_date) FROM {history})"
        )
        return tuple(cursor.fetchone())


def current_parameter_set() -> ParameterSet:
    """The shipped defaults with the administrators' rows, rebuilt only when the rows changed.

    The version is read before the rows: a write landing in between makes the next call rebuild
    again, never keeps stale rows under a new version."""
    global _cached
    key = (_generation, parameter_version())
    hit = _cached
    if hit is not None and hit[0] == key:
        return hit[1]
    params = parameter_set()
    with _lock:
        if key[0] == _generation:  # no change in this process while building
            _cached = (key, params)
    return params


def clear() -> None:
    """Forget the cached set (tests)."""
    _changed()
