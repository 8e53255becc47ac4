"""File names for people: ASCII, as Germans write umlauts without them."""

import re
import unicodedata

from django.utils.text import slugify

# Letters slugify would drop or flatten: "Jäger" is "jaeger" in a file name, not "jager".
TRANSLITERATION = str.maketrans({
    "ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "ẞ": "SS",
    "ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "æ": "ae",
    "Æ": "Ae", "œ": "oe", "Œ": "Oe", "þ": "th",
})


def file_slug(*words: str) -> str:
    """The words as a file name part, German letters transliterated:
    `file_slug("Jäger", "Maria", "WA-2026-03")` is "jaeger-maria-wa-2026-03"."""
    text = " ".join(words).translate(TRANSLITERATION)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"-{2,}", "-", slugify(text))
