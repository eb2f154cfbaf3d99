"""For tests that run part of the system in another process (a killed worker, issue 13 "Faults")."""

from __future__ import annotations

import subprocess
import sys

from django.db import connections


def database_url() -> str:
    """The URL of the test's own PostgreSQL database, for a child process to write into."""
    s = connections["default"].settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def dead_pid() -> int:
    """The id of a process of this machine that has exited."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    return int(done.stdout)
