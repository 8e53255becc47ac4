"""The German catalogue is complete, compiled and consistent with the source strings.

Parses locale/de/LC_MESSAGES/django.po with the standard library only. After adding
strings, run `make messages` (or makemessages -l de), translate, and `make compilemessages`.
"""

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

LC_MESSAGES = Path(settings.BASE_DIR) / "locale" / "de" / "LC_MESSAGES"
PO_FILE = LC_MESSAGES / "django.po"
MO_FILE = LC_MESSAGES / "django.mo"

# %(name)s, %(count)d, %s, %d … but not a literal "%%".
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifeEgGxXocr]")


@dataclass
class Entry:
    line: int
    flags: set = field(default_factory=set)
    fields: dict = field(default_factory=dict)  # "msgid", "msgstr", "msgstr[0]", …
    obsolete: bool = False

    @property
    def msgid(self):
        return self.fields.get("msgid", "")

    @property
    def msgstrs(self):
        return {k: v for k, v in self.fields.items() if k.startswith("msgstr")}

    @property
    def is_header(self):
        return self.msgid == "" and "msgctxt" not in self.fields

    def label(self):
        ctxt = f" [context {self.fields['msgctxt']!r}]" if "msgctxt" in self.fields else ""
        return f"line {self.line}: {self.msgid!r}{ctxt}"


def _unquote(text, line_no):
    text = text.strip()
    if not (len(text) >= 2 and text[0] == '"' and text[-1] == '"'):
        raise ValueError(f"{PO_FILE.name}:{line_no}: expected a quoted string, got {text!r}")
    return ast.literal_eval(text)


def parse_po(path=PO_FILE):
    """Return the entries of a .po file (a minimal parser for what makemessages writes)."""
    entries, current, last_key = [], None, None

    def start(line_no):
        nonlocal current
        if current is None:
            current = Entry(line=line_no)
            entries.append(current)
        return current

    for line_no, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            current, last_key = None, None
            continue
        if line.startswith("#~"):
            start(line_no).obsolete = True
            continue
        if line.startswith("#,"):
            start(line_no).flags.update(f.strip() for f in line[2:].split(",") if f.strip())
            continue
        if line.startswith("#"):
            start(line_no)
            continue
        if line.startswith('"'):
            if current is None or last_key is None:
                raise ValueError(f"{path.name}:{line_no}: continuation line without a keyword")
            current.fields[last_key] += _unquote(line, line_no)
            continue
        keyword, _, rest = line.partition(" ")
        entry = start(line_no)
        if "msgid" not in entry.fields and keyword != "msgctxt":
            entry.line = line_no
        entry.fields[keyword] = _unquote(rest, line_no)
        last_key = keyword
    return [e for e in entries if not e.obsolete and "msgid" in e.fields]


@pytest.fixture(scope="module")
def entries():
    assert PO_FILE.exists(), f"{PO_FILE} is missing: run makemessages -l de"
    return parse_po()


def test_the_header_declares_german_utf8_and_plural_forms(entries):
    header = next(e for e in entries if e.is_header)
    assert "fuzzy" not in header.flags, "the header is marked fuzzy"
    text = header.fields["msgstr"]
    assert "Language: de\n" in text
    assert "Content-Type: text/plain; charset=UTF-8\n" in text
    assert "Plural-Forms: nplurals=2; plural=(n != 1);\n" in text


def test_every_entry_is_translated_and_not_fuzzy(entries):
    problems = []
    for entry in entries:
        if entry.is_header:
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"{entry.label()} is marked fuzzy")
        empty = [k for k, v in entry.msgstrs.items() if not v.strip()]
        if not entry.msgstrs:
            problems.append(f"{entry.label()} has no msgstr")
        elif empty:
            problems.append(f"{entry.label()} has an empty {', '.join(empty)}")
    assert not problems, (
        f"{len(problems)} untranslated or fuzzy entries in {PO_FILE}:\n" + "\n".join(problems)
    )


def test_placeholders_are_kept_in_every_translation(entries):
    problems = []
    for entry in entries:
        if entry.is_header:
            continue
        if "python-format" not in entry.flags and "%(" not in entry.msgid:
            continue
        sources = [entry.msgid] + (
            [entry.fields["msgid_plural"]] if "msgid_plural" in entry.fields else []
        )
        expected = sorted(set().union(*(PLACEHOLDER.findall(s) for s in sources)))
        for key, value in entry.msgstrs.items():
            if not value:
                continue  # reported by the completeness test
            found = sorted(set(PLACEHOLDER.findall(value)))
            if found != expected:
                problems.append(f"{entry.label()}: {key} has {found}, expected {expected}")
    assert not problems, "placeholders differ from the source string:\n" + "\n".join(problems)


def test_the_compiled_catalogue_matches_the_po_file(entries):
    assert MO_FILE.exists(), f"{MO_FILE} is missing: run `make compilemessages`"
    with MO_FILE.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)._catalog
    stale = []
    for entry in entries:
        if entry.is_header or "fuzzy" in entry.flags:
            continue
        key = entry.msgid
        if "msgctxt" in entry.fields:
            key = f"{entry.fields['msgctxt']}\x04{key}"
        if "msgid_plural" in entry.fields:
            for name, value in entry.msgstrs.items():
                index = int(name[len("msgstr["):-1])
                if value and catalogue.get((key, index)) != value:
                    stale.append(f"{entry.label()} {name}")
        elif entry.fields.get("msgstr") and catalogue.get(key) != entry.fields["msgstr"]:
            stale.append(entry.label())
    assert not stale, "django.mo is out of date, run `make compilemessages`:\n" + "\n".join(stale)


@pytest.mark.parametrize(
    ("source", "german"),
    [
        ("Log in", "Anmelden"),
        ("Log out", "Abmelden"),
        ("Cohorts", "Gruppen"),
        ("My cohorts", "Meine Gruppen"),
        ("Participants", "Teilnehmende"),
        ("Today", "Heute"),
        ("Administration", "Verwaltung"),
        ("Reports", "Auswertung"),
        ("Skip to content", "Zum Inhalt springen"),
        ("You do not have a role in any jobcenter yet.",
         "Sie haben noch keine Rolle in einem Jobcenter."),
        ("Your password has been changed.", "Ihr Passwort wurde geändert."),
    ],
)
def test_key_ui_strings_are_german(source, german):
    with translation.override("de"):
        assert translation.gettext(source) == german


def test_placeholders_are_filled_in_german():
    with translation.override("de"):
        assert translation.gettext("Good day, %(name)s") % {"name": "Anna"} == "Guten Tag, Anna"


def test_german_is_the_default_language():
    assert settings.LANGUAGE_CODE == "de"
