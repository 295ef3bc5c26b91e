"""What "untranslated" means, from the catalogues themselves.

Every msgid the sources mark (extracted on the fly with Babel, as ``make messages`` would, so a
string added without a catalogue entry counts) and every entry of the four Indonesian
catalogues. A msgid whose Indonesian differs from it must never show verbatim on a page served
in ``id``; a msgid without Indonesian (empty or fuzzy: ``pybabel compile`` drops fuzzy ones) is a
missing translation. A few English words are a second net for text never marked at all.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from shared.config import PROJECT_ROOT
from shared.web.i18n import PACKAGES

KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "N_": None}

# Words that are never Indonesian: seen on a page served in ``id``, something was not translated
# (or a Python None was printed). Whole words, case-sensitive.
ENGLISH_WORDS = (
    "Waiting",
    "Served",
    "Serving",
    "Counter",
    "Service",
    "Services",
    "Ticket",
    "Tickets",
    "Not appropriate",
    "Very",
    "Appropriate",
    "Fast",
    "Easy",
    "Cheap",
    "Free",
    "Polite",
    "Competent",
    "None",
    "Please",
    "Save",
    "Cancel",
    "Delete",
    "Back",
    "Next",
    "Call",
    "Finish",
    "Open",
    "Closed",
    "Paused",
    "today",
    "Today",
    "minutes",
    "the",
    "The",
    "and",
    "your",
    "Your",
    "with",
    "not",
    "is",
    "are",
    "of",
    "to",
    "for",
    "from",
    "cannot",
    "could",
    "configured",
)
# Codes that the database or an API keeps in English: shown alone, a label was forgotten.
CODES = {
    "none",
    "unknown",
    "online",
    "offline",
    "paper_low",
    "paper_out",
    "open",
    "paused",
    "closed",
    "waiting",
    "called",
    "serving",
    "done",
    "no_show",
    "cancelled",
    "transferred",
    "printed",
    "pending",
    "failed",
    "regular",
}
_ENGLISH = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, ENGLISH_WORDS)) + r")(?![\w-])")


@dataclass(frozen=True)
class Entry:
    msgid: str
    msgstr: str
    where: str  # the file that marks it, or the catalogue that holds it


def _po(package: str):
    path = PROJECT_ROOT / package / "translations" / "id" / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        return read_po(handle, locale="id")


@functools.cache
def catalogue() -> dict[str, str]:
    """msgid -> Indonesian, merged over the packages as Flask-Babel merges them at run time."""
    merged: dict[str, str] = {}
    for package in PACKAGES:
        for message in _po(package):
            if not message.id or isinstance(message.id, tuple):
                continue
            text = message.string if not message.fuzzy else ""
            if text and not merged.get(message.id):
                merged[message.id] = text
            merged.setdefault(message.id, "")
    return merged


@functools.cache
def marked() -> tuple[Entry, ...]:
    """Every msgid the sources mark for translation, where it is marked."""
    with (PROJECT_ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found = []
    for package in PACKAGES:
        for filename, _line, message, _comments, _context in extract_from_dir(
            PROJECT_ROOT / package, method_map, options_map, keywords=KEYWORDS
        ):
            for msgid in message if isinstance(message, tuple) else (message,):
                if msgid:
                    found.append(Entry(msgid, catalogue().get(msgid, ""), f"{package}/{filename}"))
    return tuple(found)


@functools.cache
def _telltales() -> tuple[list[tuple[str, re.Pattern]], set[str]]:
    """The English msgids that have Indonesian of their own, as patterns (placeholders: any)."""
    patterns, exact = [], set()
    for msgid, msgstr in catalogue().items():
        if not msgstr or _squash(msgstr) == _squash(msgid):
            continue  # the same in both languages (a name, "OK", "NIK"): not a tell
        exact.add(_squash(msgid))
        if len(msgid.split()) >= 3:  # long enough to recognise inside a longer text
            parts = re.split(r"%\(\w+\)[sd]|%[sd]", _squash(msgid))
            patterns.append((msgid, re.compile(".+?".join(map(re.escape, parts)))))
    return patterns, exact


def _squash(text: str) -> str:
    return " ".join(text.split())


def english_in(texts) -> list[str]:
    """The pieces of visible text that are English: each as "text  <- why"."""
    patterns, exact = _telltales()
    found = []
    for raw in texts:
        text = _squash(raw)
        if not text:
            continue
        if text in exact or text.rstrip(".:…") in exact:
            found.append(f"{text!r}  <- an English msgid, shown as is")
            continue
        if text in CODES:
            found.append(f"{text!r}  <- a code shown as is")
            continue
        hit = next((msgid for msgid, p in patterns if p.search(text)), None)
        if hit:
            found.append(f"{text!r}  <- contains the English msgid {hit!r}")
            continue
        word = _ENGLISH.search(text)
        if word:
            found.append(f"{text!r}  <- the English word {word.group()!r}")
    return found


class VisibleText(HTMLParser):
    """The text a person sees or hears: text nodes and the attributes read out or shown."""

    SKIP = {"script", "style", "code", "noscript", "template"}
    ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._skipping: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self._skipping.append(tag)
        values = dict(attrs)
        for name in self.ATTRIBUTES:
            if values.get(name):
                self.texts.append(values[name])
        button = tag == "input" and values.get("type") in ("submit", "button", "reset")
        if button and values.get("value"):
            self.texts.append(values["value"])
        if tag == "meta" and values.get("name") in ("description",) and values.get("content"):
            self.texts.append(values["content"])

    def handle_endtag(self, tag):
        if self._skipping and self._skipping[-1] == tag:
            self._skipping.pop()

    def handle_data(self, data):
        if not self._skipping:
            self.texts.append(data)


def visible_text(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    return parser.texts
