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

from trpm6_hsh.builtin_annotator import Annotator
from trpm6_hsh.builtin_annotator.alleles import Allele
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


# --------------------------------------------------------------------------- HGVS c. describes the same genome
def _apply_vcf(sequence: str, pos: int, ref: str, alt: str) -> str:
    return sequence[:pos - 1] + alt + sequence[pos - 1 + len(ref):]


def _apply_hgvs_c(sequence: str, hgvs: str) -> str:
    """Apply an HGVS c. del/dup/ins/delins/substitution (minus-strand transcript) to the genome."""
    (transcript,) = annotator().transcripts
    match = re.fullmatch(r"c\.([-*\d+]+)(?:_([-*\d+]+))?(del|dup|ins|delins|[ACGT]>)([ACGT]*)", hgvs)
    assert match, hgvs
    first, last, kind, bases = match.groups()
    a = transcript.c_to_genomic(CPosition.parse(first))
    b = transcript.c_to_genomic(CPosition.parse(last)) if last else a
    low, high = min(a, b), max(a, b)
    genomic_bases = str(Seq(bases).reverse_complement())
    if kind == "del":
        return sequence[:low - 1] + sequence[high:]
    if kind == "dup":
        return sequence[:high] + sequence[low - 1:high] + sequence[high:]
    if kind == "ins":
        assert high == low + 1, hgvs
        return sequence[:low] + genomic_bases + sequence[low:]
    if kind == "delins":
        return sequence[:low - 1] + genomic_bases + sequence[high:]
    return sequence[:low - 1] + genomic_bases + sequence[low:]  # substitution: 'X>' then the new base


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    pos=st.integers(min_value=2495 - 200, max_value=167921 + 200),
    near_exon=st.booleans(),
    exon_number=st.integers(1, 39),
    offset=st.integers(-12, 12),
    deletion=st.booleans(),
    size=st.integers(1, 6),
    bases=st.text(alphabet="ACGT", min_size=6, max_size=6),
)
def test_hgvs_c_of_indels_describes_the_same_genome(pos, near_exon, exon_number, offset, deletion, size,
                                                    bases) -> None:
    """3' shifting, dup detection and intronic offsets: applying our c. to the genome gives the same
    sequence as applying the VCF record."""
    (transcript,) = annotator().transcripts
    if near_exon:
        exon = transcript.exons[exon_number - 1]
        pos = (exon.start if offset < 0 else exon.end) + offset
    sequence = genome()
    window_low, window_high = pos - 100, pos + 100
    anchor = sequence[pos - 1]
    if deletion:
        ref, alt = sequence[pos - 1:pos + size], anchor
    else:
        ref, alt = anchor, anchor + bases[:size]
    row = mane_row(Allele.from_vcf(CONTIG, pos, ref, alt))
    if row.hgvs_c.startswith("c.") and ("del" in row.hgvs_c or "dup" in row.hgvs_c or "ins" in row.hgvs_c):
        expected = _apply_vcf(sequence, pos, ref, alt)[window_low:window_high + len(alt) - len(ref)]
        ours = _apply_hgvs_c(sequence, row.hgvs_c)[window_low:window_high + len(alt) - len(ref)]
        assert ours == expected, (pos, ref, alt, row.hgvs_c)


# --------------------------------------------------------------------------- HGVS p. describes the same protein
_ONE = {"Ala": "A", "Arg": "R", "Asn": "N", "Asp": "D", "Cys": "C", "Gln": "Q", "Glu": "E", "Gly": "G",
        "His": "H", "Ile": "I", "Leu": "L", "Lys": "K", "Met": "M", "Phe": "F", "Pro": "P", "Ser": "S",
        "Thr": "T", "Trp": "W", "Tyr": "Y", "Val": "V", "Ter": "*"}


def _one_letter(three: str) -> str:
    return "".join(_ONE[three[i:i + 3]] for i in range(0, len(three), 3))


def _apply_hgvs_p(protein: str, hgvs: str) -> str:
    """Apply p.(...) substitution/del/dup/ins/delins/=/nonsense to a reference protein ('*'-terminated)."""
    body = hgvs[3:-1]
    aa = "([A-Z][a-z]{2})"
    if m := re.fullmatch(aa + r"(\d+)=", body):
        return protein
    if m := re.fullmatch(aa + r"(\d+)Ter", body):
        return protein[:int(m.group(2)) - 1] + "*"
    if m := re.fullmatch(aa + r"(\d+)(?:_" + aa + r"(\d+))?(del|dup)", body):
        first = int(m.group(2))
        last = int(m.group(4)) if m.group(4) else first
        if m.group(5) == "del":
            return protein[:first - 1] + protein[last:]
        return protein[:last] + protein[first - 1:last] + protein[last:]
    if m := re.fullmatch(aa + r"(\d+)_" + aa + r"(\d+)ins((?:[A-Z][a-z]{2})+)", body):
        return protein[:int(m.group(2))] + _one_letter(m.group(5)) + protein[int(m.group(2)):]
    if m := re.fullmatch(aa + r"(\d+)(?:_" + aa + r"(\d+))?delins((?:[A-Z][a-z]{2})+)", body):
        first = int(m.group(2))
        last = int(m.group(4)) if m.group(4) else first
        return protein[:first - 1] + _one_letter(m.group(5)) + protein[last:]
    if m := re.fullmatch(aa + r"(\d+)" + aa, body):
        position = int(m.group(2))
        return protein[:position - 1] + _one_letter(m.group(3)) + protein[position:]
    raise AssertionError(f"unparsed {hgvs}")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    exon_number=st.integers(min_value=2, max_value=38),
    where=st.floats(min_value=0.0, max_value=1.0),
    kind=st.sampled_from(["snv", "mnv", "del3", "del6", "ins3", "ins6"]),
    bases=st.text(alphabet="ACGT", min_size=6, max_size=6),
)
def test_hgvs_p_describes_the_translated_mutated_transcript(exon_number, where, kind, bases) -> None:
    (transcript,) = annotator().transcripts
    exon = transcript.exons[exon_number - 1]
    margin = 10
    pos = exon.start + margin + int(where * (exon.length - 2 * margin - 6))
    sequence = genome()
    anchor = sequence[pos - 2]
    if kind == "snv":
        ref = sequence[pos - 1]
        alt = bases[0] if bases[0] != ref else "ACGT"[("ACGT".index(ref) + 1) % 4]
        allele, change = Allele.from_vcf(CONTIG, pos, ref, alt), (pos, 1, alt)
    elif kind == "mnv":
        ref = sequence[pos - 1:pos + 1]
        alt = "".join(b if b != r else "ACGT"[("ACGT".index(r) + 1) % 4] for b, r in zip(bases[:2], ref, strict=True))
        allele, change = Allele.from_vcf(CONTIG, pos, ref, alt), (pos, 2, alt)
    elif kind.startswith("del"):
        size = int(kind[3:])
        allele = Allele.from_vcf(CONTIG, pos - 1, anchor + sequence[pos - 1:pos - 1 + size], anchor)
        change = (pos, size, "")
    else:
        size = int(kind[3:])
        allele = Allele.from_vcf(CONTIG, pos - 1, anchor, anchor + bases[:size])
        change = (pos, 0, bases[:size])
    row = mane_row(allele)
    if row.hgvs_p in ("", "p.?") or "ext" in row.hgvs_p or "fs" in row.hgvs_p:
        return
    change_pos, ref_len, inserted = change
    pieces = []
    for current in transcript.exons:
        part = sequence[current.start - 1:current.end]
        if current.number == exon_number:
            cut = change_pos - current.start
            part = part[:cut] + inserted + part[cut + ref_len:]
        pieces.append(str(Seq(part).reverse_complement()))
    coding = "".join(pieces)[transcript.cds_tx_start - 1:]
    translated = str(Seq(coding[:len(coding) // 3 * 3]).translate())
    mutated = translated[:translated.find("*") + 1]
    reference = str(Seq(genome_cds()).translate())
    described = _apply_hgvs_p(reference, row.hgvs_p)
    described = described[:described.find("*") + 1]  # a protein ends at its first stop
    assert described == mutated, (row.hgvs_c, row.hgvs_p)


@cache
def genome_cds() -> str:
    (transcript,) = annotator().transcripts
    sequence = genome()
    mrna = "".join(str(Seq(sequence[e.start - 1:e.end]).reverse_complement()) for e in transcript.exons)
    return mrna[transcript.cds_tx_start - 1:transcript.cds_tx_end]
