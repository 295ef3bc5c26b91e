# ruff: noqa: E501 - data rows read best on one line
"""The demo's health sites of Kabupaten Tebo: the RSUD (shared/demo_rsud.py), a puskesmas and a
mobile puskesmas.

Service codes carry the site's mark (RS-, PKM-, PL-): unique across the demo, as the MPP's are;
the RSUD's polis carry their BPJS poli codes instead (INT, ANA).
Each site is a dict in the shape of the MPP's (``demo_data.MPP``): the site's row, its own hours
(used by ``antre seed-demo --office-hours``), ``users`` (the prefix of its staff usernames, unique
across the installation), its demo kiosk, agencies (a health site's units) with their services
and counters (rooms), TV zones and bookable services. Figures and requirements are plausible
examples written for the demo, not a puskesmas' standards.
"""

from __future__ import annotations

from shared.demo_rsud import RSUD

PUSKESMAS_HOURS = {str(d): ["07:30", "14:00"] for d in range(4)} | {
    "4": ["07:30", "11:00"],
    "5": ["07:30", "12:30"],
    "6": None,
}
# The mobile unit visits hamlets on Tuesday and Thursday mornings.
MOBILE_HOURS = {str(d): None for d in range(7)} | {"1": ["08:00", "12:00"], "3": ["08:00", "12:00"]}

# Puskesmas: registration, then the poli chosen at the kiosk (pathway "Rawat Jalan"); lansia, ibu
# hamil (and balita), disabilitas are the priority groups.
PUSKESMAS = {
    "site": {
        "slug": "pkm-muaro-tebo",
        "kind": "puskesmas",
        "name": "Puskesmas Muaro Tebo",
        "address": "Muara Tebo, Kecamatan Tebo Tengah, Kabupaten Tebo, Jambi",
        "timezone": "Asia/Jakarta",
        "running_text": "Selamat datang di Puskesmas Muaro Tebo. Lansia, ibu hamil, penyandang "
        "disabilitas dan balita: pilih antrean prioritas di kiosk.",
        "ticket_footer": "Simpan tiket ini. Pindai QR untuk melihat antrean Anda.",
    },
    "hours": PUSKESMAS_HOURS,
    "users": "pkm.",
    "kiosk": "Kiosk Lobi Puskesmas (demo)",
    "agencies": [
        (
            "Pendaftaran",
            "Pendaftaran",
            "#1d4ed8",
            [
                (
                    "PKM-DAFTAR",
                    "A",
                    "Pendaftaran dan Rekam Medis",
                    4,
                    None,
                    "KTP-el atau KK; kartu JKN bila peserta; kartu berobat bila pasien lama.",
                    "Cek kepesertaan JKN, pendataan rekam medis, lalu menuju poli.",
                    "5 menit",
                    "Gratis bagi warga Kabupaten Tebo",
                )
            ],
            [(1, "Loket Pendaftaran", "Lobi", ["PKM-DAFTAR"])],
        ),
        (
            "Poli Umum",
            "Poli Umum",
            "#b91c1c",
            [
                (
                    "PKM-UMUM",
                    "B",
                    "Pemeriksaan Umum",
                    8,
                    None,
                    "Bukti pendaftaran.",
                    "Pemeriksaan tanda vital, pemeriksaan dokter, resep atau rujukan.",
                    "± 10 menit",
                    "Gratis",
                )
            ],
            [(2, "Ruang 2", "Lobi", ["PKM-UMUM"])],
        ),
        (
            "Poli Gigi",
            "Poli Gigi",
            "#0369a1",
            [
                (
                    "PKM-GIGI",
                    "C",
                    "Pemeriksaan Gigi dan Mulut",
                    15,
                    15,
                    "Bukti pendaftaran.",
                    "Pemeriksaan dan tindakan gigi.",
                    "± 15 menit",
                    "Gratis",
                )
            ],
            [(3, "Ruang 3", "Lobi", ["PKM-GIGI"])],
        ),
        (
            "Kesehatan Ibu dan Anak / Keluarga Berencana",
            "KIA/KB",
            "#db2777",
            [
                (
                    "PKM-KIA",
                    "D",
                    "Pemeriksaan Ibu Hamil, Bayi dan Balita",
                    10,
                    None,
                    "Buku KIA; bukti pendaftaran.",
                    "Penimbangan, pemeriksaan kehamilan atau tumbuh kembang, imunisasi.",
                    "± 15 menit",
                    "Gratis",
                ),
                (
                    "PKM-KB",
                    "E",
                    "Pelayanan Keluarga Berencana",
                    10,
                    None,
                    "Kartu KB bila ada; bukti pendaftaran.",
                    "Konseling, pemeriksaan, pelayanan kontrasepsi.",
                    "± 15 menit",
                    "Gratis",
                ),
            ],
            [(4, "Ruang KIA/KB", "Lobi", ["PKM-KIA", "PKM-KB"])],
        ),
        (
            "Apotek",
            "Apotek",
            "#15803d",
            [
                (
                    "PKM-OBAT",
                    "F",
                    "Pengambilan Obat",
                    4,
                    None,
                    "Resep dari poli.",
                    "Penyiapan obat, penyerahan dan informasi obat.",
                    "± 15 menit",
                    "Gratis",
                )
            ],
            [(5, "Loket Apotek", "Lobi", ["PKM-OBAT"])],
        ),
    ],
    "service_hours": {},
    # The priority groups its kiosk offers (balita come with their mother: "ibu_hamil"), and one
    # priority ticket called after every two regular ones at registration and at each poli.
    "priority_codes": ["lansia", "ibu_hamil", "disabilitas"],
    "service_settings": {
        code: {"priority_ratio": 2, "wait_target_minutes": 60}
        for code in ("PKM-DAFTAR", "PKM-UMUM", "PKM-GIGI", "PKM-KIA", "PKM-KB")
    },
    # Its common path: a priority or general ticket → registration → poli.
    "pathways": [
        (
            "Rawat Jalan",
            [
                (1, "Pendaftaran", "registration", None, False, ["PKM-DAFTAR"]),
                (2, "Poli", "poli", None, False, ["PKM-UMUM", "PKM-GIGI", "PKM-KIA", "PKM-KB"]),
            ],
        )
    ],
    "displays": [("Ruang Tunggu", [], [])],
    "bookable": {},
}

MOBILE = {
    "site": {
        "slug": "pusling-tebo",
        "kind": "mobile",
        "name": "Puskesmas Keliling Tebo",
        "address": "Berpindah: dusun-dusun di Kabupaten Tebo (jadwal dari Dinas Kesehatan)",
        "timezone": "Asia/Jakarta",
        "running_text": "Puskesmas Keliling Tebo: pemeriksaan kesehatan gratis. Daftar dulu di meja pendaftaran.",
        "ticket_footer": "Simpan tiket ini sampai dipanggil.",
    },
    "hours": MOBILE_HOURS,
    "users": "pusling.",
    "kiosk": "Tablet Pusling (demo)",
    "agencies": [
        (
            "Pendaftaran",
            "Pendaftaran",
            "#1d4ed8",
            [
                (
                    "PL-DAFTAR",
                    "A",
                    "Pendaftaran Pasien",
                    3,
                    None,
                    "KTP-el atau KK; kartu JKN bila ada.",
                    "Pendataan pasien, lalu menunggu panggilan ruang periksa.",
                    "5 menit",
                    "Gratis",
                )
            ],
            [(1, "Meja Pendaftaran", "Tenda", ["PL-DAFTAR"])],
        ),
        (
            "Pemeriksaan",
            "Pemeriksaan",
            "#15803d",
            [
                (
                    "PL-PERIKSA",
                    "B",
                    "Pemeriksaan Kesehatan Umum",
                    10,
                    40,
                    "Bukti pendaftaran.",
                    "Pemeriksaan tanda vital, pemeriksaan oleh dokter atau perawat, obat dasar.",
                    "± 10 menit",
                    "Gratis",
                )
            ],
            [(2, "Ruang Periksa", "Mobil Pusling", ["PL-PERIKSA"])],
        ),
    ],
    "service_hours": {},
    "displays": [("Tenda Layanan", [], [])],
    "bookable": {},
}

HEALTH_SITES = [RSUD, PUSKESMAS, MOBILE]
