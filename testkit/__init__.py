"""Helpers for every app's tests, in one place: factories (a Trait per case state),
Signaal-CSV files and the real intake, Celery worker processes, the browser, and a
stand-in BRP. Test modules import from here, never from each other; production code
never imports it (both kept by import-linter, pyproject.toml)."""
