"""``antre kiosk add`` registers a kiosk and shows its token once."""

from __future__ import annotations

import re

from sqlalchemy import select

from shared.models import Kiosk
from shared.seed import token_hash


def test_kiosk_add(runner, app_session):
    result = runner(
        "kiosk", "add", "--name", "Kiosk Lantai 2", "--printer", "tcp://10.0.0.9:9100",
        "--paper", "58", "--profile", "POS-5890", "--raster-qr", "--agencies", "2,4",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    token = re.search(r"token \(shown only now\): (\S+)", result.output).group(1)
    kiosk = app_session.execute(select(Kiosk).where(Kiosk.name == "Kiosk Lantai 2")).scalar_one()
    assert kiosk.token_hash == token_hash(token) and token not in kiosk.token_hash
    assert (kiosk.printer_uri, kiosk.paper_width, kiosk.printer_profile) == (
        "tcp://10.0.0.9:9100",
        58,
        "POS-5890",
    )
    assert kiosk.native_qr is False and kiosk.agency_ids == [2, 4]


def test_kiosk_add_refuses_a_bad_printer(runner):
    result = runner("kiosk", "add", "--name", "X", "--printer", "lpt://1")
    assert result.exit_code != 0 and "unknown printer type" in result.output
