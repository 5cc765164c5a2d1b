"""The guides for partners and the example files, for every signed-in user: the
users of the web app cannot open the repository's docs/partners/."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from .docs import document as find_document
from .docs import example_bytes, example_file


@require_safe
def document(request: HttpRequest, slug: str) -> HttpResponse:
    found = find_document(slug)
    if found is None:
        raise Http404
    return render(
        request,
        "signals/document.html",
        # The renderer escapes every text of the file itself (signals/markdown.py).
        {"title": found.title, "body": mark_safe(found.html), "slug": slug},
    )


@require_safe
def example_file_download(request: HttpRequest, name: str) -> HttpResponse:
    example = example_file(name)
    if example is None:
        raise Http404
    response = HttpResponse(example_bytes(example), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{example.filename}"'
    return response
