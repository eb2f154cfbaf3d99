"""`bangfu restore DIR [--force]`: check a backup against its manifest, then load it into the
configured database and file directories (bangfu.common.backup; the drill is in docs/deployment.md)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bangfu.common.backup import BackupError, backup_restore, backup_verify


class Command(BaseCommand):
    help = "从备份目录恢复数据库和附件；先按清单校验备份，目标数据库已有数据时须加 --force"

    def add_arguments(self, parser):
        parser.add_argument("directory", help="bangfu backup 写出的备份目录")
        parser.add_argument("--database", default="default")
        parser.add_argument("--force", action="store_true", help="覆盖已有数据（原附件目录改名保留）")
        parser.add_argument("--check", action="store_true", help="只按清单校验备份，不恢复")

    def handle(self, *args, directory: str, database: str, force: bool, check: bool, **options):
        try:
            if check:
                manifest = backup_verify(Path(directory))
                self.stdout.write(self.style.SUCCESS(
                    f"备份完好：{manifest['created_at']} 的 {manifest['engine']} 备份，"
                    f"{len(manifest['tables'])} 张表 {manifest['rows']} 行，附件 {len(manifest['files'])} 个"))
                return
            summary = backup_restore(Path(directory), using=database, force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(
            f"已恢复：{summary.tables} 张表 {summary.rows} 行（与清单一致），附件 {summary.files} 个 {summary.bytes} 字节"))
        for path in summary.moved_aside:
            self.stdout.write(f"原有附件目录已改名保留：{path}")
