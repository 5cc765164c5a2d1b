import pytest

from testkit.report_world import report_world


@pytest.fixture
def world(municipality, partner, caseworker):
    """Addresses 1, 2, 3 (see testkit/report_world.py and each test's counts)."""
    return report_world(municipality, partner, caseworker)
