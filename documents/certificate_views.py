"""The Teilnahmebescheinigung as PDF: one person's, or a cohort's as one PDF or a ZIP."""

import io
import zipfile

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views import View

from cohorts.models import Cohort
from cohorts.navigation import cohort_url
from jobcenters.filenames import file_slug
from jobcenters.pdf import pdf_response, render_pdf
from jobcenters.permissions import Data, Perm
from jobcenters.views import TenantMixin
from participants.models import Enrolment
from privacy.services import export_record

from .certificates import (
    certificate_enrolments,
    certificate_filename,
    certificates,
    cohort_has_ended,
    has_certificate,
)

TEMPLATE = "documents/certificate.html"


class CertificateView(TenantMixin, View):
    """One person's certificate, shown in the browser. An enrolment that never joined (or
    whose person is anonymised) has none: 404, as the button is not offered there."""

    permission = Perm.MANAGE_DOCUMENTS
    model = Enrolment

    @cached_property
    def enrolment(self):
        enrolment = get_object_or_404(
            Enrolment.objects.visible_to(self.membership, kind=Data.COURSE)
            .select_related("participant", "cohort"), pk=self.kwargs["pk"])
        if not has_certificate(enrolment):
            raise Http404
        return enrolment

    def load_objects(self):
        self.enrolment  # noqa: B018 - fetched for its 404

    def get(self, request, *args, **kwargs):
        e = self.enrolment
        content = render_pdf(TEMPLATE, {
            "certificates": certificates(certificate_enrolments(self.membership).filter(pk=e.pk)),
            "paged": False,
        }, request=request)
        export_record(jobcenter=self.jobcenter, user=request.user, kind="certificate_pdf",
                      parameters={"participant": e.participant_id, "enrolment": e.pk,
                                  "cohort": e.cohort_id})
        return pdf_response(content, certificate_filename(
            e.participant.last_name, e.participant.first_name, e.cohort.code))


class CohortCertificatesView(TenantMixin, View):
    """The certificates of everyone who joined a cohort, once it has ended: one PDF with a
    page per person, or (`?format=zip`) a ZIP with one PDF per person. Before the end, or
    when nobody joined, back to the cohort's page with a message."""

    permission = Perm.MANAGE_DOCUMENTS
    model = Cohort

    @cached_property
    def cohort(self):
        return get_object_or_404(Cohort.objects.visible_to(self.membership, kind=Data.COURSE),
                                 pk=self.kwargs["pk"])

    def load_objects(self):
        self.cohort  # noqa: B018 - fetched for its 404

    def refuse(self, text):
        messages.error(self.request, text)
        return redirect(cohort_url(self.membership, self.cohort))

    def get(self, request, *args, **kwargs):
        cohort = self.cohort
        today = timezone.localdate()
        if not cohort_has_ended(cohort, today):
            return self.refuse(_("Certificates for the whole cohort are available once it "
                                 "has ended (%(end)s). A single person's certificate is on "
                                 "their page.") % {
                "end": date_format(cohort.planned_end, "SHORT_DATE_FORMAT")})
        issued = certificates(certificate_enrolments(self.membership).filter(cohort=cohort),
                              today=today)
        if not issued:
            return self.refuse(_("Nobody has joined this cohort: there is no certificate "
                                 "to issue."))
        as_zip = request.GET.get("format") == "zip"
        name = f"teilnahmebescheinigungen-{file_slug(cohort.code) or cohort.pk}"
        if as_zip:
            response = self.zip_response(issued, f"{name}.zip")
        else:
            response = pdf_response(render_pdf(TEMPLATE, {
                "certificates": issued, "paged": True}, request=request), f"{name}.pdf")
        export_record(jobcenter=self.jobcenter, user=request.user,
                      kind="certificates_zip" if as_zip else "certificates_pdf",
                      parameters={"cohort": cohort.pk, "cohort_code": cohort.code,
                                  "participants": [c.participant_id for c in issued]})
        return response

    def zip_response(self, issued, filename):
        buffer = io.BytesIO()
        taken = set()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for certificate in issued:
                member = certificate.filename
                if member in taken:  # two people of the same name
                    member = member.removesuffix(".pdf") + f"-{certificate.enrolment_id}.pdf"
                taken.add(member)
                archive.writestr(member, render_pdf(TEMPLATE, {
                    "certificates": [certificate], "paged": False}, request=self.request))
        response = HttpResponse(buffer.getvalue(), content_type="application/zip")
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response
