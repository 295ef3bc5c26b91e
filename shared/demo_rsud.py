# ruff: noqa: E501 - data rows read best on one line
"""The demo's hospital: RSUD Sultan Thaha Saifuddin, Kabupaten Tebo (see shared/demo_sites.py).

Its units follow an outpatient visit: registration (JKN or umum) → a polyclinic → the pharmacy
(racikan or non racikan) → the cashier for umum patients. Counters are its registration windows
and consulting rooms. Figures, quotas and requirements are plausible examples written for the
demo, not the hospital's standards.
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
                    5,
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
                    5,
                    None,
                    "KTP-el; kartu berobat bila pasien lama.",
                    "Pendataan dan rekam medis, lalu menuju poli; pembayaran di kasir.",
                    "10 menit",
                    "Sesuai tarif Perda",
                ),
            ],
            [
                (1, "Loket Pendaftaran 1", "Lobi", ["RS-JKN"]),
                (2, "Loket Pendaftaran 2", "Lobi", ["RS-JKN", "RS-UMUM"]),
                (3, "Loket Pendaftaran 3", "Lobi", ["RS-UMUM"]),
            ],
        ),
        (
            "Poli Penyakit Dalam",
            "Penyakit Dalam",
            "#b91c1c",
            [_poli("RS-PDL", "C", "Poli Penyakit Dalam", 12, 40)],
            [
                (4, "Ruang 4", "Poliklinik Lt. 1", ["RS-PDL"]),
                (5, "Ruang 5", "Poliklinik Lt. 1", ["RS-PDL"]),
            ],
        ),
        (
            "Poli Anak",
            "Anak",
            "#db2777",
            [_poli("RS-ANAK", "D", "Poli Anak", 10, 30)],
            [(6, "Ruang 6", "Poliklinik Lt. 1", ["RS-ANAK"])],
        ),
        (
            "Poli Bedah",
            "Bedah",
            "#0f766e",
            [_poli("RS-BEDAH", "E", "Poli Bedah", 12, 25)],
            [(7, "Ruang 7", "Poliklinik Lt. 1", ["RS-BEDAH"])],
        ),
        (
            "Poli Gigi dan Mulut",
            "Gigi",
            "#0369a1",
            [_poli("RS-GIGI", "F", "Poli Gigi dan Mulut", 15, 20)],
            [(8, "Ruang 8", "Poliklinik Lt. 2", ["RS-GIGI"])],
        ),
        (
            "Poli Mata",
            "Mata",
            "#6d28d9",
            [_poli("RS-MATA", "G", "Poli Mata", 10, 30)],
            [(9, "Ruang 9", "Poliklinik Lt. 2", ["RS-MATA"])],
        ),
        (
            "Poli Kebidanan dan Kandungan",
            "Obgyn",
            "#be185d",
            [_poli("RS-OBGYN", "H", "Poli Kebidanan dan Kandungan (Obgyn)", 12, 25)],
            [(10, "Ruang 10", "Poliklinik Lt. 2", ["RS-OBGYN"])],
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
                (11, "Loket Farmasi 1", "Farmasi", ["RS-NONRACIK"]),
                (12, "Loket Farmasi 2", "Farmasi", ["RS-RACIK", "RS-NONRACIK"]),
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
            [(13, "Kasir 1", "Lobi", ["RS-BAYAR"])],
        ),
    ],
    "service_hours": {},
    # TV zones: (name, agency short names, counter ids); no agency = every agency of the site.
    "displays": [
        ("Lobi Pendaftaran", ["Pendaftaran", "Kasir"], []),
        (
            "Ruang Tunggu Poliklinik",
            ["Penyakit Dalam", "Anak", "Bedah", "Gigi", "Mata", "Obgyn"],
            [],
        ),
        ("Ruang Tunggu Farmasi", ["Farmasi"], []),
    ],
    # Bookable polyclinics (a doctor's session, as Mobile JKN books them): capacity per half hour.
    "bookable": {
        "RS-PDL": 4,
        "RS-ANAK": 3,
        "RS-BEDAH": 3,
        "RS-GIGI": 2,
        "RS-MATA": 3,
        "RS-OBGYN": 3,
    },
}
