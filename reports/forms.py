from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vroeg.forms import DateField

from . import periods


class ReportForm(forms.Form):
    PERIODS = [("month", _("Month")), ("quarter", _("Quarter")), ("year", _("Year")), ("custom", _("Custom period"))]

    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=None, empty_label=None)
    period = forms.ChoiceField(label=_("Period"), choices=PERIODS, initial="month")
    year = forms.IntegerField(label=_("Year"), min_value=2020, max_value=2100)
    month = forms.TypedChoiceField(
        label=_("Month"), coerce=int, required=False, choices=[(i + 1, m) for i, m in enumerate(periods.MONTHS_NL)]
    )
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), coerce=int, required=False, choices=[(q, f"Q{q}") for q in range(1, 5)]
    )
    start = DateField(label=_("From"), required=False)
    end = DateField(label=_("Up to and including"), required=False)

    def __init__(self, data=None, *, municipalities, **kwargs):
        today = timezone.localdate()
        initial = {"period": "month", "year": today.year, "month": today.month, "quarter": (today.month - 1) // 3 + 1}
        super().__init__(data, initial=initial, **kwargs)
        self.fields["municipality"].queryset = municipalities
        self.fields["municipality"].initial = municipalities.first()

    def clean(self):
        data = super().clean()
        kind, year = data.get("period"), data.get("year")
        if kind == "custom":
            start, end = data.get("start"), data.get("end")
            if not start:
                self.add_error("start", _("Give the first day of the period."))
            if not end:
                self.add_error("end", _("Give the last day of the period."))
            if start and end and start > end:
                self.add_error("end", _("This date is before the start date."))
            if start and end and (end - start).days > 3 * 366:
                self.add_error("end", _("A period can be at most three years."))
        elif year and kind == "month" and not data.get("month"):
            self.add_error("month", _("Choose a month."))
        elif year and kind == "quarter" and not data.get("quarter"):
            self.add_error("quarter", _("Choose a quarter."))
        return data

    def period_chosen(self) -> periods.Period:
        d = self.cleaned_data
        if d["period"] == "custom":
            return periods.custom(d["start"], d["end"])
        if d["period"] == "year":
            return periods.year(d["year"])
        if d["period"] == "quarter":
            return periods.quarter(d["year"], d["quarter"])
        return periods.month(d["year"], d["month"])


def default_period(today: date) -> periods.Period:
    return periods.month(today.year, today.month)


def report_form(*, data, municipalities) -> ReportForm:
    """The report pages' chooser (the reports page, Bereik): bound to `data` (the
    query string) once a municipality is chosen; on a first visit this month in the
    first of `municipalities`."""
    form = ReportForm(data if data and data.get("municipality") else None, municipalities=municipalities)
    if form.is_bound:
        return form
    return ReportForm(
        {
            **{k: form.initial.get(k) for k in ("period", "year", "month", "quarter")},
            "municipality": form.fields["municipality"].initial.pk if municipalities else None,
        },
        municipalities=municipalities,
    )
