"""vroeg/formrender.py writes widgets exactly as Django's templates do: every widget it
covers, with awkward values, and the forms of the case page, give the same HTML as
Django's own renderer, character for character."""

from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from vroeg.formrender import WIDGETS, WidgetRenderer

DJANGO = DjangoTemplates()

CHOICES = [
    ("", "—"),
    (1, "één"),
    ("b", gettext_lazy("Name")),
    ('<&">', "<script>alert('x')</script>"),
    ("veilig", mark_safe("<em>veilig</em>")),
    ("Groep", [("g1", "Eerste"), (2, 2)]),
]

WIDGET_CASES = [
    (forms.TextInput(), "x", None),
    (forms.TextInput(), "q", ""),
    (forms.TextInput(attrs={"maxlength": 300, "required": True, "disabled": False, "placeholder": '"<>&'}), "q", "a&b"),
    (forms.TextInput(), "q", mark_safe("<b>al veilig</b>")),
    (forms.TextInput(), "q", 0),
    (forms.NumberInput(attrs={"step": Decimal("0.01")}), "n", Decimal("1234.50")),
    (forms.EmailInput(), "e", "a@example.org"),
    (forms.URLInput(), "u", "https://example.org/?a=1&b=2"),
    (forms.PasswordInput(render_value=True), "p", "geheim"),
    (forms.HiddenInput(), "h", 12),
    (forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), "d", date(2026, 12, 1)),
    (forms.DateInput(), "d", date(2026, 12, 1)),
    (forms.TimeInput(attrs={"type": "time"}, format="%H:%M"), "t", time(9, 5)),
    (forms.TimeInput(attrs={"type": "time"}, format="%H:%M"), "t", "09:05"),
    (forms.CheckboxInput(), "c", True),
    (forms.CheckboxInput(), "c", False),
    (forms.Textarea(attrs={"rows": 2}), "r", ""),
    (forms.Textarea(), "r", "regel 1\n<regel 2> & meer"),
    (forms.Textarea(), "r", mark_safe("<i>veilig</i>")),
    (forms.Select(choices=CHOICES), "s", None),
    (forms.Select(choices=CHOICES), "s", 1),
    (forms.Select(choices=CHOICES, attrs={"class": "wide", "required": True}), "s", '<&">'),
    (forms.Select(choices=CHOICES), "s", 2),
    (forms.SelectMultiple(choices=CHOICES), "sm", ["b", "g1"]),
    (forms.NullBooleanSelect(), "nb", None),
    (forms.RadioSelect(choices=[("1", "ja"), ("0", "nee")]), "r", None),
    (forms.RadioSelect(choices=[("1", "ja"), ("0", "nee")], attrs={"class": "rij"}), "r", "0"),
    (forms.RadioSelect(choices=CHOICES), "r", "g1"),
    (forms.CheckboxSelectMultiple(choices=CHOICES), "cs", ["b", 1]),
    (forms.CheckboxSelectMultiple(choices=CHOICES, attrs={"class": "x"}), "cs", []),
    # Not covered: Django's renderer writes these (the renderer falls back).
    (forms.SplitDateTimeWidget(), "sdt", datetime(2026, 12, 1, 9, 0)),
    (forms.ClearableFileInput(), "f", None),
    (forms.MultipleHiddenInput(), "mh", ["1", "2"]),
]


@pytest.mark.parametrize("widget,name,value", WIDGET_CASES)
@pytest.mark.parametrize("attrs", [None, {"id": "id_veld"}, {"id": "id_veld", "aria-describedby": "help"}])
def test_each_widget_is_written_as_djangos_templates_write_it(widget, name, value, attrs):
    assert widget.render(name, value, attrs=attrs, renderer=WIDGETS) == widget.render(
        name, value, attrs=attrs, renderer=DJANGO
    )


def test_the_case_page_forms_are_written_as_django_writes_them(db):
    from cases.forms import CloseForm, ObjectionForm, ReopenForm
    from cases.models import CaseState, Resident
    from feedback.forms import ConsentForm, PauseFollowUpForm
    from outreach.forms import ContactAttemptForm, NoteForm

    def objection(**kwargs):
        form = ObjectionForm(residents=Resident.objects.none(), initial={"objected_on": date(2026, 12, 1)}, **kwargs)
        form.fields["resident"].choices = [(1, "A. de Vries"), (2, "B. <Bakker> & zn")]
        return form

    makers = [
        *(lambda state=s, **kw: CloseForm(state=state, **kw) for s in CaseState.values),
        lambda **kw: ReopenForm(**kw),
        objection,
        lambda **kw: ContactAttemptForm(**kw),
        lambda **kw: NoteForm(**kw),
        lambda **kw: ConsentForm(initial={"given_on": date(2026, 12, 1)}, **kw),
        lambda **kw: PauseFollowUpForm(**kw),
    ]
    for make in makers:
        fast, django = make(renderer=WIDGETS), make(renderer=DJANGO)
        for name in fast.fields:
            assert str(fast[name]) == str(django[name])
        assert fast.as_div() == django.as_div()  # the form's template: Django's renderer
        # Bound and invalid: values and error attributes.
        bound = {"outcome": "x", "reason": "<b>", "kind": "?", "date": "9999-99-99", "partner_types": ["x"]}
        fast, django = make(data=bound, renderer=WIDGETS), make(data=bound, renderer=DJANGO)
        fast.is_valid() and django.is_valid()
        assert fast.as_div() == django.as_div()


def test_a_template_of_its_own_goes_to_djangos_renderer():
    class Own(forms.TextInput):
        template_name = "django/forms/widgets/textarea.html"

    class OwnContext(forms.TextInput):
        def get_context(self, name, value, attrs):
            return {**super().get_context(name, value, attrs), "extra": 1}

    for widget in (Own(), OwnContext()):
        assert widget.render("x", "<a>", renderer=WidgetRenderer()) == widget.render("x", "<a>", renderer=DJANGO)
