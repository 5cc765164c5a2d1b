"""The words of the audit trail, for every code the application writes into an entry:
actions, state transitions, object types that are no model, and detail keys.

English msgids, Dutch in locale/nl like every other text. `wording.py` puts them
together into an entry's columns and sentence. A test fails when code writes a code
that has no words here (vroeg/audit/tests/test_words_cover_the_code.py); an unknown
code in an old entry still reads as words (`wording.py`'s fallbacks).

The "what" of a phrase is a past participle phrase ("bekeken", "toegewezen aan …"):
the Dutch sentence puts it last ("cw heeft zaak 3 bekeken.").
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import AuditAction

# The sentence of an entry with an object, and of one without.
WITH_OBJECT = _("%(who)s %(what)s %(object)s.")
WITHOUT_OBJECT = _("%(who)s %(what)s.")


@dataclass(frozen=True)
class Phrase:
    what: Promise
    sentence: Promise = WITH_OBJECT
    alone: Promise = WITHOUT_OBJECT  # the sentence when the entry has no object


# Who, when the entry has no account: a failed login (nobody logged in), or the
# application itself (the nightly purge, a data migration, an automatic step).
SOMEONE = _("someone")
THE_SYSTEM = _("the system")

ACTIONS: dict[str, Phrase] = {
    AuditAction.VIEW: Phrase(AuditAction.VIEW.label),
    AuditAction.SEARCH: Phrase(
        AuditAction.SEARCH.label, sentence=_("%(who)s searched %(object)s."), alone=_("%(who)s searched.")
    ),
    AuditAction.EXPORT: Phrase(AuditAction.EXPORT.label),
    AuditAction.DOWNLOAD: Phrase(AuditAction.DOWNLOAD.label),
    AuditAction.CREATE: Phrase(AuditAction.CREATE.label),
    AuditAction.CHANGE: Phrase(AuditAction.CHANGE.label),
    AuditAction.TRANSITION: Phrase(
        AuditAction.TRANSITION.label,
        sentence=_("%(who)s changed the state of %(object)s."),
        alone=_("%(who)s changed a state."),
    ),
    AuditAction.LOGIN: Phrase(AuditAction.LOGIN.label, sentence=_("%(who)s logged in."), alone=_("%(who)s logged in.")),
    AuditAction.LOGIN_FAILED: Phrase(
        AuditAction.LOGIN_FAILED.label,
        sentence=_("%(who)s failed to log in with %(object)s."),
        alone=_("%(who)s failed to log in."),
    ),
    AuditAction.LOGOUT: Phrase(
        AuditAction.LOGOUT.label, sentence=_("%(who)s logged out."), alone=_("%(who)s logged out.")
    ),
    AuditAction.PURGE: Phrase(
        AuditAction.PURGE.label,
        sentence=_("%(who)s removed personal data past its retention period."),
        alone=_("%(who)s removed personal data past its retention period."),
    ),
    AuditAction.MERGE: Phrase(
        AuditAction.MERGE.label,
        sentence=_("%(who)s merged two records of one person into %(object)s."),
        alone=_("%(who)s merged two records of one person."),
    ),
}
# An action code without words (an entry older than its words): still a sentence.
UNKNOWN_ACTION = Phrase(
    _("action ‘%(action)s’"),
    sentence=_("%(who)s performed action ‘%(action)s’ on %(object)s."),
    alone=_("%(who)s performed action ‘%(action)s’."),
)

# The state it went to, in the words of the model's own state choices.
TO_STATE = _("set to ‘%(state)s’")
# django-fsm transitions (detail["transition"] of a `transition` entry), by name.
TRANSITIONS: dict[str, Promise] = {
    "pick_up": _("picked up"),
    "make_contact": TO_STATE,
    "accept_help": TO_STATE,
    "close": _("closed"),
    "reopen": _("reopened"),
}

# A `change` says what changed by one key of its detail.
ASSIGNED = Phrase(_("assigned to %(assignee)s"), sentence=_("%(who)s assigned %(object)s to %(assignee)s."))
UNASSIGNED = Phrase(_("assignment removed"), sentence=_("%(who)s removed the assignment of %(object)s."))
CHANGES: dict[str, Phrase] = {
    "assigned_to": ASSIGNED,  # UNASSIGNED when it is empty
    "deleted": Phrase(_("deleted")),
    "withdrawn": Phrase(_("withdrawn")),
    "retried": Phrase(_("had processed again")),
    "revoked": Phrase(_("revoked")),
    "plan_step_skipped": Phrase(
        _("contact plan step skipped"),
        sentence=_("%(who)s skipped a step of the contact plan of %(object)s."),
    ),
    "plan_step_moved": Phrase(
        _("contact plan step moved forward"),
        sentence=_("%(who)s moved a step of the contact plan of %(object)s forward."),
    ),
    "round_recorded": Phrase(_("home visits recorded"), sentence=_("%(who)s recorded the home visits of %(object)s.")),
}

# Object types that are no model: what was searched, exported or downloaded. `%(id)s`
# is the entry's object id; None: the action says it all (the purge).
OBJECT_TYPES: dict[str, Promise | None] = {
    "audit.search": _("the audit trail"),
    "audit.csv": _("the audit trail as a CSV file"),
    "cases.queue": _("the case queue"),
    "cases.laa_import": _("the LAA list of municipality %(id)s"),
    "feedback.csv": _("the feedback of signal partner %(id)s as a CSV file"),
    "feedback.platform_csv": _("the feedback file of import profile %(id)s for its platform"),
    "reports.report": _("the report of municipality %(id)s"),
    "reports.table": _("report table %(id)s"),
    "reports.workbook": _("the report of municipality %(id)s as an Excel workbook"),
    "reports.reach": _("the reach report of municipality %(id)s"),
    "reports.reach_workbook": _("the reach report of municipality %(id)s as an Excel workbook"),
    "ddas.levering": _("the DDAS delivery of municipality %(id)s"),
    "ddas.api": _("the DDAS data of municipality %(id)s through the DDAS pull API"),
    "retention.purge": None,
    # the partner API (api/)
    "api.feedback": _("the feedback of signal partner %(id)s through the API"),
    "api.schema": _("the description of the partner API"),
    "api.key": _("API key %(id)s"),
    "api.oauth": _("OAuth2 client %(id)s"),
    # home-visit rounds (visits/): the proposal a planner looked at, by its day
    "visits.proposal": _("the proposed home visits for %(id)s"),
}
# An object type that is neither a model nor listed above.
UNKNOWN_OBJECT = _("object ‘%(type)s’")
# A part of a case (a note, a contact attempt, …) names its case: detail["case"].
PART_OF_CASE = _("%(object)s (case %(case)s)")
# A failed login names the username that was tried: detail["username"].
USERNAME = _("username ‘%(username)s’")

# Detail keys, as the Details column names them. Keys written from a dict or a form
# (a queue or audit search, the purge's counts) are listed too.
DETAIL_LABELS: dict[str, Promise] = {
    # transitions and changes
    "from": _("previous state"),
    "to": _("new state"),
    "transition": _("step"),
    "state": _("state"),
    "assigned_to": _("assigned to"),
    "deleted": _("deleted"),
    "withdrawn": _("withdrawn"),
    "retried": _("processed again"),
    "case": _("case"),
    "was_current": _("was the current term"),
    # crisis terms
    "crisis_proposal_dismissed": _("crisis proposal dismissed, proposed on"),
    "judged_on": _("judged on"),
    "due": _("due on"),
    "proposed_on": _("proposed on"),
    "automatic": _("automatic"),
    # persons, objections, consent, pauses
    "samengevoegd": _("merged record"),
    "in": _("merged into"),
    "sleutels": _("person keys"),
    "partner_types": _("partner types"),
    "no_contact": _("does not want to be approached"),
    "feedback_consent": _("consent to feedback given on"),
    "how": _("how"),
    "feedback_consent_resident_told_on": _("resident told about the feedback on"),
    "follow_up": _("follow-up"),
    # outreach
    "action_plan": _("action plan version"),
    "version": _("version"),
    "copy_given_on": _("copy given on"),
    "copy_how": _("copy given how"),
    "message": _("message"),
    "resident": _("resident"),
    "contact_plan": _("contact plan"),
    "plan_step": _("step of the contact plan"),
    "plan_step_skipped": _("step skipped"),
    "plan_step_moved": _("step moved forward"),
    "steps": _("steps"),
    "trays": _("work trays"),
    # home-visit rounds (visits/)
    "round_recorded": _("home visits recorded"),
    "part_of_day": _("part of day"),
    "caseworker": _("caseworker"),
    "area": _("area"),
    "reached": _("reached"),
    "not_reached": _("not reached"),
    "not_visited": _("not visited"),
    # intake, referrals, LAA
    "kind": _("kind"),
    "queued": _("queued"),
    "accepted": _("accepted"),
    "known": _("already known"),
    "rejected": _("rejected"),
    "what": _("what"),
    "rows": _("rows"),
    # the partner API: the key a call came with, its feedback period, key changes
    "api_key": _("API key"),
    "since": _("since"),
    "revoked": _("revoked"),
    "replaces": _("replaces key"),
    "oauth_client": _("OAuth2 client"),
    "secret_replaced": _("secret replaced"),
    # logins
    "username": _("username"),
    "sso": _("single sign-on"),
    "second_factor": _("second factor"),
    # the calendar
    "date": _("date"),
    "previous_date": _("previous date"),
    "reason": _("reason"),
    "records_moved": _("records moved"),
    # reports and the DDAS export
    "period": _("period"),
    "municipality": _("municipality"),
    "start": _("start"),
    "end": _("end"),
    "signals": _("signals"),
    "cases": _("cases"),
    # the DDAS pull API (reports/ddas/api.py)
    "outcome": _("outcome"),
    "status": _("HTTP status"),
    "client_id": _("client"),
    "signer": _("signed by"),
    "page_size": _("page size"),
    "total_pages": _("pages in total"),
    "total_records": _("records in total"),
    "records": _("records"),
    # searches: the queue's filters (cases.forms.QueueFilterForm)
    "q": _("search term"),
    "partner_type": _("partner type"),
    "deadline": _("deadline"),
    "source": _("source"),
    "crisis": _("crisis only"),
    "postcode_from": _("postcode from"),
    "postcode_to": _("postcode up to"),
    "unassigned": _("not assigned only"),
    "today": _("to do today"),
    "sort": _("sorted by"),
    # searches: the audit trail's (privacy.forms.AuditSearchForm) and the partner's feedback
    "user": _("user"),
    "bsn": _("BSN"),
    "postcode": _("postcode"),
    "house_number": _("house number"),
    "action": _("action"),
    "date_from": _("from"),
    "date_to": _("up to and including"),
    "page": _("page"),
    # the retention purge's counts (privacy/retention.py)
    "not_picked_up": _("cases not picked up"),
    "closed_without_help": _("cases closed without help"),
    "closed_after_help": _("cases closed after help"),
    "signals_without_case": _("signals without a case"),
    "delivery_reports": _("delivery reports"),
    "failed_delivery_files": _("files of failed deliveries"),
    "notifications": _("notifications"),
    "audit": _("audit entries"),
}

# Detail values written as English text.
VALUES: dict[str, Promise] = {
    "rejected lines": _("rejected lines"),
    "set up": _("set up"),
    "verified": _("verified"),
}
