"""This app's buttons and boxes on other apps' pages (registered from `apps.py`)."""


def _certificates():
    """The Teilnahmebescheinigung on an enrolment and a finished cohort."""
    from django.urls import reverse
    from django.utils.translation import gettext as _
    from django.utils.translation import gettext_lazy

    from cohorts.navigation import COHORT_OBJECT_ACTIONS
    from jobcenters.navigation import ObjectAction
    from jobcenters.permissions import Perm
    from participants.navigation import ENROLMENT_ACTIONS
    from privacy.processing import RECORD_DETAILS

    from .certificates import cohort_has_ended, has_certificate

    def cohort_certificates(cohort, jc, query=""):
        return reverse("documents:cohort_certificates", kwargs={"jc": jc, "pk": cohort.pk}) + query

    def cohort_details(parameters):
        return _("%(cohort)s (%(count)s people)") % {
            "cohort": parameters.get("cohort_code", ""),
            "count": len(parameters.get("participants", []))}

    ENROLMENT_ACTIONS.register(ObjectAction(
        "documents:certificate", gettext_lazy("Teilnahmebescheinigung"),
        Perm.MANAGE_DOCUMENTS, 50,
        url=lambda e, jc: reverse("documents:certificate", kwargs={"jc": jc, "pk": e.pk}),
        shown=has_certificate))
    COHORT_OBJECT_ACTIONS.register(
        ObjectAction("documents:cohort_certificates", gettext_lazy("Certificates (PDF)"),
                     Perm.MANAGE_DOCUMENTS, 50, url=cohort_certificates, shown=cohort_has_ended),
        ObjectAction("documents:cohort_certificates_zip", gettext_lazy("Certificates (ZIP)"),
                     Perm.MANAGE_DOCUMENTS, 55,
                     url=lambda cohort, jc: cohort_certificates(cohort, jc, "?format=zip"),
                     shown=cohort_has_ended))
    RECORD_DETAILS["certificates_pdf"] = RECORD_DETAILS["certificates_zip"] = cohort_details


def _documents():
    """The person's documents page, and what the employer service sees of a card."""
    from django.db.models import Max
    from django.urls import reverse
    from django.utils.translation import gettext_lazy

    from jobcenters.navigation import ObjectAction
    from jobcenters.permissions import Data, Perm
    from participants.navigation import PARTICIPANT_ACTIONS, PARTICIPANT_BOXES

    from .models import CardLink

    def card_box(membership, participant):
        """That a card with a live link exists and until when: no link, no token."""
        valid_until = (CardLink.objects.visible_to(membership, kind=Data.PLACEMENT).live()
                       .filter(participant=participant)
                       .aggregate(until=Max("expires_on"))["until"])
        return None if valid_until is None else {"valid_until": valid_until}

    PARTICIPANT_ACTIONS.register(ObjectAction(
        "documents:participant", gettext_lazy("Documents"), Perm.MANAGE_DOCUMENTS, 20,
        url=lambda participant, jc: reverse("documents:participant",
                                            kwargs={"jc": jc, "pk": participant.pk})))
    PARTICIPANT_BOXES["documents/_card_box.html"] = card_box


def connect():
    _certificates()
    _documents()
