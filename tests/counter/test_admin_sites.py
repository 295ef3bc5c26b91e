"""Administration with sites: who may make which staff, uniqueness per site, the Sites page, the
installation admin's site switcher and ``antre create-admin --site``."""

from __future__ import annotations

from sqlalchemy import select

from shared.models import Agency, Counter, Service, Site, StaffUser
from tests.counter.conftest import agency_by_short, csrf_of

PASSWORD = "loket-jeruk-42"


def post(client, path, form):
    return client.post(path, data={"csrf_token": csrf_of(client, "/counter/admin/"), **form})


def staff_form(username, role, site_id="", agency_id="", **extra):
    return {
        "username": username,
        "name": "Staf Baru",
        "role": role,
        "site_id": str(site_id),
        "agency_id": str(agency_id),
        "password": PASSWORD,
        "active": "1",
        **extra,
    }


def user(db, username) -> StaffUser | None:
    db.expire_all()
    return db.execute(select(StaffUser).where(StaffUser.username == username)).scalar()


def test_installation_admin_makes_site_and_installation_admins(staff, db, site_b):
    admin = staff("admin")
    b = site_b["site"].id
    made = post(admin, "/counter/admin/staff/new", staff_form("kepala.b", "admin", b))
    assert made.status_code == 302
    assert user(db, "kepala.b").site_id == b
    made = post(admin, "/counter/admin/staff/new", staff_form("diskominfo", "admin"))
    assert made.status_code == 302
    assert user(db, "diskominfo").is_installation_admin
    page = admin.get("/counter/admin/staff/").get_data(as_text=True)
    assert "diskominfo" in page and "Admin instalasi" in page


def test_a_new_account_is_of_the_site_worked_on_by_default(staff, site_b):
    page = staff("admin").get("/counter/admin/staff/new?site=site-b").get_data(as_text=True)
    assert f'<option value="{site_b["site"].id}" selected>' in page


def test_site_admin_makes_staff_of_their_own_site_only(staff, db, site_b):
    admin_b = staff("admin.b")
    b, agency_b = site_b["site"].id, site_b["agency"].id
    dukcapil = agency_by_short(db, "Dukcapil")
    refused = {
        "an installation admin": staff_form("x1", "admin"),
        "an admin of site A": staff_form("x2", "admin", dukcapil.site_id),
        "a clerk of A's agency": staff_form("x3", "clerk", b, dukcapil.id),
    }
    for what, form in refused.items():
        answer = post(admin_b, "/counter/admin/staff/new", form)
        assert answer.status_code == 422, what
        assert user(db, form["username"]) is None, what
    page = admin_b.get("/counter/admin/staff/new").get_data(as_text=True)
    assert "Dukcapil" not in page and "PKM-B" in page
    made = post(admin_b, "/counter/admin/staff/new", staff_form("loket.b", "clerk", b, agency_b))
    assert made.status_code == 302
    clerk = user(db, "loket.b")
    assert (clerk.site_id, clerk.agency_id) == (b, agency_b)
    # A's staff and the installation admin are none of B's admin's business.
    installation = user(db, "admin")
    assert admin_b.get(f"/counter/admin/staff/{installation.id}").status_code == 404
    assert admin_b.get(f"/counter/admin/staff/{user(db, 'dukcapil1').id}").status_code == 404


def test_a_clerk_takes_the_site_of_their_agency(staff, db, site_b):
    admin = staff("admin")
    dukcapil = agency_by_short(db, "Dukcapil")
    wrong = post(
        admin,
        "/counter/admin/staff/new",
        staff_form("x4", "clerk", site_b["site"].id, dukcapil.id),
    )
    assert wrong.status_code == 422 and "Instansi ini milik lokasi lain." in wrong.get_data(
        as_text=True
    )
    fine = staff_form("loket.a", "clerk", dukcapil.site_id, dukcapil.id)
    assert post(admin, "/counter/admin/staff/new", fine).status_code == 302
    assert user(db, "loket.a").site_id == dukcapil.site_id


def test_codes_prefixes_numbers_and_names_are_unique_per_site(staff, db, site_b):
    admin_b = staff("admin.b")
    agency_b = site_b["agency"].id
    ktp = db.execute(select(Service).where(Service.code == "KTP")).scalars().first()
    a_counter = db.execute(select(Counter).order_by(Counter.id)).scalars().first()
    service = {
        "agency_id": str(agency_b),
        "code": ktp.code,
        "name": "Layanan B",
        "prefix": "KT",
        "avg_service_minutes": "7",
        "priority_ratio": "2",
        "recall_limit": "2",
        "transfer_placement": "front",
        "booking_placement": "front",
        "display_order": "1",
        "active": "1",
        **{f"opening_hours_{d}": "" for d in range(7)},
    }
    assert post(admin_b, "/counter/admin/services/new", service).status_code == 302
    again = post(admin_b, "/counter/admin/services/new", {**service, "prefix": "KU"})
    assert again.status_code == 422  # B's own code now
    assert "Kode ini sudah dipakai layanan lain." in again.get_data(as_text=True)
    counter = {
        "agency_id": str(agency_b),
        "number": str(a_counter.number),
        "name": "Ruang 1",
        "services": str(site_b["service"].id),
    }
    assert post(admin_b, "/counter/admin/counters/new", counter).status_code == 302
    assert post(admin_b, "/counter/admin/counters/new", counter).status_code == 422
    dukcapil = agency_by_short(db, "Dukcapil")
    agency = {"name": dukcapil.name, "short_name": "DK", "colour": "#123456", "display_order": "1"}
    assert post(admin_b, "/counter/admin/agencies/new", agency).status_code == 302
    assert post(admin_b, "/counter/admin/agencies/new", agency).status_code == 422
    names = db.execute(select(Agency.site_id).where(Agency.name == dukcapil.name)).scalars()
    assert sorted(names) == sorted([dukcapil.site_id, site_b["site"].id])


def test_sites_page_is_the_installation_admins(staff, db, site_b):
    admin = staff("admin")
    form = {
        "name": "RSUD Uji",
        "slug": "rsud-uji",
        "kind": "hospital",
        "address": "Jl. Uji",
        "timezone": "Asia/Makassar",
        "default_language": "id",
        "active": "1",
    }
    for slug in ("RSUD Uji", "-rsud", "site-b"):
        answer = post(admin, "/counter/admin/sites/new", {**form, "slug": slug})
        assert answer.status_code == 422, slug
    assert post(admin, "/counter/admin/sites/new", form).status_code == 302
    made = db.execute(select(Site).where(Site.slug == "rsud-uji")).scalar_one()
    assert (made.kind, made.timezone) == ("hospital", "Asia/Makassar")
    for username in ("admin.b", "spv.b"):
        assert staff(username).get("/counter/admin/sites/").status_code == 403
        assert post(staff(username), "/counter/admin/sites/new", form).status_code == 403


def test_only_the_installation_admin_has_a_site_switcher(staff, site_b):
    page = staff("admin").get("/counter/admin/?site=site-b").get_data(as_text=True)
    assert 'id="site-switcher"' in page
    assert f'<option value="site-b" selected>{site_b["site"].name}</option>' in page
    for username in ("admin.b", "spv.b", "clerk.b"):
        assert 'id="site-switcher"' not in staff(username).get("/counter/pick").get_data(
            as_text=True
        )


def test_the_switch_is_remembered_and_scopes_the_lists(staff, site_b):
    admin = staff("admin")
    admin.get("/counter/admin/?site=site-b")
    agencies = admin.get("/counter/admin/agencies/").get_data(as_text=True)
    assert "PKM-B" in agencies and "Dukcapil" not in agencies


def test_create_admin_with_and_without_a_site(runner, app, db):
    slug = agency_by_short(db, "Dukcapil").site.slug
    db.commit()  # SQLite: the command writes while this session waits

    def create(username, *site):
        typed = "rahasia-sekali\nrahasia-sekali\n"
        return runner("create-admin", "--username", username, "--name", "K", *site, input=typed)

    site_admin = create("kepala", "--site", slug)
    assert site_admin.exit_code == 0 and "site admin" in site_admin.output
    unknown = create("k2", "--site", "nope")
    assert unknown.exit_code != 0 and "no active site" in unknown.output
    whole = create("k3")
    assert whole.exit_code == 0 and "installation admin" in whole.output
    assert user(db, "kepala").site.slug == slug and user(db, "k3").is_installation_admin
    assert user(db, "k2") is None


def test_reports_follow_the_sites_own_skm_weight(staff, db, site_b):
    site_b["site"].skm_weight = "0.11"
    db.commit()
    path = "/counter/reports/export.csv?scope=mall"
    assert "skm_weight,0.11" in staff("admin.b").get(path).get_data(as_text=True)
    assert "skm_weight,exact" in staff("admin").get(path).get_data(as_text=True)  # site A's
    page = staff("admin.b").get(f"/counter/admin/mall/{site_b['site'].id}")
    assert '<option value="0.11" selected>' in page.get_data(as_text=True)
