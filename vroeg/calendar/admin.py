from django import forms
from django.contrib import admin, messages
from django.utils.translation import ngettext

from .models import ClosureDay
from .services import closure_day_delete, closure_day_problem, closure_day_save


class ClosureDayForm(forms.ModelForm):
    class Meta:
        model = ClosureDay
        fields = ["date", "reason"]

    def clean_date(self):
        day = self.cleaned_data["date"]
        if problem := closure_day_problem(day):
            raise forms.ValidationError(problem)
        return day


@admin.register(ClosureDay)
class ClosureDayAdmin(admin.ModelAdmin):
    """Saves and deletes go through the services, so the stored deadlines of open cases
    follow the new calendar."""

    form = ClosureDayForm
    list_display = ["date", "reason"]
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        saved, moved = closure_day_save(
            user=request.user, day=obj.date, reason=obj.reason, closure_day_id=obj.pk if change else None
        )
        obj.pk = saved.pk
        self._tell(request, moved)

    def delete_model(self, request, obj):
        self._tell(request, closure_day_delete(user=request.user, closure_day_id=obj.pk))

    def delete_queryset(self, request, queryset):
        moved = sum(
            closure_day_delete(user=request.user, closure_day_id=pk) for pk in queryset.values_list("pk", flat=True)
        )
        self._tell(request, moved)

    def _tell(self, request, moved: int) -> None:
        if moved:
            message = ngettext(
                "%(n)d deadline of an open case moved with the new calendar.",
                "%(n)d deadlines of open cases moved with the new calendar.",
                moved,
            ) % {"n": moved}
            self.message_user(request, message, messages.INFO)
