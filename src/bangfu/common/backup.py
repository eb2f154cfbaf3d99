"""Backup and restore of a whole installation: the database and the files beside it.

`bangfu backup DIR` writes into an empty (or new) directory DIR:

    manifest.json            what is in the backup, with a SHA-256 of every other file
    database.dump            PostgreSQL: `pg_dump -Fc` (custom format, compressed)
    database.sqlite3         SQLite: a copy made through SQLite's online backup API
    files/media/...          settings.MEDIA_ROOT (background jobs' uploads and results)
    files/private/...        settings.PRIVATE_FILES_ROOT (visit photos, rescue photos, scans)

The PostgreSQL dump and the row counts of the manifest come from one snapshot (a repeatable-read
transaction exports it and pg_dump reads through it), so the counts are those of the dump even
while people keep working. SQLite's copy is counted after it is made, from the copy.

`bangfu restore DIR` first checks the manifest against the files (every hash, no file missing or
extra) and refuses a database of another engine or one that already holds data (unless --force),
before it touches anything. It then loads the database (pg_restore, or SQLite's backup API in the
other direction), puts the files in place (directories that held files are moved aside, never
deleted), and checks that every table has the manifest's row count.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connections

FORMAT = "bangfu-backup/1"
MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"

# Tables a bare `bangfu migrate` fills (Django's bookkeeping and the data migrations' defaults):
# rows there do not make a database "hold data" for the restore's refusal.
MIGRATE_FILLS = frozenset({"django_migrations", "django_content_type", "auth_permission", "outreach_outreachparameter"})


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why (shown to the operator)."""


@dataclass(frozen=True)
class Summary:
    tables: int
    rows: int
    files: int
    bytes: int
    moved_aside: tuple[str, ...] = ()


def file_roots() -> dict[str, Path]:
    """The directories of files that belong to the data, by their name in the backup."""
    return {"media": Path(settings.MEDIA_ROOT), "private": Path(settings.PRIVATE_FILES_ROOT)}


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _connection(using):
    """`using`: an alias of DATABASES, or a connection (DatabaseWrapper) made for the occasion."""
    return connections[using] if isinstance(using, str) else using


def _engine(using: str) -> str:
    vendor = _connection(using).vendor
    if vendor not in ("postgresql", "sqlite"):
        raise BackupError(f"不支持的数据库类型：{vendor}")
    return vendor


# ---------------------------------------------------------------------------------------------
# Reading tables (used by the manifest, by restore's check, and by the tests' comparison)


def _tables(cursor, connection) -> list[str]:
    return sorted(connection.introspection.table_names(cursor))


def table_counts(using: str = "default", cursor=None) -> dict[str, int]:
    """Rows of every table of the database (views excluded)."""
    connection = _connection(using)
    if cursor is None:
        with connection.cursor() as cursor:
            return table_counts(using, cursor)
    qn = connection.ops.quote_name
    counts = {}
    for table in _tables(cursor, connection):
        cursor.execute(f"SELECT COUNT(*) FROM {qn(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def table_digests(using: str = "default") -> dict[str, tuple[int, str]]:
    """(row count, SHA-256 of the rows in key order) of every table: equal digests, equal content."""
    connection = _connection(using)
    qn = connection.ops.quote_name
    digests = {}
    with connection.cursor() as cursor:
        for table in _tables(cursor, connection):
            columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
            keys = connection.introspection.get_primary_key_columns(cursor, table) or columns
            order = ", ".join(qn(c) for c in keys + [c for c in columns if c not in keys])
            cursor.execute(f"SELECT {', '.join(qn(c) for c in columns)} FROM {qn(table)} ORDER BY {order}")
            digest, n = hashlib.sha256(), 0
            for row in cursor.fetchall():
                digest.update(repr(tuple(_plain(v) for v in row)).encode())
                n += 1
            digests[table] = (n, digest.hexdigest())
    return digests


def _plain(value):
    if isinstance(value, memoryview):
        return bytes(value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC)
    return value


def holds_data(using: str = "default") -> bool:
    """Whether the database holds anything beyond what `bangfu migrate` writes."""
    return any(n for table, n in table_counts(using).items() if table not in MIGRATE_FILLS)


# ---------------------------------------------------------------------------------------------
# PostgreSQL: its own dump tools, with the connection settings of DATABASES


def _pg_env(settings_dict: dict) -> dict[str, str]:
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"), ("NAME", "PGDATABASE")):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    sslmode = (settings_dict.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = sslmode
    return env


def _pg_tool(name: str, server_version: int) -> str:
    """pg_dump/pg_restore of the server's major version (or newer): an older tool refuses a newer
    server, so say so plainly. Debian keeps each version under /usr/lib/postgresql/<major>/bin."""
    major = server_version // 10000
    candidates = [shutil.which(name)] + sorted((str(p) for p in Path("/usr/lib/postgresql").glob(f"*/bin/{name}")), reverse=True)
    for tool in filter(None, candidates):
        out = subprocess.run([tool, "--version"], capture_output=True, text=True, check=False).stdout
        found = re.search(r"\(PostgreSQL\) (\d+)", out)  # "pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)"
        if found is None:
            continue
        tool_major = int(found.group(1))
        if tool_major >= major:
            return tool
    raise BackupError(f"找不到 PostgreSQL {major} 或更新版本的 {name}（apt install postgresql-client-{major}）")


def _run(cmd: list[str], env: dict) -> None:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{Path(cmd[0]).name} 失败：{done.stderr.strip()[-2000:]}")


def _pg_backup(using: str, target: Path) -> tuple[dict[str, int], dict]:
    connection = _connection(using)
    settings_dict = connection.settings_dict
    # A connection of its own: the snapshot's transaction must stay open while pg_dump reads.
    snapshot_conn = connection.get_new_connection(connection.get_connection_params())
    try:
        snapshot_conn.autocommit = False
        with snapshot_conn.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version_num')::int")
            snapshot, server_version = cursor.fetchone()
            counts = {}
            qn = connection.ops.quote_name
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
            for (table,) in cursor.fetchall():
                cursor.execute(f"SELECT COUNT(*) FROM {qn(table)}")
                counts[table] = cursor.fetchone()[0]
            tool = _pg_tool("pg_dump", server_version)
            _run([tool, "--format=custom", f"--snapshot={snapshot}", "--no-owner", "--no-privileges",
                  f"--file={target / PG_DUMP}"], _pg_env(settings_dict))
        snapshot_conn.rollback()
    finally:
        snapshot_conn.close()
    return counts, {"file": PG_DUMP, "server_version": server_version}


def _pg_clear(using: str) -> None:
    """Drop every table of the schema (--force): pg_restore then builds the schema afresh."""
    connection = _connection(using)
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        tables = [t for (t,) in cursor.fetchall()]
        if tables:
            cursor.execute("DROP TABLE IF EXISTS " + ", ".join(qn(t) for t in tables) + " CASCADE")
        cursor.execute("SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema = current_schema()")
        sequences = [s for (s,) in cursor.fetchall()]
        if sequences:
            cursor.execute("DROP SEQUENCE IF EXISTS " + ", ".join(qn(s) for s in sequences) + " CASCADE")


def _pg_restore(using: str, source: Path) -> None:
    connection = _connection(using)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('server_version_num')::int")
        server_version = cursor.fetchone()[0]
    if connection.in_atomic_block:
        raise BackupError("不能在事务中恢复数据库")  # pg_restore waits for the locks it would hold
    tool = _pg_tool("pg_restore", server_version)
    _run([tool, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
          f"--dbname={connection.settings_dict['NAME']}", str(source / PG_DUMP)], _pg_env(connection.settings_dict))


# ---------------------------------------------------------------------------------------------
# SQLite: the online backup API, through Django's own connection (so that it also works for a
# database that lives in memory, as the tests' does)


def _sqlite_backup(using: str, target: Path) -> tuple[dict[str, int], dict]:
    connection = _connection(using)
    connection.ensure_connection()
    if connection.in_atomic_block:  # SQLite's backup would wait forever for our own write lock
        raise BackupError("不能在事务中备份 SQLite 数据库")
    copy = sqlite3.connect(target / SQLITE_COPY)
    try:
        connection.connection.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        tables = [t for (t,) in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        counts = {t: copy.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
        version = sqlite3.sqlite_version
    finally:
        copy.close()
    return counts, {"file": SQLITE_COPY, "server_version": version}


def _sqlite_restore(using: str, source: Path) -> None:
    connection = _connection(using)
    connection.ensure_connection()
    if connection.in_atomic_block:
        raise BackupError("不能在事务中恢复 SQLite 数据库")
    src = sqlite3.connect(f"file:{source / SQLITE_COPY}?mode=ro", uri=True)
    try:
        src.backup(connection.connection)
    finally:
        src.close()


# ---------------------------------------------------------------------------------------------
# Files


def _copy_files(target: Path) -> dict[str, dict]:
    files = {}
    for name, root in file_roots().items():
        if not root.is_dir():
            continue
        for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()):
            relative = f"files/{name}/{path.relative_to(root).as_posix()}"
            destination = target / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, destination)
            # hash the copy: what the backup holds is what restore will check
            files[relative] = {"sha256": sha256_file(destination), "size": destination.stat().st_size}
    return files


def _root_has_files(root: Path) -> bool:
    return root.is_dir() and any(p.is_file() for p in root.rglob("*"))


def _place_files(source: Path, manifest: dict, *, force: bool) -> tuple[str, ...]:
    roots = file_roots()
    moved = []
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    for name, root in roots.items():
        if _root_has_files(root):
            if not force:  # checked before anything was touched, see backup_restore
                raise BackupError(f"目录 {root} 中已有文件")
            aside = root.with_name(f"{root.name}.before-restore-{stamp}")
            root.rename(aside)
            moved.append(str(aside))
    for relative in manifest["files"]:
        _, name, rest = relative.split("/", 2)
        destination = roots[name] / rest
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / relative, destination)
    return tuple(moved)


# ---------------------------------------------------------------------------------------------
# The two commands' work


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("bangfu")
    except PackageNotFoundError:
        return "unknown"


def backup_create(target: Path, *, using: str = "default") -> dict:
    """Write a backup into `target` (new or empty). Returns the manifest."""
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"目录 {target} 不是空的：每次备份请用新的目录")
    target.mkdir(parents=True, exist_ok=True)
    engine = _engine(using)
    started = dt.datetime.now(dt.UTC)
    counts, database = (_pg_backup if engine == "postgresql" else _sqlite_backup)(using, target)
    database["sha256"] = sha256_file(target / database["file"])
    database["size"] = (target / database["file"]).stat().st_size
    files = _copy_files(target)
    manifest = {
        "format": FORMAT,
        "created_at": started.isoformat(),
        "finished_at": dt.datetime.now(dt.UTC).isoformat(),
        "bangfu_version": _version(),
        "engine": engine,
        "database": database,
        "tables": counts,
        "rows": sum(counts.values()),
        "files": files,
    }
    with tempfile.NamedTemporaryFile("w", dir=target, delete=False, encoding="utf-8") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=1, sort_keys=True)
    os.replace(f.name, target / MANIFEST)  # the manifest last: a backup without one is unfinished
    return manifest


def backup_verify(source: Path) -> dict:
    """Check a backup directory against its manifest without touching anything; returns it."""
    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{source} 中没有 {MANIFEST}：不是备份目录，或备份没有完成") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError(f"{MANIFEST} 无法读取：{exc}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{MANIFEST} 的格式不是 {FORMAT}")
    roots = tuple(f"files/{name}/" for name in file_roots())
    for name in manifest["files"]:
        if not name.startswith(roots) or ".." in Path(name).parts or Path(name).is_absolute():
            raise BackupError(f"清单中的文件名 {name} 不在附件目录内")
    if manifest["database"]["file"] not in (PG_DUMP, SQLITE_COPY):
        raise BackupError(f"清单中的数据库文件名 {manifest['database']['file']} 不对")
    expected = {manifest["database"]["file"]: manifest["database"]["sha256"]}
    expected.update({name: entry["sha256"] for name, entry in manifest["files"].items()})
    present = {p.relative_to(source).as_posix() for p in source.rglob("*") if p.is_file()} - {MANIFEST}
    missing, extra = sorted(set(expected) - present), sorted(present - set(expected))
    if missing:
        raise BackupError(f"备份缺少文件：{'、'.join(missing[:5])}")
    if extra:
        raise BackupError(f"备份中有清单以外的文件：{'、'.join(extra[:5])}")
    for name, digest in sorted(expected.items()):
        if sha256_file(source / name) != digest:
            raise BackupError(f"文件 {name} 与清单的校验值不符：备份已损坏或被改动")
    return manifest


def backup_restore(source: Path, *, using: str = "default", force: bool = False) -> Summary:
    """Restore a backup into the database `using` and the file directories of the settings."""
    source = Path(source)
    manifest = backup_verify(source)
    engine = _engine(using)
    if manifest["engine"] != engine:
        raise BackupError(f"备份来自 {manifest['engine']} 数据库，不能恢复到 {engine} 数据库")
    if not force:
        if holds_data(using):
            raise BackupError("目标数据库中已有数据；确认要覆盖时加 --force")
        busy = [str(root) for root in file_roots().values() if _root_has_files(root)]
        if busy:
            raise BackupError(f"目录 {'、'.join(busy)} 中已有文件；确认要覆盖时加 --force（原目录会被改名保留）")
    if engine == "postgresql":
        _pg_clear(using)
        _pg_restore(using, source)
    else:
        _sqlite_restore(using, source)
    moved = _place_files(source, manifest, force=force)
    counts = table_counts(using)
    wrong = {t: (n, counts.get(t)) for t, n in manifest["tables"].items() if counts.get(t) != n}
    if wrong:
        raise BackupError(f"恢复后行数与清单不符：{wrong}")
    size = sum(entry["size"] for entry in manifest["files"].values())
    return Summary(tables=len(counts), rows=sum(counts.values()), files=len(manifest["files"]), bytes=size, moved_aside=moved)
