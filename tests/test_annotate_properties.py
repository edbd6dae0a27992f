"""Property tests (hypothesis): HGVS positions round-trip, and a frameshift's Ter position is where the
mutated transcript, spliced and translated independently (Biopython), first stops."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pysam
from Bio.Seq import Seq
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trpm6_hsh.annotate import Annotator
from trpm6_hsh.annotate.alleles import Allele
from trpm6_hsh.transcripts import CPosition

DATA = Path(__file__).parent / "data" / "annotator"
CONTIG = "TRPM6_locus"


@cache
def annotator() -> Annotator:
    return Annotator(DATA / "locus.fa", DATA / "trpm6.ensembl.gff3")


@cache
def genome() -> str:
    return pysam.FastaFile(str(DATA / "locus.fa")).fetch(CONTIG).upper()


def mane_row(allele: Allele):
    rows = annotator().rows_for(CONTIG, allele)
    (row,) = [r for r in rows if r.transcript == "ENST00000360774"]
    return row


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pos=st.integers(min_value=1, max_value=167921 + 2079), alt_shift=st.integers(1, 3))
def test_snv_hgvs_c_points_back_to_the_genome(pos: int, alt_shift: int) -> None:
    ref = genome()[pos - 1]
    alt = "ACGT"[("ACGT".index(ref) + alt_shift) % 4]
    row = mane_row(Allele.from_vcf(CONTIG, pos, ref, alt))
    match = re.fullmatch(r"c\.(\S+?)([ACGT])>([ACGT])", row.hgvs_c)
    assert match, row.hgvs_c
    (transcript,) = annotator().transcripts
    assert transcript.c_to_genomic(CPosition.parse(match.group(1))) == pos
    complement = {"A": "T", "C": "G", "G": "C", "T": "A"}
    assert (match.group(2), match.group(3)) == (complement[ref], complement[alt])  # minus strand


def _mutated_protein_stop(exon_number: int, pos: int, ref_len: int, inserted: str) -> int | None:
    """1-based position of the first stop in the mutated transcript's translation from c.1."""
    (transcript,) = annotator().transcripts
    sequence = genome()
    pieces = []
    for exon in transcript.exons:
        part = sequence[exon.start - 1:exon.end]
        if exon.number == exon_number:
            cut = pos - exon.start
            part = part[:cut] + inserted + part[cut + ref_len:]
        pieces.append(str(Seq(part).reverse_complement()))
    mrna = "".join(pieces)
    coding = mrna[transcript.cds_tx_start - 1:]
    coding = coding[:len(coding) // 3 * 3]
    protein = str(Seq(coding).translate())
    stop = protein.find("*")
    return stop + 1 if stop >= 0 else None


def _ter_position(hgvs_p: str) -> int | None:
    frameshift = re.fullmatch(r"p\.\(([A-Z][a-z]{2})(\d+)[A-Z][a-z]{2}fsTer(\d+|\?)\)", hgvs_p)
    if frameshift:
        if frameshift.group(3) == "?":
            return None
        return int(frameshift.group(2)) + int(frameshift.group(3)) - 1
    immediate = re.fullmatch(r"p\.\([A-Z][a-z]{2}(\d+)Ter\)", hgvs_p)
    assert immediate, hgvs_p
    return int(immediate.group(1))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    exon_number=st.integers(min_value=2, max_value=38),
    where=st.floats(min_value=0.0, max_value=1.0),
    deletion=st.booleans(),
    size=st.sampled_from([1, 2, 4, 5, 7]),
    bases=st.text(alphabet="ACGT", min_size=7, max_size=7),
)
def test_frameshift_ter_matches_translation_of_the_mutated_transcript(
        exon_number: int, where: float, deletion: bool, size: int, bases: str) -> None:
    (transcript,) = annotator().transcripts
    exon = transcript.exons[exon_number - 1]
    margin = 10
    if exon.length <= 2 * margin + size:
        return
    pos = exon.start + margin + int(where * (exon.length - 2 * margin - size))
    sequence = genome()
    anchor = sequence[pos - 2]
    if deletion:
        ref = anchor + sequence[pos - 1:pos - 1 + size]
        allele = Allele.from_vcf(CONTIG, pos - 1, ref, anchor)
        expected = _mutated_protein_stop(exon_number, pos, size, "")
    else:
        inserted = bases[:size]
        allele = Allele.from_vcf(CONTIG, pos - 1, anchor, anchor + inserted)
        expected = _mutated_protein_stop(exon_number, pos, 0, inserted)
    row = mane_row(allele)
    assert "frameshift_variant" in row.consequence, (row.hgvs_c, row.consequence)
    assert _ter_position(row.hgvs_p) == expected, (row.hgvs_c, row.hgvs_p, expected)


@settings(max_examples=100, deadline=None)
@given(exon_number=st.integers(min_value=2, max_value=38), where=st.floats(0.0, 1.0))
def test_codon_deletion_removes_exactly_one_residue(exon_number: int, where: float) -> None:
    """An in-frame 3-nt deletion never shifts the frame: no fs, no Ter unless a stop is created."""
    (transcript,) = annotator().transcripts
    exon = transcript.exons[exon_number - 1]
    if exon.length < 30:
        return
    pos = exon.start + 10 + int(where * (exon.length - 25))
    sequence = genome()
    allele = Allele.from_vcf(CONTIG, pos - 1, sequence[pos - 2:pos + 2], sequence[pos - 2])
    row = mane_row(allele)
    assert "fs" not in row.hgvs_p
    assert "inframe_deletion" in row.consequence or "stop_gained" in row.consequence, row.consequence
