"""The shipped TRPM6 model files: right transcript facts, GFF3 and GTF agree, and they are up to date."""

from __future__ import annotations

from pathlib import Path

import pysam
import pytest

from trpm6_hsh.errors import InputError
from trpm6_hsh.genome_build import CHR9_LENGTHS
from trpm6_hsh.model import Build
from trpm6_hsh.model_resources import (
    GFF3_FILE,
    GRCH37_MINUS_GRCH38,
    GTF_FILE,
    LOCUS_BED,
    RESOURCE_FILES,
    TranscriptModel,
    read_exon_table,
    render_build_resources,
    write_resources,
)

REPO = Path(__file__).resolve().parents[1]
EXON_TABLE = REPO / "resources" / "trpm6_mane_select_exons.tsv"


@pytest.fixture(scope="module")
def models() -> dict[Build, TranscriptModel]:
    return read_exon_table(EXON_TABLE)


def _cds_intervals(model: TranscriptModel) -> list[tuple[int, int]]:
    return sorted((e.cds.start, e.cds.end) for e in model.coding_exons)


def _read_features(path: Path) -> list[list[str]]:
    return [line.rstrip("\n").split("\t") for line in path.open() if not line.startswith("#")]


def _gff3_attributes(column: str) -> dict[str, str]:
    return dict(pair.split("=", 1) for pair in column.split(";"))


def test_both_builds_have_39_exons(models):
    assert sorted(models) == sorted(Build)
    for model in models.values():
        assert [e.number for e in model.exons] == list(range(1, 40))
        assert model.chrom == "chr9"


def test_cds_is_2022_codons_plus_stop(models):
    for model in models.values():
        cds = model.cds_positions()
        assert len(cds) == 6069 == (2022 + 1) * 3
        assert len(set(cds)) == len(cds)


def test_c_numbering_is_contiguous_across_exons(models):
    for model in models.values():
        exons = model.coding_exons
        assert exons[0].c_start == 1
        for upstream, downstream in zip(exons, exons[1:], strict=False):
            assert downstream.c_start == upstream.c_end + 1
        assert exons[-1].c_end == 6069


def test_minus_strand_start_and_stop_codons_grch38(models):
    cds = models["GRCh38"].cds_positions()
    assert cds[:3] == [74887856, 74887855, 74887854]
    assert cds[-3:] == [74724615, 74724614, 74724613]


def test_grch37_is_grch38_shifted_on_every_cds_base(models):
    grch38, grch37 = models["GRCh38"].cds_positions(), models["GRCh37"].cds_positions()
    assert [p + GRCH37_MINUS_GRCH38 for p in grch38] == grch37


def test_c4287_falls_in_exon_26(models):
    exon_26 = models["GRCh38"].exons[25]
    assert exon_26.c_start <= 4287 <= exon_26.c_end


def test_gff3_cds_phases_are_consistent(models):
    rendered = render_build_resources(models["GRCh38"])[GFF3_FILE].splitlines()
    cds_rows = [row.split("\t") for row in rendered if "\tCDS\t" in row]
    cds_rows.sort(key=lambda row: -int(row[3]))  # minus strand: transcript order is descending
    bases_before = 0
    for row in cds_rows:
        assert int(row[7]) == (3 - bases_before % 3) % 3
        bases_before += int(row[4]) - int(row[3]) + 1
    assert bases_before == 6069


def test_gff3_matches_the_ensembl_fixture_layout(models):
    text = render_build_resources(models["GRCh38"])[GFF3_FILE]
    lines = text.splitlines()
    assert lines[0] == "##gff-version 3"
    assert lines[1] == f"##sequence-region chr9 1 {CHR9_LENGTHS[Build.GRCH38]}"
    gene, mrna = (line.split("\t") for line in lines[2:4])
    assert (gene[2], _gff3_attributes(gene[8])["ID"], _gff3_attributes(gene[8])["Name"]) == (
        "gene",
        "gene:ENSG00000119121",
        "TRPM6",
    )
    mrna_attributes = _gff3_attributes(mrna[8])
    assert mrna[2] == "mRNA"
    assert mrna_attributes["ID"] == "transcript:ENST00000360774"
    assert mrna_attributes["version"] == "6"
    assert mrna_attributes["tag"] == "Ensembl_canonical,MANE_Select"
    exon_ranks = [_gff3_attributes(line.split("\t")[8])["rank"] for line in lines if "\texon\t" in line]
    assert sorted(map(int, exon_ranks)) == list(range(1, 40))
    assert {line.split("\t")[6] for line in lines[2:]} == {"-"}


def test_gff3_and_gtf_describe_the_same_exons_and_cds(models):
    for build, model in models.items():
        folder = REPO / "resources" / build
        gff3 = _read_features(folder / GFF3_FILE)
        gtf = list(pysam.tabix_iterator((folder / GTF_FILE).open(), parser=pysam.asGTF()))
        exons = sorted((e.span.start, e.span.end) for e in model.exons)
        assert sorted((int(r[3]), int(r[4])) for r in gff3 if r[2] == "exon") == exons
        assert sorted((r.start + 1, r.end) for r in gtf if r.feature == "exon") == exons

        gff3_cds = sorted((int(r[3]), int(r[4])) for r in gff3 if r[2] == "CDS")
        assert gff3_cds == _cds_intervals(model)
        # GTF: CDS without the stop codon, plus the stop codon, covers exactly the GFF3 CDS bases.
        gtf_cds = {p for r in gtf if r.feature == "CDS" for p in range(r.start + 1, r.end + 1)}
        gtf_stop = {p for r in gtf if r.feature == "stop_codon" for p in range(r.start + 1, r.end + 1)}
        assert not gtf_cds & gtf_stop
        assert gtf_cds | gtf_stop == {p for s, e in gff3_cds for p in range(s, e + 1)}
        assert sorted(gtf_stop) == sorted(model.cds_positions()[-3:])
        gtf_start = sorted(p for r in gtf if r.feature == "start_codon" for p in range(r.start + 1, r.end + 1))
        assert gtf_start == sorted(model.cds_positions()[:3])
        assert {r.transcript_id for r in gtf if r.feature != "gene"} == {"ENST00000360774"}


def test_utrs_cover_the_non_coding_exon_parts(models):
    lines = _read_features(REPO / "resources" / "GRCh38" / GFF3_FILE)
    five = [(int(r[3]), int(r[4])) for r in lines if r[2] == "five_prime_UTR"]
    three = [(int(r[3]), int(r[4])) for r in lines if r[2] == "three_prime_UTR"]
    assert five == [(74887857, 74887921)]
    assert three == [(74722495, 74724612)]


def test_locus_bed_is_gene_span_padded_by_5kb():
    for build, (start, end) in {"GRCh38": (74722495, 74887921), "GRCh37": (77337411, 77502837)}.items():
        line = (REPO / "resources" / build / LOCUS_BED).read_text()
        assert line == f"chr9\t{start - 1 - 5000}\t{end + 5000}\tTRPM6\n"


def test_committed_files_equal_a_fresh_regeneration(tmp_path):
    write_resources(EXON_TABLE, tmp_path)
    for build in Build:
        for name in RESOURCE_FILES:
            fresh = (tmp_path / build / name).read_bytes()
            committed = (REPO / "resources" / build / name).read_bytes()
            assert fresh == committed, f"resources/{build}/{name} is stale: run python scripts/build_resources.py"


def test_inconsistent_c_numbering_is_refused(tmp_path):
    text = EXON_TABLE.read_text().replace("\t34\t113\n", "\t35\t114\n", 1)
    broken = tmp_path / "broken.tsv"
    broken.write_text(text)
    with pytest.raises(InputError, match="exon 2"):
        read_exon_table(broken)


def test_the_shipped_model_has_one_home_and_the_package_finds_it_there():
    from trpm6_hsh import shipped

    assert shipped.resources_dir() == REPO / "resources"
    assert shipped.exon_table() == EXON_TABLE
    for build in Build:
        assert shipped.shipped_file(build, GFF3_FILE) == REPO / "resources" / build.value / GFF3_FILE
    package_data = REPO / "src" / "trpm6_hsh" / "data"
    assert not [path.name for path in package_data.iterdir() if path.suffix in (".gff3", ".gtf", ".bed")]
