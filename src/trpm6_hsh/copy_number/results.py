"""Result types of the copy-number engine and their stable JSON form.

JSON is written with sorted keys and every float rounded to a fixed number of decimals (and -0.0 written
as 0.0), so the same inputs give byte-identical files whatever the platform's last-bit arithmetic.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from trpm6_hsh.errors import InputError

ASSESSED, NOT_ASSESSED = "assessed", "not_assessed"
HIGH, LOW = "high", "low"
FLOAT_DECIMALS = 4


@dataclass(frozen=True)
class ExonCopyNumber:
    """One exon of one sample: the observed depth ratio against its reference set and what it suggests.

    ``ratio`` is the sample's reads over the reads its reference set predicts (1 = two copies, 0.5 = one).
    ``copy_number`` is the most probable copy number given this exon and its neighbours (the HMM's
    posterior, ``posterior`` its probability), so a lone noisy exon stays at 2 unless its evidence is strong.
    ``log10_bayes_factor`` compares the most likely copy number other than 2 with copy number 2 (negative
    when two copies fit best). A not-assessed exon carries the reason and no numbers.
    """

    exon: int
    status: str
    reason: str = ""
    reads: float | None = None
    expected_reads: float | None = None
    ratio: float | None = None
    copy_number: int | None = None
    posterior: float | None = None
    log10_bayes_factor: float | None = None


@dataclass(frozen=True)
class CopyNumberCall:
    """A run of consecutive exons (transcript order) at one copy number other than 2.

    ``start``/``end`` are the outer genomic edges of the called exons; the breakpoints themselves lie
    somewhere in the introns beyond them, which read depth over exons cannot place.
    """

    first_exon: int
    last_exon: int
    copy_number: int
    chrom: str
    start: int
    end: int
    log10_bayes_factor: float
    confidence: str
    exons: tuple[int, ...]

    @property
    def kind(self) -> str:
        return "deletion" if self.copy_number < 2 else "duplication"


@dataclass(frozen=True)
class SampleCopyNumber:
    """One sample's copy-number result: the reference set used, every exon, and the calls."""

    sample: str
    status: str
    reason: str
    reference_samples: tuple[str, ...]
    overdispersion: float | None
    exons: tuple[ExonCopyNumber, ...]
    calls: tuple[CopyNumberCall, ...]

    def as_dict(self) -> dict[str, object]:
        return _plain(self)

    def to_json(self) -> str:
        """Sorted keys, rounded floats, newline-terminated: byte-identical for identical inputs."""
        return json.dumps(self.as_dict(), sort_keys=True, indent=2) + "\n"

    @classmethod
    def from_dict(cls, document: Mapping[str, Any]) -> SampleCopyNumber:
        """The inverse of :meth:`as_dict` (``kind`` of a call is derived, so it is not read back)."""
        calls = tuple(
            CopyNumberCall(**{**{k: v for k, v in call.items() if k != "kind"}, "exons": tuple(call["exons"])})
            for call in document["calls"]
        )
        return cls(
            sample=str(document["sample"]),
            status=str(document["status"]),
            reason=str(document["reason"]),
            reference_samples=tuple(document["reference_samples"]),
            overdispersion=document["overdispersion"],
            exons=tuple(ExonCopyNumber(**exon) for exon in document["exons"]),
            calls=calls,
        )


def read_sample_copy_number(path: Path) -> SampleCopyNumber:
    """Read a ``{sample}.copy_number.json`` written with :meth:`SampleCopyNumber.to_json`."""
    path = Path(path)
    try:
        with open(path, encoding="utf-8") as handle:
            return SampleCopyNumber.from_dict(json.load(handle))
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise InputError(path, f"not a readable copy-number result ({error})", "rerun the copy-number stage") from error


def stable_float(value: float) -> float:
    if not math.isfinite(value):
        raise ValueError(f"not a finite number: {value}")
    return round(value, FLOAT_DECIMALS) + 0.0


def _plain(value: object) -> object:
    if isinstance(value, float):
        return stable_float(value)
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if hasattr(value, "__dataclass_fields__"):
        plain = {field.name: _plain(getattr(value, field.name)) for field in fields(value)}
        if isinstance(value, CopyNumberCall):
            plain["kind"] = value.kind
        return plain
    return value
