"""Audit entries belong to a municipality (or to none, for what is installation-wide),
and a privacy officer sees only the entries of their municipalities (issue 15: the
privacy officer of 9999 saw the search terms of a caseworker of 0001)."""

import pytest
from django.urls import reverse

from cases.models import Case
from testkit.action_plans import plan_with_copy
from testkit.case_steps import case_walk_to
from testkit.factories import PartnerFactory
from testkit.signal_files import csv_bytes, deliver, row
from vroeg.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def elsewhere(make_user, other_municipality):
    """A caseworker of Amsterdam who works a case there and searches the queue."""
    partner = PartnerFactory(code="huur-ams")
    partner.municipalities.add(other_municipality)
    deliver(partner, csv_bytes([row(bsn="111222333", achternaam="Zzqelders", postcode="1011AB", gemeentecode="0363")]))
    worker = make_user("caseworker", username="cw-ams", municipalities=[other_municipality])
    return worker, Case.objects.get(municipality=other_municipality)


def _work_and_search(client, worker, case):
    client.force_login(worker)
    client.get(reverse("case-detail", args=[case.pk]))
    case_walk_to("help_accepted", case, worker, on=case.first_received_on)
    plan_with_copy(case, worker)
    client.post(reverse("caseworker-dashboard"), {"q": "Zzqelders"}, follow=True)
    client.post(reverse("caseworker-dashboard"), {"q": "111222333"}, follow=True)


def test_the_entries_about_a_case_carry_its_municipality(client, elsewhere, other_municipality):
    worker, case = elsewhere
    _work_and_search(client, worker, case)
    about_case = AuditEntry.objects.exclude(object_type__in=["cases.queue", ""]).exclude(action="login")
    assert about_case.exists()
    assert set(about_case.values_list("municipality_id", flat=True)) == {other_municipality.pk}
    searches = AuditEntry.objects.filter(object_type="cases.queue")
    assert searches.count() == 2 and set(searches.values_list("municipality_id", flat=True)) == {None}


def test_another_municipality_s_privacy_officer_sees_none_of_it(client, elsewhere, privacy_officer, make_user):
    worker, case = elsewhere
    _work_and_search(client, worker, case)
    client.force_login(privacy_officer)  # of Voorbeeldstad (9999)
    page = client.post(reverse("audit-search"), {"user": "cw-ams"}, follow=True).content.decode()
    assert "Zzqelders" not in page and "111222333" not in page
    export = client.get(reverse("audit-export"), {"user": "cw-ams"})
    text = b"".join(export.streaming_content).decode()
    assert "Zzqelders" not in text and "cw-ams" not in text and text.count("\n") == 1  # the header only


def test_their_own_privacy_officer_sees_the_searches_and_the_case(client, elsewhere, make_user, other_municipality):
    worker, case = elsewhere
    _work_and_search(client, worker, case)
    officer = make_user("privacy_officer", username="fg-ams", municipalities=[other_municipality])
    client.force_login(officer)
    page = client.post(reverse("audit-search"), {"user": "cw-ams"}, follow=True).content.decode()
    assert "Zzqelders" in page and "111222333" in page
    assert f'href="{reverse("case-detail", args=[case.pk])}"' not in page  # not a caseworker: no link
