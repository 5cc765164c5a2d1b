"""The privacy officer's audit trail: search by user, resident, action and period,
export it, and nothing else (no changes, nobody else)."""

import csv
import io
import re
from datetime import datetime, time, timedelta
from unittest import mock
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseState, Outcome
from privacy.views import PAGE_SIZE
from testkit.factories import CaseFactory, DeliveryFactory, SignalFactory
from vroeg.accounts import roles
from vroeg.audit.models import AuditAction, AuditEntry
from vroeg.audit.services import audit_log

pytestmark = pytest.mark.django_db

BSN = "999999990"  # the resident of testkit.factories.ResidentFactory, at 1234 AB 12
NEIGHBOUR_BSN = "999999011"


def _(text: str) -> str:
    """The page's language for an existing message (the page renders in Dutch)."""
    from django.utils import translation

    with translation.override("nl"):
        return translation.gettext(text)


@pytest.fixture
def cases(partner, municipality):
    """Two households, each with a case: the resident's and a neighbour's."""
    delivery = DeliveryFactory(partner=partner)
    resident = CaseFactory(
        household__municipality=municipality, household__postcode="1234AB", household__house_number=12
    )
    SignalFactory(case=resident, partner=partner, delivery=delivery)
    neighbour = CaseFactory(
        household__municipality=municipality, household__postcode="1234CD", household__house_number=5
    )
    SignalFactory(
        case=neighbour,
        partner=partner,
        delivery=delivery,
        partner_referentie="REF-NEIGHBOUR",  # not one of the factory's REF-<n>
        resident__bsn=NEIGHBOUR_BSN,
        resident__surname="Jansen",
    )
    return resident, neighbour


def _view(client, user, case):
    client.force_login(user)
    assert client.get(reverse("case-detail", args=[case.pk])).status_code == 200


def _search(client, viewer, /, **criteria):
    """Search as the page's form does: posted, then shown at ?zoek=<id>."""
    client.force_login(viewer)
    response = client.post(reverse("audit-search"), criteria)
    assert response.status_code == 302 and response.url.startswith(f"{reverse('audit-search')}?zoek=")
    response = client.get(response.url)
    assert response.status_code == 200
    return response


def _entries(response) -> list[AuditEntry]:
    return [r["entry"] for r in response.context["rows"]]


def _case_ids_viewed(response) -> set[str]:
    return {e.object_id for e in _entries(response) if e.action == AuditAction.VIEW and e.object_type == "cases.case"}


def test_search_by_user_exact_or_partial(client, privacy_officer, caseworker, teamlead, cases):
    resident, neighbour = cases
    _view(client, caseworker, resident)
    _view(client, teamlead, neighbour)
    for term in ("cw", "C"):
        response = _search(client, privacy_officer, user=term)
        entries = _entries(response)
        assert entries and {e.actor_username for e in entries} == {"cw"}
        assert _case_ids_viewed(response) == {str(resident.pk)}
    page = response.content.decode()
    assert f"<td>{_('case')} {resident.pk}</td>" in page and f"<td>{_('case')} {neighbour.pk}</td>" not in page


def test_search_by_user_finds_failed_logins_with_that_name(client, privacy_officer, caseworker):
    client.post(reverse("login"), {"username": "cw", "password": "wrong"})
    response = _search(client, privacy_officer, user="cw", action=AuditAction.LOGIN_FAILED)
    [entry] = _entries(response)
    assert entry.detail == {"username": "cw"} and entry.actor_username == ""


def test_search_by_resident_bsn_or_address(client, privacy_officer, caseworker, cases):
    resident, neighbour = cases
    _view(client, caseworker, resident)
    _view(client, caseworker, neighbour)
    client.post(reverse("note-create", args=[resident.pk]), {"text": "Gebeld, geen gehoor."})
    client.get(reverse("caseworker-dashboard"), {"q": BSN})
    client.get(reverse("caseworker-dashboard"), {"q": "1234ab  12"})
    client.get(reverse("caseworker-dashboard"), {"q": NEIGHBOUR_BSN})

    for criteria, searched_for in (
        ({"bsn": BSN}, BSN),
        ({"bsn": "9999 99990"}, BSN),
        ({"postcode": "1234 ab", "house_number": "12"}, "1234ab  12"),
    ):
        response = _search(client, privacy_officer, **criteria)
        entries = _entries(response)
        assert _case_ids_viewed(response) == {str(resident.pk)}, criteria
        assert response.context["case_ids"] == [resident.pk]
        # The note on the case, and the caseworker's searches for this resident.
        assert any(e.object_type == "outreach.note" and e.detail["case"] == resident.pk for e in entries)
        searches = {e.detail["q"] for e in entries if e.object_type == "cases.queue"}
        assert searches == {searched_for}
        assert all(e.object_id != str(neighbour.pk) for e in entries)


def test_an_unknown_resident_finds_no_entries(client, privacy_officer, caseworker, cases):
    _view(client, caseworker, cases[0])
    response = _search(client, privacy_officer, postcode="9999 ZZ", house_number="1")
    assert _entries(response) == [] and response.context["case_ids"] == []
    assert 'data-testid="audit-table"' not in response.content.decode()


def test_search_by_action(client, privacy_officer, caseworker, cases):
    _view(client, caseworker, cases[0])
    client.get(reverse("caseworker-dashboard"), {"q": BSN})
    for action in (AuditAction.VIEW, AuditAction.SEARCH):
        entries = _entries(_search(client, privacy_officer, action=action))
        assert entries and {e.action for e in entries} == {action}
    page = _search(client, privacy_officer, action=AuditAction.VIEW).content.decode()
    with_label = _("viewed")
    assert f"<td>{with_label}</td>" in page


def test_search_by_period_uses_local_days(client, privacy_officer, caseworker, cases):
    resident, neighbour = cases
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    # Half an hour before and after local midnight: both on `yesterday` in UTC.
    for case, moment in ((resident, (yesterday, time(23, 30))), (neighbour, (today, time(0, 30)))):
        with mock.patch("django.utils.timezone.now", return_value=timezone.make_aware(datetime.combine(*moment))):
            _view(client, caseworker, case)

    response = _search(client, privacy_officer, date_from=today.isoformat(), date_to=today.isoformat())
    assert _case_ids_viewed(response) == {str(neighbour.pk)}
    assert f"{today:%d-%m-%Y} 00:30" in response.content.decode()
    response = _search(client, privacy_officer, date_to=yesterday.isoformat())
    assert _case_ids_viewed(response) == {str(resident.pk)}
    response = _search(client, privacy_officer, date_from=yesterday.isoformat(), action=AuditAction.VIEW)
    assert [e.object_id for e in _entries(response)] == [str(neighbour.pk), str(resident.pk)]  # newest first


def test_an_impossible_period_is_explained_next_to_its_field(client, privacy_officer, caseworker, cases):
    _view(client, caseworker, cases[0])
    before = AuditEntry.objects.count()
    response = _search(client, privacy_officer, date_from="2026-11-27", date_to="2026-11-01", bsn="123")
    page = response.content.decode()
    assert f'<p class="field-error" id="id_date_to_error">{_("This date is before the start date.")}</p>' in page
    assert 'aria-describedby="id_date_to_error"' in page and 'aria-invalid="true"' in page
    assert 'id="id_bsn_error"' in page  # not a BSN: explained at the BSN field
    assert "rows" not in response.context and 'data-testid="audit-table"' not in page
    assert AuditEntry.objects.count() == before  # nothing was shown, nothing logged
    export = client.get(f"{reverse('audit-export')}?date_from=2026-11-27&date_to=2026-11-01")
    assert export.status_code == 302 and export.url.startswith(reverse("audit-search") + "?")
    assert AuditEntry.objects.count() == before


def test_searching_the_audit_trail_is_itself_logged(client, privacy_officer, caseworker, cases):
    _view(client, caseworker, cases[0])
    _search(client, privacy_officer, bsn=BSN, action=AuditAction.VIEW)
    entry = AuditEntry.objects.filter(object_type="audit.search").get()
    assert (entry.action, entry.actor, entry.ip_address) == (AuditAction.SEARCH, privacy_officer, "127.0.0.1")
    assert entry.detail == {"bsn": BSN, "action": "view", "page": 1}
    # …and shows up in the trail, for the next privacy officer to see.
    entries = _entries(_search(client, privacy_officer, user="fg"))
    assert entry in entries


def test_export_streams_the_search_as_csv(client, privacy_officer, caseworker, cases):
    resident, neighbour = cases
    _view(client, caseworker, resident)
    formula = '=HYPERLINK("http://example.com/?leak","klik")'
    close_form = {"outcome": Outcome.NOT_PICKED_UP_OTHER, "expected_state": CaseState.NEW, "reason": formula}
    client.post(reverse("case-close", args=[resident.pk]), close_form)
    _view(client, caseworker, neighbour)
    client.force_login(privacy_officer)

    page = _search(client, privacy_officer, bsn=BSN).content.decode()
    export_url = re.search(r'href="([^"]+)" data-testid="audit-export"', page).group(1).replace("&amp;", "&")
    assert BSN not in export_url and "zoek=" in export_url  # the BSN stays out of URLs and logs
    response = client.get(export_url)
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="audittrail-')
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    header, *rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert header == ["Wanneer", "Wie", "Wat", "Welk object", "IP-adres", "Reden", "Details", "Omschrijving"]
    about_resident = AuditEntry.objects.filter(object_type="cases.case", object_id=str(resident.pk))
    assert len(rows) == about_resident.count()
    columns = {name: i for i, name in enumerate(header)}
    assert {r[columns[_("What")]] for r in rows} == {_("viewed"), _("closed")}
    assert {r[columns[_("Which object")]] for r in rows} == {f"{_('case')} {resident.pk}"}
    assert {r[columns[_("Who")]] for r in rows} == {"cw"}
    closing = next(r for r in rows if r[columns[_("What")]] == _("closed"))
    assert closing[columns[_("Reason")]] == "'" + formula  # a spreadsheet shows it as text
    assert not any(cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r)
    export = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert (export.actor, export.object_type, export.detail) == (privacy_officer, "audit.csv", {"bsn": BSN})


def test_other_roles_cannot_search_or_export(client, caseworker, teamlead, functional_admin, partner_user):
    for user in (caseworker, teamlead, functional_admin, partner_user):
        client.force_login(user)
        assert client.get(reverse("audit-search")).status_code == 403
        assert client.get(reverse("audit-export")).status_code == 403
    assert not AuditEntry.objects.filter(object_type__startswith="audit.").exists()


def test_entries_cannot_be_changed_or_deleted_through_the_pages(client, privacy_officer, caseworker, cases):
    _view(client, caseworker, cases[0])
    entry = AuditEntry.objects.get()
    client.force_login(privacy_officer)
    for url in (reverse("audit-search"), reverse("audit-export")):
        for method in ("put", "patch", "delete"):
            response = getattr(client, method)(url, {"id": entry.pk, "action": "login"})
            assert response.status_code == 405, (method, url)
    assert client.post(reverse("audit-export"), {"id": entry.pk}).status_code == 405
    # A POST to the search page only searches (its terms stay out of the URL).
    response = client.post(reverse("audit-search"), {"id": entry.pk, "action": "login"})
    assert response.status_code == 302 and response.url.startswith(f"{reverse('audit-search')}?zoek=")
    page = client.get(reverse("audit-search")).content.decode()
    # The forms that post are the search and the log-out button: nothing on the page writes.
    assert page.count('method="post"') == 2 and f'action="{reverse("logout")}"' in page
    entry.refresh_from_db()
    assert (entry.action, entry.object_id) == (AuditAction.VIEW, str(cases[0].pk))
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_cases_are_linked_only_for_who_may_open_them(client, privacy_officer, make_user, caseworker, cases):
    resident, _neighbour = cases
    _view(client, caseworker, resident)
    case_url = reverse("case-detail", args=[resident.pk])
    assert f'href="{case_url}"' not in _search(client, privacy_officer, bsn=BSN).content.decode()
    both = make_user("privacy_officer", username="fg-cw")
    both.groups.add(Group.objects.get(name=roles.CASEWORKER))
    assert f'href="{case_url}"' in _search(client, both, bsn=BSN).content.decode()


def test_menu_link_only_for_the_privacy_officer(client, privacy_officer, caseworker):
    link = f'href="{reverse("audit-search")}"'
    page = _search(client, privacy_officer).content.decode()
    assert f'{link} aria-current="page"' in page
    client.force_login(caseworker)
    assert link not in client.get(reverse("caseworker-dashboard")).content.decode()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx), response


@pytest.mark.parametrize("criteria", [{}, {"bsn": BSN}, {"user": "cw", "action": "view", "date_from": "2026-01-01"}])
def test_query_count_does_not_grow_with_entries(client, privacy_officer, caseworker, cases, criteria):
    resident, _neighbour = cases
    _view(client, caseworker, resident)
    client.force_login(privacy_officer)
    url = f"{reverse('audit-search')}?{urlencode(criteria)}"
    few, response = _queries(client, url)
    assert 1 <= len(response.context["rows"]) < PAGE_SIZE
    for _i in range(PAGE_SIZE + 10):
        audit_log(action=AuditAction.VIEW, actor=caseworker, obj=resident)
    many, response = _queries(client, url)
    assert len(response.context["rows"]) == PAGE_SIZE and 'rel="next"' in response.content.decode()
    assert many == few
    second, response = _queries(client, f"{url}&pagina=2")
    assert 'rel="prev"' in response.content.decode() and second == few
