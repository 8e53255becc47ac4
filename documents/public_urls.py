"""The card's public page for employers: no login, the link's random token is the key."""

from django.urls import path  # noqa: F401

app_name = "card"

urlpatterns = [
]
