"""Small things a first-time user of `make demo` sees (issue 17 "Small things"): the address it
really serves on, a clean start-up, a favicon."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.db import connection

ROOT = Path(__file__).resolve().parents[4]


def _free_port(start: int) -> str:
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "free_port.py"), str(start)],
                          capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_serve_moves_to_the_next_port_when_the_first_is_taken():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        chosen = int(_free_port(port))
    assert chosen != port and port < chosen < port + 50


def test_makefile_prints_the_port_it_serves_on():
    serve = (ROOT / "Makefile").read_text().split("\nserve:", 1)[1].split("\n\n", 1)[0]
    assert "free_port.py" in serve
    # The address printed and the address served are the same shell variable.
    assert "http://127.0.0.1:$$port/" in serve and "runserver 127.0.0.1:$$port" in serve


@pytest.mark.django_db
def test_system_check_is_quiet_on_the_demo_database():
    out = StringIO()
    call_command("check", stdout=out, stderr=out)
    assert "W040" not in out.getvalue(), out.getvalue()
    if connection.vendor == "sqlite":
        assert "no issues" in out.getvalue()


@pytest.mark.django_db
def test_pages_link_a_favicon_that_is_served(client):
    html = client.get("/accounts/login/").content.decode()
    href = re.search(r'<link rel="icon"[^>]*href="([^"]+)"', html).group(1)
    path = finders.find(href.split("/static/", 1)[1])
    assert path and Path(path).read_text().startswith("<svg")


def test_package_licence_is_an_spdx_expression():
    """setuptools ≥ 77 warns on every install about a licence given as a table."""
    text = (ROOT / "pyproject.toml").read_text()
    assert re.search(r'^license = "AGPL-3\.0-or-later"$', text, re.M)
