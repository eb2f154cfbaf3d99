"""Progress reporting for long work: the same function reports to a tqdm bar on the CLI and to a
Job row on the web."""

from __future__ import annotations

import time
from typing import Protocol


class Progress(Protocol):
    def start(self, total: int, message: str = "") -> None: ...
    def advance(self, n: int = 1) -> None: ...
    def finish(self, message: str = "") -> None: ...


class NullProgress:
    def start(self, total: int, message: str = "") -> None:
        pass

    def advance(self, n: int = 1) -> None:
        pass

    def finish(self, message: str = "") -> None:
        pass


class TqdmProgress:
    def __init__(self, **kwargs) -> None:
        self._kwargs = kwargs
        self._bar = None

    def start(self, total: int, message: str = "") -> None:
        from tqdm import tqdm

        self._bar = tqdm(total=total, desc=message or None, unit="行", **self._kwargs)

    def advance(self, n: int = 1) -> None:
        if self._bar is not None:
            self._bar.update(n)

    def finish(self, message: str = "") -> None:
        if self._bar is not None:
            self._bar.close()


class JobProgress:
    """Writes to a Job row, at most every `interval` seconds so that progress costs little."""

    def __init__(self, job, interval: float = 0.5) -> None:
        self.job = job
        self.interval = interval
        self._last = 0.0

    def start(self, total: int, message: str = "") -> None:
        self.job.total, self.job.done = total, 0
        if message:
            self.job.message = message
        self.job.status = self.job.Status.RUNNING
        # which process runs the job: `jobs_sweep` marks it failed if that process has died
        from .jobs import worker_identity

        self.job.params = {**(self.job.params or {}), "worker": worker_identity()}
        self.job.save(update_fields=["total", "done", "message", "status", "params"])

    def advance(self, n: int = 1) -> None:
        self.job.done += n
        now = time.monotonic()
        if now - self._last >= self.interval:
            self._last = now
            type(self.job).objects.filter(pk=self.job.pk).update(done=self.job.done)

    def finish(self, message: str = "") -> None:
        type(self.job).objects.filter(pk=self.job.pk).update(done=self.job.done)


class VisibleJobProgress(JobProgress):
    """JobProgress whose counts the job page can see while the writer's transaction is still open
    (the survey import, the matching list import).

    An import writes everything in one transaction, so an UPDATE of the Job row on the same
    connection stays invisible until the commit and the bar would stall for the whole write
    phase. On PostgreSQL the counts then go through a connection of their own (autocommit).
    SQLite allows one writer at a time, so there the bar waits for the commit."""

    def __init__(self, job, interval: float = 0.5) -> None:
        super().__init__(job, interval)
        self._side = None

    def _save_done(self) -> None:
        from django.db import DEFAULT_DB_ALIAS, connection, connections

        if not connection.in_atomic_block:
            type(self.job).objects.filter(pk=self.job.pk).update(done=self.job.done)
        elif connection.vendor == "postgresql":
            if self._side is None:
                self._side = connections.create_connection(DEFAULT_DB_ALIAS)
            with self._side.cursor() as cursor:
                cursor.execute(f"UPDATE {type(self.job)._meta.db_table} SET done = %s WHERE id = %s", [self.job.done, self.job.pk])

    def advance(self, n: int = 1) -> None:
        self.job.done += n
        now = time.monotonic()
        if now - self._last >= self.interval:
            self._last = now
            self._save_done()

    def finish(self, message: str = "") -> None:
        self._save_done()
        self.close()

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None
