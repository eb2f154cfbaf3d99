"""The survey import task's old path. The task lives in registry/survey/tasks.py; jobs queued
before it moved name `bangfu.registry.tasks.survey_import_job` in the task database, and the worker
finds them here. This module imports the survey package and nothing imports it, so it closes no
cycle. It can go once no such job is left queued."""

from __future__ import annotations

from .survey.tasks import SURVEY_IMPORT, run_survey_import_job, survey_import_job

__all__ = ["SURVEY_IMPORT", "run_survey_import_job", "survey_import_job"]
