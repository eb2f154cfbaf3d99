"""`bangfu purge-job-files [--days N]`: delete the files of background jobs finished more than N days ago.

Uploaded sheets are deleted as soon as a job has read them; what stays is each job's output (a
bad-rows sheet, a simulation workbook), which can hold people's data. A deployment runs this
daily (cron or a systemd timer); the job rows stay, with their counts and messages, for the record.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from bangfu.common.models import Job


class Command(BaseCommand):
    help = "删除完成超过 N 天的后台任务的上传文件和结果文件（默认 30 天）"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30)

    def handle(self, *args, days: int, **options):
        if days < 0:
            raise CommandError("--days 不能为负数")
        cutoff = timezone.now() - dt.timedelta(days=days)
        removed = 0
        jobs = Job.objects.filter(finished_at__lt=cutoff).exclude(input_file="", output_file="")
        for job in jobs.iterator():
            for field in (job.input_file, job.output_file):
                if field:
                    field.delete(save=False)
                    removed += 1
            job.save(update_fields=["input_file", "output_file"])
        self.stdout.write(f"已删除 {removed} 个文件")
