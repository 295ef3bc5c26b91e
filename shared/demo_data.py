# ruff: noqa: E501 - data rows read best on one line
"""The demo mall: MPP Kabupaten Tebo, its agencies, services (with service standards) and counters.

Figures and requirements are plausible examples written for the demo, not official standards.
"""

from __future__ import annotations

WEEKDAYS = {
    "0": ["08:00", "15:00"],
    "1": ["08:00", "15:00"],
    "2": ["08:00", "15:00"],
    "3": ["08:00", "15:00"],
    "4": ["08:00", "15:30"],
    "5": ["08:00", "12:00"],
    "6": None,
}
ALL_DAY = {str(d): ["00:00", "24:00"] for d in range(7)}
MORNINGS = {str(d): ["08:00", "12:00"] for d in range(6)} | {"6": None}

MALL = {
    "slug": "mpp-tebo",
    "kind": "mpp",
    "name": "MPP Kabupaten Tebo",
    "address": "Jl. Lintas Sumatera KM 3, Muara Tebo, Kabupaten Tebo, Jambi",
    "timezone": "Asia/Jakarta",
    "running_text": "Selamat datang di Mal Pelayanan Publik Kabupaten Tebo. Siapkan dokumen "
    "persyaratan sebelum dipanggil. Layanan tidak dipungut biaya kecuali yang ditetapkan "
    "peraturan. Pengaduan: loket informasi atau SP4N-LAPOR!",
    "ticket_footer": "Simpan tiket ini. Pindai QR untuk melihat antrean Anda.",
}

PRIORITY_GROUPS = [
    ("lansia", "Lansia (60+)", "Elderly (60+)"),
    ("disabilitas", "Penyandang disabilitas", "Person with a disability"),
    ("ibu_hamil", "Ibu hamil / membawa balita", "Pregnant / with a small child"),
]

# agency: (name, short name, colour, [services], counters [(number, name, zone, service codes)])
# service: (code, prefix, name, minutes, quota, requirements, procedure, duration, cost)
AGENCIES = [
    (
        "Dinas Kependudukan dan Pencatatan Sipil",
        "Dukcapil",
        "#1d4ed8",
        [
            (
                "KTP",
                "A",
                "Perekaman dan Pencetakan KTP-el",
                8,
                None,
                "Fotokopi Kartu Keluarga; berusia 17 tahun atau sudah menikah; KTP lama bila rusak.",
                "Ambil antrean, verifikasi data, perekaman foto, sidik jari dan iris, pencetakan.",
                "15 menit (cetak bila blanko tersedia)",
                "Gratis",
            ),
            (
                "KK",
                "B",
                "Penerbitan Kartu Keluarga",
                10,
                None,
                "KK lama; surat nikah/akta cerai bila ada perubahan; surat pindah bila pindah datang.",
                "Verifikasi berkas, entri data, tanda tangan elektronik, cetak KK.",
                "1 hari kerja",
                "Gratis",
            ),
            (
                "AKTA",
                "C",
                "Akta Kelahiran",
                10,
                None,
                "Surat keterangan lahir; KK dan KTP-el orang tua; buku nikah orang tua.",
                "Verifikasi berkas, entri data, penerbitan akta.",
                "1 hari kerja",
                "Gratis",
            ),
            (
                "PINDAH",
                "D",
                "Pindah Datang Penduduk",
                12,
                None,
                "KK dan KTP-el; Surat Keterangan Pindah (SKPWNI) dari daerah asal.",
                "Verifikasi SKPWNI, pemutakhiran data, penerbitan KK baru.",
                "1 hari kerja",
                "Gratis",
            ),
            (
                "LEGAL",
                "V",
                "Legalisir Dokumen Kependudukan",
                5,
                None,
                "Dokumen asli (KK/akta) dan fotokopinya.",
                "Pencocokan dengan dokumen asli, pengesahan salinan.",
                "15 menit",
                "Gratis",
            ),
        ],
        [
            (1, "Loket 1", "Lantai 1", ["KTP", "KK"]),
            (2, "Loket 2", "Lantai 1", ["KTP", "AKTA", "LEGAL"]),
            (3, "Loket 3", "Lantai 1", ["KK", "AKTA", "PINDAH", "LEGAL"]),
        ],
    ),
    (
        "Kantor Imigrasi Kelas II TPI",
        "Imigrasi",
        "#0f766e",
        [
            (
                "PASPOR",
                "E",
                "Permohonan Paspor Baru",
                15,
                60,
                "KTP-el; Kartu Keluarga; akta kelahiran/ijazah/buku nikah; bukti bayar PNBP.",
                "Verifikasi berkas, wawancara, foto dan sidik jari, pembayaran.",
                "4 hari kerja",
                "Rp350.000 (paspor biasa 5 tahun)",
            ),
            (
                "PASPOR2",
                "F",
                "Penggantian Paspor",
                12,
                40,
                "Paspor lama; KTP-el; bukti bayar PNBP.",
                "Verifikasi, wawancara, foto, pembayaran.",
                "4 hari kerja",
                "Rp350.000",
            ),
        ],
        [
            (4, "Loket 4", "Lantai 2", ["PASPOR", "PASPOR2"]),
            (5, "Loket 5", "Lantai 2", ["PASPOR", "PASPOR2"]),
        ],
    ),
    (
        "Samsat Kabupaten Tebo",
        "Samsat",
        "#b45309",
        [
            (
                "PKB",
                "G",
                "Pajak Kendaraan Tahunan",
                6,
                None,
                "KTP-el pemilik sesuai STNK; STNK asli.",
                "Pendaftaran, penetapan pajak, pembayaran, pengesahan STNK.",
                "30 menit",
                "Sesuai ketetapan PKB dan SWDKLLJ",
            ),
            (
                "STNK5",
                "H",
                "Pengesahan STNK 5 Tahunan",
                12,
                None,
                "KTP-el; STNK dan BPKB asli; cek fisik kendaraan.",
                "Cek fisik, pendaftaran, pembayaran, cetak STNK dan TNKB.",
                "1 jam",
                "Sesuai ketetapan PKB, PNBP STNK dan TNKB",
            ),
        ],
        [(6, "Loket 6", "Lantai 1", ["PKB", "STNK5"]), (7, "Loket 7", "Lantai 1", ["PKB"])],
    ),
    (
        "BPJS Kesehatan",
        "BPJS Kes",
        "#15803d",
        [
            (
                "JKN",
                "J",
                "Pendaftaran Peserta JKN",
                8,
                None,
                "KTP-el; Kartu Keluarga; nomor rekening untuk autodebet (peserta mandiri).",
                "Pengisian formulir, verifikasi, penerbitan nomor peserta.",
                "15 menit",
                "Gratis",
            ),
            (
                "JKN2",
                "K",
                "Perubahan Data dan Faskes",
                6,
                None,
                "KTP-el; kartu JKN; dokumen pendukung perubahan.",
                "Verifikasi, perubahan data.",
                "10 menit",
                "Gratis",
            ),
        ],
        [(8, "Loket 8", "Lantai 1", ["JKN", "JKN2"])],
    ),
    (
        "BPJS Ketenagakerjaan",
        "BPJS TK",
        "#0369a1",
        [
            (
                "JHT",
                "L",
                "Klaim Jaminan Hari Tua",
                15,
                50,
                "Kartu peserta; KTP-el; KK; surat keterangan berhenti bekerja; buku tabungan.",
                "Verifikasi berkas, wawancara, pengajuan klaim.",
                "5 hari kerja",
                "Gratis",
            ),
            (
                "BPU",
                "M",
                "Pendaftaran Peserta Bukan Penerima Upah",
                6,
                None,
                "KTP-el; nomor telepon aktif.",
                "Pendaftaran dan pembayaran iuran pertama.",
                "15 menit",
                "Iuran mulai Rp16.800 per bulan",
            ),
        ],
        [(9, "Loket 9", "Lantai 1", ["JHT", "BPU"])],
    ),
    (
        "Kepolisian Resor Tebo",
        "Polres",
        "#7f1d1d",
        [
            (
                "SKCK",
                "N",
                "Penerbitan SKCK Baru",
                10,
                None,
                "KTP-el; KK; akta kelahiran/ijazah; pas foto 4x6 latar merah 6 lembar; sidik jari.",
                "Pengisian formulir, pengambilan sidik jari, verifikasi, cetak SKCK.",
                "1 hari kerja",
                "Rp30.000 (PNBP)",
            ),
            (
                "SKCK2",
                "P",
                "Perpanjangan SKCK",
                6,
                None,
                "SKCK lama (maks. 1 tahun habis berlaku); KTP-el; pas foto 4x6 latar merah.",
                "Verifikasi, cetak SKCK.",
                "30 menit",
                "Rp30.000 (PNBP)",
            ),
        ],
        [(10, "Loket 10", "Lantai 2", ["SKCK", "SKCK2"])],
    ),
    (
        "Kantor Pelayanan Pajak Pratama",
        "KPP Pratama",
        "#1e3a8a",
        [
            (
                "NPWP",
                "Q",
                "Pendaftaran NPWP",
                8,
                None,
                "KTP-el; alamat email aktif.",
                "Pendaftaran, verifikasi, penerbitan NPWP.",
                "30 menit",
                "Gratis",
            ),
            (
                "SPT",
                "R",
                "Konsultasi dan Pelaporan SPT",
                12,
                None,
                "NPWP/NIK; EFIN; bukti potong pajak.",
                "Konsultasi, pendampingan lapor SPT.",
                "20 menit",
                "Gratis",
            ),
        ],
        [(11, "Loket 11", "Lantai 2", ["NPWP", "SPT"])],
    ),
    (
        "Dinas Penanaman Modal dan PTSP",
        "DPMPTSP",
        "#6d28d9",
        [
            (
                "NIB",
                "S",
                "Nomor Induk Berusaha (OSS)",
                15,
                None,
                "KTP-el; NPWP; alamat email; data usaha (KBLI, lokasi, modal).",
                "Pendampingan pendaftaran OSS, penerbitan NIB.",
                "1 jam",
                "Gratis",
            ),
            (
                "PBG",
                "T",
                "Persetujuan Bangunan Gedung",
                20,
                20,
                "KTP-el; bukti kepemilikan tanah; gambar rencana bangunan; NIB bila usaha.",
                "Konsultasi, verifikasi teknis, penilaian, penerbitan PBG.",
                "28 hari kerja",
                "Sesuai retribusi PBG",
            ),
            (
                "IZIN",
                "U",
                "Perizinan Lainnya dan Konsultasi",
                10,
                None,
                "KTP-el; dokumen sesuai jenis izin.",
                "Konsultasi dan pengajuan izin.",
                "Sesuai jenis izin",
                "Gratis",
            ),
        ],
        [
            (12, "Loket 12", "Lantai 2", ["NIB", "IZIN"]),
            (13, "Loket 13", "Lantai 2", ["NIB", "PBG", "IZIN"]),
        ],
    ),
]

# Services with their own, shorter hours (the rest follow the mall's).
SERVICE_HOURS = {"PASPOR": MORNINGS, "PASPOR2": MORNINGS}

DISPLAYS = [
    ("Lobi utama", [], []),
    ("Lantai 1", ["Dukcapil", "Samsat", "BPJS Kes", "BPJS TK"], []),
    ("Lantai 2", ["Imigrasi", "Polres", "KPP Pratama", "DPMPTSP"], []),
]

# Online booking: half-hour slots on weekday mornings for the services people book ahead.
BOOKABLE = {"PASPOR": 4, "PASPOR2": 3, "JKN": 5, "SKCK": 5, "KTP": 5}
BOOKING_SLOTS = [
    ("08:00", "08:30"),
    ("08:30", "09:00"),
    ("09:00", "09:30"),
    ("09:30", "10:00"),
    ("10:00", "10:30"),
    ("10:30", "11:00"),
    ("11:00", "11:30"),
    ("11:30", "12:00"),
]

# The MPP in the shape every demo site has (see shared/demo_sites.py for the health sites).
MPP = {
    "site": MALL,
    "hours": WEEKDAYS,
    "users": "",  # the MPP's usernames came first: dukcapil1, spv.dukcapil
    "kiosk": "Kiosk Lobi (demo)",
    "agencies": AGENCIES,
    "service_hours": SERVICE_HOURS,
    "displays": DISPLAYS,
    "bookable": BOOKABLE,
}
