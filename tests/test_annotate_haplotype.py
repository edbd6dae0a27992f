"""Haplotype-aware codons: two changes in one codon on one haplotype are one protein change."""

from __future__ import annotations

from pathlib import Path

import pytest

from trpm6_hsh.builtin_annotator import Annotator, annotate_records, read_alleles

DATA = Path(__file__).parent / "data" / "annotator"
# Ser1800 (c.5398-5400, minus strand): c.5398T>A at 19812 A>T, c.5399C>A at 19811 G>T.
# Alone: p.Ser1800Thr and p.Ser1800Ter; together on one haplotype: p.Ser1800Lys.
FIRST, SECOND = (19812, "A", "T"), (19811, "G", "T")


@pytest.fixture(scope="module")
def annotator() -> Annotator:
    return Annotator(DATA / "locus.fa", DATA / "trpm6.ensembl.gff3")


def run(annotator: Annotator, tmp_path: Path, genotypes: list[tuple[str, str]], with_ps: list | None = None):
    """Two records (SECOND, FIRST); ``genotypes[i]`` = (GT of SECOND, GT of FIRST) in sample i."""
    samples = [f"S{i}" for i in range(len(genotypes))]
    fmt = "GT:PS" if with_ps else "GT"
    lines = ["##fileformat=VCFv4.2", "##contig=<ID=TRPM6_locus,length=170000>",
             '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
             '##FORMAT=<ID=PS,Number=1,Type=Integer,Description="Phase set">',
             "\t".join(["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT", *samples])]
    for index, (pos, ref, alt) in enumerate((SECOND, FIRST)):
        cells = []
        for sample, gts in enumerate(genotypes):
            cell = gts[index]
            if with_ps:
                cell += f":{with_ps[sample][index]}"
            cells.append(cell)
        lines.append("\t".join(["TRPM6_locus", str(pos), ".", ref, alt, ".", ".", ".", fmt, *cells]))
    vcf = tmp_path / "pair.vcf"
    vcf.write_text("\n".join(lines) + "\n")
    rows = annotate_records(annotator, read_alleles(vcf, annotator))
    return {r.pos: r for r in rows}


def test_phased_same_haplotype_is_one_codon_change(annotator: Annotator, tmp_path: Path) -> None:
    rows = run(annotator, tmp_path, [("0|1", "0|1")])
    for pos, partner in ((19811, "TRPM6_locus:19812:A:T"), (19812, "TRPM6_locus:19811:G:T")):
        row = rows[pos]
        assert row.consequence == "missense_variant"
        assert row.hgvs_p == "p.(Ser1800Lys)"
        assert row.lof is False  # the stop that neither haplotype carries is not called
        assert f"HAPLOTYPE_COMBINED:{partner}" in row.flags
    assert rows[19811].hgvs_c == "c.5399C>A" and rows[19812].hgvs_c == "c.5398T>A"


def test_designed_phased_pair(tmp_path: Path) -> None:
    from trpm6_hsh.builtin_annotator import annotate_vcf

    out = tmp_path / "out.tsv"
    annotate_vcf(DATA / "locus.fa", DATA / "trpm6.ensembl.gff3", DATA / "test.vcf", out)
    lines = [line.split("\t") for line in out.read_text().splitlines()[1:]]
    pair = {int(cells[1]): cells for cells in lines if cells[1] in ("19811", "19812")}
    assert pair[19811][13] == pair[19812][13] == "p.(Ser1800Lys)"
    assert pair[19811][9] == "missense_variant"


def test_both_homozygous_is_combined(annotator: Annotator, tmp_path: Path) -> None:
    rows = run(annotator, tmp_path, [("1/1", "1/1")])
    assert rows[19811].hgvs_p == rows[19812].hgvs_p == "p.(Ser1800Lys)"


def test_unphased_pair_is_annotated_alone_and_flagged(annotator: Annotator, tmp_path: Path) -> None:
    rows = run(annotator, tmp_path, [("0/1", "0/1")])
    assert rows[19811].consequence == "stop_gained" and rows[19811].hgvs_p == "p.(Ser1800Ter)"
    assert rows[19811].lof is True
    assert rows[19812].hgvs_p == "p.(Ser1800Thr)"
    assert "POSSIBLE_CODON_COMBINATION:TRPM6_locus:19812:A:T" in rows[19811].flags
    assert "POSSIBLE_CODON_COMBINATION:TRPM6_locus:19811:G:T" in rows[19812].flags


def test_phased_in_trans_stays_apart_without_flags(annotator: Annotator, tmp_path: Path) -> None:
    rows = run(annotator, tmp_path, [("0|1", "1|0")])
    assert rows[19811].hgvs_p == "p.(Ser1800Ter)" and rows[19812].hgvs_p == "p.(Ser1800Thr)"
    assert rows[19811].flags == rows[19812].flags == ""


def test_different_phase_sets_are_unknown(annotator: Annotator, tmp_path: Path) -> None:
    rows = run(annotator, tmp_path, [("0|1", "0|1")], with_ps=[(100, 200)])
    assert rows[19811].hgvs_p == "p.(Ser1800Ter)"
    assert "POSSIBLE_CODON_COMBINATION" in rows[19811].flags


def test_same_phase_set_is_combined(annotator: Annotator, tmp_path: Path) -> None:
    rows = run(annotator, tmp_path, [("0|1", "0|1")], with_ps=[(100, 100)])
    assert rows[19811].hgvs_p == "p.(Ser1800Lys)"


def test_sample_carrying_one_alone_prevents_combination(annotator: Annotator, tmp_path: Path) -> None:
    """Cohort file: the stop alone in one sample must not be hidden by another sample's combination."""
    rows = run(annotator, tmp_path, [("0|1", "0|1"), ("0|1", "0|0")])
    assert rows[19811].hgvs_p == "p.(Ser1800Ter)" and rows[19811].lof is True
    assert "POSSIBLE_CODON_COMBINATION" in rows[19811].flags
    # the other allele is always with the stop allele: combined
    assert rows[19812].hgvs_p == "p.(Ser1800Lys)"


def test_sites_only_vcf_is_not_combined(annotator: Annotator, tmp_path: Path) -> None:
    vcf = tmp_path / "sites.vcf"
    vcf.write_text("##fileformat=VCFv4.2\n##contig=<ID=TRPM6_locus,length=170000>\n"
                   "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
                   "TRPM6_locus\t19811\t.\tG\tT\t.\t.\t.\nTRPM6_locus\t19812\t.\tA\tT\t.\t.\t.\n")
    rows = {r.pos: r for r in annotate_records(annotator, read_alleles(vcf, annotator))}
    assert rows[19811].hgvs_p == "p.(Ser1800Ter)" and rows[19811].flags == ""


def test_compensating_indels_in_one_codon_are_in_frame(annotator: Annotator, tmp_path: Path) -> None:
    """c.2099del + an insertion after c.2100 on one haplotype: each alone is a frameshift, together the
    frame is kept (one delins in codon 700/701), so neither is called LoF."""
    (transcript,) = annotator.transcripts
    p = transcript.c_to_genomic("2099")
    fetch = annotator.reference.fetch
    deletion = (p - 1, fetch("TRPM6_locus", p - 1, p), fetch("TRPM6_locus", p - 1, p - 1))
    insertion = (p - 2, fetch("TRPM6_locus", p - 2, p - 2), fetch("TRPM6_locus", p - 2, p - 2) + "G")
    lines = ["##fileformat=VCFv4.2", "##contig=<ID=TRPM6_locus,length=170000>",
             '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
             "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1"]
    for pos, ref, alt in sorted([deletion, insertion]):
        lines.append(f"TRPM6_locus\t{pos}\t.\t{ref}\t{alt}\t.\t.\t.\tGT\t0|1")
    vcf = tmp_path / "pair.vcf"
    vcf.write_text("\n".join(lines) + "\n")
    rows = {r.pos: r for r in annotate_records(annotator, read_alleles(vcf, annotator))}
    alone = {r.pos: r for r in annotate_records(annotator, read_alleles(vcf, annotator), combine_haplotypes=False)}
    for pos in (p - 1, p - 2):
        assert "frameshift_variant" in alone[pos].consequence and alone[pos].lof is True
        assert "frameshift_variant" not in rows[pos].consequence, rows[pos]
        assert rows[pos].lof is False
        assert "HAPLOTYPE_COMBINED" in rows[pos].flags
    assert rows[p - 1].hgvs_c == "c.2099del"
