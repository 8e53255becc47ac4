"""Names in the order German readers expect (Ä with A, Ö with O, ß as ss, "Kurs 2" before
"Kurs 10"), on both databases.

Name fields carry `db_collation=GERMAN`, so every ordering, join and list sorts this way
without each query asking for it. PostgreSQL gets an ICU collation of that name (created by
migration jobcenters 0004); SQLite gets a Python collation of the same name on each new
connection. Both are deterministic: only identical strings compare equal, so unique
constraints, `=` and LIKE (`iexact`, `icontains`) behave as without a collation.
"""

import re
import unicodedata
from functools import lru_cache

from django.db import migrations

GERMAN = "german"
# German order with numbers by value (kn); ICU's German tailoring is the root order.
ICU_LOCALE = "de-u-kn-true"

# Letters without a decomposition that ICU sorts with a base letter, as in "Øzdemir".
_BASE_LETTERS = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ħ": "h", "æ": "ae", "œ": "oe"})
_DIGITS = re.compile(r"\d+")


def _by_value(match: re.Match) -> str:
    # A run of digits compares by its value: its length first, then the digits.
    digits = match[0].lstrip("0") or "0"
    return f"{len(digits):02d}{digits}"


@lru_cache(maxsize=8192)
def german_key(text: str) -> tuple[str, str, str, str]:
    """ICU's levels: base letters (case and accents folded, ß = ss), then accents
    (plain before accented), then case (lower before upper), then the text itself."""
    decomposed = unicodedata.normalize("NFD", text)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    primary = _DIGITS.sub(_by_value, base.casefold().translate(_BASE_LETTERS))
    secondary = _DIGITS.sub(_by_value, decomposed.casefold())
    tertiary = _DIGITS.sub(_by_value, decomposed.swapcase())
    return primary, secondary, tertiary, text


def german_compare(a: str, b: str) -> int:
    key_a, key_b = german_key(a), german_key(b)
    return (key_a > key_b) - (key_a < key_b)


def register_sqlite_collation(sender, connection, **kwargs):
    """connection_created receiver: SQLite knows the collation on every connection."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(GERMAN, german_compare)


def create_collation(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE COLLATION IF NOT EXISTS "{GERMAN}" '
            f"(provider = icu, locale = '{ICU_LOCALE}', deterministic = true)")


def drop_collation(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP COLLATION IF EXISTS "{GERMAN}"')


def create_collation_operation() -> migrations.RunPython:
    """The migration step that makes the collation before a field uses it."""
    return migrations.RunPython(create_collation, drop_collation, elidable=False)
