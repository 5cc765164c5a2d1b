"""Every code the application can write into an audit entry has Dutch words
(vroeg/audit/words.py): a new action, transition, object type or detail key without
them fails here, before the privacy officer reads it as a code."""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django_fsm import FSMFieldMixin

from cases.forms import QueueFilterForm
from feedback.forms import FeedbackFilterForm
from privacy.forms import AuditSearchForm
from privacy.retention import retention_plan
from vroeg.audit import words
from vroeg.audit.models import AuditAction

ROOT = Path(__file__).resolve().parents[3]
APPS = ["vroeg", "signals", "cases", "outreach", "feedback", "reports", "privacy", "demo", "api", "visits"]


def _name(node: ast.expr) -> str:
    return node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")


def _actions(node: ast.expr) -> list[str | None]:
    """The action codes an `action=` argument can be; None where the code cannot tell."""
    if isinstance(node, ast.IfExp):
        return _actions(node.body) + _actions(node.orelse)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Attribute) and _name(node.value) == "AuditAction":
        return [AuditAction[node.attr].value]
    return [None]


def _writes() -> list[tuple[str, dict[str, ast.expr]]]:
    """Every call that writes an audit entry: `audit_log(...)`, and the data
    migrations' `Entry.objects.create(action=..., object_type=...)` (not the one in
    `audit_log` itself, which passes its caller's on)."""
    found = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "tests" in path.relative_to(ROOT).parts or path == ROOT / "vroeg" / "audit" / "services.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call):
                    continue
                keywords = {k.arg: k.value for k in node.keywords if k.arg}
                if _name(node.func) == "audit_log" or {"action", "object_type"} <= keywords.keys():
                    found.append((f"{path.relative_to(ROOT)}:{node.lineno}", keywords))
    return found


@pytest.fixture(scope="module")
def writes():
    found = _writes()
    # The scan sees the code: the case view, a transition, the nightly purge, a merge migration.
    places = " ".join(place for place, _ in found)
    assert len(found) > 40 and "cases/views.py" in places and "cases/migrations/" in places, places
    return found


def test_every_action_the_code_writes_has_words(writes):
    without = [
        (place, action)
        for place, keywords in writes
        if "action" in keywords
        for action in _actions(keywords["action"])
        if action not in words.ACTIONS
    ]
    assert without == [], "give the action words in vroeg/audit/words.py (write it as AuditAction.X)"


def test_every_action_there_is_has_words():
    assert set(AuditAction.values) <= set(words.ACTIONS)


def test_every_object_type_the_code_writes_is_a_model_or_has_words(writes):
    models = {model._meta.label_lower for model in apps.get_models()}
    literal = {
        (place, keywords["object_type"].value)
        for place, keywords in writes
        if isinstance(keywords.get("object_type"), ast.Constant)
    }
    assert {"cases.queue", "audit.csv"} <= {object_type for _, object_type in literal}
    without = [(place, t) for place, t in literal if t not in models and t not in words.OBJECT_TYPES]
    assert without == []


def test_every_transition_has_words():
    transitions = {
        transition.name
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, FSMFieldMixin)
        for transition in field.get_all_transitions(model)
    }
    assert {"pick_up", "close"} <= transitions
    assert transitions - set(words.TRANSITIONS) == set()


def test_every_detail_key_the_code_writes_has_words(writes):
    without = [
        (place, key.value)
        for place, keywords in writes
        if isinstance(keywords.get("detail"), ast.Dict)
        for key in keywords["detail"].keys
        if isinstance(key, ast.Constant) and key.value not in words.DETAIL_LABELS
    ]
    assert without == []


@pytest.mark.django_db
def test_detail_keys_written_from_forms_and_counts_have_words():
    """Searches log their form's criteria, the purge its counts per category."""
    keys = {*QueueFilterForm.base_fields, *AuditSearchForm.base_fields, *FeedbackFilterForm.base_fields}
    keys |= {"page", *retention_plan()}
    assert keys - set(words.DETAIL_LABELS) == set()
