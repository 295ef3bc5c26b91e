"""The Survei Kepuasan Masyarakat index as PermenPANRB 14/2017 prescribes it (pure functions).

NRR of an element = sum of its scores / respondents who answered it; IKM = sum of NRR x weight;
SKM = IKM x 25. The weight is exactly 1/9 or 0.11 as printed in the regulation: the two give
different results on the same data, so every result says which one it used.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from shared.queue.errors import N_

# The nine elements (unsur), in the regulation's order: (key, Indonesian name, English msgid).
ELEMENTS: tuple[tuple[str, str, str], ...] = (
    ("u1", "Persyaratan", N_("Requirements")),
    ("u2", "Sistem, mekanisme dan prosedur", N_("System, mechanism and procedure")),
    ("u3", "Waktu penyelesaian", N_("Completion time")),
    ("u4", "Biaya/tarif", N_("Cost/fee")),
    ("u5", "Produk spesifikasi jenis pelayanan", N_("Service products")),
    ("u6", "Kompetensi pelaksana", N_("Staff competence")),
    ("u7", "Perilaku pelaksana", N_("Staff behaviour")),
    ("u8", "Penanganan pengaduan, saran dan masukan", N_("Handling of complaints and feedback")),
    ("u9", "Sarana dan prasarana", N_("Facilities and infrastructure")),
)
ELEMENT_KEYS = tuple(key for key, _, _ in ELEMENTS)
SCORES = (1, 2, 3, 4)

EXACT, PRINTED = "exact", "0.11"
WEIGHTS: dict[str, Fraction] = {EXACT: Fraction(1, 9), PRINTED: Fraction(11, 100)}

# (lowest SKM value, grade, Indonesian name, English msgid), best first.
BANDS = (
    (Decimal("88.31"), "A", "Sangat baik", N_("Very good")),
    (Decimal("76.61"), "B", "Baik", N_("Good")),
    (Decimal("65.00"), "C", "Kurang baik", N_("Poor")),
    (Decimal("25.00"), "D", "Tidak baik", N_("Very poor")),
)


@dataclass(frozen=True)
class Band:
    grade: str
    name_id: str
    name_en: str


@dataclass(frozen=True)
class SkmResult:
    weighting: str  # "exact" or "0.11"
    respondents: int
    answered: dict[str, int]  # element -> respondents who answered it
    totals: dict[str, int]  # element -> sum of its scores
    nrr: dict[str, Fraction | None]  # None when nobody answered the element
    ikm: Fraction | None
    skm: Fraction | None
    band: Band | None

    def skm_rounded(self) -> Decimal | None:
        return None if self.skm is None else to_decimal(self.skm)


def to_decimal(value: Fraction, places: int = 2) -> Decimal:
    """Round half up, as the regulation's worked examples do."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def weight_of(weighting: str) -> Fraction:
    if weighting not in WEIGHTS:
        raise ValueError(f"unknown SKM weighting {weighting!r}: use 'exact' or '0.11'")
    return WEIGHTS[weighting]


def band_for(skm: Decimal | Fraction) -> Band:
    """The quality band of an SKM value (compared at two decimals, as published)."""
    value = skm if isinstance(skm, Decimal) else to_decimal(skm)
    for lowest, grade, name_id, name_en in BANDS:
        if value >= lowest:
            return Band(grade, name_id, name_en)
    return Band(*BANDS[-1][1:])


def compute_skm(
    totals: Mapping[str, int],
    answered: Mapping[str, int],
    respondents: int,
    weighting: str = EXACT,
) -> SkmResult:
    """The index from per-element sums and counts (what a SQL aggregate gives).

    An element nobody answered has no NRR and adds nothing; IKM needs at least one element.
    """
    weight = weight_of(weighting)
    nrr: dict[str, Fraction | None] = {}
    for key in ELEMENT_KEYS:
        n = int(answered.get(key, 0) or 0)
        nrr[key] = Fraction(int(totals.get(key, 0) or 0), n) if n else None
    values = [v for v in nrr.values() if v is not None]
    ikm = sum((v * weight for v in values), Fraction(0)) if values else None
    skm = ikm * 25 if ikm is not None else None
    return SkmResult(
        weighting=weighting,
        respondents=respondents,
        answered={k: int(answered.get(k, 0) or 0) for k in ELEMENT_KEYS},
        totals={k: int(totals.get(k, 0) or 0) for k in ELEMENT_KEYS},
        nrr=nrr,
        ikm=ikm,
        skm=skm,
        band=band_for(skm) if skm is not None else None,
    )


def skm_of_responses(
    responses: Iterable[Mapping[str, int | None]], weighting: str = EXACT
) -> SkmResult:
    """The index of individual answers ({"u1": 4, "u2": None, ...}); None means not answered."""
    totals = dict.fromkeys(ELEMENT_KEYS, 0)
    answered = dict.fromkeys(ELEMENT_KEYS, 0)
    respondents = 0
    for response in responses:
        respondents += 1
        for key in ELEMENT_KEYS:
            score = response.get(key)
            if score is not None:
                totals[key] += score
                answered[key] += 1
    return compute_skm(totals, answered, respondents, weighting)


def validate_scores(scores: Mapping[str, object]) -> dict[str, int | None]:
    """Each element 1..4 or absent; raises ValueError naming the element otherwise."""
    clean: dict[str, int | None] = {}
    for key in ELEMENT_KEYS:
        value = scores.get(key)
        if value in (None, ""):
            clean[key] = None
            continue
        text = str(value).strip()
        if text not in {str(score) for score in SCORES}:
            raise ValueError(key)
        number = int(text)
        if number not in SCORES:
            raise ValueError(key)
        clean[key] = number
    return clean


def element_names(locale: str) -> Sequence[str]:
    """Element names for the Indonesian report (the regulation's wording) or English msgids."""
    return [name_id if locale == "id" else name_en for _, name_id, name_en in ELEMENTS]
