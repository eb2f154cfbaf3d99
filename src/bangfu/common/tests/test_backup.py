"""`bangfu backup` / `bangfu restore` (issue 13, "Backup and restore"): a backup restored into a
fresh database gives back every table's rows and every file; a damaged backup or a target that
already holds data is refused before anything is touched."""

from __future__ import annotations

import copy
import io
import json
import shutil

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connections
from django.db.utils import load_backend

from bangfu.common.backup import MANIFEST, BackupError, backup_create, backup_restore, holds_data, sha256_file, table_digests

# Backing up and restoring need committed data (pg_dump and pg_restore are other processes; SQLite's
# backup waits for the connection's own write lock): those tests commit.
committed = pytest.mark.django_db(transaction=True)


@pytest.fixture
def roots(settings, tmp_path):
    """The installation's file directories, under tmp_path/site."""
    settings.MEDIA_ROOT = tmp_path / "site" / "media"
    settings.PRIVATE_FILES_ROOT = tmp_path / "site" / "files"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                         "OPTIONS": {"location": settings.MEDIA_ROOT}}}
    return settings


@pytest.fixture
def site(roots, users, household_a, household_b):
    """Some of everything: accounts, regions, households with their history, a job with JSON, an
    output file in MEDIA_ROOT, private attachments (one binary) under PRIVATE_FILES_ROOT."""
    from bangfu.common.models import Job

    job = Job.objects.create(kind="survey_import", user=users["village_a"], status=Job.Status.DONE,
                             params={"region": "胜利社区", "rows": [1, 2]}, message="完成")
    job.output_file.save("bad_rows.xlsx", ContentFile(b"PK\x03\x04 rows"), save=True)
    private = roots.PRIVATE_FILES_ROOT
    (private / "outreach" / "2026" / "05").mkdir(parents=True)
    (private / "outreach" / "2026" / "05" / "visit.jpg").write_bytes(bytes(range(256)) * 40)
    (private / "rescue").mkdir()
    (private / "rescue" / "照片.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    return roots


def _tree(root) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): sha256_file(p) for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def fresh(tmp_path):
    """A second, empty database under the alias "fresh" (PostgreSQL: a new database on the same
    server; SQLite: a new file)."""
    default = connections["default"]
    settings_dict = copy.deepcopy(default.settings_dict)
    if default.vendor == "postgresql":
        settings_dict["NAME"] = f"{default.settings_dict['NAME']}_fresh"
        with default.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{settings_dict["NAME"]}"')
            cursor.execute(f'CREATE DATABASE "{settings_dict["NAME"]}"')
    else:
        settings_dict["NAME"] = str(tmp_path / "fresh.sqlite3")
    # Connected before it is registered: the test's database guard stops only a registered alias
    # that the test did not declare from connecting, and declaring it would make pytest-django
    # create (and migrate) it as a test database.
    fresh = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias="fresh")
    fresh.ensure_connection()
    connections.settings["fresh"] = settings_dict
    connections["fresh"] = fresh
    yield fresh
    fresh.close()
    del connections["fresh"]
    del connections.settings["fresh"]
    if default.vendor == "postgresql":
        with default.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{settings_dict["NAME"]}" WITH (FORCE)')


@committed
def test_restore_into_a_fresh_database_gives_back_every_row_and_file(site, fresh, tmp_path):
    before = table_digests()
    files_before = {"media": _tree(site.MEDIA_ROOT), "private": _tree(site.PRIVATE_FILES_ROOT)}
    assert before["registry_household"][0] == 2 and before["common_job"][0] == 1
    assert len(files_before["media"]) == 1 and len(files_before["private"]) == 2

    out = io.StringIO()
    call_command("backup", str(tmp_path / "backup"), stdout=out)
    assert "已备份" in out.getvalue()
    manifest = json.loads((tmp_path / "backup" / MANIFEST).read_text())
    assert manifest["tables"]["registry_household"] == 2
    assert {k: n for k, (n, _) in before.items()} == {k: manifest["tables"][k] for k in before}
    assert sorted(manifest["files"]) == sorted(
        [f"files/media/{p}" for p in files_before["media"]] + [f"files/private/{p}" for p in files_before["private"]])

    # the new machine: an empty database and empty file directories
    site.MEDIA_ROOT = tmp_path / "new" / "media"
    site.PRIVATE_FILES_ROOT = tmp_path / "new" / "files"
    out = io.StringIO()
    call_command("restore", str(tmp_path / "backup"), stdout=out, **{"database": fresh})
    assert "已恢复" in out.getvalue() and "与清单一致" in out.getvalue()

    assert table_digests(fresh) == before
    out = io.StringIO()
    call_command("restore", str(tmp_path / "backup"), "--check", stdout=out)
    assert "备份完好" in out.getvalue()
    assert {"media": _tree(site.MEDIA_ROOT), "private": _tree(site.PRIVATE_FILES_ROOT)} == files_before


@committed
def test_a_damaged_backup_is_refused_before_anything_is_touched(site, tmp_path):
    backup_create(tmp_path / "backup")
    before, files = table_digests(), _tree(site.PRIVATE_FILES_ROOT.parent)
    photo = tmp_path / "backup" / "files" / "private" / "rescue" / "照片.png"
    original = photo.read_bytes()
    photo.write_bytes(original + b"x")

    with pytest.raises(CommandError, match="校验值不符"):
        call_command("restore", str(tmp_path / "backup"), "--force")
    assert table_digests() == before and _tree(site.PRIVATE_FILES_ROOT.parent) == files, "touched before the check"

    photo.unlink()
    with pytest.raises(BackupError, match="缺少文件"):
        backup_restore(tmp_path / "backup", force=True)
    photo.write_bytes(original)
    shutil.copy(tmp_path / "backup" / MANIFEST, tmp_path / "backup" / "files" / "extra")
    with pytest.raises(BackupError, match="清单以外的文件"):
        backup_restore(tmp_path / "backup", force=True)
    (tmp_path / "backup" / "files" / "extra").unlink()
    manifest = json.loads((tmp_path / "backup" / MANIFEST).read_text())
    manifest["files"]["files/private/../../../outside"] = manifest["files"].pop("files/private/rescue/照片.png")
    (tmp_path / "backup" / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(BackupError, match="不在附件目录内"):
        backup_restore(tmp_path / "backup", force=True)
    (tmp_path / "backup" / MANIFEST).unlink()
    with pytest.raises(BackupError, match="没有 manifest.json"):
        backup_restore(tmp_path / "backup", force=True)
    assert table_digests() == before and _tree(site.PRIVATE_FILES_ROOT.parent) == files


@committed
def test_a_target_holding_data_needs_force_and_then_equals_the_backup(site, tmp_path):
    from bangfu.registry.models import Household

    backup_create(tmp_path / "backup")
    before = table_digests()
    Household.objects.filter(pk=Household.objects.order_by("pk").first().pk).update(address="改过的地址")
    (site.PRIVATE_FILES_ROOT / "later.pdf").write_bytes(b"%PDF")
    changed = table_digests()
    assert changed != before

    with pytest.raises(CommandError, match="已有数据"):
        call_command("restore", str(tmp_path / "backup"))
    assert table_digests() == changed, "refused, yet the database was touched"

    call_command("restore", str(tmp_path / "backup"), "--force", stdout=io.StringIO())
    assert table_digests() == before
    assert not (site.PRIVATE_FILES_ROOT / "later.pdf").exists()
    aside = list(site.PRIVATE_FILES_ROOT.parent.glob("files.before-restore-*"))
    assert len(aside) == 1 and (aside[0] / "later.pdf").exists(), "the old files are kept aside, not deleted"


def test_a_freshly_migrated_database_holds_no_data(db):
    """What `bangfu migrate` writes (content types, permissions, default parameters) is not data."""
    assert not holds_data()


def test_backup_refuses_a_directory_that_is_not_empty(roots, tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "x").write_text("x")
    with pytest.raises(CommandError, match="不是空的"):
        call_command("backup", str(tmp_path / "old"))


def test_postgresql_dump_tools_match_the_server(db):
    """pg_dump refuses a server newer than itself: the backup picks a tool of the server's version."""
    connection = connections["default"]
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite is copied through its backup API, no external tool")
    import subprocess

    from bangfu.common.backup import _pg_tool

    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('server_version_num')::int")
        server = cursor.fetchone()[0]
    tool = _pg_tool("pg_dump", server)
    version = subprocess.run([tool, "--version"], capture_output=True, text=True, check=True).stdout
    assert int(version.split()[-1].split(".")[0]) >= server // 10000
