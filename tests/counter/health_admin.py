"""A test hospital with its own site admin, for the admin pages of pathways and doctors."""

from __future__ import annotations

import pytest

from shared.models import StaffUser
from shared.web.i18n import COOKIE
from tests.counter.conftest import csrf_of
from tests.factories import Factory
from tests.hospital import build_hospital


@pytest.fixture
def hospital(db):
    h = build_hospital(Factory(db))
    Factory(db).user(StaffUser.ADMIN, username="admin.rs", site_id=h.site.id)
    db.commit()
    return h


@pytest.fixture
def admin_rs(staff, hospital):
    client = staff("admin.rs")
    client.set_cookie(COOKIE, "id")
    return client


def post(client, path, form):
    return client.post(path, data={"csrf_token": csrf_of(client, "/counter/admin/"), **form})


def text(answer) -> str:
    return answer.get_data(as_text=True)
