"""PDFs from Django templates (WeasyPrint with the system's Pango and fonts).

Static files (`{% static %}` stylesheets, images) are read from disk through the
staticfiles finders and `data:` URLs are read as they are; nothing is fetched over the
network: a jobcenter's network may block it, and a PDF must not wait for the web server.
Pictures of a person (a photo) go in as `data:` URLs.
"""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from weasyprint import HTML
from weasyprint.urls import URLFetcher

BASE = "file://"


class LocalFetcher(URLFetcher):
    def __init__(self):
        super().__init__(allowed_protocols=("file", "data"))

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        static = BASE + settings.STATIC_URL
        path = finders.find(url.removeprefix(static).split("?")[0]) \
            if url.startswith(static) else None
        if path is None:
            raise ValueError(f"not fetched for a PDF: {url}")
        return super().fetch(f"file://{path}", headers)


def render_pdf(template_name: str, context: dict, request=None) -> bytes:
    """The template rendered to HTML, then to PDF."""
    html = render_to_string(template_name, context, request=request)
    return HTML(string=html, base_url=BASE + "/", url_fetcher=LocalFetcher()).write_pdf()


def pdf_response(content: bytes, filename: str, *, download: bool = False) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(download, filename)
    return response


class PdfFormatMixin:
    """A printable page that answers `?format=pdf` with the same content as a PDF:
    `pdf_template` (extending the PDF base) and `pdf_filename()`."""

    pdf_template = ""

    def pdf_filename(self) -> str:
        raise NotImplementedError

    def render_to_response(self, context, **response_kwargs):
        if self.request.GET.get("format") != "pdf":
            return super().render_to_response(context, **response_kwargs)
        return pdf_response(render_pdf(self.pdf_template, context, request=self.request),
                            self.pdf_filename())

