"""docs/deployment.md: the production environment passes Django's deployment checks, and without
BANGFU_HTTPS (the demo, an office LAN without certificates) cookies are not marked secure."""

from __future__ import annotations

import os
import subprocess
import sys


def _check(env_extra: dict) -> subprocess.CompletedProcess:
    # Only the machine's own environment: other test modules set Django and Bangfu variables
    # (DJANGO_ALLOW_ASYNC_UNSAFE, BANGFU_*) in this process, and production has none of them.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BANGFU_", "DJANGO_", "DATABASE_URL", "SECRET_KEY"))}
    env.update(env_extra)
    return subprocess.run([sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
                          env={**env, "DJANGO_SETTINGS_MODULE": "bangfu.settings"}, capture_output=True, text=True)


PRODUCTION = {"SECRET_KEY": "k" * 20 + "-production-secret-key-with-enough-entropy-9f8e7d6c",
              "ALLOWED_HOSTS": "dibao.example.gov.cn", "BANGFU_HTTPS": "1"}


def test_production_environment_passes_the_deploy_checks():
    result = _check(PRODUCTION)
    assert result.returncode == 0, result.stderr


def test_without_https_the_deploy_checks_fail_on_insecure_cookies():
    result = _check({k: v for k, v in PRODUCTION.items() if k != "BANGFU_HTTPS"})
    assert result.returncode != 0
    assert "security.W012" in result.stderr  # SESSION_COOKIE_SECURE
