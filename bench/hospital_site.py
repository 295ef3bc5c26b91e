# ruff: noqa: E501 - data rows read best on one line
"""The hospital of bench/hospital_morning.py: the demo RSUD (shared/demo_rsud.py) at a real size.

Same services, waiting targets and pathway "Rawat Jalan" as the demo, seeded by the same code
(shared/seed.py, shared/seed_health.py), but with the windows, rooms and doctors a regency
hospital opens on a weekday morning: 11 registration windows (or as many as asked), 12 polis
with 20 doctors (30 patients a session, 24 JKN), 8 pharmacy windows and 2 cashiers.
"""

from __future__ import annotations

import copy

from shared import demo_data
from shared.demo_rsud import RSUD, _poli

# (BPJS poli code, prefix, name, doctors, share of the morning's patients)
POLIS = [
    ("INT", "C", "Poli Penyakit Dalam", 3, 18),
    ("ANA", "D", "Poli Anak", 2, 10),
    ("OBG", "E", "Poli Kebidanan dan Kandungan", 2, 10),
    ("BED", "F", "Poli Bedah", 2, 10),
    ("SAR", "G", "Poli Saraf", 2, 10),
    ("JAN", "H", "Poli Jantung", 2, 10),
    ("MAT", "I", "Poli Mata", 2, 9),
    ("THT", "J", "Poli THT", 1, 5),
    ("KLT", "L", "Poli Kulit dan Kelamin", 1, 4),
    ("GIG", "M", "Poli Gigi", 1, 4),
    ("ORT", "N", "Poli Orthopedi", 1, 5),
    ("PAR", "O", "Poli Paru", 1, 5),
]
POLI_MINUTES = 8  # 30 patients × 8 minutes: the doctor's 08:00–12:00
PHARMACY = [["RS-NONRACIK"]] * 5 + [["RS-RACIK"]] * 2 + [["RS-RACIK", "RS-NONRACIK"]]
CASHIER = [["RS-BAYAR"]] * 2


def _counters(first: int, label: str, zone: str, rows: list[list[str]]) -> list[tuple]:
    return [(first + i, f"{label} {i + 1}", zone, codes) for i, codes in enumerate(rows)]


def registration_windows(jkn: int = 7, umum: int = 3) -> list[list[str]]:
    """JKN windows, umum windows, and one that takes both."""
    return [["RS-JKN"]] * jkn + [["RS-UMUM"]] * umum + [["RS-JKN", "RS-UMUM"]]


def hospital_spec(registration: list[list[str]] | None = None) -> dict:
    """A site spec in the demo's shape (shared/demo_sites.py) for ``shared.seed._seed_site``."""
    spec = copy.deepcopy(RSUD)
    spec["site"] |= {"slug": "rsud-bench", "name": "RSUD (bench)"}
    spec["hours"] = demo_data.ALL_DAY
    spec["users"], spec["staff"], spec["bookable"], spec["displays"] = "bench.", [], {}, []
    agencies = {a[1]: a for a in RSUD["agencies"]}
    registration_agency, pharmacy, cashier = (
        agencies["Pendaftaran"],
        agencies["Farmasi"],
        agencies["Kasir"],
    )
    number = 1
    rows = []
    for agency, label, zone, counters in (
        (registration_agency, "Loket Pendaftaran", "Lobi", registration or registration_windows()),
        (pharmacy, "Loket Farmasi", "Farmasi", PHARMACY),
        (cashier, "Kasir", "Lobi", CASHIER),
    ):
        rows.append((*agency[:4], _counters(number, label, zone, counters)))
        number += len(counters)
    spec["doctors"] = []
    for code, prefix, name, doctors, _share in POLIS:
        rooms = _counters(number, f"Ruang {code}", "Poliklinik", [[code]] * doctors)
        rows.append(
            (
                name,
                name.removeprefix("Poli "),
                "#b91c1c",
                [_poli(code, prefix, name, POLI_MINUTES, None)],
                rooms,
            )
        )
        for index, room in enumerate(rooms):
            bpjs = f"{1000 + len(spec['doctors']) + 1}"
            spec["doctors"].append(
                (code, f"dr. {code} {index + 1}", bpjs, room[0], range(6), "08:00", "12:00", 30, 24)
            )
        number += doctors
        spec["service_settings"][code] = {"wait_target_minutes": 60}
    spec["agencies"] = rows
    codes = [p[0] for p in POLIS]
    spec["pathways"] = [
        (
            "Rawat Jalan",
            [
                (1, "Pendaftaran", "registration", None, False, ["RS-JKN", "RS-UMUM"]),
                (2, "Poli", "poli", None, False, codes),
                (3, "Farmasi", "pharmacy", None, True, ["RS-NONRACIK", "RS-RACIK"]),
                (4, "Kasir", "cashier", "umum", False, ["RS-BAYAR"]),
            ],
        )
    ]
    return spec
