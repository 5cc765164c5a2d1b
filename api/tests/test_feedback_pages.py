"""Feedback in pages over real HTTP: `aantal` rows a page, `volgende` to the next page
(keyset on given_at and id), so no row is lost or repeated, also where many rows were
given at the same moment; a changed or another partner's `vanaf` is refused in Dutch."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api.selectors import feedback_page
from feedback.models import Feedback, FeedbackResult
from testkit.factories import SignalFactory
from vroeg.audit.models import AuditAction, AuditEntry

FEEDBACK = "/api/v1/terugkoppeling/"


def _feedback(partner, given_at, reference: str) -> Feedback:
    signal = SignalFactory(partner=partner, partner_referentie=reference)
    return Feedback.objects.create(signal=signal, partner=partner, result=FeedbackResult.REPEATED, given_at=given_at)


@pytest.fixture
def moment():
    return timezone.now().replace(microsecond=0) - timedelta(hours=2)


@pytest.fixture
def five(partner, other_partner, moment):
    """Five rows of the partner, three given at one moment and two at the next, with
    the other partner's rows at the same moments in between."""
    second = moment + timedelta(seconds=1)
    rows = []
    for n, at in enumerate([moment, moment, moment, second, second], start=1):
        rows.append(_feedback(partner, at, f"P-{n}"))
        if n in (2, 4):
            _feedback(other_partner, at, f"ANDER-{n}")
    return rows


def _path(api, url: str) -> str:
    assert url.startswith(api.base + FEEDBACK), url
    return url[len(api.base) :]


@pytest.mark.django_db(transaction=True)
def test_two_and_a_half_pages_lose_and_repeat_nothing_among_ties(api, key, partner, five, moment):
    since = (moment - timedelta(seconds=1)).isoformat()
    first = api.call("get", FEEDBACK, key=key, params={"sinds": since, "aantal": 2})
    assert first.status_code == 200
    pages = [first.json()]
    while pages[-1]["volgende"]:
        pages.append(api.call("get", _path(api, pages[-1]["volgende"]), key=key).json())
        assert len(pages) < 10
    assert [len(page["terugkoppeling"]) for page in pages] == [2, 2, 1]
    seen = [row["partner_referentie"] for page in pages for row in page["terugkoppeling"]]
    assert seen == ["P-1", "P-2", "P-3", "P-4", "P-5"]  # by moment, then in the order given
    assert {page["sinds"] for page in pages} == {first.json()["sinds"]}  # every page answers the same question
    assert pages[-1]["volgende"] is None
    downloads = AuditEntry.objects.filter(action=AuditAction.DOWNLOAD, object_type="api.feedback")
    assert [entry.detail["rows"] for entry in downloads.order_by("pk")] == [2, 2, 1]
    assert "start" in downloads.order_by("pk").last().detail


@pytest.mark.django_db(transaction=True)
def test_a_row_given_at_the_same_moment_after_a_page_is_on_a_later_page(api, key, partner, five, moment):
    first = api.call(
        "get", FEEDBACK, key=key, params={"sinds": (moment - timedelta(seconds=1)).isoformat(), "aantal": 2}
    )
    late = _feedback(partner, moment, "LAAT")  # the same moment as the first page's rows, a higher id
    rest = []
    following = first.json()["volgende"]
    while following:
        page = api.call("get", _path(api, following), key=key).json()
        rest += [row["partner_referentie"] for row in page["terugkoppeling"]]
        following = page["volgende"]
    assert rest == ["P-3", late.signal.partner_referentie, "P-4", "P-5"]


@pytest.mark.django_db(transaction=True)
def test_without_aantal_one_page_holds_up_to_a_thousand(api, key, five, moment):
    answer = api.call("get", FEEDBACK, key=key, params={"sinds": (moment - timedelta(seconds=1)).isoformat()})
    assert len(answer.json()["terugkoppeling"]) == 5
    assert answer.json()["volgende"] is None
    # Exactly a page full: the last page, not an empty one after it.
    full = api.call(
        "get", FEEDBACK, key=key, params={"sinds": (moment - timedelta(seconds=1)).isoformat(), "aantal": 5}
    )
    assert full.json()["volgende"] is None


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("aantal", ["0", "1001", "twee", "-1", "2.5", "²"])
def test_a_wrong_aantal_is_refused_in_dutch(api, key, aantal):
    answer = api.call("get", FEEDBACK, key=key, params={"sinds": "2026-01-01T00:00:00", "aantal": aantal})
    assert answer.status_code == 400
    assert "'aantal' is een geheel getal van 1 tot en met 1000" in answer.json()["detail"]


@pytest.mark.django_db(transaction=True)
def test_a_changed_or_made_up_vanaf_is_refused_in_dutch(api, key, five, moment):
    first = api.call(
        "get", FEEDBACK, key=key, params={"sinds": (moment - timedelta(seconds=1)).isoformat(), "aantal": 2}
    )
    [vanaf] = parse_qs(urlsplit(first.json()["volgende"]).query)["vanaf"]
    changed = vanaf[:5] + ("A" if vanaf[5] != "A" else "B") + vanaf[6:]
    for value in [changed, "abc", "", vanaf + "x"]:
        answer = api.call("get", FEEDBACK, key=key, params={"vanaf": value})
        assert answer.status_code == 400, value
        assert "onjuist of veranderd" in answer.json()["detail"]
    both = api.call("get", FEEDBACK, key=key, params={"vanaf": vanaf, "sinds": "2026-01-01T00:00:00"})
    assert both.status_code == 400
    assert "niet allebei" in both.json()["detail"]


@pytest.mark.django_db(transaction=True)
def test_another_partners_vanaf_gives_nothing_of_theirs(api, key, other_key, five, moment):
    theirs = api.call(
        "get", FEEDBACK, key=other_key, params={"sinds": (moment - timedelta(seconds=1)).isoformat(), "aantal": 1}
    )
    assert [row["partner_referentie"] for row in theirs.json()["terugkoppeling"]] == ["ANDER-2"]
    answer = api.call("get", _path(api, theirs.json()["volgende"]), key=key)
    assert answer.status_code == 400
    assert "andere organisatie" in answer.json()["detail"]
    assert "terugkoppeling" not in answer.json()


@pytest.mark.django_db
def test_a_page_is_one_query_that_reads_no_more_than_a_page(partner, five, moment):
    with CaptureQueriesContext(connection) as queries:
        rows, following = feedback_page(partner=partner, since=moment - timedelta(seconds=1), size=2)
    assert [row["partner_referentie"] for row in rows] == ["P-1", "P-2"]
    assert following is not None and following.given_at == moment
    [query] = queries.captured_queries
    assert "LIMIT 3" in query["sql"]
    rows, following = feedback_page(partner=partner, since=moment - timedelta(seconds=1), after=following, size=2)
    assert [row["partner_referentie"] for row in rows] == ["P-3", "P-4"]


@pytest.mark.django_db(transaction=True)
def test_the_document_describes_the_pages(api):
    operation = api.contract.document["paths"][FEEDBACK]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"sinds", "vanaf", "aantal"}
    schema = api.contract.document["components"]["schemas"]["FeedbackList"]
    assert "volgende" in schema["required"]


@pytest.mark.django_db(transaction=True)
def test_feedback_is_served_once_it_has_settled(api, key, partner, moment, settings):
    """A row is stamped inside its writer's transaction: one committed a moment late
    carries an earlier time than rows served already. Serving only rows older than the
    settle time means a poll never moves past a row still to be committed."""
    settings.VROEG_API_FEEDBACK_SETTLE_SECONDS = 120
    now = timezone.now()
    _feedback(partner, now - timedelta(seconds=300), "OUD")
    _feedback(partner, now - timedelta(seconds=30), "VERS")
    since = (now - timedelta(hours=1)).isoformat()
    shown = api.call("get", FEEDBACK, key=key, params={"sinds": since}).json()["terugkoppeling"]
    assert [row["partner_referentie"] for row in shown] == ["OUD"]
    settings.VROEG_API_FEEDBACK_SETTLE_SECONDS = 20
    shown = api.call("get", FEEDBACK, key=key, params={"sinds": since}).json()["terugkoppeling"]
    assert [row["partner_referentie"] for row in shown] == ["OUD", "VERS"]
