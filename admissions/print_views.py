"""Printed KNĐ forms (one PDF each) and the whole dossier as one PDF, made by a Celery task."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods

from documents import services as documents
from organizations.scope import get_object_in_scope
from partyorg.lib.text import fold

from . import printing
from .models import Dossier


def _dossier(request: HttpRequest, pk: int) -> Dossier:
    return get_object_in_scope(
        request.user,
        Dossier.objects.select_related("candidate", "branch", "deciding_organization", "probation_helper"),
        pk=pk,
    )


def _pdf_response(pdf: bytes, name: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, f"{fold(name).replace(' ', '-')}.pdf")
    return response


@login_required
@require_http_methods(["GET"])
def print_form(request: HttpRequest, pk: int, form: str) -> HttpResponse:
    """One KNĐ form of the dossier as a PDF shown in the browser; cached until its data change."""
    dossier = _dossier(request, pk)
    try:
        printable = printing.printable_form(dossier, form)
    except KeyError:
        raise Http404("Không có mẫu biểu này.") from None
    except printing.FormNotReady as error:
        context = {"dossier": dossier, "message": error.message}
        return render(request, "admissions/print_not_ready.html", context, status=409)
    pdf, _ = documents.form_pdf(subject=dossier, printable=printable)
    return _pdf_response(pdf, f"{printable.code} {dossier.candidate.full_name}")


@login_required
@require_http_methods(["GET", "POST"])
def print_dossier(request: HttpRequest, pk: int) -> HttpResponse:
    """POST queues the whole-dossier PDF; GET shows its progress (htmx polls the panel) or, with ?tep=1, the file."""
    dossier = _dossier(request, pk)
    if request.method == "POST":
        documents.request_bundle(subject=dossier)
        return redirect("admissions:print_dossier", pk=dossier.pk)
    document = documents.current_bundle(subject=dossier)
    if request.GET.get("tep") and document is not None and document.status == document.Status.DONE:
        return _pdf_response(documents.read(document), f"Ho so {dossier.candidate.full_name}")
    forms = [
        {"code": form.code, "title": form.title, "slug": printing.form_slug(form.code)}
        for form in printing.available_forms(dossier)
    ]
    context = {"dossier": dossier, "document": document, "forms": forms}
    template = (
        "admissions/_print_progress.html" if request.headers.get("HX-Request") else "admissions/print_dossier.html"
    )
    return render(request, template, context)
