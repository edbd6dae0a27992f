"""LoF calls: NMD 50-nt rule, last-exon escape, splice exon skipping, start-lost, stop-lost, SV deletions,
and the shipped per-exon LoF table."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

import pytest

from trpm6_hsh.builtin_annotator import Annotator, annotate_records, read_alleles
from trpm6_hsh.builtin_annotator.lof import exon_lof_table, last_junction_c, nmd_predicted
from trpm6_hsh.builtin_annotator.sequence import CODON_TABLE, reverse_complement
from trpm6_hsh.builtin_annotator.terms import lof_classes, term_table
from trpm6_hsh.transcripts import load_transcripts

ROOT = Path(__file__).parents[1]
DATA = Path(__file__).parent / "data" / "annotator"
MANE = "ENST00000360774"


@pytest.fixture(scope="module")
def annotator() -> Annotator:
    return Annotator(DATA / "locus.fa", DATA / "trpm6.ensembl.gff3")


def annotate(annotator: Annotator, tmp_path: Path, lines: list[str], info_header: bool = False) -> dict:
    header = ["##fileformat=VCFv4.2", "##contig=<ID=TRPM6_locus,length=170000>"]
    if info_header:
        header += ['##INFO=<ID=SVTYPE,Number=1,Type=String,Description="SV type">',
                   '##INFO=<ID=END,Number=1,Type=Integer,Description="End">',
                   '##ALT=<ID=DEL,Description="Deletion">']
    vcf = tmp_path / "in.vcf"
    vcf.write_text("\n".join([*header, "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO", *lines]) + "\n")
    rows = annotate_records(annotator, read_alleles(vcf, annotator))
    return {(r.pos, r.alt): r for r in rows if r.transcript == MANE}


def stop_making_snv(annotator: Annotator, codon: int) -> tuple[int, str, str]:
    """A (pos, ref, alt) SNV turning 1-based ``codon`` of the MANE CDS into a stop (minus strand)."""
    (transcript,) = annotator.transcripts
    ctx = annotator.context(transcript, "TRPM6_locus")
    cds = ctx.mrna[ctx.cds_offset:]
    ref_codon = cds[(codon - 1) * 3:codon * 3]
    for offset in range(3):
        for base in "ACGT":
            mutated = ref_codon[:offset] + base + ref_codon[offset + 1:]
            if base != ref_codon[offset] and CODON_TABLE[mutated] == "*":
                pos = transcript.c_to_genomic(str((codon - 1) * 3 + offset + 1))
                return pos, reverse_complement(ref_codon[offset]), reverse_complement(base)
    pytest.skip(f"no single-base stop possible in codon {codon}")


# --------------------------------------------------------------------------- NMD rule
def test_last_junction_and_nmd_boundary() -> None:
    (mane,) = load_transcripts(DATA / "trpm6.ensembl.gff3")
    assert last_junction_c(mane) == 5935
    assert nmd_predicted(mane, 5885)
    assert not nmd_predicted(mane, 5886)
    assert nmd_predicted(mane, 1)


def _first_stop_codon_from(annotator: Annotator, first: int, last: int) -> int:
    for codon in range(first, last + 1):
        try:
            stop_making_snv(annotator, codon)
            return codon
        except pytest.skip.Exception:
            continue
    pytest.skip("no stop-making codon in range")


def test_stop_before_the_boundary_is_nmd_high_confidence(annotator: Annotator, tmp_path: Path) -> None:
    # codon 1962 = c.5884-5886: first base c.5884, 51 nt before the junction
    codon = _first_stop_codon_from(annotator, 1950, 1962)
    pos, ref, alt = stop_making_snv(annotator, codon)
    row = annotate(annotator, tmp_path, [f"TRPM6_locus\t{pos}\t.\t{ref}\t{alt}\t.\t.\t."])[(pos, alt)]
    assert "stop_gained" in row.consequence
    assert (row.lof, row.lof_confidence, row.pvs1_strength) == (True, "HC", "VeryStrong")
    assert "NMD_PREDICTED" in row.lof_reason


def test_stop_in_last_50nt_of_penultimate_exon_escapes_nmd(annotator: Annotator, tmp_path: Path) -> None:
    codon = _first_stop_codon_from(annotator, 1963, 1978)  # c.5887.. c.5935 (exon 38's last 50 nt)
    pos, ref, alt = stop_making_snv(annotator, codon)
    row = annotate(annotator, tmp_path, [f"TRPM6_locus\t{pos}\t.\t{ref}\t{alt}\t.\t.\t."])[(pos, alt)]
    assert row.lof is True
    assert "NMD_ESCAPE_50NT_RULE" in row.lof_reason
    assert row.pvs1_strength in ("Strong", "Moderate")
    assert row.pvs1_strength != "VeryStrong"


def test_stop_in_last_exon_escapes_nmd(annotator: Annotator, tmp_path: Path) -> None:
    codon = _first_stop_codon_from(annotator, 1980, 2015)
    pos, ref, alt = stop_making_snv(annotator, codon)
    row = annotate(annotator, tmp_path, [f"TRPM6_locus\t{pos}\t.\t{ref}\t{alt}\t.\t.\t."])[(pos, alt)]
    assert "NMD_ESCAPE_LAST_EXON" in row.lof_reason
    assert row.pvs1_strength != "VeryStrong"


def test_designed_lof_calls(tmp_path: Path) -> None:
    from trpm6_hsh.builtin_annotator import annotate_vcf

    out = tmp_path / "out.tsv"
    annotate_vcf(DATA / "locus.fa", DATA / "trpm6.ensembl.gff3", DATA / "test.vcf", out, combine_haplotypes=False)
    with open(out) as handle:
        rows = {int(r["pos"]): r for r in csv.DictReader(handle, delimiter="\t")}

    def call(pos: int) -> tuple[str, str, str]:
        return rows[pos]["lof"], rows[pos]["lof_confidence"], rows[pos]["pvs1_strength"]

    assert call(122198) == ("true", "HC", "VeryStrong")  # p.Gln100Ter, NMD
    assert call(101675) == ("true", "HC", "VeryStrong")  # c.1003del
    # c.6040del: last exon, last 5% of the CDS -> escapes NMD, end truncation, low confidence
    assert call(4641) == ("true", "LC", "Moderate")
    assert "NMD_ESCAPE_LAST_EXON" in rows[4641]["lof_reason"] and "END_TRUNCATION" in rows[4641]["lof_reason"]
    # stop_lost: protein-altering, not LoF
    assert call(4615) == ("false", "", "")
    assert rows[4615]["lof_reason"] == "STOP_LOST_PROTEIN_ALTERING"
    assert call(4612)[0] == "false"
    # canonical splice, in-frame skip of exon 12 (135 nt) / exon 20 (129 nt): downgraded, not dropped
    assert call(92297) == ("true", "LC", "Moderate")
    assert "INFRAME_EXON_SKIP" in rows[92297]["lof_reason"]
    assert call(68743) == ("true", "LC", "Moderate")
    # canonical splice, frameshifting skip of exon 5 (214 nt), NMD: full strength
    assert call(120023) == ("true", "HC", "VeryStrong")
    assert "FRAMESHIFT_SKIP" in rows[120023]["lof_reason"]
    # start lost with an in-frame Met downstream (Met25): low confidence, Supporting (<10% lost)
    assert call(167856) == ("true", "LC", "Supporting")
    assert "DOWNSTREAM_INFRAME_MET:p.Met25" in rows[167856]["lof_reason"]
    # not LoF at all
    for pos in (80393, 43071, 51841, 101664, 167876, 168921, 42767):
        assert call(pos) == ("false", "", ""), pos


def test_lof_classes_come_from_the_data_file() -> None:
    classes = lof_classes()
    assert {"stop_gained", "frameshift_variant", "splice_donor_variant", "splice_acceptor_variant",
            "start_lost", "transcript_ablation", "exon_loss_variant"} <= classes
    assert "stop_lost" not in classes
    assert "missense_variant" not in classes
    ranks = [info.rank for info in term_table().values()]
    assert len(ranks) == len(set(ranks))
    assert term_table()["stop_lost"].impact == "HIGH"


# --------------------------------------------------------------------------- SV deletions
def _sv(annotator: Annotator, tmp_path: Path, start: int, end: int, symbolic: bool = True):
    base = annotator.reference.fetch("TRPM6_locus", start, start)
    alt = "<DEL>" if symbolic else "<DEL>"
    line = f"TRPM6_locus\t{start}\t.\t{base}\t{alt}\t.\t.\tSVTYPE=DEL;END={end}"
    return annotate(annotator, tmp_path, [line], info_header=True)[(start, alt)]


def test_whole_gene_deletion(annotator: Annotator, tmp_path: Path) -> None:
    row = _sv(annotator, tmp_path, 1000, 169000)
    assert row.consequence == "transcript_ablation"
    assert (row.lof, row.lof_confidence, row.pvs1_strength) == (True, "HC", "VeryStrong")
    assert row.hgvs_p == "p.0?"


def test_inframe_exon_deletion_is_downgraded(annotator: Annotator, tmp_path: Path) -> None:
    row = _sv(annotator, tmp_path, 92000, 92600)  # exon 12 (92299-92433, 135 nt) with intron around it
    assert "exon_loss_variant" in row.consequence
    assert row.exon == "12/39"
    assert (row.lof, row.lof_confidence) == (True, "LC")
    assert row.pvs1_strength in ("Strong", "Moderate")
    assert "INFRAME_DELETION" in row.lof_reason


def test_frameshifting_exon_deletion_is_nmd(annotator: Annotator, tmp_path: Path) -> None:
    row = _sv(annotator, tmp_path, 119000, 121000)  # exon 5 (120024-120237, 214 nt)
    assert "exon_loss_variant" in row.consequence
    assert (row.lof, row.lof_confidence, row.pvs1_strength) == (True, "HC", "VeryStrong")
    assert "NMD_PREDICTED" in row.lof_reason


def test_first_coding_exon_deletion(annotator: Annotator, tmp_path: Path) -> None:
    row = _sv(annotator, tmp_path, 167000, 167950)  # exon 1 with the start codon
    assert row.lof is True and "START_CODON_DELETED" in row.lof_reason


# --------------------------------------------------------------------------- per-exon table
def _load_script():
    spec = importlib.util.spec_from_file_location("make_lof_table", ROOT / "scripts" / "make_lof_table.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("build", ["GRCh38", "GRCh37"])
def test_shipped_exon_table_is_current(build: str) -> None:
    module = _load_script()
    model = ROOT / "resources" / build / "trpm6_mane_select.gff3"
    shipped = ROOT / "resources" / build / "trpm6_exon_lof_table.tsv"
    assert shipped.read_text() == module.render(model)


def test_exon_table_facts() -> None:
    (mane,) = load_transcripts(DATA / "trpm6.ensembl.gff3")
    rows = {int(r["exon"]): r for r in exon_lof_table(mane)}
    assert len(rows) == 39
    assert sum(int(r["coding_bases"]) for r in rows.values()) == 6069
    assert rows[12]["skip_keeps_frame"] == "true" and rows[12]["length"] == "135"
    assert rows[5]["skip_keeps_frame"] == "false"
    assert rows[38]["ptc_nmd"] == "partial:NMD_up_to_c.5885"
    assert rows[39]["ptc_nmd"] == "no"
    assert rows[26]["ptc_nmd"] == "yes"
    assert (rows[26]["c_start"], rows[26]["c_end"]) == ("3537", "4672")
    assert rows[5]["canonical_splice_pvs1"] == "VeryStrong"
    assert rows[12]["canonical_splice_pvs1"] == "Moderate"
    for row in rows.values():
        if row["skip_keeps_frame"] == "true":
            assert int(row["coding_bases"]) % 3 == 0


def test_gtf_without_stop_codon_lines_still_includes_the_stop(tmp_path: Path) -> None:
    from trpm6_hsh.builtin_annotator import annotate_vcf

    gtf = tmp_path / "nostop.gtf"
    gtf.write_text("".join(line + "\n" for line in (DATA / "trpm6.gtf").read_text().splitlines()
                           if "\tstop_codon\t" not in line))
    with_stop, without = tmp_path / "a.tsv", tmp_path / "b.tsv"
    annotate_vcf(DATA / "locus.fa", DATA / "trpm6.gtf", DATA / "test.vcf", with_stop, combine_haplotypes=False)
    annotate_vcf(DATA / "locus.fa", gtf, DATA / "test.vcf", without, combine_haplotypes=False)
    assert with_stop.read_text() == without.read_text()


def test_incomplete_cds_is_low_confidence(annotator: Annotator, tmp_path: Path) -> None:
    """A model whose CDS does not start with ATG cannot place truncations: LC, INCOMPLETE_CDS."""
    from trpm6_hsh.builtin_annotator import annotate_vcf

    model = tmp_path / "no_start.gff3"
    text = (DATA / "trpm6.ensembl.gff3").read_text()
    model.write_text(text.replace("\tCDS\t167824\t167856\t", "\tCDS\t167824\t167850\t"))
    out = tmp_path / "out.tsv"
    annotate_vcf(DATA / "locus.fa", model, DATA / "test.vcf", out, combine_haplotypes=False)
    with open(out) as handle:
        rows = {int(r["pos"]): r for r in csv.DictReader(handle, delimiter="\t")}
    assert rows[42171]["lof_confidence"] == "LC"
    assert rows[42171]["lof_reason"] == "INCOMPLETE_CDS"


def _one(annotator: Annotator, pos: int, ref: str, alt: str):
    from trpm6_hsh.builtin_annotator.alleles import Allele

    (row,) = [r for r in annotator.rows_for("TRPM6_locus", Allele.from_vcf("TRPM6_locus", pos, ref, alt))
              if r.transcript == MANE]
    return row


def test_frameshift_that_keeps_the_stop_is_not_lof(annotator: Annotator) -> None:
    # c.6068_*2del: TGA + UTR -> T + AA = TAA, the same stop codon: protein unchanged
    ref = annotator.reference.fetch("TRPM6_locus", 4610, 4614)
    row = _one(annotator, 4610, ref, ref[0])
    assert row.hgvs_c == "c.6068_*2del"
    assert row.consequence == "stop_retained_variant&3_prime_UTR_variant"
    assert row.hgvs_p == "p.(Ter2023=)" and row.lof is False


def test_frameshift_reading_through_the_stop_is_an_elongation_not_lof(annotator: Annotator) -> None:
    ref = annotator.reference.fetch("TRPM6_locus", 4621, 4622)  # c.6060del
    row = _one(annotator, 4621, ref, ref[0])
    assert row.consequence == "frameshift_variant"
    assert row.hgvs_p == "p.(Thr2021ArgfsTer23)"
    assert row.lof is False and "READS_THROUGH_STOP" in row.lof_reason


def test_insertions_at_the_cds_edges_are_untranslated(annotator: Annotator) -> None:
    base = annotator.reference.fetch("TRPM6_locus", 167856, 167856)
    row = _one(annotator, 167856, base, base + "A")  # between c.-1 and c.1
    assert (row.consequence, row.hgvs_c, row.hgvs_p) == ("5_prime_UTR_variant", "c.-1_1insT", "")
    base = annotator.reference.fetch("TRPM6_locus", 4612, 4612)
    row = _one(annotator, 4612, base, base + "C")  # between c.6069 and c.*1
    assert (row.consequence, row.hgvs_c) == ("3_prime_UTR_variant", "c.6069_*1insG")


def test_penultimate_exon_skip_escapes_nmd(annotator: Annotator) -> None:
    (transcript,) = annotator.transcripts
    pos = transcript.c_to_genomic("5935+1")
    base = annotator.reference.fetch("TRPM6_locus", pos, pos)
    row = _one(annotator, pos, base, "A" if base != "A" else "C")
    assert "EXON38_SKIP" in row.lof_reason and "NMD_ESCAPE" in row.lof_reason
    assert row.pvs1_strength != "VeryStrong"


def test_sv_deletion_with_explicit_sequence(annotator: Annotator, tmp_path: Path) -> None:
    """SVTYPE=DEL written out as REF sequence (no symbolic ALT) gives the same call as <DEL>."""
    ref = annotator.reference.fetch("TRPM6_locus", 119000, 121000)
    line = f"TRPM6_locus\t119000\t.\t{ref}\t{ref[0]}\t.\t.\tSVTYPE=DEL;END=121000"
    row = annotate(annotator, tmp_path, [line], info_header=True)[(119000, ref[0])]
    symbolic = _sv(annotator, tmp_path, 119000, 121000)
    for column in ("consequence", "lof", "lof_confidence", "pvs1_strength", "lof_reason", "exon", "hgvs_c"):
        assert getattr(row, column) == getattr(symbolic, column), column


def test_exon_table_matches_the_annotators_splice_calls(annotator: Annotator) -> None:
    """Donor +1 of every internal exon: the call equals the table's structural PVS1 strength, except where
    the sequence shows a frameshifting skip's new stop escaping NMD (the table has no sequence)."""
    from trpm6_hsh.builtin_annotator.alleles import Allele

    (transcript,) = annotator.transcripts
    table = {int(r["exon"]): r for r in exon_lof_table(transcript)}
    sequence_dependent = []
    for number in range(2, 39):
        pos = transcript.c_to_genomic(f"{table[number]['c_end']}+1")
        base = annotator.reference.fetch("TRPM6_locus", pos, pos)
        allele = Allele.from_vcf("TRPM6_locus", pos, base, "A" if base != "A" else "C")
        (row,) = annotator.rows_for("TRPM6_locus", allele)
        assert f"EXON{number}_SKIP" in row.lof_reason
        if row.pvs1_strength != table[number]["canonical_splice_pvs1"]:
            assert table[number]["canonical_splice_pvs1"] == "VeryStrong" and "NMD_ESCAPE" in row.lof_reason
            sequence_dependent.append(number)
    assert len(sequence_dependent) <= 2, sequence_dependent
