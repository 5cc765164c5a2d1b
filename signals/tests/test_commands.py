"""python manage.py import_signals: same engine, report, exit status, last line."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from signals.models import Delivery, DeliveryStatus, Signal
from testkit.signal_files import csv_bytes, row
from testkit.workers import database_url_of_test_db

BASE_DIR = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


def run(*args):
    """The command in its own process, against the test database."""
    env = {**os.environ, "DATABASE_URL": database_url_of_test_db()}
    return subprocess.run(
        [sys.executable, "manage.py", "import_signals", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_imports_reports_and_ends_with_the_counts(partner, tmp_path):
    path = tmp_path / "batch.csv"
    path.write_bytes(csv_bytes([row(), row(partner_referentie="B", bsn="123456789"), row(partner_referentie="C")]))
    result = run(str(path), "--partner", partner.code, "--received-on", "2026-11-28")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[-1] == "accepted=2 repeated=0 rejected=1"
    assert any(line.startswith("regel 3 (B): bsn is geen geldig") for line in lines)
    delivery = Delivery.objects.get()
    assert delivery.via_command and delivery.uploaded_by is None
    assert str(delivery.received_on) == "2026-11-28"  # e.g. a file that arrived on a Saturday
    assert Signal.objects.count() == 2


def test_refused_file_exits_2_with_the_reason_on_stderr(partner, tmp_path):
    path = tmp_path / "wrong.csv"
    path.write_bytes(b"naam;inkomen\nPiet;2000\n")
    result = run(str(path), "--partner", partner.code)
    assert result.returncode == 2
    assert "Onbekende kolom" in result.stderr
    assert not Signal.objects.exists()


def test_same_file_again_exits_2_and_points_to_the_first(partner, tmp_path):
    path = tmp_path / "batch.csv"
    path.write_bytes(csv_bytes([row()]))
    assert run(str(path), "--partner", partner.code).returncode == 0
    again = run(str(path), "--partner", partner.code)
    assert again.returncode == 2
    assert "al ontvangen op" in again.stderr and "batch.csv" in again.stderr
    assert Signal.objects.count() == 1
    assert Delivery.objects.filter(status=DeliveryStatus.REFUSED).count() == 1


@pytest.mark.parametrize(
    "args, message",
    [
        (["--partner", "bestaat-niet"], "Onbekende partner"),
        (["--partner", "test-huur", "--received-on", "morgen"], "received-on"),
    ],
)
def test_other_errors_exit_1(partner, tmp_path, args, message):
    path = tmp_path / "batch.csv"
    path.write_bytes(csv_bytes([row()]))
    result = run(str(path), *args)
    assert result.returncode == 1
    assert message in result.stderr


def test_missing_file_exits_1(partner):
    result = run("/geen/bestand.csv", "--partner", partner.code)
    assert result.returncode == 1
    assert "Kan /geen/bestand.csv niet openen" in result.stderr


def test_a_date_of_receipt_in_the_future_is_refused(partner, tmp_path):
    # The date of receipt starts the 4-week term (Wgs): tomorrow cannot be it.
    from datetime import timedelta

    from django.utils import timezone

    tomorrow = timezone.localdate() + timedelta(days=1)
    path = tmp_path / "batch.csv"
    path.write_bytes(csv_bytes([row()]))
    result = run(str(path), "--partner", partner.code, "--received-on", tomorrow.isoformat())
    assert result.returncode == 2
    assert f"De datum van ontvangst ({tomorrow:%d-%m-%Y}) ligt in de toekomst" in result.stderr
    assert not Signal.objects.exists()
    # Today is fine.
    assert run(str(path), "--partner", partner.code, "--received-on", timezone.localdate().isoformat()).returncode == 0
