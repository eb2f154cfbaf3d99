"""`bangfu backup DIR`: the database and the files beside it into a new directory, with a manifest
of row counts and SHA-256 hashes (bangfu.common.backup; docs/deployment.md gives the schedule)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bangfu.common.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "备份数据库和附件目录到一个新的（空）目录，并写出带行数和校验值的清单 manifest.json"

    def add_arguments(self, parser):
        parser.add_argument("directory", help="备份目录（不存在或为空）")
        parser.add_argument("--database", default="default")

    def handle(self, *args, directory: str, database: str, **options):
        try:
            manifest = backup_create(Path(directory), using=database)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        size = manifest["database"]["size"] + sum(f["size"] for f in manifest["files"].values())
        self.stdout.write(self.style.SUCCESS(
            f"已备份到 {directory}：{manifest['engine']} 数据库 {len(manifest['tables'])} 张表 "
            f"{manifest['rows']} 行，附件 {len(manifest['files'])} 个，共 {size} 字节"))
