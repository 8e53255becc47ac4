"""The top bar, tabs and buttons: which entries a role sees (UX.md, Navigation).

The app that owns a page registers its entry, as pretix's apps answer its `nav_event`
signal: each app's `navigation.py` names its own URLs and calls `TOP_BAR.register(…)` from
its `AppConfig.ready()`. This app names none of theirs; `position` keeps the order on screen
whatever the order of INSTALLED_APPS.
"""

from collections.abc import Callable
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
    # Shown as the page's main action (a button among buttons).
    primary: bool = False

    @property
    def key(self) -> str:
        return self.url_name


def _always(obj) -> bool:
    return True


@dataclass(frozen=True)
class ObjectAction:
    """A button about one record (a row of a list, a person's page), registered by the app
    whose page it opens: `url(obj, jobcenter_code)` is that page, `shown(obj)` says
    whether it applies to this record (a job start only where there is none yet)."""

    key: str
    label: str
    permission: Perm | None
    position: int
    url: Callable[[object, str], str]
    shown: Callable[[object], bool] = _always


class NavRegistry:
    """Entries registered by the apps that own their pages, kept in order of `position`."""

    def __init__(self, name: str):
        self.name = name
        self._entries: dict[str, NavEntry | ObjectAction] = {}

    def register(self, *entries: NavEntry | ObjectAction) -> None:
        for entry in entries:
            taken = next((e for e in self._entries.values() if e.position == entry.position
                          and e.key != entry.key), None)
            if taken is not None:
                raise ImproperlyConfigured(
                    f"{self.name}: {entry.key} and {taken.key} both want "
                    f"position {entry.position}")
            self._entries[entry.key] = entry  # registering twice replaces, not repeats

    def entries(self) -> list[NavEntry | ObjectAction]:
        return sorted(self._entries.values(), key=lambda e: e.position)

    def visible_to(self, membership) -> list[NavEntry]:
        return [e for e in self.entries()
                if e.permission is None or membership.can(e.permission)]

    def links(self, membership, *, current: str = "", **kwargs) -> list[dict]:
        """The entries the member sees as links: `kwargs` fill each URL beside the
        jobcenter's code, and `current` is the URL name of the page shown."""
        kwargs = {"jc": membership.jobcenter.code, **kwargs}
        return [{"label": e.label, "url": reverse(e.url_name, kwargs=kwargs),
                 "active": e.url_name == current, "primary": e.primary}
                for e in self.visible_to(membership)]

    def actions_for(self, membership, obj) -> list[dict]:
        """The registered `ObjectAction`s the member may take on this record."""
        code = membership.jobcenter.code
        return [{"label": a.label, "url": a.url(obj, code)}
                for a in self.visible_to(membership) if a.shown(obj)]


TOP_BAR = NavRegistry("top bar")
# The administration area's tabs; every page there needs Perm.VIEW_SETUP (ManageMixin).
ADMIN_TABS = NavRegistry("administration tabs")

ADMINISTRATION = NavEntry(_("Administration"), "jobcenters:staff", Perm.VIEW_SETUP, 60)
TABS = (
    NavEntry(_("Staff"), "jobcenters:staff", None, 10),
    NavEntry(_("Sites"), "jobcenters:sites", None, 20),
)


def connect():
    TOP_BAR.register(ADMINISTRATION)
    ADMIN_TABS.register(*TABS)


def start_url(membership) -> str:
    """Where a member lands in a jobcenter: the first page of the top bar they see."""
    return reverse(TOP_BAR.visible_to(membership)[0].url_name,
                   kwargs={"jc": membership.jobcenter.code})


def navigation_for(membership, current_path):
    items = []
    for entry in TOP_BAR.visible_to(membership):
        url = reverse(entry.url_name, kwargs={"jc": membership.jobcenter.code})
        active = current_path == url if entry.exact else current_path.startswith(url)
        items.append({"label": entry.label, "url": url, "active": active})
    return items
