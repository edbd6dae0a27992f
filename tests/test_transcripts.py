"""Transcript model loading and genomic <-> HGVS c. mapping."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from conftest import REPO
from hypothesis import given, settings
from hypothesis import strategies as st

from trpm6_hsh.errors import InputError
from trpm6_hsh.transcripts import CPosition, Exon, Transcript, load_transcripts

DATA = Path(__file__).parent / "data" / "annotator"
LOCUS_OFFSET = 74_720_000  # fixture contig position = GRCh38 chr9 position - 74,720,000
MANE_TABLE = REPO / "resources" / "trpm6_mane_select_exons.tsv"
MODEL_FILES = ["trpm6.ensembl.gff3", "trpm6.gencode.gff3", "trpm6.gtf"]


@pytest.fixture(scope="module")
def mane() -> Transcript:
    (transcript,) = load_transcripts(DATA / "trpm6.ensembl.gff3")
    return transcript


# The MANE exon table (GRCh38 rows) copied here so the test does not depend on a shared folder.
GRCH38_CODING_EXONS = [  # exon, c_start, c_end, start, end (GRCh38)
    (1, 1, 33, 74887824, 74887921), (2, 34, 113, 74858669, 74858748), (10, 1135, 1207, 74816892, 74816964),
    (12, 1309, 1443, 74812299, 74812433), (26, 3537, 4672, 74761999, 74763134),
    (38, 5829, 5935, 74728239, 74728345), (39, 5936, 6069, 74722495, 74724746),
]


@pytest.mark.parametrize("model_file", MODEL_FILES)
def test_all_model_flavours_give_the_same_transcript(model_file: str, mane: Transcript) -> None:
    (transcript,) = load_transcripts(DATA / model_file)
    assert transcript.transcript_id == "ENST00000360774"
    assert transcript.version == "6"
    assert transcript.gene == "TRPM6"
    assert transcript.strand == -1
    assert transcript.is_mane
    assert transcript.exons == mane.exons
    # stop codon included whatever the convention (GTF CDS excludes it)
    assert (transcript.cds_start, transcript.cds_end) == (4613, 167856)
    assert transcript.cds_length == 6069
    assert transcript.protein_id.split(".")[0] == "ENSP00000354006"


def test_exons_match_the_mane_table(mane: Transcript) -> None:
    assert len(mane.exons) == 39
    assert [exon.number for exon in mane.exons] == list(range(1, 40))
    for number, c_start, c_end, start, end in GRCH38_CODING_EXONS:
        exon = mane.exons[number - 1]
        assert (exon.start + LOCUS_OFFSET, exon.end + LOCUS_OFFSET) == (start, end)
        coding_first = min(exon.end, mane.cds_end)
        coding_last = max(exon.start, mane.cds_start)
        assert str(mane.genomic_to_c(coding_first)) == str(c_start)
        assert str(mane.genomic_to_c(coding_last)) == str(c_end)


def test_every_exon_against_the_shipped_table(mane: Transcript) -> None:
    with open(MANE_TABLE) as handle:
        rows = [r for r in csv.DictReader((line for line in handle if not line.startswith("#")),
                                          delimiter="\t") if r["build"] == "GRCh38"]
    assert len(rows) == 39
    for row in rows:
        exon = mane.exons[int(row["exon"]) - 1]
        assert exon.start + LOCUS_OFFSET == int(row["start"])
        assert exon.end + LOCUS_OFFSET == int(row["end"])
        assert str(mane.genomic_to_c(int(row["cds_end"]) - LOCUS_OFFSET)) == row["c_start"]
        assert str(mane.genomic_to_c(int(row["cds_start"]) - LOCUS_OFFSET)) == row["c_end"]


@pytest.mark.parametrize(
    ("pos", "expected"),
    [
        (168921, "-1065"),  # upstream: virtual extension beyond the transcript
        (167876, "-20"),
        (167856, "1"),
        (167854, "3"),
        (157824, "33+10000"),
        (120023, "544+1"),
        (101664, "1010+5"),
        (92297, "1443+2"),
        (68743, "2539-1"),
        (51841, "3404-6"),
        (30724, "4999-2"),
        (4615, "6067"),
        (4613, "6069"),
        (4563, "*50"),
        (3113, "*1500"),
        (1495, "*3118"),  # downstream
    ],
)
def test_designed_positions(mane: Transcript, pos: int, expected: str) -> None:
    assert str(mane.genomic_to_c(pos)) == expected
    assert mane.c_to_genomic(expected) == pos


def test_c4287_is_in_exon_26_and_last_junction(mane: Transcript) -> None:
    assert mane.exon_at(mane.c_to_genomic("4287")).number == 26
    assert mane.exon_at(mane.c_to_genomic("5935")).number == 38
    assert mane.exon_at(mane.c_to_genomic("5936")).number == 39
    assert mane.intron_at(mane.c_to_genomic("1443+300")) == 12


def test_intron_midpoint_takes_the_plus_side() -> None:
    transcript = Transcript("T1", "G", "c", 1, (Exon(1, 10, 20), Exon(2, 30, 40)), None, None)
    # intron 21..29: 9 bases, middle base 25 is +5
    assert str(transcript.genomic_to_c(25)) == "11+5"
    assert str(transcript.genomic_to_c(26)) == "12-4"


def test_cposition_parse_and_str() -> None:
    for text in ["841+1", "-20", "*50", "-50+3", "*12-7", "1"]:
        assert str(CPosition.parse(text)) == text
    assert str(CPosition.parse("c.4999-2")) == "4999-2"
    with pytest.raises(ValueError, match="not an HGVS"):
        CPosition.parse("c.abc")


def test_model_without_transcripts_is_an_input_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.gff3"
    empty.write_text("##gff-version 3\n")
    with pytest.raises(InputError, match="no transcript"):
        load_transcripts(empty)


def test_missing_model_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        load_transcripts(tmp_path / "absent.gtf")


@settings(max_examples=300, deadline=None)
@given(pos=st.integers(min_value=2495 - 6000, max_value=167921 + 6000))
def test_genomic_c_round_trip_minus_strand(pos: int) -> None:
    (transcript,) = load_transcripts(DATA / "trpm6.ensembl.gff3")
    position = transcript.genomic_to_c(pos)
    assert transcript.c_to_genomic(position) == pos
    assert transcript.c_to_genomic(str(position)) == pos


PLUS = Transcript("P1", "G", "c", 1, (Exon(1, 100, 150), Exon(2, 300, 420), Exon(3, 900, 1000)), 120, 950)


@settings(max_examples=300, deadline=None)
@given(pos=st.integers(min_value=1, max_value=2000))
def test_genomic_c_round_trip_plus_strand(pos: int) -> None:
    position = PLUS.genomic_to_c(pos)
    assert PLUS.c_to_genomic(position) == pos


def test_every_exon_and_intron_base_round_trips(mane: Transcript) -> None:
    for pos in range(mane.start - 5000, mane.end + 5001, 7):
        assert mane.c_to_genomic(mane.genomic_to_c(pos)) == pos
    for exon in mane.exons:
        for pos in (exon.start - 1, exon.start, exon.end, exon.end + 1):
            assert mane.c_to_genomic(mane.genomic_to_c(pos)) == pos


def test_refseq_style_gff3(tmp_path: Path) -> None:
    """NCBI RefSeq GFF3: rna-/gene- prefixes, gene=, tag=MANE Select (with a space), protein_id on CDS."""
    text = (DATA / "trpm6.ensembl.gff3").read_text()
    text = (text.replace("ID=transcript:ENST00000360774;", "ID=rna-NM_017662.5;")
                .replace("Parent=transcript:ENST00000360774", "Parent=rna-NM_017662.5")
                .replace("ID=gene:ENSG00000119121;Name=TRPM6;", "ID=gene-TRPM6;Name=TRPM6;")
                .replace("Parent=gene:ENSG00000119121;Name=TRPM6-201;", "Parent=gene-TRPM6;gene=TRPM6;")
                .replace("transcript_id=ENST00000360774;version=6;tag=Ensembl_canonical,MANE_Select",
                         "transcript_id=NM_017662.5;tag=MANE Select")
                .replace("ID=CDS:ENSP00000354006;", "ID=cds-NP_060132.3;")
                .replace("protein_id=ENSP00000354006", "protein_id=NP_060132.3"))
    model = tmp_path / "refseq.gff3"
    model.write_text(text)
    (transcript,) = load_transcripts(model)
    assert (transcript.transcript_id, transcript.version) == ("NM_017662", "5")
    assert transcript.versioned_id == "NM_017662.5"
    assert transcript.gene == "TRPM6" and transcript.is_mane
    assert transcript.protein_id == "NP_060132.3"
    assert transcript.cds_length == 6069


def test_gff3_mrna_without_parent_keeps_its_attributes(tmp_path: Path) -> None:
    model = tmp_path / "orphan.gff3"
    model.write_text("##gff-version 3\n"
                     "c\tt\tmRNA\t100\t400\t.\t+\t.\tID=tx1;Name=TX1;tag=MANE_Select;gene_name=GENEX\n"
                     "c\tt\texon\t100\t150\t.\t+\t.\tParent=tx1\n"
                     "c\tt\texon\t300\t400\t.\t+\t.\tParent=tx1\n"
                     "c\tt\tCDS\t120\t150\t.\t+\t0\tParent=tx1\n"
                     "c\tt\tCDS\t300\t350\t.\t+\t2\tParent=tx1\n")
    (transcript,) = load_transcripts(model)
    assert transcript.transcript_id == "tx1" and transcript.is_mane and transcript.gene == "GENEX"
    assert (transcript.cds_start, transcript.cds_end, transcript.cds_length) == (120, 350, 82)
