"""The functional admin's download of a platform's feedback file per period, from
the import profile's admin page (feedback/services_platform.py)."""

from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from signals.models import ImportProfile

from .forms import PlatformFeedbackForm
from .services_platform import platform_feedback_export


@permission_required("signals.upload_for_any_partner", raise_exception=True)
def platform_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    profile = get_object_or_404(ImportProfile, pk=pk)
    form = PlatformFeedbackForm(request.GET or None)
    if profile.feedback_columns and form.is_bound and form.is_valid():
        try:
            export = platform_feedback_export(profile=profile, request=request, **form.cleaned_data)
        except ValidationError as refused:
            form.add_error("date_to", refused.messages)
        else:
            response = StreamingHttpResponse(export.chunks, content_type=export.content_type)
            response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
            return response
    return render(request, "feedback/platform_feedback.html", {"profile": profile, "form": form})


def profile_links(*, profile) -> list[tuple[str, str]]:
    """The download page on a profile's admin page, when it has a way back
    (registered in signals.hooks.profile_links)."""
    if not profile.feedback_columns:
        return []
    return [(_("Download the feedback file for a period"), reverse("platform-feedback", args=[profile.pk]))]
