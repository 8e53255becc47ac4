"""Employer names as compared for duplicates: "Müller GmbH", "Mueller Gmbh." and
"Müller GmbH & Co. KG" are one employer (in the same town)."""

import re

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
# Legal forms at the end of a name (after punctuation became blanks), longest first.
_LEGAL_FORM = re.compile(
    r"\s+(gmbh & co kg|gmbh co kg|ug haftungsbeschraenkt|gmbh|mbh|ag|kg|ohg|gbr|e k|ek|e v|ev"
    r"|ug|se|ltd)$"
)


def _plain(text: str) -> str:
    text = text.lower().translate(_UMLAUTS)
    return " ".join(re.sub(r"[^\w\s&]", " ", text).split())


def name_key(name: str) -> str:
    key = _plain(name)
    while (shorter := _LEGAL_FORM.sub("", key)) != key:
        key = shorter
    return key


def town_key(town: str) -> str:
    return _plain(town)
