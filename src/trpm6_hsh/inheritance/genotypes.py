"""Genotypes of the inheritance stage: QC settings, one sample's call at a site, and the genotype matrix.

Genotypes are read once per locus VCF into numpy arrays (records x samples) by :class:`GenotypeMatrix`;
a sample's calls (:class:`SampleGenotypes`) are views on it. Missing is not reference: a no-call is never
read as 0/0.

The module is over 500 lines because the matrix reader and the per-sample views share one array layout
(alleles, depths, phase sets, reference blocks, the alleles split from one input record): kept together,
a change to the layout cannot leave a reader and a view disagreeing.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from pathlib import Path

import cyvcf2
import numpy as np

from trpm6_hsh import locus_header
from trpm6_hsh.callability import (
    REFERENCE_BLOCK_ALLELES,
    CallabilitySettings,
    CoverageEvidence,
    RegionGrid,
    gvcf_coverage,
)
from trpm6_hsh.errors import InputError
from trpm6_hsh.model import VariantKey, Zygosity
from trpm6_hsh.wording import (
    DUPLICATE_RECORD_NOTE,
    HET_ALT_NOTE,
    MORE_THAN_TWO_ALLELES_FAILURE,
    NON_DIPLOID_FAILURE,
)

DELETION_ALLELES = ("<DEL>", "<CN0>", "<CN1>")
ORIGINAL_RECORD_TAG = locus_header.ORIGINAL_RECORD_TAG
DUPLICATE_RECORDS_TAG = locus_header.DUPLICATE_RECORDS_TAG
_MISSING = -1


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


class QcStatus(StrEnum):
    """A call's genotype QC: passed, passed with checks the VCF could not support, or failed."""

    PASS = "pass"
    PASS_INCOMPLETE = "pass_incomplete"
    FAIL = "fail"


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
    #: Other ALT alleles of the same VCF position this sample carries (a split 1/2 genotype): in trans.
    het_alt_partners: tuple[VariantKey, ...] = ()
    #: Facts about the record itself the evidence names (a 1/2 genotype, a duplicate collapsed).
    record_notes: tuple[str, ...] = ()

    @property
    def carries_alt(self) -> bool:
        return self.zygosity in (Zygosity.HET, Zygosity.HOM_ALT, Zygosity.HEMI)

    @property
    def passes_qc(self) -> bool:
        return not self.qc_failures

    @property
    def qc_status(self) -> QcStatus:
        if self.qc_failures:
            return QcStatus.FAIL
        return QcStatus.PASS_INCOMPLETE if self.qc_notes else QcStatus.PASS

    @property
    def end(self) -> int:
        return self.sv_end or (self.key.pos + len(self.key.ref) - 1)

    def overlaps(self, other: GenotypeCall) -> bool:
        return self.key.chrom == other.key.chrom and self.key.pos <= other.end and other.key.pos <= self.end


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


def _ploidy(alleles: np.ndarray) -> np.ndarray:
    """Alleles per sample in cyvcf2's genotype array (-2 pads a shorter genotype; the last column is phase)."""
    return np.count_nonzero(alleles[:, :-1] != -2, axis=1).astype(np.int8)


def _site_of(variant: cyvcf2.Variant) -> str:
    """The input VCF position a locus record came from: bcftools norm's old-record tag, else its own.

    Records from one position are alternative alleles of one locus (a split multiallelic, or records the
    lab split before): a sample carrying two of them holds one on each copy.
    """
    original = variant.INFO.get(ORIGINAL_RECORD_TAG)
    if original:
        chrom, pos = (str(original).split("|") + [""])[:2]
        return f"{chrom}:{pos}"
    return f"{variant.CHROM}:{variant.POS}"


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


#: Symbolic copy-number alleles and the copies they leave: <CN0> a homozygous, <CN1> a heterozygous deletion.
COPY_NUMBER_ALLELES = {"<CN0>": 0, "<CN1>": 1}


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
    sites: tuple[str, ...] = ()  # the input position of each record (see _site_of)
    duplicates: tuple[int, ...] = ()  # identical input records collapsed into each (DUPLICATE_RECORDS), 0 none
    ploidy: np.ndarray | None = None  # int8 [records, samples]
    site_reads: np.ndarray | None = None  # int64 [records, samples]: reads over every allele of the position
    genotype_texts: Mapping[tuple[int, int], str] | None = None  # GT of calls with more than two alleles

    @cached_property
    def rows_of_site(self) -> dict[str, tuple[int, ...]]:
        rows: dict[str, list[int]] = {}
        for row, site in enumerate(self.sites):
            rows.setdefault(site, []).append(row)
        return {site: tuple(found) for site, found in rows.items()}

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
        sites, duplicates, ploidy, genotype_texts = [], [], [], {}
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
            sv_ends.append(variant.end if svtype or alt.startswith("<") else None)
            copies = _int_matrix(_format(variant, "CN"), count)
            allele_copies = COPY_NUMBER_ALLELES.get(alt)
            if allele_copies is not None:
                # <CN0> / <CN1> name the copies left; FORMAT/CN wins, and a 0/0 genotype stays not carried.
                copies = np.where(copies >= 0, copies, np.where(codes == _HOM_REF, -1, allele_copies))
            if svtype == "CNV" or alt == "<CNV>" or allele_copies is not None:
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
            sites.append(_site_of(variant))
            duplicates.append(int(variant.INFO.get(DUPLICATE_RECORDS_TAG) or 0))
            ploidy.append(_ploidy(array) if count else np.zeros(0, dtype=np.int8))
            if array.shape[1] > 3:
                for column in np.flatnonzero(ploidy[-1] > 2):
                    calls = ["." if a < 0 else str(a) for a in array[column, :-1] if a != -2]
                    genotype_texts[(len(keys) - 1, int(column))] = ("|" if array[column, -1] == 1 else "/").join(calls)
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
        site_reads = _site_reads(sites, ref_reads, alt_reads, count)

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
            sites=tuple(sites),
            duplicates=tuple(duplicates),
            ploidy=stack(ploidy, np.int8),
            site_reads=site_reads,
            genotype_texts=genotype_texts,
        )

    def call(self, row: int, column: int, settings: GenotypeQcSettings) -> GenotypeCall:
        """The GenotypeCall of one sample (column) at one record (row)."""
        zygosity = _ZYGOSITY[int(self.zygosity[row, column])]
        first, second = (int(a) for a in self.alleles[row, column])
        indices = (first,) if second == -2 else (first, second)
        phased = bool(self.phased[row, column]) and len(indices) == 2
        genotype = ("|" if phased else "/").join("." if a < 0 else str(a) for a in indices)
        genotype = (self.genotype_texts or {}).get((row, column), genotype)
        if self.copy_number[row, column] >= 0:
            genotype += f" (CN={int(self.copy_number[row, column])})"
        depth = _optional(self.depth[row, column])
        quality = _optional(self.quality[row, column])
        ref_reads, alt_reads = _optional(self.ref_reads[row, column]), _optional(self.alt_reads[row, column])
        balance = None
        total = int(self.site_reads[row, column]) if self.site_reads is not None else -1
        if ref_reads is not None and alt_reads is not None and total > 0:
            balance = round(alt_reads / total, 4)
        key = self.keys[row]
        symbolic = key.alt.startswith("<")
        called = zygosity != Zygosity.NO_CALL
        partners, record_notes, record_failures = self._record_facts(row, column, genotype, called)
        failures = qc_failures(zygosity, depth, quality, balance, self.filters[row], settings) if called else ()
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
            qc_failures=record_failures + failures,
            sv_end=self.sv_ends[row],
            qc_notes=qc_notes(zygosity, depth, quality, balance, symbolic) if called else (),
            is_deletion=bool(self.deletions[row]) and self.copy_number[row, column] < 2,
            het_alt_partners=partners,
            record_notes=record_notes,
        )

    def _record_facts(
        self, row: int, column: int, genotype: str, called: bool
    ) -> tuple[tuple[VariantKey, ...], tuple[str, ...], tuple[str, ...]]:
        """The other ALTs of this call's input position it carries, notes for the evidence, and QC failures
        that come from the record rather than the reads (non-diploid, more alleles than copies)."""
        notes: list[str] = []
        failures: list[str] = []
        if self.duplicates and self.duplicates[row] > 1:
            times = "twice" if self.duplicates[row] == 2 else f"{self.duplicates[row]} times"
            notes.append(DUPLICATE_RECORD_NOTE.format(site=self.keys[row], times=times))
        if not called or self.sites == ():
            return (), tuple(notes), ()
        ploidy = int(self.ploidy[row, column]) if self.ploidy is not None else 2
        if ploidy != 2 and self.copy_number[row, column] < 0:
            failures.append(NON_DIPLOID_FAILURE.format(genotype=genotype))
        site = self.sites[row]
        rows = [r for r in self.rows_of_site[site] if r != row and self.zygosity[r, column] in (_HET, _HOM_ALT, _HEMI)]
        if not rows or self.zygosity[row, column] not in (_HET, _HOM_ALT, _HEMI):
            return (), tuple(notes), tuple(failures)
        copies = sum(int(np.count_nonzero(self.alleles[r, column] > 0)) for r in [row, *rows])
        if copies > max(ploidy, 2):
            failures.append(MORE_THAN_TWO_ALLELES_FAILURE.format(site=site))
        partners = tuple(self.keys[r] for r in rows)
        alleles = " and ".join(f"{key.ref}>{key.alt}" for key in (self.keys[row], *partners))
        notes.append(HET_ALT_NOTE.format(site=site, alleles=alleles))
        return partners, tuple(notes), tuple(failures)

    def gvcf_coverage(self, grid: RegionGrid, settings: CallabilitySettings) -> CoverageEvidence | None:
        """Coverage of every sample from reference blocks and variant records (gVCFs only)."""
        if not self.is_gvcf:
            return None
        intervals = list(self.block_intervals) + [(key.pos, key.pos + len(key.ref) - 1) for key in self.keys]
        called = np.concatenate([self.block_called, self.zygosity != _NO_CALL])
        depth = np.concatenate([self.block_depth, self.depth])
        quality = np.concatenate([self.block_quality, self.quality])
        return gvcf_coverage(grid, intervals, called, depth, quality, settings)


def _site_reads(sites: list[str], ref_reads: list, alt_reads: list, count: int) -> np.ndarray:
    """Reads over every allele of each record's input position, per sample (-1 when AD is missing).

    Splitting a multiallelic keeps only REF and one ALT in each record's AD; the allele balance of an
    ALT is its reads over all the reads of the original record (20/40 for a 1/2 with AD 0,20,20).
    """
    if not sites:
        return np.zeros((0, count), dtype=np.int64)
    ref = np.stack(ref_reads).astype(np.int64)
    alt = np.stack(alt_reads).astype(np.int64)
    total = np.where((ref >= 0) & (alt >= 0), ref + alt, _MISSING)
    rows: dict[str, list[int]] = {}
    for row, site in enumerate(sites):
        rows.setdefault(site, []).append(row)
    for group in rows.values():
        if len(group) < 2:
            continue
        other_alts = np.clip(alt[group], 0, None)
        for position, row in enumerate(group):
            extra = other_alts.sum(axis=0) - other_alts[position]
            total[row] = np.where(total[row] >= 0, total[row] + extra, _MISSING)
    return total


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

