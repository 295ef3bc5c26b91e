"""A province on one installation: N sites seeded straight through the ORM, for bench/province.py.

    ANTRE_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1/x python -m bench.province_seed

Into a migrated, otherwise empty database: sites ``prov-001`` … (kinds mpp, hospital, puskesmas,
mobile in turn; time zones Asia/Jakarta, Asia/Makassar, Asia/Jayapura in turn; open round the
clock), each with 4 agencies of 2 services (prefixes A–H: the same in every site, unique within
one), 20 open counters (5 per agency, both its services) with a clerk each (``prov-001-01`` …,
all on one argon2 hash of the demo password, so that 2,000 accounts do not take 2,000 slow
hashes), a kiosk whose token is :func:`kiosk_token` and TV zones: "Lobi utama" (every agency)
and one per agency. A site already there is left alone, so running it twice adds nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select  # noqa: E402

from shared.accounts import DEMO_PASSWORD, hash_password  # noqa: E402
from shared.db import make_engine, make_session_factory  # noqa: E402
from shared.demo_data import ALL_DAY  # noqa: E402
from shared.models import Agency, Counter, Display, Kiosk, Service, Site, StaffUser  # noqa: E402
from shared.seed import token_hash  # noqa: E402

PASSWORD = DEMO_PASSWORD  # the clerks sign in with it (the cluster runs in demo mode)
SLUG = "prov-{:03d}"
MAIN_ZONE = "Lobi utama"
COUNTERS_PER_AGENCY = 5
TIMEZONES = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")
# kind: (site name, [(agency, short name, [(service code, name), (service code, name)])])
KINDS = {
    Site.MPP: (
        "MPP Kabupaten",
        [
            ("Dinas Kependudukan", "Dukcapil", [("KTP", "KTP-el"), ("KK", "Kartu Keluarga")]),
            ("Kantor Imigrasi", "Imigrasi", [("PASPOR", "Paspor baru"), ("PERPANJANG", "Paspor")]),
            ("BPJS Kesehatan", "BPJS", [("DAFTAR", "Pendaftaran"), ("UBAH", "Perubahan data")]),
            ("Samsat", "Samsat", [("PKB", "Pajak kendaraan"), ("BBN", "Balik nama")]),
        ],
    ),
    Site.HOSPITAL: (
        "RSUD",
        [
            ("Poli Umum", "Umum", [("UMUM", "Pemeriksaan umum"), ("KONTROL", "Kontrol")]),
            ("Poli Anak", "Anak", [("ANAK", "Pemeriksaan anak"), ("IMUN", "Imunisasi")]),
            ("Poli Gigi", "Gigi", [("GIGI", "Pemeriksaan gigi"), ("CABUT", "Tindakan gigi")]),
            ("Farmasi", "Farmasi", [("RESEP", "Resep"), ("RACIK", "Obat racikan")]),
        ],
    ),
    Site.PUSKESMAS: (
        "Puskesmas",
        [
            ("Pendaftaran", "Daftar", [("BARU", "Pasien baru"), ("LAMA", "Pasien lama")]),
            ("Balai Pengobatan", "BP", [("BP", "Pengobatan umum"), ("LANSIA", "Lansia")]),
            ("KIA", "KIA", [("KIA", "Ibu dan anak"), ("KB", "Keluarga berencana")]),
            ("Apotek", "Apotek", [("OBAT", "Pengambilan obat"), ("KONSUL", "Konsultasi")]),
        ],
    ),
    Site.MOBILE: (
        "Layanan Keliling",
        [
            ("Dukcapil Keliling", "Dukcapil", [("KTP", "KTP-el"), ("AKTA", "Akta kelahiran")]),
            ("Samsat Keliling", "Samsat", [("PKB", "Pajak kendaraan"), ("STNK", "STNK")]),
            ("Pajak Daerah", "Pajak", [("PBB", "PBB"), ("BPHTB", "BPHTB")]),
            ("Perizinan", "Izin", [("NIB", "NIB"), ("IMB", "PBG")]),
        ],
    ),
}


def kiosk_token(slug: str) -> str:
    """The device token of a site's kiosk (known to the benchmark; only its hash is stored)."""
    return f"bench-province-kiosk-{slug}"


def clerk_username(slug: str, counter_number: int) -> str:
    return f"{slug}-{counter_number:02d}"


def seed_site(session, index: int, password_hash: str) -> bool:
    """Site number ``index`` (1-based) with everything in it; False when it is already there."""
    slug = SLUG.format(index)
    if session.execute(select(Site.id).where(Site.slug == slug)).first() is not None:
        return False
    kind = Site.KINDS[(index - 1) % len(Site.KINDS)]
    title, agencies = KINDS[kind]
    site = Site(
        slug=slug,
        name=f"{title} {index:03d}",
        kind=kind,
        timezone=TIMEZONES[(index - 1) % len(TIMEZONES)],
        opening_hours=ALL_DAY,
    )
    session.add(site)
    session.flush()
    prefixes = iter("ABCDEFGH")
    number = 0
    for order, (name, short, services) in enumerate(agencies):
        agency = Agency(site_id=site.id, name=name, short_name=short, display_order=order)
        session.add(agency)
        session.flush()
        rows = [
            Service(
                agency_id=agency.id, code=code, name=label, prefix=next(prefixes), display_order=i
            )
            for i, (code, label) in enumerate(services)
        ]
        session.add_all(rows)
        numbers = range(number + 1, number + 1 + COUNTERS_PER_AGENCY)
        number += COUNTERS_PER_AGENCY
        clerks = {
            n: StaffUser(
                username=clerk_username(slug, n),
                name=f"Petugas {short} {n}",
                password_hash=password_hash,
                role=StaffUser.CLERK,
                site_id=site.id,
                agency_id=agency.id,
            )
            for n in numbers
        }
        session.add_all(clerks.values())
        session.flush()
        session.add_all(
            Counter(
                agency_id=agency.id,
                number=n,
                name=f"Loket {n}",
                services=rows,
                status=Counter.OPEN,
                clerk_id=clerk.id,
            )
            for n, clerk in clerks.items()
        )
        session.add(Display(site_id=site.id, name=f"Ruang {short}", agency_ids=[agency.id]))
    session.add(Display(site_id=site.id, name=MAIN_ZONE, agency_ids=[]))
    session.add(
        Kiosk(
            site_id=site.id,
            name=f"Kiosk {slug}",
            token_hash=token_hash(kiosk_token(slug)),
            agency_ids=[],
        )
    )
    session.flush()
    return True


def seed_province(database_url: str, sites: int) -> int:
    """Seed sites 1..sites; how many were new."""
    engine = make_engine(database_url)
    password_hash = hash_password(PASSWORD)  # one slow hash for every clerk
    created = 0
    try:
        with make_session_factory(engine)() as session:
            for index in range(1, sites + 1):
                created += seed_site(session, index, password_hash)
                if index % 10 == 0:
                    session.commit()
            session.commit()
    finally:
        engine.dispose()
    return created


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("ANTRE_DATABASE_URL"))
    parser.add_argument("--sites", type=int, default=100)
    args = parser.parse_args()
    if not args.database_url or not 1 <= args.sites <= 999:
        raise SystemExit("give --database-url (or ANTRE_DATABASE_URL) and 1 ≤ --sites ≤ 999")
    began = time.monotonic()
    created = seed_province(args.database_url, args.sites)
    seconds = time.monotonic() - began
    print(f"bench.province_seed: {created} new sites of {args.sites} in {seconds:.1f} s")


if __name__ == "__main__":
    main()
