"""Every environment variable the settings read is documented for operators."""

import re
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]


def test_every_setting_variable_is_in_the_configuration_table():
    settings_source = (BASE_DIR / "vroeg" / "settings.py").read_text()
    variables = set(re.findall(r'env\.\w+\(\s*"([A-Z_]+)"', settings_source))
    assert {"DATABASE_URL", "SECRET_KEY", "CELERY_BROKER_URL"} <= variables
    table = (BASE_DIR / "docs" / "operators" / "configuration.md").read_text()
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", table, re.M))
    assert variables - documented == set()


def test_env_file_example_only_sets_known_variables():
    settings_source = (BASE_DIR / "vroeg" / "settings.py").read_text()
    variables = set(re.findall(r'env\.\w+\(\s*"([A-Z_]+)"', settings_source))
    example = (BASE_DIR / "deploy" / "vroeg.env.example").read_text()
    used = set(re.findall(r"^([A-Z_]+)=", example, re.M))
    assert used and used <= variables
