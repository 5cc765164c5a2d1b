"""The error summary at the top of every page with a form that has errors (the
NL Design System / GOV.UK pattern): one list, each error a link to its field.

base.html renders it for every bound form in the page's context, so no form template
has to remember it and none renders a summary of its own."""

from dataclasses import dataclass

from django import template
from django.forms import BaseForm, BaseFormSet

register = template.Library()


@dataclass(frozen=True)
class FormError:
    message: str
    label: str = ""
    anchor: str = ""  # the field's id, so the link moves focus to it


def _forms_in(context) -> list[BaseForm]:
    found: dict[int, BaseForm] = {}
    for value in context.flatten().values():
        if isinstance(value, BaseFormSet) and value.is_bound:
            candidates = [*value.forms, value.management_form]
        elif isinstance(value, BaseForm) and value.is_bound:
            candidates = [value]
        else:
            continue
        for form in candidates:
            found.setdefault(id(form), form)
    return list(found.values())


def form_errors(context) -> list[FormError]:
    """Every error of every bound form on the page, non-field errors first, then
    the fields in the order the form shows them."""
    errors: list[FormError] = []
    for form in _forms_in(context):
        if not form.errors:
            continue
        errors += [FormError(message=str(message)) for message in form.non_field_errors()]
        for field in form:
            for message in field.errors:
                if field.is_hidden:
                    errors.append(FormError(message=str(message)))
                else:
                    errors.append(FormError(message=str(message), label=str(field.label), anchor=field.id_for_label))
    return errors


@register.simple_tag(takes_context=True)
def form_errors_present(context) -> bool:
    return bool(form_errors(context))


@register.inclusion_tag("includes/error_summary.html", takes_context=True)
def error_summary(context) -> dict:
    return {"errors": form_errors(context)}
