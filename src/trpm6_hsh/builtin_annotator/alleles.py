"""Alleles as the annotator sees them: VCF records trimmed to the changed bases."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Allele:
    """One ALT of one VCF record on the reference contig.

    ``start..end`` are the changed reference bases after trimming the shared prefix/suffix (VCF
    anchor base included). For an insertion ``ref_bases`` is empty, ``end == start - 1`` and the new
    bases sit between ``start - 1`` and ``start``. ``sv_end`` is set for deletions given as SV records
    (SVTYPE=DEL with END or a symbolic ``<DEL>``), where ``ref_bases`` is not spelled out.
    """

    chrom: str
    pos: int
    ref: str
    alt: str
    start: int
    end: int
    ref_bases: str
    alt_bases: str
    sv_deletion: bool = False

    @classmethod
    def from_vcf(cls, chrom: str, pos: int, ref: str, alt: str) -> Allele:
        ref_up, alt_up = ref.upper(), alt.upper()
        suffix = 0
        while (suffix < min(len(ref_up), len(alt_up)) - 1 and ref_up[-1 - suffix] == alt_up[-1 - suffix]):
            suffix += 1
        ref_core = ref_up[:len(ref_up) - suffix]
        alt_core = alt_up[:len(alt_up) - suffix]
        prefix = 0
        while prefix < min(len(ref_core), len(alt_core)) and ref_core[prefix] == alt_core[prefix]:
            prefix += 1
        ref_bases, alt_bases = ref_core[prefix:], alt_core[prefix:]
        start = pos + prefix
        return cls(chrom, pos, ref, alt, start, start + len(ref_bases) - 1, ref_bases, alt_bases)

    @classmethod
    def sv_deletion_of(cls, chrom: str, pos: int, ref: str, alt: str, end: int) -> Allele:
        """A deletion of ``pos+1..end`` (VCF SV convention: POS is the padding base)."""
        return cls(chrom, pos, ref, alt, pos + 1, end, "", "", sv_deletion=True)

    @property
    def is_insertion(self) -> bool:
        return not self.ref_bases and not self.sv_deletion

    @property
    def is_deletion(self) -> bool:
        return self.sv_deletion or (bool(self.ref_bases) and not self.alt_bases)

    @property
    def is_substitution(self) -> bool:
        return len(self.ref_bases) == len(self.alt_bases) and bool(self.ref_bases)

    @property
    def label(self) -> str:
        return f"{self.chrom}:{self.pos}:{self.ref}:{self.alt}"


@dataclass(frozen=True)
class VcfAllele:
    """One ALT of one record, with the genotype facts the haplotype logic needs."""

    allele: Allele
    contig: str | None  # the reference FASTA's name for the record's contig; None: not annotatable here
    record_label: str
    carriers: tuple  # per sample: (allele copies on haplotype 0, haplotype 1, phased, phase set)
