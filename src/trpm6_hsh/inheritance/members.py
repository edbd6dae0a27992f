"""One person's calls at the locus, joined from every locus VCF that holds them.

A lab often keeps the structural-variant / copy-number calls in a VCF of their own (sheet column
``sv_vcf``): the verdict reads the person's small-variant calls and SV calls as one set. The joined view
also answers what shows the person as reference at a site no VCF lists, and says where that comes from
(a gVCF reference block and its depth). A plain VCF lists what it called; absent is not reference. A
structural variant absent from a VCF is never taken as excluded, whatever the blocks say, because a
reference block over its first base says nothing about a deletion of one copy.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import cyvcf2

from trpm6_hsh.contigs import match_contig_name
from trpm6_hsh.errors import InputError
from trpm6_hsh.inheritance.genotypes import GenotypeCall, SampleGenotypes
from trpm6_hsh.model import VariantKey
from trpm6_hsh.wording import PARENT_REFERENCE_ALIGNMENT, PARENT_REFERENCE_GVCF


class MemberGenotypes(Mapping[VariantKey, GenotypeCall]):
    """The calls of one person from one or more locus VCFs (the first is the small-variant VCF)."""

    def __init__(self, parts: Sequence[SampleGenotypes], reads: AlignmentReads | None = None) -> None:
        if not parts:
            raise ValueError("a member needs at least one locus VCF")
        self.parts = tuple(parts)
        self.reads = reads
        self.sample_id = parts[0].sample_id
        self._owner: dict[VariantKey, SampleGenotypes] = {}
        for part in self.parts:
            for key in part:
                self._owner.setdefault(key, part)

    def __getitem__(self, key: VariantKey) -> GenotypeCall:
        return self._owner[key][key]

    def __iter__(self) -> Iterator[VariantKey]:
        return iter(self._owner)

    def __len__(self) -> int:
        return len(self._owner)

    @property
    def is_gvcf(self) -> bool:
        return any(part.matrix.is_gvcf for part in self.parts)

    @property
    def records(self) -> int:
        return sum(part.records for part in self.parts)

    @property
    def no_calls(self) -> int:
        return sum(part.no_calls for part in self.parts)

    @property
    def block_no_calls(self) -> tuple[int, int]:
        counts = [part.block_no_calls for part in self.parts]
        return sum(blocks for blocks, _ in counts), sum(no_calls for _, no_calls in counts)

    def carried(self) -> list[GenotypeCall]:
        """Calls carrying an ALT allele: the small-variant VCF's, then the SV VCF's (a key listed twice once)."""
        seen, calls = set(), []
        for part in self.parts:
            for call in part.carried():
                if call.key not in seen and self._owner[call.key] is part:
                    seen.add(call.key)
                    calls.append(call)
        return calls

    def homozygous_alt_keys(self) -> list[VariantKey]:
        return [key for part in self.parts for key in part.homozygous_alt_keys() if self._owner[key] is part]

    def reference_at(self, key: VariantKey) -> bool | None:
        """For a site no VCF of this person lists: True when a gVCF reference block passing QC covers it,
        False when the person's gVCF has none there, None when nothing can tell (a plain VCF, or a
        structural variant, which a reference block cannot exclude)."""
        if is_structural(key):
            return None
        answers = [part.reference_at(key) for part in self.parts if part.matrix.is_gvcf]
        if any(answers):
            return True
        if self.reads is not None and self.reads.shows_reference(key):
            return True
        return False if answers else None

    def reference_source(self, key: VariantKey) -> str:
        """Where the reference reading at ``key`` comes from, with the depth it rests on."""
        for part in self.parts:
            depth = _block_depth(part, key)
            if depth is not None:
                return PARENT_REFERENCE_GVCF.format(depth=depth)
        if self.reads is not None and self.reads.shows_reference(key):
            depth, alt = self.reads.counts(key)
            return PARENT_REFERENCE_ALIGNMENT.format(depth=depth, alt=alt)
        return PARENT_REFERENCE_GVCF.format(depth="not given")


@dataclass
class AlignmentReads:
    """A person's BAM/CRAM as evidence at single-base sites their VCF does not list.

    Only single-base substitutions are read: enough reads of good quality and (almost) none with the variant
    base make the person reference there; anything else (indels, too few reads, variant reads present) stays
    unknown, because a missed indel or a low-coverage site must never read as "not carried".
    """

    path: Path
    reference_fasta: Path | None
    min_depth: int
    min_base_quality: int
    min_mapping_quality: int
    max_variant_fraction: float = 0.05
    _counted: dict[VariantKey, tuple[int, int]] = field(default_factory=dict)

    def counts(self, key: VariantKey) -> tuple[int, int]:
        """(reads covering the base, reads with the variant base) at a single-base substitution."""
        if key not in self._counted:
            import pysam  # only when an alignment is given

            fasta = str(self.reference_fasta) if self.reference_fasta else None
            try:
                with pysam.AlignmentFile(str(self.path), reference_filename=fasta) as reads:
                    contig = match_contig_name(key.chrom, reads.references) or key.chrom
                    bases = reads.count_coverage(
                        contig, key.pos - 1, key.pos, quality_threshold=self.min_base_quality,
                        read_callback=self._usable,
                    )  # fmt: skip
            except (OSError, ValueError, KeyError) as error:
                raise InputError(
                    self.path,
                    f"cannot read the alignment at {key} ({error})",
                    "give an indexed BAM/CRAM of this person, or leave the alignment column empty",
                ) from None
            totals = {base: int(count[0]) for base, count in zip("ACGT", bases, strict=True)}
            self._counted[key] = (sum(totals.values()), totals.get(key.alt.upper(), 0))
        return self._counted[key]

    def _usable(self, read) -> bool:
        return not (read.flag & 0xF04) and read.mapping_quality >= self.min_mapping_quality

    def shows_reference(self, key: VariantKey) -> bool:
        """Enough good reads over a single-base site, and at most a trace of the variant base among them."""
        if len(key.ref) != 1 or len(key.alt) != 1 or key.alt.upper() not in "ACGT":
            return False
        depth, alt = self.counts(key)
        return depth >= self.min_depth and alt <= self.max_variant_fraction * depth


def is_structural(key: VariantKey) -> bool:
    return key.alt.startswith("<") or "[" in key.alt or "]" in key.alt


def _block_depth(part: SampleGenotypes, key: VariantKey) -> int | None:
    """The depth of the first called reference block covering ``key`` in one gVCF (None: no such block)."""
    matrix = part.matrix
    end = key.pos + max(len(key.ref), 1) - 1
    for row, (start, stop) in enumerate(matrix.block_intervals):
        if start <= key.pos and end <= stop and matrix.block_called[row, part.column]:
            return int(matrix.block_depth[row, part.column])
    return None


@dataclass(frozen=True)
class Breakpoints:
    """Where a structural variant starts and ends, with the confidence intervals of an imprecise call."""

    end: int | None
    start_range: tuple[int, int] | None
    end_range: tuple[int, int] | None

    @property
    def imprecise(self) -> bool:
        return self.start_range is not None or self.end_range is not None


def read_breakpoints(vcf: Path) -> dict[VariantKey, Breakpoints]:
    """END, CIPOS and CIEND of every SV record of a locus VCF (records with SVTYPE or a symbolic ALT)."""
    found: dict[VariantKey, Breakpoints] = {}
    try:
        reader = cyvcf2.VCF(str(vcf), samples=[])
    except OSError as error:
        raise InputError(vcf, f"cannot open the locus VCF ({error})", "rerun the extract stage") from error
    for variant in reader:
        alts = variant.ALT
        if not alts or not (variant.INFO.get("SVTYPE") or any(alt.startswith("<") for alt in alts)):
            continue
        start_range = _interval(variant.POS, variant.INFO.get("CIPOS"))
        end_range = _interval(variant.end, variant.INFO.get("CIEND"))
        for alt in alts:
            found[VariantKey(variant.CHROM, variant.POS, variant.REF, alt)] = Breakpoints(
                variant.end, start_range, end_range
            )
    reader.close()
    return found


def _interval(position: int, offsets: object) -> tuple[int, int] | None:
    """``position`` widened by a CIPOS/CIEND pair; None when the pair is absent or (0, 0) (precise)."""
    if offsets is None:
        return None
    values = tuple(int(value) for value in (offsets if isinstance(offsets, (tuple, list)) else (offsets,)))
    if len(values) != 2 or values == (0, 0):
        return None
    return position + values[0], position + values[1]
