"""Inheritance stage: per sample, genotype QC, phase and the autosomal-recessive verdict.

The rules are small named predicates over the sample's calls (after slivar's habit), and every
verdict carries the evidence it rests on. Missing is not reference: a no-call is never read as 0/0,
and a region a plain VCF says nothing about is listed as not assessed.

Genotypes are read once per locus VCF into numpy arrays (records x samples) by
:class:`GenotypeMatrix`; a sample's calls are views on it. The per-sample path
(:func:`call_biallelic_status`) and the batch path (:func:`call_batch_verdicts`) share every rule,
so they give the same verdict documents.
"""

from __future__ import annotations

import itertools
import json
import logging
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path

import cyvcf2
import numpy as np

from trpm6_hsh.callability import (
    REFERENCE_BLOCK_ALLELES,
    AssessedStatus,
    CallabilitySettings,
    CoverageEvidence,
    RegionGrid,
    alignment_coverage,
    coding_regions,
    gvcf_coverage,
    region_statuses,
)
from trpm6_hsh.config import complete_section
from trpm6_hsh.errors import InputError
from trpm6_hsh.files import write_text_atomic
from trpm6_hsh.model import Phase, PhaseSource, VariantKey, Verdict, Zygosity
from trpm6_hsh.transcripts import Transcript, load_transcripts
from trpm6_hsh.tsv import read_table

log = logging.getLogger(__name__)

# ClinGen SVI recommendation for in trans criterion PM3 (v1.0): points per observation.
PM3_POINTS_IN_TRANS_PATHOGENIC = 1.0  # confirmed in trans with a Pathogenic or Likely pathogenic variant
PM3_POINTS_PHASE_UNKNOWN = 0.5  # with a P/LP variant, phase not determined
PM3_POINTS_HOMOZYGOUS = 0.5  # homozygous occurrence (at most 1.0 in total from homozygotes)
PM3_POINTS_IN_TRANS_VUS = 0.25  # confirmed in trans with a variant of uncertain significance
PM3_POINTS_PHASE_UNKNOWN_VUS = 0.0
PM3_STRENGTHS = ((4.0, "PM3_VeryStrong"), (2.0, "PM3_Strong"), (1.0, "PM3"), (0.5, "PM3_Supporting"))
PATHOGENIC_CLASSES = ("Pathogenic", "Likely pathogenic")
DELETION_ALLELES = ("<DEL>", "<CN0>", "<CN1>")
_MISSING = -1
PLAIN_VCF_REASON = "plain VCF: it lists variants only, so whether this region was covered is unknown"

# Zygosity codes of the genotype matrix.
_NO_CALL, _HOM_REF, _HET, _HOM_ALT, _HEMI = -1, 0, 1, 2, 3
_ZYGOSITY = {
    _NO_CALL: Zygosity.NO_CALL,
    _HOM_REF: Zygosity.HOM_REF,
    _HET: Zygosity.HET,
    _HOM_ALT: Zygosity.HOM_ALT,
    _HEMI: Zygosity.HEMI,
}


@dataclass(frozen=True)
class GenotypeQcSettings:
    min_dp: int
    min_gq: int
    het_allele_balance: tuple[float, float]
    hom_min_allele_balance: float
    require_pass: bool

    @classmethod
    def from_config(cls, section: Mapping[str, object]) -> GenotypeQcSettings:
        """From the validated config's ``genotype_qc`` section (its defaults are the schema's)."""
        low, high = section["het_allele_balance"]
        return cls(
            min_dp=int(section["min_dp"]),
            min_gq=int(section["min_gq"]),
            het_allele_balance=(float(low), float(high)),
            hom_min_allele_balance=float(section["hom_min_allele_balance"]),
            require_pass=bool(section["require_pass"]),
        )


@dataclass(frozen=True)
class GenotypeCall:
    """One sample's genotype at one biallelic site, with the QC facts the report shows.

    ``qc_failures`` make the call untrusted; ``qc_notes`` say which checks could not be made
    because the VCF lacks the field (the call is used, and the report says what was not checked).
    """

    key: VariantKey
    zygosity: Zygosity
    genotype: str
    phased: bool
    phase_set: int | None
    alt_haplotypes: tuple[int, ...]
    depth: int | None
    genotype_quality: int | None
    allele_balance: float | None
    filter: str
    qc_failures: tuple[str, ...]
    sv_end: int | None = None
    qc_notes: tuple[str, ...] = ()
    is_deletion: bool = False

    @property
    def carries_alt(self) -> bool:
        return self.zygosity in (Zygosity.HET, Zygosity.HOM_ALT, Zygosity.HEMI)

    @property
    def passes_qc(self) -> bool:
        return not self.qc_failures

    @property
    def qc_status(self) -> str:
        if self.qc_failures:
            return "fail"
        return "pass_incomplete" if self.qc_notes else "pass"

    @property
    def end(self) -> int:
        return self.sv_end or (self.key.pos + len(self.key.ref) - 1)

    def overlaps(self, other: GenotypeCall) -> bool:
        return self.key.chrom == other.key.chrom and self.key.pos <= other.end and other.key.pos <= self.end


@dataclass(frozen=True)
class PairPhase:
    first: VariantKey
    second: VariantKey
    phase: Phase
    source: PhaseSource
    detail: str


@dataclass(frozen=True)
class VerdictResult:
    verdict: Verdict
    text: str
    evidence: tuple[str, ...]
    pairs: tuple[PairPhase, ...] = field(default_factory=tuple)
    pm3: tuple[dict[str, object], ...] = field(default_factory=tuple)


def qc_failures(
    zygosity: Zygosity, depth, quality, balance, filter_value: str, settings: GenotypeQcSettings
) -> tuple[str, ...]:
    """Named reasons a call is not trusted; empty when it passes."""
    failures = []
    if settings.require_pass and filter_value not in ("PASS", "."):
        failures.append(f"FILTER={filter_value}")
    if depth is not None and depth < settings.min_dp:
        failures.append(f"DP={depth}<{settings.min_dp}")
    if quality is not None and quality < settings.min_gq:
        failures.append(f"GQ={quality}<{settings.min_gq}")
    if balance is not None and zygosity == Zygosity.HET:
        low, high = settings.het_allele_balance
        if not low <= balance <= high:
            failures.append(f"AB={balance:.2f} outside [{low:g}, {high:g}] for a heterozygous call")
    if balance is not None and zygosity == Zygosity.HOM_ALT and balance < settings.hom_min_allele_balance:
        failures.append(f"AB={balance:.2f}<{settings.hom_min_allele_balance:g} for a homozygous call")
    return tuple(failures)


def qc_notes(zygosity: Zygosity, depth, quality, balance, is_symbolic: bool) -> tuple[str, ...]:
    """The QC checks that could not be made because the VCF does not give the value."""
    notes = []
    if depth is None:
        notes.append("DP not available")
    if quality is None:
        notes.append("GQ not available")
    if balance is None and zygosity in (Zygosity.HET, Zygosity.HOM_ALT) and not is_symbolic:
        notes.append("AD not available: allele balance not checked")
    return tuple(notes)


# ----------------------------------------------------------------------------- genotype matrix


def _int_matrix(values: np.ndarray | None, rows: int, column: int = 0) -> np.ndarray:
    """One FORMAT column as int64 with every missing/vector-end value as -1."""
    if values is None:
        return np.full(rows, _MISSING, dtype=np.int64)
    array = np.asarray(values)
    if array.ndim == 1:
        array = array[:, None]
    if array.shape[1] <= column:
        return np.full(rows, _MISSING, dtype=np.int64)
    out = array[:, column].astype(np.int64, copy=True)
    out[out < 0] = _MISSING
    return out


def _format(variant: cyvcf2.Variant, name: str) -> np.ndarray | None:
    try:
        values = variant.format(name)
    except KeyError:
        return None
    if values is None or getattr(values, "dtype", None) is None or values.dtype.kind not in "iuf":
        return None
    return values


def _zygosity_codes(alleles: np.ndarray) -> np.ndarray:
    """Zygosity code per sample from cyvcf2's genotype array (allele columns, then phase)."""
    first = alleles[:, 0]
    second = alleles[:, 1] if alleles.shape[1] > 2 else np.full(len(first), -2)
    haploid = second == -2
    known_first, known_second = first >= 0, second >= 0
    alt_first, alt_second = first > 0, second > 0
    codes = np.full(len(first), _NO_CALL, dtype=np.int8)
    diploid = ~haploid
    codes[diploid & known_first & known_second] = _HOM_REF
    codes[diploid & (alt_first | alt_second)] = _HET
    codes[diploid & alt_first & alt_second] = _HOM_ALT
    codes[haploid & known_first] = _HOM_REF
    codes[haploid & alt_first] = _HEMI
    return codes


@dataclass(frozen=True)
class GenotypeMatrix:
    """Every sample's genotype at every variant record of one locus VCF (records x samples).

    Reference blocks of a gVCF (ALT only ``<NON_REF>``/``<*>``) are kept apart: they say where the
    sample was covered, not what it carries.
    """

    path: Path
    samples: tuple[str, ...]
    keys: tuple[VariantKey, ...]
    filters: tuple[str, ...]
    sv_ends: tuple[int | None, ...]
    deletions: np.ndarray  # bool [records]
    alleles: np.ndarray  # int16 [records, samples, 2]; -1 missing, -2 haploid
    phased: np.ndarray  # bool [records, samples]
    zygosity: np.ndarray  # int8 [records, samples]
    depth: np.ndarray  # int64 [records, samples]; -1 missing
    quality: np.ndarray
    ref_reads: np.ndarray
    alt_reads: np.ndarray
    phase_set: np.ndarray
    copy_number: np.ndarray  # int64 [records, samples]; FORMAT/CN, -1 missing
    block_intervals: tuple[tuple[int, int], ...]
    block_called: np.ndarray  # bool [blocks, samples]
    block_depth: np.ndarray  # int64 [blocks, samples]; MIN_DP when given, else DP
    block_quality: np.ndarray

    @property
    def is_gvcf(self) -> bool:
        return bool(self.block_intervals)

    @cached_property
    def _columns(self) -> dict[str, int]:
        return {sample_id: index for index, sample_id in enumerate(self.samples)}

    def column(self, sample_id: str) -> int:
        return self._columns[sample_id]

    @classmethod
    def read(cls, vcf: Path, samples: Sequence[str] | None = None) -> GenotypeMatrix:
        """Read the genotypes of ``samples`` (all when None) in one pass over the VCF."""
        vcf = Path(vcf)
        try:
            reader = cyvcf2.VCF(str(vcf), samples=list(samples) if samples else None, gts012=False, strict_gt=False)
        except OSError as error:
            raise InputError(vcf, f"cannot open the locus VCF ({error})", "rerun the extract stage") from error
        present = tuple(reader.samples)
        for sample_id in samples or ():
            if sample_id not in present:
                raise InputError(vcf, f"sample {sample_id!r} is not in the locus VCF", "check the sample sheet")
        count = len(present)
        keys, filters, sv_ends, deletions = [], [], [], []
        alleles, phased, zygosity, depth, quality, ref_reads, alt_reads, phase_set = ([] for _ in range(8))
        copy_number: list[np.ndarray] = []
        intervals, block_called, block_depth, block_quality = [], [], [], []
        for variant in reader:
            alts = variant.ALT
            if not alts:
                continue
            array = variant.genotype.array() if count else np.zeros((0, 3), dtype=np.int16)
            codes = _zygosity_codes(array)
            gq = _int_matrix(_format(variant, "GQ"), count)
            if all(alt in REFERENCE_BLOCK_ALLELES for alt in alts):
                min_dp = _format(variant, "MIN_DP")
                intervals.append((variant.POS, variant.end))
                block_called.append(codes != _NO_CALL)
                block_depth.append(_int_matrix(min_dp if min_dp is not None else _format(variant, "DP"), count))
                block_quality.append(gq)
                continue
            svtype = variant.INFO.get("SVTYPE")
            alt = alts[0]
            keys.append(VariantKey(variant.CHROM, variant.POS, variant.REF, alt))
            filters.append(variant.FILTER or "PASS")
            sv_ends.append(variant.end if svtype else None)
            copies = _int_matrix(_format(variant, "CN"), count)
            if svtype == "CNV" or alt == "<CNV>":
                # A copy-number record: CN 0 / 1 is a deletion of both / one copy, whatever GT says.
                codes = np.where(copies == 0, _HOM_ALT, np.where(copies == 1, _HET, codes)).astype(np.int8)
            deletions.append(
                alt in DELETION_ALLELES
                or alt.startswith("<DEL")
                or svtype == "DEL"
                or bool((copies == 0).any())
                or bool((copies == 1).any())
            )
            copy_number.append(copies)
            allele_columns = array[:, :2] if array.shape[1] > 2 else np.column_stack([array[:, 0], np.full(count, -2)])
            alleles.append(allele_columns.astype(np.int16))
            phased.append((array[:, -1] == 1) & (array.shape[1] > 2))
            zygosity.append(codes)
            depth.append(_int_matrix(_format(variant, "DP"), count))
            quality.append(gq)
            ad = _format(variant, "AD")
            ref_reads.append(_int_matrix(ad, count, 0))
            alt_reads.append(_int_matrix(ad, count, 1))
            phase_set.append(_int_matrix(_format(variant, "PS"), count))
        reader.close()

        def stack(rows: list, dtype, shape=(count,)) -> np.ndarray:
            return np.stack(rows).astype(dtype) if rows else np.zeros((0, *shape), dtype=dtype)

        return cls(
            path=vcf,
            samples=present,
            keys=tuple(keys),
            filters=tuple(filters),
            sv_ends=tuple(sv_ends),
            deletions=np.asarray(deletions, dtype=bool),
            alleles=stack(alleles, np.int16, (count, 2)),
            phased=stack(phased, bool),
            zygosity=stack(zygosity, np.int8),
            depth=stack(depth, np.int64),
            quality=stack(quality, np.int64),
            ref_reads=stack(ref_reads, np.int64),
            alt_reads=stack(alt_reads, np.int64),
            phase_set=stack(phase_set, np.int64),
            copy_number=stack(copy_number, np.int64),
            block_intervals=tuple(intervals),
            block_called=stack(block_called, bool),
            block_depth=stack(block_depth, np.int64),
            block_quality=stack(block_quality, np.int64),
        )

    def call(self, row: int, column: int, settings: GenotypeQcSettings) -> GenotypeCall:
        """The GenotypeCall of one sample (column) at one record (row)."""
        zygosity = _ZYGOSITY[int(self.zygosity[row, column])]
        first, second = (int(a) for a in self.alleles[row, column])
        indices = (first,) if second == -2 else (first, second)
        phased = bool(self.phased[row, column]) and len(indices) == 2
        genotype = ("|" if phased else "/").join("." if a < 0 else str(a) for a in indices)
        if self.copy_number[row, column] >= 0:
            genotype += f" (CN={int(self.copy_number[row, column])})"
        depth = _optional(self.depth[row, column])
        quality = _optional(self.quality[row, column])
        ref_reads, alt_reads = _optional(self.ref_reads[row, column]), _optional(self.alt_reads[row, column])
        balance = None
        if ref_reads is not None and alt_reads is not None and ref_reads + alt_reads > 0:
            balance = round(alt_reads / (ref_reads + alt_reads), 4)
        key = self.keys[row]
        symbolic = key.alt.startswith("<")
        called = zygosity != Zygosity.NO_CALL
        return GenotypeCall(
            key=key,
            zygosity=zygosity,
            genotype=genotype,
            phased=phased,
            phase_set=_optional(self.phase_set[row, column]) if phased else None,
            alt_haplotypes=tuple(i for i, a in enumerate(indices) if a > 0),
            depth=depth,
            genotype_quality=quality,
            allele_balance=balance,
            filter=self.filters[row],
            qc_failures=qc_failures(zygosity, depth, quality, balance, self.filters[row], settings) if called else (),
            sv_end=self.sv_ends[row],
            qc_notes=qc_notes(zygosity, depth, quality, balance, symbolic) if called else (),
            is_deletion=bool(self.deletions[row]) and self.copy_number[row, column] < 2,
        )

    def gvcf_coverage(self, grid: RegionGrid, settings: CallabilitySettings) -> CoverageEvidence | None:
        """Coverage of every sample from reference blocks and variant records (gVCFs only)."""
        if not self.is_gvcf:
            return None
        intervals = list(self.block_intervals) + [(key.pos, key.pos + len(key.ref) - 1) for key in self.keys]
        called = np.concatenate([self.block_called, self.zygosity != _NO_CALL])
        depth = np.concatenate([self.block_depth, self.depth])
        quality = np.concatenate([self.block_quality, self.quality])
        return gvcf_coverage(grid, intervals, called, depth, quality, settings)


def _optional(value) -> int | None:
    number = int(value)
    return None if number < 0 else number


class SampleGenotypes(Mapping[VariantKey, GenotypeCall]):
    """One sample's calls, built on demand from its column of a genotype matrix."""

    def __init__(self, matrix: GenotypeMatrix, sample_id: str, settings: GenotypeQcSettings) -> None:
        self.matrix = matrix
        self.sample_id = sample_id
        self.column = matrix.column(sample_id)
        self.settings = settings
        self._rows = {key: row for row, key in enumerate(matrix.keys)}
        self._cache: dict[int, GenotypeCall] = {}

    def _call(self, row: int) -> GenotypeCall:
        if row not in self._cache:
            self._cache[row] = self.matrix.call(row, self.column, self.settings)
        return self._cache[row]

    def __getitem__(self, key: VariantKey) -> GenotypeCall:
        return self._call(self._rows[key])

    def __iter__(self) -> Iterator[VariantKey]:
        return iter(self.matrix.keys)

    def __len__(self) -> int:
        return len(self.matrix.keys)

    @property
    def records(self) -> int:
        return len(self.matrix.keys)

    @property
    def no_calls(self) -> int:
        return int(np.count_nonzero(self.matrix.zygosity[:, self.column] == _NO_CALL))

    @property
    def block_no_calls(self) -> tuple[int, int]:
        """(reference blocks, of which no-call) for this sample."""
        called = self.matrix.block_called[:, self.column] if self.matrix.is_gvcf else np.zeros(0, dtype=bool)
        return len(called), int(np.count_nonzero(~called))

    def carried(self) -> list[GenotypeCall]:
        """Calls carrying an ALT allele, in file order (vectorised selection)."""
        codes = self.matrix.zygosity[:, self.column]
        rows = np.flatnonzero((codes == _HET) | (codes == _HOM_ALT) | (codes == _HEMI))
        return [self._call(int(row)) for row in rows]

    def reference_at(self, key: VariantKey) -> bool | None:
        """For a site absent from the VCF: True when a gVCF reference block of this sample covers it
        with a call at the genotype QC depth and quality, False when none does, None for a plain VCF
        (which cannot say)."""
        matrix = self.matrix
        if not matrix.is_gvcf:
            return None
        end = key.pos + max(len(key.ref), 1) - 1
        column = self.column
        for row, (start, stop) in enumerate(matrix.block_intervals):
            if start <= key.pos and end <= stop and matrix.block_called[row, column]:
                depth, quality = matrix.block_depth[row, column], matrix.block_quality[row, column]
                if depth >= self.settings.min_dp and quality >= self.settings.min_gq:
                    return True
        return False

    def homozygous_alt_keys(self) -> list[VariantKey]:
        codes = self.matrix.zygosity[:, self.column]
        return [self.matrix.keys[int(row)] for row in np.flatnonzero(codes == _HOM_ALT)]


def read_calls(vcf: Path, sample_id: str, settings: GenotypeQcSettings) -> tuple[GenotypeCall, ...]:
    """Every variant record of the locus VCF as this sample's call (no-calls included)."""
    genotypes = SampleGenotypes(GenotypeMatrix.read(vcf, [sample_id]), sample_id, settings)
    return tuple(genotypes.values())


# ----------------------------------------------------------------------------- phase and transmission


def read_phase_by_reads(first: GenotypeCall, second: GenotypeCall) -> tuple[Phase, str] | None:
    """Phase from GT '|' — only within one phase set (PS); phased calls without PS are not compared."""
    if not (first.phased and second.phased) or first.phase_set is None or first.phase_set != second.phase_set:
        return None
    if first.zygosity != Zygosity.HET or second.zygosity != Zygosity.HET:
        return None
    same = first.alt_haplotypes == second.alt_haplotypes
    return (Phase.CIS if same else Phase.TRANS), f"phased genotypes in phase set {first.phase_set}"


def _why_not_read_phased(first: GenotypeCall, second: GenotypeCall) -> str:
    if not (first.phased and second.phased):
        return "genotypes not phased"
    if first.phase_set is None or second.phase_set is None:
        return "phased genotypes without a phase set (PS) are not compared"
    if first.phase_set != second.phase_set:
        return f"different phase sets ({first.phase_set}, {second.phase_set})"
    return "not both heterozygous"


def parent_carries(parent_calls: Mapping[VariantKey, GenotypeCall], key: VariantKey) -> bool | None:
    """True/False when the parent's genotype is known and passes QC; None when it cannot be told.

    A variant absent from the parent's VCF counts as not carried (the wording in the evidence says
    so), because a joint VCF always has the record and a single-sample VCF lists what it called;
    when the parent's VCF is a gVCF, the site must lie in a reference block passing QC, otherwise
    the parent's genotype is unknown (missing is not reference).
    """
    call = parent_calls.get(key)
    if call is None:
        reference = parent_calls.reference_at(key) if isinstance(parent_calls, SampleGenotypes) else None
        return None if reference is False else False
    if call.zygosity == Zygosity.NO_CALL or not call.passes_qc:
        return None
    return call.carries_alt


def _parent_genotype_text(parent_calls: Mapping[VariantKey, GenotypeCall], key: VariantKey) -> str:
    call = parent_calls.get(key)
    if call is None and parent_carries(parent_calls, key) is None:
        return "not covered by a reference block passing QC in the parent's gVCF (unknown)"
    if call is None and isinstance(parent_calls, SampleGenotypes) and parent_calls.matrix.is_gvcf:
        return "0/0 (gVCF reference block)"
    if call is None:
        return "absent from the parent's VCF (taken as not carried)"
    if call.zygosity == Zygosity.NO_CALL:
        return "no call"
    if not call.passes_qc:
        return f"{call.genotype} (failed QC: {'; '.join(call.qc_failures)})"
    return call.genotype


def read_phase_by_parents(
    first: VariantKey, second: VariantKey, parents: Mapping[str, Mapping[VariantKey, GenotypeCall]]
) -> tuple[Phase, str] | None:
    """Phase from transmission: each variant from a different parent is trans; both from one is cis."""
    if len(parents) < 2:
        return None
    (father_id, father), (mother_id, mother) = list(parents.items())[:2]
    seen = [(parent_carries(father, k), parent_carries(mother, k)) for k in (first, second)]
    if any(value is None for pair in seen for value in pair):
        return None
    (f1, m1), (f2, m2) = seen
    if f1 and not m1 and m2 and not f2:
        return Phase.TRANS, f"{first} from {father_id}, {second} from {mother_id}"
    if m1 and not f1 and f2 and not m2:
        return Phase.TRANS, f"{first} from {mother_id}, {second} from {father_id}"
    if f1 and f2 and not m1 and not m2:
        return Phase.CIS, f"both inherited from {father_id}"
    if m1 and m2 and not f1 and not f2:
        return Phase.CIS, f"both inherited from {mother_id}"
    return None


def _why_not_parent_phased(
    first: VariantKey, second: VariantKey, parents: Mapping[str, Mapping[VariantKey, GenotypeCall]]
) -> str:
    if not parents:
        return "no parents in the sample sheet"
    if len(parents) < 2:
        return "only one parent in the sample sheet"
    shown = "; ".join(
        f"{parent_id}: {first} {_parent_genotype_text(calls, first)}, {second} {_parent_genotype_text(calls, second)}"
        for parent_id, calls in parents.items()
    )
    return f"the parents' genotypes do not separate the two variants ({shown})"


def determine_phase(
    first: GenotypeCall, second: GenotypeCall, parents: Mapping[str, Mapping[VariantKey, GenotypeCall]]
) -> PairPhase:
    by_reads = read_phase_by_reads(first, second)
    by_parents = read_phase_by_parents(first.key, second.key, parents)
    if by_reads and by_parents and by_reads[0] == by_parents[0]:
        return PairPhase(first.key, second.key, by_reads[0], PhaseSource.BOTH, f"{by_reads[1]}; {by_parents[1]}")
    if by_reads and by_parents:
        detail = (
            f"conflict: reads say {by_reads[0].value} ({by_reads[1]}), parents say {by_parents[0].value} "
            f"({by_parents[1]}); treated as unknown"
        )
        return PairPhase(first.key, second.key, Phase.UNKNOWN, PhaseSource.UNKNOWN, detail)
    if by_reads:
        return PairPhase(first.key, second.key, by_reads[0], PhaseSource.READ_BACKED, by_reads[1])
    if by_parents:
        return PairPhase(first.key, second.key, by_parents[0], PhaseSource.PARENTAL, by_parents[1])
    by_parents_why = _why_not_parent_phased(first.key, second.key, parents)
    detail = f"reads: {_why_not_read_phased(first, second)}; parents: {by_parents_why}"
    return PairPhase(first.key, second.key, Phase.UNKNOWN, PhaseSource.UNKNOWN, detail)


@dataclass(frozen=True)
class Transmission:
    """How a child's variant relates to its parents' genotypes."""

    status: str  # inherited, de_novo, mendelian_inconsistent, unknown, not_applicable
    detail: str


def transmission(call: GenotypeCall, parents: Mapping[str, Mapping[VariantKey, GenotypeCall]]) -> Transmission:
    """Inherited from whom, de novo, or inconsistent with Mendelian inheritance (a flag to review)."""
    if not parents or not call.carries_alt:
        return Transmission("not_applicable", "")
    carries = {parent_id: parent_carries(calls, call.key) for parent_id, calls in parents.items()}
    homozygous = {
        parent_id
        for parent_id, calls in parents.items()
        if carries[parent_id] and calls.get(call.key) is not None and calls[call.key].zygosity == Zygosity.HOM_ALT
    }
    known_absent = [parent_id for parent_id, value in carries.items() if value is False]
    carriers = [parent_id for parent_id, value in carries.items() if value]
    unknown = [parent_id for parent_id, value in carries.items() if value is None]
    if call.zygosity in (Zygosity.HOM_ALT, Zygosity.HEMI) and known_absent:
        return Transmission(
            "mendelian_inconsistent",
            f"homozygous, but {', '.join(known_absent)} does not carry it: a deletion of that parent's copy, "
            "uniparental disomy, non-paternity or a sample swap",
        )
    if call.zygosity == Zygosity.HET and len(homozygous) >= 2:
        return Transmission(
            "mendelian_inconsistent",
            f"heterozygous, but both parents ({', '.join(sorted(homozygous))}) are homozygous for it",
        )
    if call.zygosity == Zygosity.HET and len(parents) >= 2 and len(known_absent) == len(parents):
        return Transmission(
            "de_novo",
            f"absent in both parents ({', '.join(known_absent)}): apparently de novo (confirm parentage and "
            "the call); its phase cannot be told from the parents",
        )
    if unknown:
        return Transmission("unknown", f"parental genotype not assessable for {', '.join(unknown)}")
    if carriers and len(carriers) == len(parents) and call.zygosity == Zygosity.HET:
        return Transmission("inherited", f"both parents carry it ({', '.join(carriers)}): from either")
    if carriers:
        return Transmission("inherited", f"inherited from {', '.join(carriers)}")
    return Transmission("unknown", f"not carried by {', '.join(known_absent)}; the other parent was not tested")


def mendelian_conflicts_at_parent_homozygotes(
    child: Mapping[VariantKey, GenotypeCall], parents: Mapping[str, SampleGenotypes | Mapping]
) -> list[str]:
    """Sites where a parent is homozygous ALT but the child is confidently homozygous reference."""
    conflicts = []
    for parent_id, calls in parents.items():
        keys = (
            calls.homozygous_alt_keys()
            if isinstance(calls, SampleGenotypes)
            else [key for key, call in calls.items() if call.zygosity == Zygosity.HOM_ALT]
        )
        for key in keys:
            parent_call, own = calls[key], child.get(key)
            if parent_call.passes_qc and own is not None and own.zygosity == Zygosity.HOM_REF and own.passes_qc:
                conflicts.append(f"{key}: {parent_id} is homozygous ({parent_call.genotype}) but the child is 0/0")
    return conflicts


# ----------------------------------------------------------------------------- PM3 (ClinGen SVI)


def pm3_strength(points: float) -> str:
    for threshold, label in PM3_STRENGTHS:
        if points >= threshold:
            return label
    return ""


def _pm3_entry(variant: VariantKey, points: float, configuration: str, basis: str) -> dict[str, object]:
    return {
        "variant": str(variant),
        "points": points,
        "code": pm3_strength(points),
        "configuration": configuration,
        "basis": basis + " (PM3 applies only if the patient's phenotype fits HSH)",
    }


def _pm3_for_pair(pair: PairPhase, classes: Mapping[VariantKey, str]) -> list[dict[str, object]]:
    """PM3 for each variant of a pair from its partner's class and the phase (ClinGen SVI v1.0 table)."""
    scored = []
    for variant, partner in ((pair.first, pair.second), (pair.second, pair.first)):
        partner_class = classes.get(partner) or "not classified"
        partner_pathogenic = partner_class in PATHOGENIC_CLASSES
        if pair.phase == Phase.TRANS and partner_pathogenic:
            points, configuration = PM3_POINTS_IN_TRANS_PATHOGENIC, "in_trans_with_pathogenic"
        elif pair.phase == Phase.TRANS:
            points, configuration = PM3_POINTS_IN_TRANS_VUS, "in_trans_with_vus"
        elif pair.phase == Phase.UNKNOWN and partner_pathogenic:
            points, configuration = PM3_POINTS_PHASE_UNKNOWN, "phase_unknown_with_pathogenic"
        elif pair.phase == Phase.UNKNOWN:
            points, configuration = PM3_POINTS_PHASE_UNKNOWN_VUS, "phase_unknown_with_vus"
        else:
            points, configuration = 0.0, "in_cis"
        basis = f"{pair.phase.value} ({pair.source.value}) with {partner} ({partner_class}): {points:g} point(s)"
        scored.append(_pm3_entry(variant, points, configuration, basis))
    return scored


VERDICT_SENTENCES = {
    Verdict.HOMOZYGOUS: (
        "Homozygous qualifying variant in TRPM6: biallelic loss of function, consistent with "
        "hypomagnesemia with secondary hypocalcemia (HSH)."
    ),
    Verdict.COMPOUND_HET_TRANS: (
        "Two qualifying TRPM6 variants on different copies of the gene (in trans): biallelic loss of "
        "function, consistent with HSH."
    ),
    Verdict.COMPOUND_HET_PHASE_UNKNOWN: (
        "Two qualifying TRPM6 variants, but it is not known whether they lie on different copies of the "
        "gene. Testing both parents is recommended to confirm a biallelic (compound heterozygous) result."
    ),
    Verdict.CIS_NOT_BIALLELIC: (
        "Two qualifying TRPM6 variants on the same copy of the gene (in cis): the other copy carries no "
        "detected qualifying variant, so this is not a biallelic result."
    ),
    Verdict.QUALIFYING_PLUS_VUS: (
        "One qualifying TRPM6 variant and one variant of uncertain significance. The uncertain variant "
        "cannot establish a diagnosis; the result is inconclusive for HSH."
    ),
    Verdict.CARRIER: (
        "One heterozygous qualifying TRPM6 variant: carrier. No second qualifying variant was found in "
        "what was assessed."
    ),
    Verdict.POSSIBLE_HEMIZYGOUS: (
        "Apparently homozygous qualifying TRPM6 variant, but a deletion of the other copy cannot be "
        "excluded or is indicated. Confirm by parental testing and copy-number analysis."
    ),
    Verdict.NEGATIVE: (
        "No qualifying TRPM6 variant was found in what was assessed. This does not exclude HSH: see "
        "the regions that were not assessed."
    ),
    Verdict.NOT_ASSESSABLE: (
        "The TRPM6 locus could not be assessed in this sample: it has no usable genotype calls or coverage "
        "there (see the evidence). No conclusion can be drawn."
    ),
}


@dataclass(frozen=True)
class LocusFacts:
    """Counts about the sample's locus beyond its variant calls (for NOT_ASSESSABLE and the evidence)."""

    records: int
    no_calls: int
    blocks: int = 0
    block_no_calls: int = 0
    regions: tuple[Mapping[str, object], ...] = ()

    @cached_property
    def callability_known(self) -> bool:
        return any(region.get("status") != AssessedStatus.UNKNOWN for region in self.regions)

    @cached_property
    def assessed_regions(self) -> int:
        return sum(1 for region in self.regions if region.get("status") == AssessedStatus.ASSESSED)


def _not_assessable(carried: Sequence[GenotypeCall], facts: LocusFacts) -> str | None:
    """Why the locus cannot be assessed in this sample, or None when it can."""
    if facts.records and facts.no_calls == facts.records and (not facts.blocks or facts.block_no_calls == facts.blocks):
        return f"all {facts.records} variant records at the locus are no-calls for this sample"
    if facts.blocks and facts.block_no_calls == facts.blocks and not facts.records:
        return f"all {facts.blocks} gVCF reference blocks at the locus are no-calls for this sample"
    usable = any(call.passes_qc for call in carried)
    if facts.callability_known and facts.regions and facts.assessed_regions == 0 and not usable:
        return f"none of the {len(facts.regions)} coding regions reached the callability thresholds"
    return None


def decide_verdict(
    calls: Sequence[GenotypeCall],
    variants: Mapping[VariantKey, Mapping[str, str]],
    parents: Mapping[str, Mapping[VariantKey, GenotypeCall]],
    facts: LocusFacts | None = None,
) -> VerdictResult:
    """The biallelic verdict from QC-passing calls, with the evidence behind it.

    ``calls`` may hold every record's call or only the calls carrying an ALT allele; ``facts``
    gives the counts (records, no-calls, callability) when they are not all in ``calls``.
    """
    if facts is None:
        no_calls = sum(1 for call in calls if call.zygosity == Zygosity.NO_CALL)
        facts = LocusFacts(records=len(calls), no_calls=no_calls)
    evidence: list[str] = []
    carried = [call for call in calls if call.carries_alt]
    reason = _not_assessable(carried, facts)
    if reason:
        return VerdictResult(Verdict.NOT_ASSESSABLE, VERDICT_SENTENCES[Verdict.NOT_ASSESSABLE], (reason,))
    classes = {key: row.get("classification", "") for key, row in variants.items()}

    def is_qualifying(call: GenotypeCall) -> bool:
        return variants.get(call.key, {}).get("qualifying") == "true"

    def is_candidate_vus(call: GenotypeCall) -> bool:
        return variants.get(call.key, {}).get("candidate_vus") == "true"

    for call in carried:
        if not call.passes_qc and (is_qualifying(call) or is_candidate_vus(call) or call.is_deletion):
            evidence.append(
                f"{call.key} ({call.genotype}) failed genotype QC ({'; '.join(call.qc_failures)}) and was "
                "not used for the verdict; confirm it by an orthogonal method"
            )
        elif call.qc_notes and (is_qualifying(call) or is_candidate_vus(call)):
            evidence.append(f"{call.key} ({call.genotype}): QC incomplete, {'; '.join(call.qc_notes)}")
        found = transmission(call, parents)
        if found.status in ("de_novo", "mendelian_inconsistent") and (is_qualifying(call) or is_candidate_vus(call)):
            evidence.append(f"{call.key}: {found.status.replace('_', ' ')}: {found.detail}")
    usable = [call for call in carried if call.passes_qc]
    qualifying = [call for call in usable if is_qualifying(call)]
    vus = [call for call in usable if is_candidate_vus(call)]
    deletions = [call for call in carried if call.is_deletion and call.sv_end is not None]

    homozygous = [call for call in qualifying if call.zygosity in (Zygosity.HOM_ALT, Zygosity.HEMI)]
    if homozygous:
        return _homozygous_verdict(homozygous, deletions, parents, classes, evidence)

    heterozygous = [call for call in qualifying if call.zygosity == Zygosity.HET]
    if len(heterozygous) >= 2:
        pairs = [determine_phase(a, b, parents) for a, b in itertools.combinations(heterozygous, 2)]
        trans = [pair for pair in pairs if pair.phase == Phase.TRANS]
        unknown = [pair for pair in pairs if pair.phase == Phase.UNKNOWN]
        if trans:
            verdict, chosen = Verdict.COMPOUND_HET_TRANS, trans[0]
        elif unknown:
            verdict, chosen = Verdict.COMPOUND_HET_PHASE_UNKNOWN, unknown[0]
        else:
            verdict, chosen = Verdict.CIS_NOT_BIALLELIC, pairs[0]
        for pair in pairs:
            evidence.append(f"{pair.first} and {pair.second}: {pair.phase.value} ({pair.source.value}: {pair.detail})")
        pm3 = tuple(_pm3_for_pair(chosen, classes))
        evidence.extend(f"{item['variant']}: {item['code'] or 'PM3 not met'}, {item['basis']}" for item in pm3)
        return VerdictResult(verdict, VERDICT_SENTENCES[verdict], tuple(evidence), pairs=tuple(pairs), pm3=pm3)
    if len(heterozygous) == 1 and vus:
        pairs = tuple(determine_phase(heterozygous[0], other, parents) for other in vus)
        for pair in pairs:
            evidence.append(
                f"qualifying {pair.first} with uncertain {pair.second}: {pair.phase.value} "
                f"({pair.source.value}: {pair.detail})"
            )
        pm3 = tuple(item for pair in pairs if pair.phase != Phase.CIS for item in _pm3_for_pair(pair, classes))
        evidence.extend(f"{item['variant']}: {item['code'] or 'PM3 not met'}, {item['basis']}" for item in pm3)
        if all(pair.phase == Phase.CIS for pair in pairs):
            evidence.append("every uncertain variant is in cis with the qualifying one: it cannot be the second hit")
            return VerdictResult(Verdict.CARRIER, VERDICT_SENTENCES[Verdict.CARRIER], tuple(evidence), pairs=pairs)
        return VerdictResult(
            Verdict.QUALIFYING_PLUS_VUS,
            VERDICT_SENTENCES[Verdict.QUALIFYING_PLUS_VUS],
            tuple(evidence),
            pairs=pairs,
            pm3=pm3,
        )
    if len(heterozygous) == 1:
        evidence.append(f"{heterozygous[0].key} heterozygous, {classes.get(heterozygous[0].key)}")
        evidence.extend(_not_assessed_summary(facts))
        return VerdictResult(Verdict.CARRIER, VERDICT_SENTENCES[Verdict.CARRIER], tuple(evidence))
    if not facts.records:
        evidence.append("the VCF holds no variant records at the TRPM6 locus for this sample")
    else:
        evidence.append(f"{len(usable)} variant call(s) at the locus passing QC, none qualifying")
    evidence.extend(f"{call.key} ({call.genotype}): {classes.get(call.key)}, not qualifying on its own" for call in vus)
    evidence.extend(_not_assessed_summary(facts))
    return VerdictResult(Verdict.NEGATIVE, VERDICT_SENTENCES[Verdict.NEGATIVE], tuple(evidence))


def _not_assessed_summary(facts: LocusFacts) -> list[str]:
    if not facts.regions:
        return []
    missing = [region for region in facts.regions if region.get("status") != AssessedStatus.ASSESSED]
    if not missing:
        return [f"all {len(facts.regions)} coding regions (exons and canonical splice sites) were assessed"]
    if not facts.callability_known:
        return [
            f"none of the {len(facts.regions)} coding regions can be confirmed as covered (plain VCF): "
            "variants there cannot be excluded"
        ]
    exons = ", ".join(str(region.get("exon")) for region in missing)
    return [f"{len(missing)} of {len(facts.regions)} coding regions not assessed (exons {exons}): not excluded"]


def _hemizygosity_reasons(
    call: GenotypeCall, deletions: Sequence[GenotypeCall], parents: Mapping[str, Mapping[VariantKey, GenotypeCall]]
) -> list[str]:
    """Why an apparent homozygote may sit over a deletion of the other copy (empty: no sign of it)."""
    reasons = []
    for deletion in deletions:
        if deletion.key != call.key and deletion.overlaps(call):
            quality = "" if deletion.passes_qc else " (a low-quality deletion call)"
            reasons.append(f"{deletion.key} ({deletion.genotype}, deletion to {deletion.sv_end}) overlaps it{quality}")
    for parent_id, parent_calls in parents.items():
        if parent_carries(parent_calls, call.key) is False:
            reasons.append(
                f"parent {parent_id} does not carry it ({_parent_genotype_text(parent_calls, call.key)}): "
                "a deletion of that copy or uniparental disomy"
            )
    if call.zygosity == Zygosity.HEMI:
        reasons.append("the genotype is haploid on an autosome")
    return reasons


def _homozygous_verdict(
    homozygous: Sequence[GenotypeCall],
    deletions: Sequence[GenotypeCall],
    parents: Mapping[str, Mapping[VariantKey, GenotypeCall]],
    classes: Mapping[VariantKey, str],
    evidence: list[str],
) -> VerdictResult:
    """HOMOZYGOUS when one homozygote shows no sign of a deletion of the other copy, else POSSIBLE_HEMIZYGOUS."""
    reasons_of = {call.key: _hemizygosity_reasons(call, deletions, parents) for call in homozygous}
    call = next((c for c in homozygous if not reasons_of[c.key]), homozygous[0])
    for other in homozygous:
        if other.key != call.key and reasons_of[other.key]:
            evidence.append(
                f"{other.key} appears homozygous ({other.genotype}), but " + "; ".join(reasons_of[other.key])
            )
    reasons = reasons_of[call.key]
    if reasons:
        evidence.append(f"{call.key} appears homozygous ({call.genotype}), but " + "; ".join(reasons))
        pm3 = _pm3_entry(call.key, 0.0, "hemizygosity_not_excluded", "homozygosity not established")
        return VerdictResult(
            Verdict.POSSIBLE_HEMIZYGOUS, VERDICT_SENTENCES[Verdict.POSSIBLE_HEMIZYGOUS], tuple(evidence), pm3=(pm3,)
        )
    evidence.append(f"{call.key} homozygous ({call.genotype}), {classes.get(call.key)}")
    if not parents:
        evidence.append("parents not tested: a deletion of the other copy is not excluded by segregation")
    pm3 = _pm3_entry(call.key, PM3_POINTS_HOMOZYGOUS, "homozygous", "homozygous occurrence in the patient")
    evidence.append(f"{call.key}: {pm3['code']}, {pm3['basis']}")
    return VerdictResult(Verdict.HOMOZYGOUS, VERDICT_SENTENCES[Verdict.HOMOZYGOUS], tuple(evidence), pm3=(pm3,))


def _pair_role(key: VariantKey, result: VerdictResult) -> tuple[Phase, PhaseSource]:
    for pair in result.pairs:
        if key in (pair.first, pair.second):
            return pair.phase, pair.source
    return Phase.NOT_APPLICABLE, PhaseSource.NOT_APPLICABLE


def verdict_transcript(model: Path) -> Transcript:
    """The MANE Select transcript of the model (verdicts are made on it), else its first coding one."""
    transcripts = [t for t in load_transcripts(model) if t.is_coding]
    if not transcripts:
        raise InputError(model, "no protein-coding transcript in the model", "give a GFF3/GTF with CDS features")
    return next((t for t in transcripts if t.is_mane), transcripts[0])


# ----------------------------------------------------------------------------- documents and entry points


@dataclass
class _Cohort:
    """Genotype matrices of the batches involved, read once, with what is derived from them."""

    matrices: dict[str, GenotypeMatrix]
    batch_of: Mapping[str, str]
    variant_tables: dict[str, dict[VariantKey, dict[str, str]]]
    qc: GenotypeQcSettings
    callability: CallabilitySettings
    grid: RegionGrid
    reference_fasta: Path | None
    _gvcf: dict[str, CoverageEvidence | None] = field(default_factory=dict)
    _unknown: dict[str, object] = field(default_factory=dict)

    def genotypes(self, sample_id: str) -> SampleGenotypes:
        return SampleGenotypes(self.matrices[self.batch_of[sample_id]], sample_id, self.qc)

    def variants(self, sample_id: str) -> dict[VariantKey, dict[str, str]]:
        return self.variant_tables.get(self.batch_of[sample_id], {})

    def gvcf(self, batch: str) -> CoverageEvidence | None:
        if batch not in self._gvcf:
            self._gvcf[batch] = self.matrices[batch].gvcf_coverage(self.grid, self.callability)
        return self._gvcf[batch]

    def regions(self, sample: Mapping[str, object]) -> list[dict[str, object]]:
        sample_id = str(sample["sample_id"])
        batch = self.batch_of[sample_id]
        sources = []
        gvcf = self.gvcf(batch)
        if gvcf is not None:
            sources.append((gvcf, self.matrices[batch].column(sample_id)))
        if sample.get("alignment"):
            coverage = alignment_coverage(
                self.grid, Path(str(sample["alignment"])), self.callability, self.reference_fasta
            )
            sources.append((coverage, 0))
        if not sources:  # a plain VCF: the same 'unknown' list for every sample
            if "plain" not in self._unknown:
                self._unknown["plain"] = region_statuses(self.grid, (), PLAIN_VCF_REASON)
            return [dict(entry) for entry in self._unknown["plain"]]
        return region_statuses(self.grid, sources, PLAIN_VCF_REASON)

    @property
    def settings_shown(self) -> tuple[dict[str, object], dict[str, object]]:
        """The QC and callability settings as the documents show them (JSON types)."""
        if "settings" not in self._unknown:
            self._unknown["settings"] = json.loads(json.dumps((asdict(self.qc), asdict(self.callability))))
        qc, callability = self._unknown["settings"]
        return dict(qc), dict(callability)


def _batch_name(path: Path) -> str:
    name = Path(path).name
    for suffix in (".vcf.gz", ".vcf", ".bcf"):
        if name.endswith(suffix):
            return name.removesuffix(suffix)
    return name


def _read_variant_table(path: Path) -> dict[VariantKey, dict[str, str]]:
    return {VariantKey(row["chrom"], int(row["pos"]), row["ref"], row["alt"]): row for row in read_table(path)}


def _open_cohort(
    members: Mapping[str, str],
    locus_vcfs: Sequence[Path],
    variant_tables: Sequence[Path],
    genotype_qc: Mapping[str, object],
    model: Path,
    callability: Mapping[str, object] | None,
    reference_fasta: Path | None,
    read_all_samples: bool = False,
) -> _Cohort:
    """Read every batch's genotypes once (for the members needed, or all its samples)."""
    vcf_of_batch = {_batch_name(path): Path(path) for path in locus_vcfs}
    table_of_batch = {Path(path).name.removesuffix(".variants.tsv"): Path(path) for path in variant_tables}
    wanted: dict[str, list[str]] = {}
    for member, batch in members.items():
        if batch not in vcf_of_batch:
            raise InputError(batch, f"no locus VCF given for the batch of {member!r}", "rerun the extract stage")
        wanted.setdefault(batch, []).append(member)
    matrices = {
        batch: GenotypeMatrix.read(vcf_of_batch[batch], None if read_all_samples else list(dict.fromkeys(ids)))
        for batch, ids in wanted.items()
    }
    tables = {batch: _read_variant_table(table_of_batch[batch]) for batch in wanted if batch in table_of_batch}
    return _Cohort(
        matrices=matrices,
        batch_of=dict(members),
        variant_tables=tables,
        qc=GenotypeQcSettings.from_config(complete_section("genotype_qc", genotype_qc)),
        callability=CallabilitySettings.from_config(complete_section("callability", callability)),
        grid=RegionGrid.of(coding_regions(verdict_transcript(model))),
        reference_fasta=Path(reference_fasta) if reference_fasta else None,
    )


def _parents_of(sample: Mapping[str, object]) -> list[str]:
    return [str(p) for p in (sample.get("paternal_id"), sample.get("maternal_id")) if p and str(p) != "0"]


def verdict_document(sample: Mapping[str, object], cohort: _Cohort) -> dict[str, object]:
    """The verdict JSON of one sample: calls, QC, phase, transmission, evidence, what was not assessed."""
    sample_id = str(sample["sample_id"])
    genotypes = cohort.genotypes(sample_id)
    variants = cohort.variants(sample_id)
    parents = {parent_id: cohort.genotypes(parent_id) for parent_id in _parents_of(sample)}
    regions = cohort.regions(sample)
    blocks, block_no_calls = genotypes.block_no_calls
    facts = LocusFacts(genotypes.records, genotypes.no_calls, blocks, block_no_calls, tuple(regions))
    carried = genotypes.carried()
    result = decide_verdict(carried, variants, parents, facts)
    conflicts = mendelian_conflicts_at_parent_homozygotes(genotypes, parents) if parents else []
    evidence = list(result.evidence)
    if conflicts:
        evidence.append(
            f"Mendelian inconsistencies with the parents at {len(conflicts)} site(s): " + "; ".join(conflicts)
        )
    variant_entries = []
    inconsistent, de_novo = list(conflicts), []
    for call in carried:
        phase, source = _pair_role(call.key, result)
        found = transmission(call, parents)
        if found.status == "mendelian_inconsistent":
            inconsistent.append(f"{call.key}: {found.detail}")
        if found.status == "de_novo":
            de_novo.append(str(call.key))
        entry = dict(variants.get(call.key, {}))
        entry.update(
            chrom=call.key.chrom,
            pos=call.key.pos,
            ref=call.key.ref,
            alt=call.key.alt,
            zygosity=call.zygosity.value,
            genotype=call.genotype,
            phase_set=call.phase_set,
            depth=call.depth,
            genotype_quality=call.genotype_quality,
            allele_balance=call.allele_balance,
            filter=call.filter,
            qc_pass=call.passes_qc,
            qc_status=call.qc_status,
            qc_failures=list(call.qc_failures),
            qc_notes=list(call.qc_notes),
            phase=phase.value,
            phase_source=source.value,
            transmission=found.status,
            transmission_detail=found.detail,
            parental_genotypes={pid: _parent_genotype_text(calls, call.key) for pid, calls in parents.items()},
        )
        if call.key not in variants:
            entry.setdefault("classification", "Not classified")
            entry.setdefault("consequence", "structural_variant" if call.sv_end else "")
            entry.setdefault("qualifying", "false")
        variant_entries.append(entry)
    qc_shown, callability_shown = cohort.settings_shown
    sources = (["gVCF"] if genotypes.matrix.is_gvcf else []) + (["alignment"] if sample.get("alignment") else [])
    return {
        "sample_id": sample_id,
        "verdict": result.verdict.value,
        "verdict_text": result.text,
        "evidence": evidence,
        "pairs": [
            {
                "first": str(p.first),
                "second": str(p.second),
                "phase": p.phase.value,
                "phase_source": p.source.value,
                "detail": p.detail,
            }
            for p in result.pairs
        ],
        "pm3": list(result.pm3),
        "variants": variant_entries,
        "de_novo": de_novo,
        "mendelian_inconsistencies": inconsistent,
        "genotype_qc": qc_shown,
        "callability": {
            "sources": sources or ["none (plain VCF)"],
            "settings": callability_shown,
            "regions": len(regions),
            "regions_assessed": facts.assessed_regions,
        },
        "locus_records": genotypes.records,
        "locus_no_calls": genotypes.no_calls,
        "not_assessed": [region for region in regions if region["status"] != AssessedStatus.ASSESSED],
    }


def call_biallelic_status(
    sample: Mapping[str, object],
    family_batches: Mapping[str, str],
    locus_vcfs: Sequence[Path],
    variant_tables: Sequence[Path],
    genotype_qc: Mapping[str, object],
    model: Path,
    out: Path,
    callability: Mapping[str, object] | None = None,
    reference_fasta: Path | None = None,
) -> Verdict:
    """Write one sample's verdict JSON (reads only the sample and its parents)."""
    members = {member: family_batches[member] for member in [str(sample["sample_id"]), *_parents_of(sample)]}
    cohort = _open_cohort(members, locus_vcfs, variant_tables, genotype_qc, model, callability, reference_fasta)
    document = verdict_document(sample, cohort)
    write_text_atomic(out, json.dumps(document, indent=2, sort_keys=True) + "\n")
    log.info("%s: %s", document["sample_id"], document["verdict"])
    return Verdict(document["verdict"])


def call_batch_verdicts(
    samples: Sequence[Mapping[str, object]],
    family_batches: Mapping[str, str],
    locus_vcfs: Sequence[Path],
    variant_tables: Sequence[Path],
    genotype_qc: Mapping[str, object],
    model: Path,
    callability: Mapping[str, object] | None = None,
    reference_fasta: Path | None = None,
) -> dict[str, dict[str, object]]:
    """Verdict documents of many samples at once: each locus VCF's genotype matrix is read once.

    ``family_batches`` names the batch of every sample and parent involved. The documents equal
    those :func:`call_biallelic_status` writes for each sample.
    """
    members = {}
    for sample in samples:
        for member in [str(sample["sample_id"]), *_parents_of(sample)]:
            members[member] = family_batches[member]
    cohort = _open_cohort(members, locus_vcfs, variant_tables, genotype_qc, model, callability, reference_fasta, True)
    return {str(sample["sample_id"]): verdict_document(sample, cohort) for sample in samples}


def write_batch_verdicts(documents: Mapping[str, Mapping[str, object]], out_dir: Path) -> list[Path]:
    """Write each document as ``{sample_id}.verdict.json`` (atomically) and return the paths."""
    paths = []
    for sample_id, document in sorted(documents.items()):
        path = Path(out_dir) / f"{sample_id}.verdict.json"
        write_text_atomic(path, json.dumps(document, indent=2, sort_keys=True) + "\n")
        paths.append(path)
    return paths
