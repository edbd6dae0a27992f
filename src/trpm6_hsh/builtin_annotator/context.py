"""The data the effect code and the structural-deletion code share: a transcript with its sequence
(:class:`TranscriptContext`), what an allele does to it (:class:`TranscriptEffect`) and how exon/intron
numbers are written. A module of its own so that :mod:`.effects` and :mod:`.structural` both import it
and neither imports the other's internals.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from trpm6_hsh.builtin_annotator.reference import Reference
from trpm6_hsh.builtin_annotator.sequence import reverse_complement, translate
from trpm6_hsh.transcripts import Transcript

FLANK = 5000  # upstream/downstream window, as VEP, SnpEff
_WINDOW_PAD = FLANK + 200


@dataclass(frozen=True)
class ProteinChange:
    """What the coding change does, in numbers the LoF assessment needs."""

    frameshift: bool
    first_changed_codon: int  # 1-based amino-acid position of the first changed residue
    ptc_c: int | None  # c. position of the first base of a premature stop, ref-equivalent; None if none
    stop_gained: bool
    stop_lost: bool
    start_lost: bool


@dataclass(frozen=True)
class DeletionSpan:
    """Exons removed by a large (SV) deletion, for the LoF assessment."""

    whole_exons: tuple[int, ...]
    partial_exons: tuple[int, ...]


@dataclass(frozen=True)
class TranscriptEffect:
    transcript: Transcript
    terms: tuple[str, ...]
    hgvs_c: str
    hgvs_p: str
    exon: str
    intron: str
    protein: ProteinChange | None = None
    splice_intron: int | None = None  # intron number of a canonical donor/acceptor hit
    splice_side: str | None = None  # "donor" or "acceptor"
    exonic_coding_span: bool = False  # CDS bases deleted together with intron bases
    deletion: DeletionSpan | None = None


class GenomeWindow:
    """A stretch of one contig held in memory (what HGVS g. shifting needs)."""

    def __init__(self, reference: Reference, contig: str, start: int, end: int) -> None:
        self.reference, self.contig = reference, contig
        self.window_start = max(1, start)
        self.window = reference.fetch(contig, self.window_start, end)
        self.window_end = self.window_start + len(self.window) - 1

    def genomic(self, start: int, end: int) -> str:
        if start >= self.window_start and end <= self.window_end:
            return self.window[start - self.window_start:end - self.window_start + 1]
        return self.reference.fetch(self.contig, start, end)


class TranscriptContext(GenomeWindow):
    """A transcript with the sequence it needs: genomic window, spliced mRNA, reference protein."""

    def __init__(self, transcript: Transcript, reference: Reference, contig: str) -> None:
        super().__init__(reference, contig, transcript.start - _WINDOW_PAD, transcript.end + _WINDOW_PAD)
        self.transcript = transcript
        exon_sequences = [self.genomic(exon.start, exon.end) for exon in transcript.exons]
        if transcript.strand == -1:
            exon_sequences = [reverse_complement(sequence) for sequence in exon_sequences]
        self.mrna = "".join(exon_sequences)
        self.cds_offset = transcript.cds_tx_start - 1 if transcript.is_coding else None

    @cached_property
    def protein(self) -> str:
        """Reference protein including the final ``*`` (translation of c.1 to the stop codon)."""
        if not self.transcript.is_coding:
            return ""
        cds = self.mrna[self.cds_offset:self.cds_offset + self.transcript.cds_length]
        return translate(cds)

    @cached_property
    def intron_is_canonical(self) -> tuple[bool, ...]:
        """Per intron: GT..AG (or GC..AG / AT..AC) splice sites present in the reference."""
        flags = []
        t = self.transcript
        for upstream, downstream in zip(t.exons, t.exons[1:], strict=False):
            if t.strand == 1:
                intron = self.genomic(upstream.end + 1, downstream.start - 1)
            else:
                intron = reverse_complement(self.genomic(downstream.end + 1, upstream.start - 1))
            flags.append(intron[:2] in ("GT", "GC", "AT") and intron[-2:] in ("AG", "AC"))
        return tuple(flags)

    def tx_index(self, pos: int) -> int:
        return self.transcript.genomic_to_tx(pos)[0]


def range_text(numbers: set[int], total: int) -> str:
    """Exon or intron numbers as VEP writes them: ``3/39`` or ``3-5/39`` (empty when none)."""
    if not numbers:
        return ""
    low, high = min(numbers), max(numbers)
    return f"{low}/{total}" if low == high else f"{low}-{high}/{total}"
