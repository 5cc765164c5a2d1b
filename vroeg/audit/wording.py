"""An audit entry in words: who did what to which object, when and from where, as
columns and as one sentence ("cw heeft zaak 3 bekeken.").

The one definition of how the audit trail reads: the privacy officer's page and its
CSV export both use `entry_words`. The words are in `words.py`; a model's name is its
own verbose name. Nothing is looked up beyond the entry (no query, no personal data
the entry does not hold), and an unknown code reads as words, never as an error.
"""

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django_fsm import FSMFieldMixin

from . import words
from .models import AuditAction, AuditEntry

DETAILS_LIMIT = 300
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class EntryWords:
    when: str  # local time, 30-11-2026 14:05:09
    who: str
    what: str
    object: str  # "" when the entry is about no object (a login)
    ip_address: str
    reason: str
    details: str  # what else the entry holds, "label: value; label: value"
    sentence: str


def entry_words(entry: AuditEntry) -> EntryWords:
    detail = entry.detail if isinstance(entry.detail, dict) else {}
    model = _model(entry.object_type)
    told: set[str] = set()  # detail keys the phrase or the object already put in words
    phrase, params = _phrase(entry.action, detail, model, told)
    obj = _object(entry, detail, model, told)
    who = entry.actor_username or str(words.SOMEONE if entry.action == AuditAction.LOGIN_FAILED else words.THE_SYSTEM)
    what = str(phrase.what) % params
    sentence = str(phrase.sentence if obj else phrase.alone) % {**params, "who": who, "what": what, "object": obj}
    return EntryWords(
        when=timezone.localtime(entry.at).strftime("%d-%m-%Y %H:%M:%S") if entry.at else "",
        who=who,
        what=what,
        object=obj,
        ip_address=entry.ip_address or "",
        reason=entry.reason,
        details=_details(detail, model, told) if isinstance(entry.detail, dict) else str(entry.detail or ""),
        sentence=sentence if entry.actor_username else capfirst(sentence),
    )


def object_type_words(object_type: str) -> str:
    """What kind of object a type code is, in words ("zaak"), for filters and lists."""
    model = _model(object_type)
    if model is not None:
        return str(model._meta.verbose_name)
    if entry_type := words.OBJECT_TYPES.get(object_type):
        return (str(entry_type) % {"id": ""}).strip()
    return str(words.UNKNOWN_OBJECT) % {"type": object_type} if object_type else ""


def _model(object_type: str) -> type[models.Model] | None:
    if object_type.count(".") != 1:
        return None
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _phrase(action: str, detail: dict, model, told: set[str]) -> tuple[words.Phrase, dict[str, Any]]:
    if action == AuditAction.TRANSITION:
        state = _label(model, "to", detail.get("to")) or str(detail.get("to") or "").replace("_", " ")
        what = words.TRANSITIONS.get(str(detail.get("transition")))
        if what is None or what is words.TO_STATE:
            what = words.TO_STATE if state else None
        if what is not None:
            told.update({"transition", "to"})
            return words.Phrase(what), {"state": state}
    if action == AuditAction.CHANGE:
        for key, phrase in words.CHANGES.items():
            if key not in detail:
                continue
            value = detail[key]
            if isinstance(value, bool) or key == "assigned_to":
                told.add(key)
            if key == "assigned_to" and not value:
                return words.UNASSIGNED, {}
            return phrase, {"assignee": value}
    if action in words.ACTIONS:
        return words.ACTIONS[action], {}
    return words.UNKNOWN_ACTION, {"action": str(action).replace("_", " ")}


def _object(entry: AuditEntry, detail: dict, model, told: set[str]) -> str:
    if entry.action == AuditAction.LOGIN_FAILED and detail.get("username"):
        told.add("username")
        return str(words.USERNAME) % {"username": detail["username"]}
    if model is not None:
        text = f"{model._meta.verbose_name} {entry.object_id}".strip()
    elif entry.object_type in words.OBJECT_TYPES:
        template = words.OBJECT_TYPES[entry.object_type]
        text = str(template) % {"id": entry.object_id} if template else ""
    elif entry.object_type:
        text = f"{str(words.UNKNOWN_OBJECT) % {'type': entry.object_type}} {entry.object_id}".strip()
    else:
        text = ""
    case = detail.get("case")
    if text and isinstance(case, int | str) and not isinstance(case, bool) and str(case):
        told.add("case")
        text = str(words.PART_OF_CASE) % {"object": text, "case": case}
    return text


def _details(detail: dict, model, told: set[str]) -> str:
    parts = []
    for key, value in detail.items():
        text = _value(model, key, value)
        if key in told or not text:
            continue
        label = words.DETAIL_LABELS.get(key)
        parts.append(f"{label if label is not None else str(key).replace('_', ' ')}: {text}")
    text = "; ".join(parts)
    return text if len(text) <= DETAILS_LIMIT else text[: DETAILS_LIMIT - 1] + "…"


def _value(model, key: str, value) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return ""
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, list | tuple):
        return ", ".join(filter(None, (_value(model, key, item) for item in value)))
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_value(model, k, v)}" for k, v in value.items() if _value(model, k, v))
    text = str(value)
    if key == "action" and text in AuditAction.values:  # an audit search's criterion
        return str(AuditAction(text).label)
    if label := _label(model, key, text):
        return label
    if _ISO_DATE.fullmatch(text):
        try:
            return date.fromisoformat(text).strftime("%d-%m-%Y")
        except ValueError:
            return text
    return str(words.VALUES.get(text, text))


def _label(model, key: str, value) -> str:
    """The label of a choice of the model's field named `key`; for `from` and `to`,
    of its state field (django-fsm). Only a plain value can be a choice: an entry
    holding a list or a mapping there reads without a label, never as an error."""
    if model is None or not isinstance(value, str | int) or isinstance(value, bool) or value == "":
        return ""
    for field in model._meta.concrete_fields:
        if field.choices and (field.name == key or key in ("from", "to") and isinstance(field, FSMFieldMixin)):
            return str(dict(field.flatchoices).get(value, ""))
    return ""
