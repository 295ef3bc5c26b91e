"""The first save of a new service or kiosk: defaults filled in, what else is needed said, and
the kiosk's ready-to-open link (rendered in Indonesian)."""

from __future__ import annotations

import hashlib
import re
from html.parser import HTMLParser

from sqlalchemy import select

from shared.models import Kiosk, Service
from tests.counter.conftest import agency_by_short, csrf_of


class FormReader(HTMLParser):
    """The values a browser would submit for the page's admin form."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}
        self.in_form = self.done = False
        self.select = self.textarea = None
        self.first_option = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and not self.done and "admin-form" in a.get("class", ""):
            self.in_form = True
        if not self.in_form:
            return
        if tag == "input" and a.get("type") not in ("submit", "file"):
            if a.get("type") == "checkbox" and "checked" not in a:
                return
            self.values[a["name"]] = a.get("value") or ""
        elif tag == "select":
            self.select, self.first_option = a["name"], None
        elif tag == "option" and self.select:
            if self.first_option is None:
                self.first_option = a.get("value", "")
                self.values[self.select] = self.first_option
            if "selected" in a:
                self.values[self.select] = a.get("value", "")
        elif tag == "textarea":
            self.textarea = a["name"]
            self.values[self.textarea] = ""

    def handle_data(self, data):
        if self.in_form and self.textarea:
            self.values[self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "form" and self.in_form:
            self.in_form, self.done = False, True


def form_values(page: str) -> dict[str, str]:
    reader = FormReader()
    reader.feed(page)
    return reader.values


def test_a_new_service_saves_first_time_with_only_its_names_typed(staff, db):
    admin = staff("admin")
    page = admin.get("/counter/admin/services/new").get_data(as_text=True)
    form = form_values(page)
    form.update(agency_id=str(agency_by_short(db, "Samsat").id), code="BARU", name="Layanan Baru")
    form.update(prefix="BR")
    answer = admin.post("/counter/admin/services/new", data=form)
    assert answer.status_code == 302, re.findall(r'class="field-error"[^>]*>([^<]+)', answer.text)
    service = db.execute(select(Service).where(Service.code == "BARU")).scalar_one()
    # The model's defaults, shown on the form (one place for them: the model).
    assert (service.avg_service_minutes, service.priority_ratio, service.recall_limit) == (10, 2, 2)
    assert service.display_order == 0 and service.active


def test_a_service_without_a_counter_is_pointed_out_with_the_way_to_fix_it(staff, db):
    admin = staff("admin")
    form = form_values(admin.get("/counter/admin/services/new").get_data(as_text=True))
    form.update(agency_id=str(agency_by_short(db, "Samsat").id), code="BARU", name="Layanan Baru")
    form.update(prefix="BR")
    answer = admin.post("/counter/admin/services/new", data=form, follow_redirects=True)
    page = answer.get_data(as_text=True)
    assert "Belum ada loket yang melayani layanan ini" in page  # said right after saving
    notice = re.search(r'<div class="message warn" id="no-counter">(.*?)</div>', page, re.S)
    assert notice and "Layanan Baru" in notice.group(1)
    assert 'href="/counter/admin/counters/"' in notice.group(1)
    # The list says it on the service's own row; a service with a counter shows its number.
    row = re.search(r"<tr>(?:(?!</tr>).)*Layanan Baru(?:(?!</tr>).)*</tr>", page, re.S).group(0)
    assert "belum ada loket" in row.lower()


def test_a_new_kiosks_token_comes_with_its_ready_link(staff, db):
    admin = staff("admin")
    form = form_values(admin.get("/counter/admin/kiosks/new").get_data(as_text=True))
    form.update(name="Kiosk Lantai 2")
    answer = admin.post("/counter/admin/kiosks/new", data=form)
    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    token = re.search(r'id="kiosk-token">([^<]+)<', page).group(1)
    link = f"http://antre.test/kiosk/?token={token}"
    assert f'value="{link}"' in page and 'data-copy="kiosk-link"' in page
    assert "Salin tautan" in page
    kiosk = db.execute(select(Kiosk).where(Kiosk.name == "Kiosk Lantai 2")).scalar_one()
    assert kiosk.token_hash == hashlib.sha256(token.encode()).hexdigest()
    # The link does what it says: it registers the kiosk's browser.
    opened = staff("admin").get(link.removeprefix("http://antre.test"))
    assert opened.status_code == 302 and "antre_kiosk" in opened.headers.get("Set-Cookie", "")
    rotated = admin.post(
        f"/counter/admin/kiosks/{kiosk.id}/token",
        data={"csrf_token": csrf_of(admin, "/counter/admin/")},
    )
    assert "/kiosk/?token=" in rotated.get_data(as_text=True)
