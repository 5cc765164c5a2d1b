"""The CAK list: signals of type cak_zorgverzekering get no 4-week legal term but the
municipality's own term, are shown and reported apart, and are never fed back."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from cases.models import Case, CaseState, Outcome
from cases.services import case_close
from feedback.models import CollectionPause, Feedback
from reports import periods
from reports.figures import report
from signals.models import PartnerType
from testkit.case_steps import case_walk_to
from testkit.factories import PartnerFactory
from testkit.signal_files import csv_bytes, deliver, row

pytestmark = pytest.mark.django_db
RECEIVED = date(2026, 11, 2)


@pytest.fixture
def cak(municipality):
    p = PartnerFactory(
        code="cak", name="CAK", partner_type=PartnerType.CAK_ZORGVERZEKERINGEN, signal_types=["cak_zorgverzekering"]
    )
    p.municipalities.add(municipality)
    return p


def _cak_list(cak, **changes):
    return deliver(
        cak,
        csv_bytes([row(partner_referentie="CAK-1", signaal_type="cak_zorgverzekering", **changes)]),
        received_on=RECEIVED,
    )


def test_cak_entries_never_get_the_four_week_term(cak, settings):
    _cak_list(cak)
    case = Case.objects.get()
    assert case.contact_due is None and case.lcv_target is None
    assert case.effort_due == RECEIVED + timedelta(days=settings.CAK_TERM_DAYS)
    assert case.next_due == case.effort_due


def test_a_wgs_signal_in_the_same_household_brings_the_legal_term(cak, partner):
    _cak_list(cak)
    deliver(
        partner, csv_bytes([row(partner_referentie="H-1", signaaldatum="2026-11-01")]), received_on=date(2026, 11, 3)
    )
    case = Case.objects.get()
    assert case.contact_due == date(2026, 12, 1) and case.next_due == case.contact_due
    assert case.effort_due is not None  # kept: reported apart


def test_cak_entries_are_never_fed_back(cak, caseworker):
    _cak_list(cak)
    case = Case.objects.get()
    case_walk_to(CaseState.HELP_ACCEPTED, case, caseworker, on=date(2026, 11, 20))
    assert not Feedback.objects.exists() and not CollectionPause.objects.exists()
    _cak_list(cak, bedrag_achterstand="100,00")  # a repeat of the same reference
    assert not Feedback.objects.exists()


def test_closing_a_cak_case_tells_no_one(cak, caseworker):
    _cak_list(cak)
    case_close(case_id=Case.objects.get().pk, user=caseworker, outcome=Outcome.DECEASED)
    assert not Feedback.objects.exists()


def test_shown_and_reported_apart(client, cak, caseworker, municipality):
    _cak_list(cak)
    case = Case.objects.get()
    client.force_login(caseworker)
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert "Eigen termijn (CAK-lijst, inspanningsverplichting)" in page
    tables = {t.key: t for t in report(municipality, periods.year(2026), today=date(2026, 12, 31))}
    assert "CAK Zorgverzekeringen" in [str(c) for c in tables["signalen-per-maand"].columns]
    rows = {str(r[0]): r[1:] for r in tables["termijnen"].rows}
    assert (
        rows["Binnen 4 weken benaderd en, bij hulpacceptatie, een eerste gesprek gevoerd (wettelijke termijn)"][1] == 0
    )  # not a Wgs term
    assert "CAK-lijst: benaderd binnen de eigen termijn van de gemeente" in rows
