"""The Digitale Bewerberkarte as PDF: a print sheet of ten cards or a single card."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View

from jobcenters.filenames import file_slug
from jobcenters.pdf import pdf_response, render_pdf
from jobcenters.permissions import Perm
from participants.views import ParticipantMixin
from privacy.services import export_record

from .card import card_context
from .services import consent_in_force, link_current

LAYOUTS = ("sheet", "single")
# Cards on a print sheet: two across, five down, 85 × 55 mm each, centred on A4; the
# cut marks in the margin sit on the cards' edges (mm from the page's left and top).
SHEET_CARDS = 10
CUT_X = (20, 105, 190)
CUT_Y = (11, 66, 121, 176, 231, 286)


class CardSheetView(ParticipantMixin, View):
    """The card PDF; it needs the person's consent in force (else back to their page)."""

    permission = Perm.MANAGE_DOCUMENTS

    def participant_queryset(self):
        return super().participant_queryset().select_related("applicant_profile")

    def get(self, request, *args, **kwargs):
        person = self.participant
        if consent_in_force(person) is None:
            messages.error(request, _("The card needs the person's consent to share it with "
                                      "employers. Record the consent first."))
            return redirect("documents:participant", jc=self.jobcenter.code, pk=person.pk)
        layout = request.GET.get("layout")
        layout = layout if layout in LAYOUTS else "sheet"
        link = link_current(participant=person, by=request.user)
        card = card_context(participant=person, link=link, request=request)
        content = render_pdf("documents/card_sheet.html", {
            "card": card, "layout": layout,
            "cards": range(SHEET_CARDS if layout == "sheet" else 1),
            "cut_x": CUT_X, "cut_y": CUT_Y,
        }, request=request)
        export_record(jobcenter=self.jobcenter, user=request.user, kind="card_pdf",
                      parameters={"participant": person.pk, "link": link.pk,
                                  "layout": layout})
        name = file_slug(person.first_name, person.last_name) or str(person.pk)
        return pdf_response(content, f"bewerberkarte-{name}.pdf")
