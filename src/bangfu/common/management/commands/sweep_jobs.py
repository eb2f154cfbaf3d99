"""`bangfu sweep-jobs`: mark failed the background jobs whose worker process died (bangfu.common.jobs.
jobs_sweep). The job pages do this for the job they show; run it when the worker (re)starts."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from bangfu.common.jobs import jobs_sweep


class Command(BaseCommand):
    help = "把后台进程已中止的“进行中”任务标为失败（可重新提交）"

    def handle(self, *args, **options):
        self.stdout.write(f"已标为失败 {jobs_sweep()} 个任务")
