"""The Indonesian catalogues are well-formed files.

They are edited by hand and merged with git's union driver, which can glue two entries together
or leave a ``msgstr`` without its ``msgid``. ``pybabel compile`` quietly drops such a line, so
the translation is lost without a word: check each entry's shape here.
"""

from __future__ import annotations

import re

import pytest

from shared.config import PROJECT_ROOT
from shared.web.i18n import PACKAGES

KEYWORD = re.compile(r"^(msgctxt|msgid|msgid_plural|msgstr(\[\d+\])?) ")


def _entries(text: str) -> list[list[str]]:
    """Each entry's keyword lines (comments and continuation strings left out)."""
    blocks = re.split(r"\n\s*\n", text)
    return [[m[1] for line in b.splitlines() if (m := KEYWORD.match(line))] for b in blocks]


@pytest.mark.parametrize("package", PACKAGES)
def test_every_entry_has_one_msgid_and_its_msgstr(package):
    path = PROJECT_ROOT / package / "translations" / "id" / "LC_MESSAGES" / "messages.po"
    text = path.read_text(encoding="utf-8")
    bad = []
    for index, keys in enumerate(_entries(text)):
        if not keys:
            continue
        shape = [k for k in keys if k != "msgctxt"]
        plural = "msgid_plural" in shape
        ok = shape[:1] == ["msgid"] and (
            shape[1:] == ["msgstr"]
            or (
                plural
                and shape[1] == "msgid_plural"
                and all(k.startswith("msgstr[") for k in shape[2:])
            )
        )
        if not ok:
            bad.append((index, keys))
    assert bad == []


def _msgid(block: str) -> tuple[str, str]:
    """(context, msgid) of an entry, continuation lines joined."""
    found = {"msgctxt": "", "msgid": ""}
    current = None
    for line in block.splitlines():
        keyword = line.split(" ", 1)[0]
        if keyword in found:
            current = keyword
            found[keyword] = line[len(keyword) + 2 : -1]
        elif line.startswith('"') and current:
            found[current] += line[1:-1]
        else:
            current = None
    return found["msgctxt"], found["msgid"]


@pytest.mark.parametrize("package", PACKAGES)
def test_no_msgid_is_defined_twice(package):
    path = PROJECT_ROOT / package / "translations" / "id" / "LC_MESSAGES" / "messages.po"
    blocks = re.split(r"\n\s*\n", path.read_text(encoding="utf-8"))
    keys = [_msgid(b) for b in blocks if re.search(r"^msgid ", b, re.M)]
    twice = sorted({key for key in keys if keys.count(key) > 1})
    assert twice == []
