"""Production configuration, checked in a fresh process as an operator would start it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from testkit.production_env import PRODUCTION_ENV

BASE_DIR = Path(__file__).resolve().parents[2]


def _manage(*args, env):
    # Start from the test run's environment without the values pytest.ini sets.
    test_only = {"SECURE_SSL_REDIRECT", "VROEG_DEMO", "REQUIRE_2FA"}
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV and k not in test_only}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_has_no_warnings_with_production_variables():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_demo_mode_is_flagged_by_check_deploy():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env={**PRODUCTION_ENV, "VROEG_DEMO": "true"})
    assert result.returncode != 0
    assert "vroeg.W001" in result.stderr + result.stdout


@pytest.mark.parametrize(
    "left_at_default, check_id",
    [("DATABASE_URL", "vroeg.W002"), ("CELERY_BROKER_URL", "vroeg.W003"), ("EMAIL_URL", "vroeg.W004")],
)
def test_embedded_defaults_in_production_are_flagged_by_check_deploy(left_at_default, check_id):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != left_at_default}
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert check_id in result.stderr + result.stdout


def test_two_factor_off_is_flagged_by_check_deploy():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env={**PRODUCTION_ENV, "REQUIRE_2FA": "false"})
    assert result.returncode != 0
    assert "vroeg.W005" in result.stderr + result.stdout


@pytest.mark.parametrize("secret", [None, "too-short"])
def test_production_refuses_to_start_without_a_real_secret_key(secret):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    if secret is not None:
        env["SECRET_KEY"] = secret
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
