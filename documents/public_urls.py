"""The card's public page for employers: no login, the link's random token is the key."""

from django.urls import path

from . import public_views

app_name = "card"

urlpatterns = [
    path("<str:token>/", public_views.CardPageView.as_view(), name="page"),
    path("<str:token>/lebenslauf.pdf", public_views.CardCvView.as_view(), name="cv"),
    path("<str:token>/answer/", public_views.CardReplyView.as_view(), name="reply"),
]
