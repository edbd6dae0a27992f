"""Population-frequency honesty: a run without any frequency source says so, absence from a population file
grants PM2 only where that file looked, and the ClinVar / gnomAD files a report rests on are checksummed."""

from __future__ import annotations

import io
import json
from pathlib import Path

from conftest import REPO, write_vcf
from test_report import RESOURCES, SAMPLE, SCHEMA, typed_verdict, verdict_doc

from trpm6_hsh import wording
from trpm6_hsh.classify import classify_variants
from trpm6_hsh.config import default_config
from trpm6_hsh.extract import ExtractSummary
from trpm6_hsh.model import Build, VariantKey
from trpm6_hsh.population import (
    PopulationCoverage,
    population_source,
    population_sources_of_batches,
    warn_without_population_source,
)
from trpm6_hsh.provenance import checksum_resources
from trpm6_hsh.report import build_document, render_html, summarise, validate_document
from trpm6_hsh.report.diagram import gene_diagram
from trpm6_hsh.transcripts import load_mane_transcript
from trpm6_hsh.tsv import read_table, write_table

MODEL = REPO / "resources" / "GRCh38" / "trpm6_mane_select.gff3"
TRANSCRIPT = load_mane_transcript(MODEL)
INFO_FIELDS = default_config()["population"]["info_fields"]

# ------------------------------------------------------------------ 1. no frequency source at all


def test_no_gnomad_and_no_declared_field_is_not_assessed_and_warns_once(tmp_path):
    bare = tmp_path / "bare.vcf"
    bare.write_text("##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tKID\n")
    annotated = write_vcf(tmp_path / "annotated.vcf", ["KID"], [])  # declares gnomAD_AF
    sources = population_sources_of_batches({"bare": str(bare), "annotated": str(annotated)}, INFO_FIELDS, "")
    assert not sources["bare"].assessed and sources["bare"].reason == wording.POPULATION_NOT_ASSESSED
    assert sources["annotated"].assessed and sources["annotated"].sources == ("INFO/gnomAD_AF",)
    stderr = io.StringIO()
    assert warn_without_population_source(sources, stderr) is sources
    line = stderr.getvalue()
    assert line.count("\n") == 1 and line.startswith("trpm6-hsh: warning: no population-frequency source")
    assert "bare" in line and "annotated" not in line
    assert "every variant's frequency is unknown; a common loss-of-function allele cannot be recognised" in line
    assert line.rstrip().endswith("Fix: set gnomad_vcf or population.info_fields")


def test_a_gnomad_vcf_is_a_source_and_nothing_is_printed(tmp_path):
    sources = {"b": population_source(frozenset(), INFO_FIELDS, "/data/gnomad.vcf.gz")}
    assert sources["b"].assessed and sources["b"].sources == ("gnomad_vcf gnomad.vcf.gz",)
    stderr = io.StringIO()
    warn_without_population_source(sources, stderr)
    assert stderr.getvalue() == ""


def test_an_unreadable_header_is_never_counted_as_assessed():
    assert not population_source(None, INFO_FIELDS, "").assessed


def _document(**extra):
    return build_document(
        typed_verdict(verdict_doc()), SAMPLE, RESOURCES, [], build="GRCh38", config_sha256="c" * 64,
        annotator="builtin", report_settings={"laboratory": "Lab", "report_date": ""}, **extra,
    )  # fmt: skip


def _verdict_box(html: str) -> str:
    return html[html.index('<section class="verdict') : html.index("</section>", html.index('<section class="verdict'))]


def test_report_says_population_frequency_not_assessed_in_the_verdict_box():
    source = population_source(frozenset(), INFO_FIELDS, "")
    document = _document(population_source=source)
    validate_document(document, SCHEMA)
    assert document["population_frequency_source"] == {"assessed": False, "sources": [], "reason": source.reason}
    assert document["input_cautions"] == [wording.POPULATION_NOT_ASSESSED]
    html = render_html(document, gene_diagram(TRANSCRIPT, document["variants"], document["not_assessed"]))
    box = _verdict_box(html)
    assert "Population frequency not assessed: no population-frequency source was configured, so a common allele " \
           "could not be excluded" in box  # fmt: skip


def test_report_with_a_source_has_no_caution():
    document = _document(population_source=population_source(frozenset({"gnomAD_AF"}), INFO_FIELDS, ""))
    validate_document(document, SCHEMA)
    assert document["population_frequency_source"]["assessed"] is True
    assert document["input_cautions"] == []


def test_cohort_summary_flags_a_sample_without_frequency_source(tmp_path):
    flagged = _document(population_source=population_source(frozenset(), INFO_FIELDS, ""))
    fine = dict(_document(population_source=population_source(frozenset({"gnomAD_AF"}), INFO_FIELDS, "")),
                sample_id="S2")  # fmt: skip
    paths = []
    for document in (flagged, fine):
        path = tmp_path / f"{document['sample_id']}.report.json"
        path.write_text(json.dumps(document))
        paths.append(path)
    summarise(paths, tmp_path / "summary.tsv", tmp_path / "summary.html")
    rows = {row["sample_id"]: row for row in read_table(tmp_path / "summary.tsv")}
    assert rows[flagged["sample_id"]]["input_cautions"] == "Population frequency not assessed"
    assert rows["S2"]["input_cautions"] == ""
    assert "Population frequency not assessed" in (tmp_path / "summary.html").read_text()


def test_report_says_when_chr9_records_lie_outside_the_locus_and_the_build_is_unconfirmed():
    extract = ExtractSummary(
        source_vcf="kid.vcf", out_vcf="locus.vcf.gz", build=Build.GRCH38, samples=("KID",),
        regions=("chr9:74722490-74888093",), indexed_access=False, contig_renamed_from=None,
        locus_contig_in_header=False, header_contig_length=None, reference_contig_length=138394717,
        records_in_region=0, records_written=0, multiallelic_split=0, left_aligned=0, spanning_deletions_dropped=0,
        symbolic_alleles_kept=0, ref_mismatches=0, chromosome_records_outside_locus=6, outside_records_ref_checked=0,
    )  # fmt: skip
    document = _document(extract=extract)
    validate_document(document, SCHEMA)
    expected = "The VCF holds 6 chr9 record(s), none inside the TRPM6 locus: check that it was called on GRCh38"
    assert document["input_cautions"][0].startswith(expected)
    html = render_html(document, gene_diagram(TRANSCRIPT, document["variants"], document["not_assessed"]))
    assert expected in _verdict_box(html)


# ------------------------------------------------------------------ 2. PM2 only where the population file looked

GNOMAD_HEADER = """##fileformat=VCFv4.2
##contig=<ID=chr9>
##INFO=<ID=AF,Number=A,Type=Float,Description="Alternate allele frequency">
"""


def _coding_position() -> int:
    exon = next(e for e in sorted(TRANSCRIPT.exons, key=lambda e: e.start) if e.start > TRANSCRIPT.cds_start + 100)
    return (exon.start + exon.end) // 2


def _deep_intronic_position() -> int:
    exons = sorted(TRANSCRIPT.exons, key=lambda e: e.start)
    gap, start = max((b.start - a.end, a.end) for a, b in zip(exons, exons[1:], strict=False))
    assert gap > 1000
    return start + gap // 2


CODING = _coding_position()
INTRONIC = _deep_intronic_position()


def _annotation(pos: int, ref: str, alt: str, consequence: str) -> dict:
    return {"chrom": "chr9", "pos": str(pos), "ref": ref, "alt": alt, "transcript": "MANE", "is_mane": "true",
            "consequence": consequence, "hgvs_c": "", "hgvs_p": "", "lof": "false", "impact": "MODERATE",
            "lof_confidence": "", "pvs1_strength": "", "lof_reason": ""}  # fmt: skip


def _classify(tmp_path: Path, rows: list[dict], gnomad_name: str, gnomad_meta: str = "", coverage_bed=None):
    records = [f"chr9 {r['pos']} . {r['ref']} {r['alt']} . PASS . GT:DP:GQ:AD 0/1:30:99:15,15" for r in rows]
    vcf = write_vcf(tmp_path / "locus.vcf", ["KID"], records)
    table = tmp_path / "consequences.tsv"
    write_table(table, list(rows[0]), rows)
    gnomad = tmp_path / gnomad_name
    other = CODING + 3  # one unrelated allele, so the file is not empty
    gnomad.write_text(GNOMAD_HEADER + gnomad_meta + "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
                      f"chr9\t{other}\t.\tA\tG\t.\tPASS\tAF=0.001\n")  # fmt: skip
    out = tmp_path / "variants.tsv"
    population = {"af_ceiling": 0.01, "info_fields": ["gnomAD_AF"]}
    classify_variants(table, vcf, out, population, None, None, gnomad, None, coverage_bed=coverage_bed, model=MODEL)
    return {int(row["pos"]): row for row in read_table(out)}


def test_exome_file_intronic_absent_is_unknown_without_pm2_and_coding_absent_gets_pm2(tmp_path):
    rows = [_annotation(CODING, "C", "T", "missense_variant"), _annotation(INTRONIC, "G", "A", "intron_variant")]
    result = _classify(tmp_path, rows, "gnomad.exomes.v4.1.trpm6.vcf", "##source=gnomAD v4.1 exomes\n")
    coding, intronic = result[CODING], result[INTRONIC]
    assert "PM2_Supporting" in coding["evidence"].split(";")
    assert coding["population_af"] == "" and coding["population_af_source"].startswith("not in gnomAD VCF")
    assert "PM2" not in intronic["evidence"]
    assert intronic["population_af"] == ""
    assert intronic["population_af_source"].startswith("frequency unknown: outside what the population file covers")
    assert "exomes: coding exons ± 50 bp" in intronic["population_af_source"]
    assert "absent" not in intronic["population_af_source"] and "not in" not in intronic["population_af_source"]


def test_genome_file_covers_the_intron(tmp_path):
    rows = [_annotation(INTRONIC, "G", "A", "intron_variant")]
    result = _classify(tmp_path, rows, "gnomad.genomes.v4.1.trpm6.vcf", "##source=gnomAD v4.1 genomes\n")
    assert "PM2_Supporting" in result[INTRONIC]["evidence"]


def test_coverage_bed_decides_where_absence_counts(tmp_path):
    bed = tmp_path / "covered.bed"
    bed.write_text(f"9\t{INTRONIC - 10}\t{INTRONIC + 10}\n")  # another naming of chr9: still matched
    rows = [_annotation(CODING, "C", "T", "missense_variant"), _annotation(INTRONIC, "G", "A", "intron_variant")]
    result = _classify(tmp_path, rows, "population.vcf", coverage_bed=bed)
    assert "PM2_Supporting" in result[INTRONIC]["evidence"]
    assert "PM2" not in result[CODING]["evidence"]
    assert "outside what the population file covers (covered.bed)" in result[CODING]["population_af_source"]


def test_structural_variants_are_never_covered_by_a_small_variant_file():
    everywhere = PopulationCoverage(None, "gnomad.vcf")
    assert everywhere.covers(VariantKey("chr9", 100, "C", "T"))
    assert everywhere.covers(VariantKey("chr9", 100, "C", "C" + "A" * 50))
    assert not everywhere.covers(VariantKey("chr9", 100, "C", "<DEL>"))
    assert not everywhere.covers(VariantKey("chr9", 100, "C" + "A" * 51, "C"))
    assert not everywhere.covers(VariantKey("chr9", 100, "C", "C[chr9:500["))
    assert not everywhere.covers(VariantKey("chr9", 100, "C", "T"), sv_end=5000)


def test_symbolic_deletion_absent_from_gnomad_gets_no_pm2(tmp_path):
    rows = [_annotation(CODING, "C", "<DEL>", "exon_loss_variant")]
    result = _classify(tmp_path, rows, "gnomad.genomes.vcf")
    assert "PM2" not in result[CODING]["evidence"]
    assert result[CODING]["population_af_source"].startswith("frequency unknown: outside")


# ------------------------------------------------------------------ 3. provenance of the ClinVar / gnomAD files


def test_swapping_the_gnomad_or_clinvar_file_changes_the_report_checksums(tmp_path):
    fasta = tmp_path / "ref.fa"
    fasta.write_text(">chr9 test\nACGT\n")
    checksums = []
    for run, text in enumerate(("AF=0.001", "AF=0.2")):
        folder = tmp_path / f"run{run}"
        folder.mkdir()
        gnomad = folder / "gnomad.vcf"
        gnomad.write_text(GNOMAD_HEADER + f"chr9\t100\t.\tC\tT\t.\tPASS\t{text}\n")
        clinvar = folder / "clinvar.vcf"
        clinvar.write_text(f"##fileformat=VCFv4.1\n##run={run}\n")
        out = folder / "resources.json"
        checksum_resources({"reference_fasta": fasta, "gnomad_vcf": gnomad, "clinvar_vcf": clinvar}, out)
        document = _document_with_resources(json.loads(out.read_text()))
        validate_document(document, SCHEMA)
        inputs = {item["role"]: item for item in document["provenance"]["inputs"]}
        assert inputs["gnomad_vcf"]["path"] == str(gnomad)
        checksums.append((inputs["gnomad_vcf"]["sha256"], inputs["clinvar_vcf"]["sha256"]))
    assert checksums[0][0] != checksums[1][0] and checksums[0][1] != checksums[1][1]


def _document_with_resources(resources: dict) -> dict:
    return build_document(
        typed_verdict(verdict_doc()), SAMPLE, resources, [], build="GRCh38", config_sha256="c" * 64,
        annotator="builtin", report_settings={"laboratory": "Lab", "report_date": ""},
    )  # fmt: skip
