"""A site offers the priority groups its admin chose (none chosen: every group): its kiosk shows
only those, and a ticket in another group is refused."""

from __future__ import annotations

from sqlalchemy import select

from shared import queue
from shared.models import Counter, Site, Ticket
from tests.counter.test_images import csrf_of, mall_form, the_mall

ALL_DAY = {f"opening_hours_{day}": "00:00-24:00" for day in range(7)}


def test_the_site_admin_chooses_the_priority_groups(staff, anonymous, db):
    admin = staff("admin")
    mall = the_mall(db)
    page = admin.get(f"/counter/admin/mall/{mall.id}").get_data(as_text=True)
    assert 'name="priority_codes"' in page and "Lansia (60+)" in page
    answer = admin.post(
        f"/counter/admin/mall/{mall.id}",
        data={"csrf_token": csrf_of(admin, "/counter/admin/"), **mall_form(mall, **ALL_DAY)}
        | {"priority_codes": ["lansia"]},
    )
    assert answer.status_code == 302
    db.expire_all()
    assert db.get(Site, mall.id).priority_codes == ["lansia"]

    kiosk = anonymous().get(f"/kiosk/?site={mall.slug}").get_data(as_text=True)
    assert 'data-priority="lansia"' in kiosk and 'data-priority="disabilitas"' not in kiosk

    counter = db.execute(
        select(Counter).where(Counter.site_id == mall.id, Counter.number == 1)
    ).scalar_one()
    service_id = counter.services[0].id
    refused = None
    try:
        queue.issue_ticket(db, service_id, priority="disabilitas")
    except queue.DomainError as error:
        refused = error
    db.rollback()
    assert refused is not None and refused.code == "invalid_priority"
    taken = queue.issue_ticket(db, service_id, priority="lansia")
    db.commit()
    assert db.get(Ticket, taken.id).priority == "lansia"


def test_an_unknown_group_is_refused_by_the_form(staff, db):
    admin = staff("admin")
    mall = the_mall(db)
    answer = admin.post(
        f"/counter/admin/mall/{mall.id}",
        data={"csrf_token": csrf_of(admin, "/counter/admin/"), **mall_form(mall)}
        | {"priority_codes": ["vip"]},
    )
    assert answer.status_code == 422 or "Pilih salah satu" in answer.get_data(as_text=True)
    db.expire_all()
    assert db.get(Site, mall.id).priority_codes == []
