"""Synthetic households and persons for demos, tests and benchmarks (R3, issue 2 item 8).

`synthesize(county_code=…, households=…, seed=…)` fills the registry of one county with realistic
but invented families: Chinese names drawn from a surname frequency table, valid ID numbers whose
address code is the county's, household structures from a single elderly person to three
generations, incomes around the dibao line, assets, rigid expenses, disabilities, major illnesses,
schooling, left-behind and lonely elderly, orphans, and the categories and causes of R3.

Determinism: everything is drawn from one `random.Random(seed)` and a fixed reference date, so the
same seed into a database in the same state gives the same people. ID numbers are unique by construction: the
sequence number of each (birth date, sex) comes from a counter that skips numbers already in the
database for that county, and a full day moves the birth date one day earlier.

Speed: rows are written in batches, each batch in one transaction, without model save() or history
rows (synthetic data is not a user's change). On PostgreSQL primary keys are reserved from the
tables' sequences and the rows go in with COPY (psycopg 3); elsewhere (SQLite) the keys are taken
above the largest used one, which the open write transaction makes safe, and rows go in with
bulk_create. Foreign keys are deferred, so households can name their head before the persons are in.
"""

from __future__ import annotations

import random
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor

from django.db import connection
from django.utils import timezone

from bangfu.regions.choices import Level
from bangfu.regions.codes import COUNTY, RegionCode
from bangfu.regions.models import Region
from bangfu.regions.services import county_subdivisions_generate, national_divisions_load

from .households import _Generator
from .ids import IdAllocator
from .writing import _COUNT_KEYS, _write_batch, _write_batch_on_own_connection, _Writer


class SynthError(ValueError):
    """A request synthesize() cannot carry out; the message is Chinese."""


def _county(county_code: str) -> Region:
    try:
        region = RegionCode.parse(county_code) if len(str(county_code).strip()) != 9 else None
    except ValueError:
        region = None
    if region is None or region.level != COUNTY:
        raise SynthError(f"“{county_code}”不是县级区划代码：县级代码为6位数字且末两位不为00，如340102")
    code, short = region.code, region.short
    county = Region.objects.filter(code=code).first()
    if county is None:
        national_divisions_load()
        county = Region.objects.filter(code=code).first()
    if county is None:
        raise SynthError(f"区划代码 {short} 不在全国区划数据中")
    if county.level != Level.COUNTY:
        raise SynthError(f"区划代码 {short} 不是县级区划")
    return county


def synthesize(
    *, county_code: str, households: int, seed: int | str, batch: int = 5000, progress: bool = True, writers: int | None = None
) -> dict[str, int]:
    """Create `households` synthetic households with their persons in one county (issue 2 item 8).

    Loads the national divisions if the county is not in the database, and gives the county
    generated townships and villages if it has none. The same seed into a database in the same
    state gives the same households and persons (primary keys aside). Returns the counts of rows
    written per kind.

    Each batch of `batch` households is one transaction. On PostgreSQL outside a transaction, up to
    `writers` (default 2) batches are written by worker threads on their own connections while the
    next batch is generated, so that the server's work (indexes, foreign-key checks) overlaps
    Python's; inside a transaction (a test, a request) everything runs on the caller's connection.
    """
    if households < 0:
        raise SynthError("户数不能为负数")
    if batch < 1:
        raise SynthError("每批户数至少为1")
    county = _county(county_code)
    generated = county_subdivisions_generate(county, seed=seed)
    villages = list(Region.objects.within(county).filter(level=Level.VILLAGE).order_by("code"))
    if not villages:
        raise SynthError(f"{county.full_name or county.name}已有乡镇但没有村（社区），无法分配家庭，请先导入村级区划")

    generator = _Generator(random.Random(seed), villages, IdAllocator.from_database(county.short_code))
    writer = _Writer()
    now = timezone.now()
    counts = dict.fromkeys(_COUNT_KEYS.values(), 0)
    counts["townships_generated"] = generated["townships"]
    counts["villages_generated"] = generated["villages"]
    if writers is None:
        writers = 2
    threaded = writer.postgres and not connection.in_atomic_block and writers > 0

    from tqdm import tqdm

    bar = tqdm(total=households, disable=not progress, unit="户", desc=f"生成 {county.name}", mininterval=0.5)

    def collect(batch_counts: dict[str, int]) -> None:
        for key, value in batch_counts.items():
            counts[key] += value
        bar.update(batch_counts["households"])

    sizes = [min(batch, households - start) for start in range(0, households, batch)]
    try:
        if not threaded:
            for size in sizes:
                collect(_write_batch(writer, [generator.family() for _ in range(size)], now))
        else:
            with ThreadPoolExecutor(max_workers=writers, thread_name_prefix="synth-writer") as pool:
                pending: deque[Future] = deque()
                for size in sizes:
                    families = [generator.family() for _ in range(size)]
                    while len(pending) >= writers:
                        collect(pending.popleft().result())
                    pending.append(pool.submit(_write_batch_on_own_connection, writer, families, now))
                while pending:
                    collect(pending.popleft().result())
    finally:
        bar.close()
    return counts
