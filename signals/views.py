"""The partner's pages: deliveries, uploading a file, the report of a delivery."""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from vroeg.audit.models import AuditAction
from vroeg.audit.services import audit_log
from vroeg.csvexport import safe_cell
from vroeg.uploads import TOO_LARGE, upload_too_large

from .docs import EXAMPLE_FILES, example_for
from .forms import DeliveryUploadForm
from .models import DeliveryStatus
from .progress import delivery_progress
from .selectors import can_upload, deliveries_for_user, import_profiles_current, partners_for_upload
from .services import delivery_receive
from .services_profiles import profile_import_receive

REPORT_LINES_SHOWN = 200


def _require_partner_access(request: HttpRequest) -> None:
    if not can_upload(request.user):
        raise PermissionDenied


def delivery_list(request: HttpRequest) -> HttpResponse:
    _require_partner_access(request)
    page = Paginator(deliveries_for_user(user=request.user), 25).get_page(request.GET.get("pagina"))
    return render(
        request,
        "signals/delivery_list.html",
        {
            "page": page,
            "partner": request.user.partner,
            "show_partner": request.user.has_perm("signals.upload_for_any_partner"),
        },
    )


@require_http_methods(["GET", "POST"])
def delivery_upload(request: HttpRequest) -> HttpResponse:
    _require_partner_access(request)
    choose = request.user.has_perm("signals.upload_for_any_partner")
    posted = request.method == "POST"
    form = DeliveryUploadForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        partners=partners_for_upload(user=request.user) if choose else None,
        profiles=import_profiles_current() if choose else None,
        # The admin's "upload on this partner's behalf" link names the partner.
        initial={"partner": request.GET.get("partner")} if choose else None,
    )
    if posted and upload_too_large(request):
        form.errors.clear()
        form.add_error("file", TOO_LARGE)
    elif posted and form.is_valid() and form.cleaned_data.get("profile"):
        return _profile_upload(request, form)
    elif posted and form.is_valid():
        upload = form.cleaned_data["file"]
        delivery = delivery_receive(
            partner=form.cleaned_data["partner"] if choose else request.user.partner,
            stream=upload,
            original_name=upload.name,
            uploaded_by=request.user,
        )
        if delivery.status == DeliveryStatus.REFUSED:
            messages.error(request, _("The file was refused: %s") % delivery.refusal_reason)
        else:
            messages.success(request, _("The file has been received and is being processed."))
        return redirect("delivery-detail", public_id=delivery.public_id)
    return render(
        request,
        "signals/delivery_upload.html",
        {
            "form": form,
            "examples": EXAMPLE_FILES if choose else _own_example(request.user.partner),
            "own_sector": not choose,
        },
    )


def _profile_upload(request: HttpRequest, form: DeliveryUploadForm) -> HttpResponse:
    """A file read through an import profile: one delivery per partner in it; the
    import's page in the admin lists them and the lines without a partner."""
    upload = form.cleaned_data["file"]
    record = profile_import_receive(
        profile=form.cleaned_data["profile"], stream=upload, original_name=upload.name, uploaded_by=request.user
    )
    if record.status == record.Status.REFUSED:
        messages.error(request, _("The file was refused: %s") % record.refusal_reason)
    else:
        count = record.deliveries.count()
        messages.success(
            request,
            ngettext(
                "The import profile made %(count)d delivery of the file; it is being processed.",
                "The import profile made %(count)d deliveries of the file; they are being processed.",
                count,
            )
            % {"count": count},
        )
    return redirect(reverse("admin:signals_profileimport_change", args=[record.pk]))


def _own_example(partner) -> list:
    """A partner sees the example file of its own sector only (none for the CAK list)."""
    example = example_for(partner.partner_type)
    return [example] if example else []


def delivery_detail(request: HttpRequest, public_id) -> HttpResponse:
    _require_partner_access(request)
    delivery = get_object_or_404(deliveries_for_user(user=request.user).select_related("profile"), public_id=public_id)
    in_progress = delivery.status in (DeliveryStatus.RECEIVED, DeliveryStatus.PROCESSING)
    rows_done = delivery_progress(delivery_id=delivery.pk) if in_progress else delivery.rows_read
    rejected = list(delivery.rejected_lines.all()[:REPORT_LINES_SHOWN])
    if not in_progress:  # the report (the page reloads itself while processing)
        audit_log(action=AuditAction.VIEW, request=request, obj=delivery)
    return render(
        request,
        "signals/delivery_detail.html",
        {
            "delivery": delivery,
            "in_progress": in_progress,
            "rows_done": rows_done,
            # Rows are about 150 bytes; a rough total is enough for a progress bar.
            "rows_estimate": max(delivery.size // 150, rows_done or 0, 1),
            "rejected": rejected,
            "more_rejected": delivery.rejected_count > len(rejected),
            # Municipality staff see which import profile version read the file; the
            # partner only that it was read from another layout (profile names are the
            # municipality's own and may name other partners of a platform file).
            "staff": request.user.has_perm("signals.upload_for_any_partner"),
        },
    )


def delivery_rejected_csv(request: HttpRequest, public_id) -> HttpResponse:
    """The rejected lines: line number, partner_referentie and reasons, nothing else."""
    _require_partner_access(request)
    delivery = get_object_or_404(deliveries_for_user(user=request.user), public_id=public_id)
    audit_log(
        action=AuditAction.DOWNLOAD,
        request=request,
        obj=delivery,
        detail={"what": "rejected lines", "rows": delivery.rejected_count},
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    # Local time, as the report page shows it.
    received = timezone.localtime(delivery.received_at)
    response["Content-Disposition"] = f'attachment; filename="afgewezen-regels-{received:%Y%m%d-%H%M}.csv"'
    response.write("\ufeff")  # Excel reads UTF-8 with a BOM
    writer = csv.writer(response, delimiter=";")
    writer.writerow(["regel", "partner_referentie", "redenen"])
    for line in delivery.rejected_lines.all().iterator(chunk_size=2000):
        writer.writerow([line.line_number, safe_cell(line.partner_referentie), safe_cell(" | ".join(line.reasons))])
    return response
