# ruff: noqa: E501 - data rows read best on one line
"""The demo's hospital: RSUD Sultan Thaha Saifuddin, Kabupaten Tebo (see shared/demo_sites.py).

Its units follow an outpatient visit, the pathway "Rawat Jalan": registration (JKN or umum) →
a polyclinic (INT penyakit dalam, ANA anak: BPJS poli codes) → the pharmacy (racikan or non
racikan, optional) → the cashier for umum patients. Counters are its registration windows and
consulting rooms, each room bound to its doctor. Figures, quotas and requirements are plausible
examples written for the demo, not the hospital's standards (the waiting targets are Kepmenkes
129/2008's).
"""

from __future__ import annotations

# Outpatient hours: weekday mornings into the early afternoon, Saturday mornings.
HOURS = {str(d): ["07:30", "14:00"] for d in range(4)} | {
    "4": ["07:30", "11:00"],
    "5": ["07:30", "12:00"],
    "6": None,
}
_POLI_REQUIREMENTS = "Bukti pendaftaran dari loket pendaftaran; kartu berobat; pasien JKN: surat rujukan FKTP atau surat kontrol."
_POLI_PROCEDURE = "Pemeriksaan tanda vital oleh perawat, pemeriksaan oleh dokter, resep, tindakan atau rujukan lanjutan."
_POLI_COST = "JKN: ditanggung BPJS Kesehatan; umum: sesuai tarif Perda"


def _poli(code: str, prefix: str, name: str, minutes: int, quota: int) -> tuple:
    return (
        code,
        prefix,
        name,
        minutes,
        quota,
        _POLI_REQUIREMENTS,
        _POLI_PROCEDURE,
        f"± {minutes} menit per pasien",
        _POLI_COST,
    )


RSUD = {
    "site": {
        "slug": "rsud-sts",
        "kind": "hospital",
        "name": "RSUD Sultan Thaha Saifuddin",
        "address": "Jl. Lintas Sumatera, Muara Tebo, Kabupaten Tebo, Jambi",
        "timezone": "Asia/Jakarta",
        "running_text": "Selamat datang di RSUD Sultan Thaha Saifuddin. Pasien JKN: siapkan kartu JKN "
        "dan surat rujukan. Pasien dengan kode booking Mobile JKN: check-in di kiosk. "
        "Resep non racikan siap ± 30 menit, racikan ± 60 menit.",
        "ticket_footer": "Simpan tiket ini sampai selesai berobat. Pindai QR untuk melihat antrean Anda.",
    },
    "hours": HOURS,
    "users": "rsud.",
    "kiosk": "Kiosk Pendaftaran (demo)",
    # agency: (name, short name, colour, [services], counters [(number, name, zone, service codes)])
    "agencies": [
        (
            "Pendaftaran Rawat Jalan",
            "Pendaftaran",
            "#1d4ed8",
            [
                (
                    "RS-JKN",
                    "A",
                    "Pendaftaran Pasien JKN (BPJS)",
                    4,
                    None,
                    "Kartu JKN atau KTP-el; surat rujukan FKTP (kunjungan pertama) atau surat kontrol; kode booking Mobile JKN bila ada.",
                    "Verifikasi kepesertaan dan rujukan, penerbitan SEP, lalu menuju poli.",
                    "10 menit",
                    "Ditanggung BPJS Kesehatan",
                ),
                (
                    "RS-UMUM",
                    "B",
                    "Pendaftaran Pasien Umum",
                    4,
                    None,
                    "KTP-el; kartu berobat bila pasien lama.",
                    "Pendataan dan rekam medis, lalu menuju poli; pembayaran di kasir.",
                    "10 menit",
                    "Sesuai tarif Perda",
                ),
            ],
            [
                (1, "Loket Pendaftaran JKN 1", "Lobi", ["RS-JKN"]),
                (2, "Loket Pendaftaran JKN 2", "Lobi", ["RS-JKN", "RS-UMUM"]),
                (3, "Loket Pendaftaran Umum", "Lobi", ["RS-UMUM", "RS-JKN"]),
            ],
        ),
        (
            "Poli Penyakit Dalam",
            "Penyakit Dalam",
            "#b91c1c",
            [_poli("INT", "C", "Poli Penyakit Dalam", 8, None)],
            [(4, "Ruang 1", "Poliklinik Lt. 1", ["INT"])],
        ),
        (
            "Poli Anak",
            "Anak",
            "#db2777",
            [_poli("ANA", "D", "Poli Anak", 8, None)],
            [(5, "Ruang 3", "Poliklinik Lt. 1", ["ANA"])],
        ),
        (
            "Instalasi Farmasi Rawat Jalan",
            "Farmasi",
            "#15803d",
            [
                (
                    "RS-NONRACIK",
                    "R",
                    "Resep Non Racikan",
                    4,
                    None,
                    "Resep dari poli; kartu JKN atau bukti bayar (umum).",
                    "Verifikasi resep, penyiapan obat jadi, penyerahan dan informasi obat.",
                    "≤ 30 menit",
                    "JKN: ditanggung; umum: sesuai harga obat",
                ),
                (
                    "RS-RACIK",
                    "S",
                    "Resep Racikan",
                    8,
                    None,
                    "Resep dari poli; kartu JKN atau bukti bayar (umum).",
                    "Verifikasi resep, peracikan obat, penyerahan dan informasi obat.",
                    "≤ 60 menit",
                    "JKN: ditanggung; umum: sesuai harga obat",
                ),
            ],
            [
                (6, "Loket Farmasi 1", "Farmasi", ["RS-NONRACIK"]),
                (7, "Loket Farmasi 2", "Farmasi", ["RS-RACIK", "RS-NONRACIK"]),
            ],
        ),
        (
            "Kasir",
            "Kasir",
            "#b45309",
            [
                (
                    "RS-BAYAR",
                    "K",
                    "Pembayaran Pasien Umum",
                    3,
                    None,
                    "Bukti pendaftaran atau rincian tagihan dari poli.",
                    "Rincian tagihan, pembayaran tunai atau non tunai, kuitansi.",
                    "5 menit",
                    "Sesuai tarif Perda",
                )
            ],
            [(8, "Kasir 1", "Lobi", ["RS-BAYAR"])],
        ),
    ],
    "service_hours": {},
    # Per service: who the queue is for (a registration window by payer) and its waiting target
    # in minutes (Kepmenkes 129/2008: outpatient ≤ 60, ready-made drugs ≤ 30, compounded ≤ 60).
    "service_settings": {
        "RS-JKN": {"payer": "jkn"},
        "RS-UMUM": {"payer": "umum"},
        "INT": {"wait_target_minutes": 60},
        "ANA": {"wait_target_minutes": 60},
        "RS-NONRACIK": {"wait_target_minutes": 30},
        "RS-RACIK": {"wait_target_minutes": 60},
        "RS-BAYAR": {"payer": "umum"},
    },
    # (poli code, name, BPJS code, room's counter number, weekdays Mon=0, start, end, capacity,
    # JKN quota): 30 patients a session, 80 % of them JKN.
    "doctors": [
        ("INT", "dr. Hendra Saputra, Sp.PD", "1001", 4, range(6), "08:00", "12:00", 30, 24),
        ("ANA", "dr. Rina Marlina, Sp.A", "1002", 5, range(6), "08:00", "12:00", 30, 24),
    ],
    # (name, [(position, step name, stage, payer, optional, [service codes])])
    "pathways": [
        (
            "Rawat Jalan",
            [
                (1, "Pendaftaran", "registration", None, False, ["RS-JKN", "RS-UMUM"]),
                (2, "Poli", "poli", None, False, ["INT", "ANA"]),
                (3, "Farmasi", "pharmacy", None, True, ["RS-NONRACIK", "RS-RACIK"]),
                (4, "Kasir", "cashier", "umum", False, ["RS-BAYAR"]),
            ],
        )
    ],
    # The hospital's own accounts instead of one per counter: (username, role, agency short name,
    # counter number the clerk sits at, or None).
    "staff": [
        ("pendaftaran1", "clerk", "Pendaftaran", 1),
        ("poliint1", "clerk", "Penyakit Dalam", 4),
        ("polianak1", "clerk", "Anak", 5),
        ("farmasi1", "clerk", "Farmasi", 6),
        ("kasir1", "clerk", "Kasir", 8),
        ("spv.rsud", "supervisor", "Pendaftaran", None),
    ],
    # TV zones: (name, agency short names, counter ids); no agency = every agency of the site.
    "displays": [
        ("Lobi Pendaftaran", ["Pendaftaran", "Kasir"], []),
        ("Ruang Tunggu Poliklinik", ["Penyakit Dalam", "Anak"], []),
        ("Ruang Tunggu Farmasi", ["Farmasi"], []),
    ],
    # Bookable polyclinics (a doctor's session, as Mobile JKN books them): capacity per half hour.
    "bookable": {"INT": 4, "ANA": 3},
    # The Mobile JKN web service's x-username (the password is the demo's): demo mode only.
    "mobile_jkn": "mobilejkn",
}
