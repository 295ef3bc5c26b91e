"""The mall admin's pages, driven over HTTP like a browser: sign in, read a form's current values,
submit it. Benchmarks set up what they need (extra counters and clerks, a kiosk's printer)
through these public pages rather than behind the server's back."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import requests

from bench.day_clients import Staff

ROW = re.compile(r"<tr><td>(.*?)</td>.*?/counter/admin/(\w+)/(\d+)\"", re.S)


class _FormReader(HTMLParser):
    """The fields of the first POST form with ``class="... admin-form"`` as a browser would send."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.done = False
        self.select: str | None = None
        self.values: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and "admin-form" in (a.get("class") or "") and not self.done:
            self.inside = True
        if not self.inside:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind == "checkbox":
                if "checked" in a:
                    self.values.append((a["name"], a.get("value", "on")))
            elif kind != "password":
                self.values.append((a["name"], a.get("value") or ""))
        elif tag == "select":
            self.select = a.get("name")
        elif tag == "option" and self.select and "selected" in a:
            self.values.append((self.select, a.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "form" and self.inside:
            self.inside, self.done = False, True


def form_values(page: str) -> list[tuple[str, str]]:
    reader = _FormReader()
    reader.feed(page)
    return reader.values


class Admin(Staff):
    """The mall admin (``admin`` in the demo) signed in through the login form."""

    def __init__(self, base: str, username: str = "admin", password: str = "antre123"):
        super().__init__(base, username, password)

    def fetch(self, path: str) -> str:
        answer = self.http.get(f"{self.base}{path}", timeout=60)
        answer.raise_for_status()
        return answer.text

    def rows(self, key: str) -> list[tuple[str, int]]:
        """(first column, id) of every row of an admin list, e.g. ("12", 40) for counter 12."""
        page = self.fetch(f"/counter/admin/{key}/")
        return [(first, int(i)) for first, _key, i in ROW.findall(page)]

    def submit(self, path: str, changes: dict) -> requests.Response:
        """Post the form at ``path`` with its current values, ``changes`` replacing fields
        (a list value sends the field several times, as checkboxes do)."""
        current = form_values(self.fetch(path))
        data = [(name, value) for name, value in current if name not in changes]
        for name, value in changes.items():
            for one in value if isinstance(value, list) else [value]:
                if one is not None:
                    data.append((name, str(one)))
        answer = self.http.post(f"{self.base}{path}", data=data, timeout=60, allow_redirects=False)
        if answer.status_code not in (200, 302):
            raise RuntimeError(f"POST {path}: {answer.status_code} {answer.text[:300]}")
        if answer.status_code == 200 and "field-error" in answer.text:
            errors = re.findall(r'class="field-error"[^>]*>([^<]+)<', answer.text)
            raise RuntimeError(f"POST {path} refused: {errors}")
        return answer
