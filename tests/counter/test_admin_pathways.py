"""The admin pages of a site's pathways: steps added, reordered and removed, validated in
Indonesian, audited, and none of another site's business."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from shared.models import AuditLog, Pathway
from tests.counter import health_admin

hospital, admin_rs = health_admin.hospital, health_admin.admin_rs
post, text = health_admin.post, health_admin.text


def step(i, name, stage, services, payer="", optional=False):
    form = {
        f"steps-{i}-name": name,
        f"steps-{i}-stage": stage,
        f"steps-{i}-payer": payer,
        f"steps-{i}-services": [str(s.id) for s in services],
    }
    if optional:
        form[f"steps-{i}-optional"] = "1"
    return form


def pathway_form(name, *steps, active=True):
    form = {"name": name, "steps-count": str(len(steps))}
    if active:
        form["active"] = "1"
    for i, row in enumerate(steps):
        form.update(step(i, *row))
    return form


def test_the_list_shows_each_pathway_and_its_steps_in_indonesian(admin_rs, hospital):
    page = text(admin_rs.get("/counter/admin/pathways/"))
    assert "Alur layanan" in page and "<th>Langkah, berurutan</th>" in page
    assert "Pendaftaran → Poli → Farmasi → Kasir" in page
    edit = text(admin_rs.get(f"/counter/admin/pathways/{hospital.pathway.id}"))
    assert 'name="steps-count" value="4"' in edit
    assert "<th>Tahap</th>" in edit and "Naikkan" in edit and "Tambah langkah" in edit
    assert 'value="Kasir"' in edit and ">Umum</option>" in edit


def test_a_new_pathway_is_saved_with_its_steps_and_audited(admin_rs, hospital, db):
    h = hospital
    form = pathway_form(
        "Poli gigi",
        ("Pendaftaran", "registration", [h.reg_jkn, h.reg_umum]),
        ("Poli", "poli", [h.poli]),
        ("Kasir", "cashier", [h.cashier], "umum"),
    )
    assert post(admin_rs, "/counter/admin/pathways/new", form).status_code == 302
    db.expire_all()
    made = db.execute(select(Pathway).where(Pathway.name == "Poli gigi")).scalar_one()
    assert made.site_id == h.site.id
    assert [(s.position, s.name, s.stage, s.payer) for s in made.steps] == [
        (1, "Pendaftaran", "registration", None),
        (2, "Poli", "poli", None),
        (3, "Kasir", "cashier", "umum"),
    ]
    assert [s.id for s in made.steps[0].services] == [h.reg_jkn.id, h.reg_umum.id]
    audit = db.execute(select(AuditLog).where(AuditLog.action == "pathways.create")).scalar_one()
    assert audit.target_id == made.id
    after = audit.details["changes"]["steps"][1]
    assert [s["name"] for s in after] == ["Pendaftaran", "Poli", "Kasir"]


def test_moving_and_removing_steps_comes_back_unsaved_then_saves_in_the_new_order(
    admin_rs, hospital, db
):
    h = hospital
    path = f"/counter/admin/pathways/{h.pathway.id}"
    form = pathway_form(
        "Rawat jalan",
        ("Pendaftaran", "registration", [h.reg_jkn, h.reg_umum]),
        ("Poli", "poli", [h.poli]),
        ("Farmasi", "pharmacy", [h.non_racikan, h.racikan], "", True),
        ("Kasir", "cashier", [h.cashier], "umum"),
    )
    moved = post(admin_rs, path, {**form, "rows": "steps:3:up"})  # the cashier before pharmacy
    assert moved.status_code == 200
    page = text(moved)
    assert page.index('value="Kasir"') < page.index('value="Farmasi"')
    db.expire_all()
    assert [s.name for s in db.get(Pathway, h.pathway.id).steps][-1] == "Kasir"  # not saved
    removed = text(post(admin_rs, path, {**form, "rows": "steps:2:remove"}))
    assert 'name="steps-count" value="3"' in removed and 'value="Farmasi"' not in removed
    added = text(post(admin_rs, path, {**form, "rows": "steps:add"}))
    assert 'name="steps-count" value="5"' in added
    # Saved in the new order: positions 1..n again.
    reordered = pathway_form(
        "Rawat jalan",
        ("Pendaftaran", "registration", [h.reg_jkn, h.reg_umum]),
        ("Poli", "poli", [h.poli]),
        ("Kasir", "cashier", [h.cashier], "umum"),
        ("Farmasi", "pharmacy", [h.non_racikan, h.racikan], "", True),
    )
    assert post(admin_rs, path, reordered).status_code == 302
    db.expire_all()
    steps = db.get(Pathway, h.pathway.id).steps
    assert [(s.position, s.name, s.optional) for s in steps] == [
        (1, "Pendaftaran", False),
        (2, "Poli", False),
        (3, "Kasir", False),
        (4, "Farmasi", True),
    ]
    audit = db.execute(select(AuditLog).where(AuditLog.action == "pathways.update")).scalar_one()
    assert "steps" in audit.details["changes"]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([], "Tambahkan sedikitnya satu langkah."),
        ([("Poli", "poli", [])], "Langkah 1: pilih sedikitnya satu layanan."),
        ([("", "poli", "poli")], "Langkah 1: tulis namanya."),
    ],
)
def test_a_pathway_needs_steps_with_services(admin_rs, hospital, db, rows, message):
    rows = [(n, s, [hospital.poli] if svc else []) for n, s, svc in rows]
    answer = post(admin_rs, "/counter/admin/pathways/new", pathway_form("Baru", *rows))
    assert answer.status_code == 422
    assert message in text(answer) and 'id="error-steps"' in text(answer)
    assert db.execute(select(Pathway).where(Pathway.name == "Baru")).scalar() is None


def test_a_step_takes_services_of_its_own_site_only(admin_rs, hospital, site_b, db):
    form = pathway_form("Baru", ("Poli", "poli", [site_b["service"]]))
    answer = post(admin_rs, "/counter/admin/pathways/new", form)
    assert answer.status_code == 422
    assert "Langkah 1: pilih layanan lokasi ini saja." in text(answer)


def test_another_sites_admin_gets_404_and_supervisors_403(staff, hospital, site_b, db):
    path = f"/counter/admin/pathways/{hospital.pathway.id}"
    admin_b = staff("admin.b")
    assert admin_b.get(path).status_code == 404
    form = pathway_form("Diambil alih", ("Loket", "other", [site_b["service"]]))
    assert post(admin_b, path, form).status_code == 404
    assert "Rawat jalan" not in text(admin_b.get("/counter/admin/pathways/"))
    db.expire_all()
    assert db.get(Pathway, hospital.pathway.id).name == "Rawat jalan"
    assert staff("spv.b").get("/counter/admin/pathways/").status_code == 403


def test_the_installation_admin_works_on_the_site_switched_to(staff, hospital, db):
    admin = staff("admin")
    slug = hospital.site.slug
    at_hospital = text(admin.get(f"/counter/admin/pathways/?site={slug}"))
    assert "Rawat jalan" in at_hospital
    new = text(admin.get("/counter/admin/pathways/new"))  # the site chosen is kept
    assert f'value="{hospital.poli.id}"' in new
    form = pathway_form("Gigi", ("Poli gigi", "poli", [hospital.poli]))
    assert post(admin, "/counter/admin/pathways/new", form).status_code == 302
    db.expire_all()
    made = db.execute(select(Pathway).where(Pathway.name == "Gigi")).scalar_one()
    assert made.site_id == hospital.site.id
    admin.get("/counter/admin/")  # the "saved" message shown
    mall = text(admin.get("/counter/admin/pathways/?site=mpp-tebo"))
    assert "Rawat jalan" not in mall and "Gigi" not in mall, mall


def test_hostile_row_counts_and_buttons_answer_a_form_not_an_error(admin_rs, hospital):
    path = f"/counter/admin/pathways/{hospital.pathway.id}"
    for form in (
        {"name": "X", "steps-count": "banyak"},
        {"name": "X", "steps-count": "-5"},
        {"name": "X", "steps-count": "100000"},
    ):
        answer = post(admin_rs, path, form)
        assert answer.status_code == 422
        assert "Tambahkan sedikitnya satu langkah." in text(answer)
    for action in ("steps:99:up", "steps:x:down", "nothing:add", "steps:0:sideways"):
        form = {"name": "X", "steps-count": "1", "rows": action}
        assert post(admin_rs, path, form).status_code in (200, 422), action
