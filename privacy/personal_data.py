"""What the apps above this one keep about a person (documents, say): each registers it
here, so that anonymisation removes it and subject access lists it, without this app
knowing their models."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class PersonalData:
    key: str  # its name in the JSON answer
    title: str  # its heading on the printable answer
    # The rows stored about one person (a few queries, not one per row).
    rows: Callable[[object], Iterable[models.Model]]
    # Removes it for these participants' ids when they are anonymised, inside the
    # anonymisation's transaction (files: once it has committed); None: it goes with
    # another part (a cascade).
    erase: Callable[[list[int]], None] | None = None


PERSONAL_DATA: dict[str, PersonalData] = {}


def register(*parts: PersonalData) -> None:
    for part in parts:
        PERSONAL_DATA[part.key] = part
