"""The top bar: which entries a role sees (UX.md, Navigation).

The app that owns a page registers its entry, as pretix's apps answer its `nav_event`
signal: each app's `navigation.py` names its own URLs and calls `TOP_BAR.register(…)` from
its `AppConfig.ready()`. This app names none of theirs; `position` keeps the order on screen
whatever the order of INSTALLED_APPS.
"""

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .permissions import Perm


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    permission: Perm | None
    position: int
    # Active on its own page only, not on the pages below its address (the start page,
    # whose address is the prefix of every page of the jobcenter).
    exact: bool = False


class NavRegistry:
    """Entries registered by the apps that own their pages, kept in order of `position`."""

    def __init__(self, name: str):
        self.name = name
        self._entries: dict[str, NavEntry] = {}

    def register(self, *entries: NavEntry) -> None:
        for entry in entries:
            taken = next((e for e in self._entries.values() if e.position == entry.position
                          and e.url_name != entry.url_name), None)
            if taken is not None:
                raise ImproperlyConfigured(
                    f"{self.name}: {entry.url_name} and {taken.url_name} both want "
                    f"position {entry.position}")
            self._entries[entry.url_name] = entry  # registering twice replaces, not repeats

    def entries(self) -> list[NavEntry]:
        return sorted(self._entries.values(), key=lambda e: e.position)

    def visible_to(self, membership) -> list[NavEntry]:
        return [e for e in self.entries()
                if e.permission is None or membership.can(e.permission)]


TOP_BAR = NavRegistry("top bar")

ADMINISTRATION = NavEntry(_("Administration"), "jobcenters:staff", Perm.VIEW_SETUP, 60)


def connect():
    TOP_BAR.register(ADMINISTRATION)


def navigation_for(membership, current_path):
    items = []
    for entry in TOP_BAR.visible_to(membership):
        url = reverse(entry.url_name, kwargs={"jc": membership.jobcenter.code})
        active = current_path == url if entry.exact else current_path.startswith(url)
        items.append({"label": entry.label, "url": url, "active": active})
    return items
