"""The card's public page for employers, at the address in the card's QR code: no login,
the link's random token is the key. It shows the short profile the person agreed to share,
their CV and a form to answer, nothing else; it is not indexed, not cached, limited per
client, and each opening is logged with its time only."""

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views import View
from django_ratelimit.core import is_ratelimited
from django_scopes import scope
from redis.exceptions import RedisError

from jobcenters.filenames import file_slug

from .downloads import stored_file_response
from .models import CardLinkOpening
from .public_forms import CardReplyForm
from .public_services import card_profile, card_reply_record, live_link, opening_record

logger = logging.getLogger(__name__)

# Per client address, counted in the rate limit's cache only (as a hash, never stored).
PAGE_RATE = getattr(settings, "CARD_PAGE_RATE", "30/m")
REPLY_RATE = getattr(settings, "CARD_REPLY_RATE", "5/h")


def client_key(group, request) -> str:
    """The client's address: behind PROXY_COUNT proxies (`AXES_IPWARE_PROXY_COUNT`) the
    one the outermost of them added to X-Forwarded-For (earlier entries can be forged).
    django-ratelimit keeps only a hash of it in the cache."""
    proxies = settings.AXES_IPWARE_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                 if part.strip()]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def limited(request, *, group: str, rate: str) -> bool:
    """Over the limit for this client? A counter that cannot be reached stops nobody."""
    try:
        return is_ratelimited(request, group=group, key=client_key, rate=rate, increment=True)
    except (OSError, RedisError):
        logger.warning("card page counter unavailable", exc_info=True)
        return False


def private(response):
    """Not indexed, not kept by a browser or proxy, its address (the token) never passed
    on to another site. Not "no-referrer": with it, browsers send the answer form with
    "Origin: null", which the CSRF check refuses."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    return response


@method_decorator(login_not_required, name="dispatch")
class PublicCardView(View):
    """A page behind a card link: 429 over the limit, 404 unless the link opens today; the
    rest runs in the link's jobcenter."""

    group = "card-page"

    def dispatch(self, request, token):
        if self.counts(request) and limited(request, group=self.group, rate=self.rate()):
            return private(render(request, "documents/public_limited.html", status=429))
        link = live_link(token=token)
        if link is None:
            return private(render(request, "documents/public_gone.html", status=404))
        with scope(jobcenter=link.jobcenter):
            self.link = link
            self.profile = card_profile(link)
            return private(super().dispatch(request))

    def counts(self, request) -> bool:
        return True

    def rate(self) -> str:
        return PAGE_RATE

    def page(self, request, form):
        person = self.link.participant
        return render(request, "documents/public_card.html", {
            "name": f"{person.first_name} {person.last_name}", "profile": self.profile,
            "sender": self.link.jobcenter.name, "form": form, "token": self.link.token,
        })


class CardPageView(PublicCardView):
    def get(self, request):
        opening_record(link=self.link, what=CardLinkOpening.What.PAGE)
        return self.page(request, CardReplyForm())


class CardCvView(PublicCardView):
    def get(self, request):
        profile = self.profile
        if profile is None or not profile.cv:
            return render(request, "documents/public_gone.html", status=404)
        person = self.link.participant
        name = file_slug(person.first_name, person.last_name) or "bewerbung"
        response = stored_file_response(profile.cv, filename=f"lebenslauf-{name}.pdf",
                                        content_type="application/pdf", download=True)
        if response is None:
            return render(request, "documents/public_gone.html", status=404)
        opening_record(link=self.link, what=CardLinkOpening.What.CV)
        return response


class CardReplyView(PublicCardView):
    """"Kontakt aufnehmen": the answer goes to the employer service as an activity."""

    group = "card-reply"
    http_method_names = ["post"]

    def counts(self, request) -> bool:
        return request.method == "POST"

    def rate(self) -> str:
        return REPLY_RATE

    def post(self, request):
        form = CardReplyForm(request.POST)
        if not form.is_valid():
            return self.page(request, form)
        if not form.is_spam:
            card_reply_record(
                link=self.link, company=form.cleaned_data["company"],
                contact_person=form.cleaned_data["contact_person"],
                contact=form.cleaned_data["contact"], message=form.cleaned_data["message"])
        return render(request, "documents/public_thanks.html",
                      {"sender": self.link.jobcenter.name})
