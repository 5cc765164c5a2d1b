"""Form fields with the bounds every page needs, so that hostile or careless input
(the year 9999, a date before the calendar) gets a Dutch message on the page and
never reaches the database or date arithmetic as an overflow."""

from datetime import date

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from vroeg.dutch import is_number

EARLIEST = date(2000, 1, 1)
BORN_EARLIEST = date(1900, 1, 1)  # birth dates, and arrears of long ago
LATEST = date(2100, 12, 31)


class DateField(forms.DateField):
    """A date between 2000 and 2100 unless the field says otherwise (a birth date from
    1900): every date Vroeg records or searches lies there, and a deadline computed
    from it stays far from the calendar's end. The browser's date picker is the widget."""

    def __init__(self, *, earliest: date = EARLIEST, latest: date = LATEST, **kwargs):
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        super().__init__(**kwargs)
        years = {"earliest": earliest.year, "latest": latest.year}
        message = lazy(lambda: _("Choose a date between %(earliest)s and %(latest)s.") % years, str)()
        self.validators += [MinValueValidator(earliest, message), MaxValueValidator(latest, message)]


MAX_ID = 2**63 - 1  # the largest id a database column holds


class IdsField(forms.ModelMultipleChoiceField):
    """Objects chosen by id; an id that is not a whole number within the database's
    range is refused as invalid before it reaches the database (SQLite cannot even
    bind a larger number)."""

    def _check_values(self, value):
        for pk in value:
            text = str(pk)
            if not is_number(text) or int(text) > MAX_ID:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": text[:20]}
                )
        return super()._check_values(value)
