"""A form renderer that writes Django's plain widgets in Python.

Django renders every widget, and every option of a select or a list of radio buttons
or checkboxes, through a template (django/forms/templates/django/forms/widgets/):
about a millisecond per widget on a page with a dozen of them (the case page). The
functions below write exactly what those templates write, character for character
(vroeg/tests/test_formrender.py compares them with Django's renderer for every widget
they cover); any other template (a form, a label, an error list, a widget of an app's
own) goes to Django's template renderer as before. Nothing is cached: the output is
made anew from each widget's context.

Use it per form: `SomeForm(..., renderer=WIDGETS)`.
"""

from django.forms.renderers import DjangoTemplates
from django.template.base import render_value_in_context
from django.template.defaultfilters import stringformat
from django.utils.safestring import SafeData, mark_safe

_DIR = "django/forms/widgets/"


class _Context:
    """What `render_value_in_context` reads of a template context: Django's renderer
    engine autoescapes and localizes by default."""

    autoescape = True
    use_l10n = None
    use_tz = None


_CONTEXT = _Context()


def _out(value) -> str:
    """`{{ value }}`."""
    return render_value_in_context(value, _CONTEXT)


def _s(value) -> str:
    """`{{ value|stringformat:'s' }}` (a filter that keeps safe text safe)."""
    text = stringformat(value, "s")
    return _out(mark_safe(text) if isinstance(value, SafeData) else text)


def _attrs(attrs: dict) -> str:
    """attrs.html."""
    out = []
    for name, value in attrs.items():
        if value is not False:
            out.append(f" {_out(name)}")
            if value is not True:
                out.append(f'="{_s(value)}"')
    return "".join(out)


def _input(w: dict) -> str:
    """input.html (and text, date, time, hidden, checkbox, ...: an include of it)."""
    value = f' value="{_s(w["value"])}"' if w["value"] != None else ""  # noqa: E711 (the template's !=)
    return f'<input type="{_out(w["type"])}" name="{_out(w["name"])}"{value}{_attrs(w["attrs"])}>\n'


def _textarea(w: dict) -> str:
    value = _out(w["value"]) if w["value"] else ""
    return f'<textarea name="{_out(w["name"])}"{_attrs(w["attrs"])}>\n{value}</textarea>\n'


def _select_option(w: dict) -> str:
    return f'<option value="{_s(w["value"])}"{_attrs(w["attrs"])}>{_out(w["label"])}</option>\n'


def _input_option(w: dict) -> str:
    """input_option.html (radio_option, checkbox_option: an include of it)."""
    if not w["wrap_label"]:
        return _input(w) + "\n"
    label_id = w["attrs"].get("id")
    label_for = f' for="{_out(label_id)}"' if label_id else ""
    return f"<label{label_for}>{_input(w)} {_out(w['label'])}</label>\n"


_OPTIONS = {
    _DIR + "select_option.html": _select_option,
    # An include of input_option.html, and a line end of their own.
    _DIR + "radio_option.html": lambda w: _input_option(w) + "\n",
    _DIR + "checkbox_option.html": lambda w: _input_option(w) + "\n",
}


def _option(option: dict) -> str:
    return _OPTIONS[option["template_name"]](option)


def _select(w: dict) -> str:
    out = [f'<select name="{_out(w["name"])}"{_attrs(w["attrs"])}>']
    for group_name, group_choices, _index in w["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{_out(group_name)}">')
        for option in group_choices:
            out.append(f"\n  {_option(option)}")
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>\n")
    return "".join(out)


def _multiple_input(w: dict) -> str:
    """multiple_input.html (radio, checkbox_select: an include of it)."""
    widget_id = w["attrs"].get("id", "")
    css = w["attrs"].get("class", "")
    out = ["<div"]
    if widget_id:
        out.append(f' id="{_out(widget_id)}"')
    if css:
        out.append(f' class="{_out(css)}"')
    out.append(">")
    for group, options, _index in w["optgroups"]:
        if group:
            out.append(f"\n  <div><label>{_out(group)}</label>")
        for option in options:
            out.append(f"<div>\n    {_option(option)}</div>")
        if group:
            out.append("\n  </div>")
    out.append("\n</div>\n")
    return "".join(out)


# Each covered template and the function that writes it; the included template of
# each is itself covered, so the output is Django's.
_WIDGETS = {
    # An include of input.html and a line end; the renderer strips the output.
    **{
        _DIR + f"{name}.html": _input
        for name in ("input", "text", "number", "email", "url", "password", "hidden", "date", "time", "checkbox")
    },
    _DIR + "textarea.html": _textarea,
    _DIR + "select.html": _select,
    _DIR + "radio.html": _multiple_input,
    _DIR + "checkbox_select.html": _multiple_input,
}


def _options_covered(w: dict) -> bool:
    return all(o["template_name"] in _OPTIONS for _g, options, _i in w.get("optgroups", ()) for o in options)


class WidgetRenderer(DjangoTemplates):
    """Django's default renderer, except that the widgets above are written in Python."""

    def render(self, template_name, context, request=None):
        write = _WIDGETS.get(template_name)
        if write is None or context.keys() != {"widget"} or not _options_covered(context["widget"]):
            return super().render(template_name, context, request=request)
        return write(context["widget"]).strip()


WIDGETS = WidgetRenderer()
