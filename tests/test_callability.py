"""Callability: what a gVCF or a BAM says about the coding exons, and what a plain VCF cannot say."""

from __future__ import annotations

import json
from pathlib import Path

import pysam
import pytest
from conftest import REPO, write_vcf

from trpm6_hsh.callability import coding_regions
from trpm6_hsh.inheritance import call_biallelic_status
from trpm6_hsh.transcripts import load_mane_transcript
from trpm6_hsh.tsv import write_table

MODEL = REPO / "resources" / "GRCh38" / "trpm6_mane_select.gff3"
QC = {"min_dp": 10, "min_gq": 20}
TRANSCRIPT = load_mane_transcript(MODEL)
REGIONS = coding_regions(TRANSCRIPT)
EXON_9 = next(region for region in REGIONS if region.exon == 9)
LOCUS_START, LOCUS_END = TRANSCRIPT.start - 100, TRANSCRIPT.end + 100
STOP = "chr9 74842100 . C T"


def _run(tmp_path: Path, samples: list[str], records: list[str], alignment: str = "", **settings) -> dict:
    vcf = write_vcf(tmp_path / "batch.vcf", samples, records)
    table = tmp_path / "batch.variants.tsv"
    row = {"chrom": "chr9", "pos": 74842100, "ref": "C", "alt": "T", "classification": "Pathogenic"}
    write_table(
        table,
        ["chrom", "pos", "ref", "alt", "classification", "qualifying", "candidate_vus"],
        [dict(row, qualifying="true", candidate_vus="false")],
    )
    out = tmp_path / "verdict.json"
    call_biallelic_status(
        sample={"sample_id": samples[0], "alignment": alignment},
        family_batches={member: "batch" for member in samples},
        locus_vcfs=[vcf],
        variant_tables=[table],
        genotype_qc=QC,
        model=MODEL,
        out=out,
        callability=settings,
    )
    return json.loads(out.read_text())


def _block(start: int, end: int, dp: int, gq: int = 60, gt: str = "0/0") -> str:
    return f"chr9 {start} . N <NON_REF> . . END={end} GT:DP:GQ {gt}:{dp}:{gq}"


def test_plain_vcf_leaves_every_region_unknown(tmp_path):
    result = _run(tmp_path, ["P1"], [f"{STOP} . PASS . GT:DP:GQ 0/1:30:99"])
    assert len(result["not_assessed"]) == len(REGIONS) == 39
    assert {item["status"] for item in result["not_assessed"]} == {"unknown"}
    assert result["callability"]["sources"] == ["none (plain VCF)"]


def test_gvcf_block_below_dp_threshold_over_one_exon_is_not_assessed(tmp_path):
    records = [
        _block(LOCUS_START, EXON_9.start - 1, 30),
        _block(EXON_9.start, EXON_9.end, 5),
        _block(EXON_9.end + 1, LOCUS_END, 30),
    ]
    result = _run(tmp_path, ["P1"], records)
    assert result["verdict"] == "NEGATIVE"
    assert [(item["exon"], item["status"]) for item in result["not_assessed"]] == [(9, "below_threshold")]
    assert "1 of 39 coding regions not assessed (exons 9)" in " ".join(result["evidence"])
    assert result["callability"]["regions_assessed"] == 38


def test_gvcf_gap_is_not_covered_and_gq_counts(tmp_path):
    records = [
        _block(LOCUS_START, EXON_9.start + 9, 30),  # exon 9 bases after the 10th have no record
        _block(EXON_9.end + 1, LOCUS_END, 30, gq=10),  # GQ below 20 everywhere after exon 9
    ]
    result = _run(tmp_path, ["P1"], records)
    statuses = {item["exon"]: item["status"] for item in result["not_assessed"]}
    assert statuses[9] == "not_covered"
    assert all(statuses[region.exon] == "below_threshold" for region in REGIONS if region.start > EXON_9.end)


def test_gvcf_thresholds_come_from_config(tmp_path):
    records = [_block(LOCUS_START, LOCUS_END, 8)]
    assert len(_run(tmp_path, ["P1"], records)["not_assessed"]) == 39
    assert _run(tmp_path, ["P1"], records, gvcf_min_dp=5)["not_assessed"] == []


def test_gvcf_all_no_call_is_not_assessable(tmp_path):
    records = [_block(LOCUS_START, LOCUS_END, 0, 0, gt="./.")]
    result = _run(tmp_path, ["P1"], records)
    assert result["verdict"] == "NOT_ASSESSABLE"
    assert "reference blocks" in result["evidence"][0]


def test_gvcf_nothing_callable_is_not_assessable(tmp_path):
    records = [_block(LOCUS_START, LOCUS_END, 3, 5)]
    result = _run(tmp_path, ["P1"], records)
    assert result["verdict"] == "NOT_ASSESSABLE"
    assert "callability thresholds" in result["evidence"][0]


def _bam(tmp_path: Path, skip_region, depth: int = 12, mapq: int = 60, base_quality: int = 30) -> Path:
    """Reads tiling every coding region (100 bp, one starting every 100/depth bp) except ``skip_region``."""
    header = {"HD": {"VN": "1.6", "SO": "coordinate"}, "SQ": [{"SN": "chr9", "LN": 138394717}]}
    unsorted = tmp_path / "reads.unsorted.bam"
    step = max(1, 100 // depth)
    with pysam.AlignmentFile(str(unsorted), "wb", header=header) as out:
        number = 0
        for region in REGIONS:
            if region == skip_region:
                continue
            for start in range(region.start - 100, region.end + 1, step):
                read = pysam.AlignedSegment(out.header)
                read.query_name = f"r{number}"
                number += 1
                read.reference_id = 0
                read.reference_start = start - 1
                read.cigarstring = "100M"
                read.query_sequence = "ACGT" * 25
                read.query_qualities = pysam.qualitystring_to_array(chr(33 + base_quality) * 100)
                read.mapping_quality = mapq
                out.write(read)
    bam = tmp_path / "reads.bam"
    pysam.sort("-o", str(bam), str(unsorted))
    pysam.index(str(bam))
    return bam


def test_bam_depth_marks_the_uncovered_exon(tmp_path):
    bam = _bam(tmp_path, EXON_9)
    result = _run(tmp_path, ["P1"], [f"{STOP} . PASS . GT:DP:GQ 0/0:30:99"], alignment=str(bam))
    assert result["callability"]["sources"] == ["alignment"]
    assert [(item["exon"], item["status"]) for item in result["not_assessed"]] == [(9, "not_covered")]
    assert result["verdict"] == "NEGATIVE"


@pytest.mark.parametrize(
    ("setting", "value"),
    [("alignment_min_mapping_quality", 61), ("alignment_min_base_quality", 31), ("alignment_min_depth", 20)],
)
def test_bam_thresholds_filter_reads_and_bases(tmp_path, setting, value):
    bam = _bam(tmp_path, None)
    assert _run(tmp_path, ["P1"], [], alignment=str(bam))["not_assessed"] == []
    result = _run(tmp_path, ["P1"], [], alignment=str(bam), **{setting: value})
    assert len(result["not_assessed"]) == 39


def test_missing_alignment_is_a_clear_input_error(tmp_path):
    from trpm6_hsh.errors import InputError

    with pytest.raises(InputError, match="cannot read depth"):
        _run(tmp_path, ["P1"], [], alignment=str(tmp_path / "absent.bam"))


def test_gvcf_through_extract_annotate_and_classify(tmp_path):
    """The stages as the workflow chains them: reference blocks survive extraction and reach callability."""
    from trpm6_hsh.builtin_annotator import annotate_vcf
    from trpm6_hsh.classify import classify_variants
    from trpm6_hsh.extract import extract_locus

    fasta = REPO / "resources" / "demo" / "GRCh38" / "synthetic_trpm6_locus.GRCh38.fa.gz"
    reference = pysam.FastaFile(str(fasta))

    def base(position: int) -> str:
        return reference.fetch("chr9", position - 1, position).upper()

    records = [
        f"chr9 {LOCUS_START} . {base(LOCUS_START)} <NON_REF> . . END={EXON_9.start - 1} GT:DP:GQ 0/0:30:60",
        f"chr9 {EXON_9.start} . {base(EXON_9.start)} <NON_REF> . . END={EXON_9.end} GT:DP:GQ 0/0:4:9",
        f"chr9 {EXON_9.end + 1} . {base(EXON_9.end + 1)} <NON_REF> . . END=74842197 GT:DP:GQ 0/0:30:60",
        "chr9 74842198 . G A,<NON_REF> 500 . . GT:DP:GQ:AD 0/1:30:99:15,15,0",
        f"chr9 74842199 . {base(74842199)} <NON_REF> . . END={LOCUS_END} GT:DP:GQ 0/0:30:60",
    ]
    gvcf = write_vcf(tmp_path / "sample.g.vcf", ["P1"], records)
    text = gvcf.read_text().replace(
        "##FORMAT=<ID=GT", '##ALT=<ID=NON_REF,Description="Any other allele">\n##FORMAT=<ID=GT'
    )
    gvcf.write_text(text)
    bed = REPO / "resources" / "GRCh38" / "trpm6_locus.bed"
    locus = tmp_path / "sample.vcf.gz"
    extract_locus(gvcf, ["P1"], fasta, bed, locus, build="GRCh38")
    consequences = tmp_path / "sample.consequences.tsv"
    annotate_vcf(fasta=fasta, model=MODEL, vcf=locus, out=consequences)
    table = tmp_path / "sample.variants.tsv"
    assert classify_variants(consequences, locus, table, {"info_fields": []}) == 1  # blocks are not variants
    out = tmp_path / "verdict.json"
    call_biallelic_status({"sample_id": "P1"}, {"P1": "sample"}, [locus], [table], QC, MODEL, out)
    result = json.loads(out.read_text())
    assert result["verdict"] == "CARRIER"
    assert [(item["exon"], item["status"]) for item in result["not_assessed"]] == [(9, "below_threshold")]


@pytest.mark.workflow
def test_workflow_reads_gvcf_blocks_and_the_sample_sheet_alignment(tmp_path):
    """End to end: a gVCF sample and a BAM-backed sample; each report lists exon 9 as not assessed."""
    import subprocess
    import sys

    import yaml

    fasta = REPO / "resources" / "demo" / "GRCh38" / "synthetic_trpm6_locus.GRCh38.fa.gz"
    reference = pysam.FastaFile(str(fasta))

    def base(position: int) -> str:
        return reference.fetch("chr9", position - 1, position).upper()

    gvcf_records = [
        f"chr9 {LOCUS_START} . {base(LOCUS_START)} <NON_REF> . . END={EXON_9.start - 1} GT:DP:GQ 0/0:30:60",
        f"chr9 {EXON_9.start} . {base(EXON_9.start)} <NON_REF> . . END={EXON_9.end} GT:DP:GQ 0/0:4:9",
        f"chr9 {EXON_9.end + 1} . {base(EXON_9.end + 1)} <NON_REF> . . END={LOCUS_END} GT:DP:GQ 0/0:30:60",
    ]
    gvcf = write_vcf(tmp_path / "g1.g.vcf", ["G1"], gvcf_records)
    gvcf.write_text(
        gvcf.read_text().replace(
            "##FORMAT=<ID=GT", '##ALT=<ID=NON_REF,Description="Any other allele">\n##FORMAT=<ID=GT'
        )
    )
    plain = write_vcf(tmp_path / "b1.vcf", ["B1"], ["chr9 74842198 . G A . PASS . GT:DP:GQ:AD 0/1:30:99:15,15"])
    bam = _bam(tmp_path, EXON_9)
    sheet = tmp_path / "samples.tsv"
    sheet.write_text(f"sample_id\tvcf\talignment\nG1\t{gvcf}\t\nB1\t{plain}\t{bam}\n")
    config = tmp_path / "config.yaml"
    config.write_text(yaml.safe_dump({"samples": str(sheet), "reference": {"fasta": str(fasta), "build": "GRCh38"}}))
    command = [sys.executable, "-m", "snakemake", "-s", str(REPO / "Snakefile"), "--directory", str(tmp_path)]
    result = subprocess.run(
        [*command, "--configfile", str(config), "--cores", "2"], capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr[-3000:]
    reports = tmp_path / "results" / "reports"
    gvcf_report = json.loads((reports / "G1.report.json").read_text())
    bam_report = json.loads((reports / "B1.report.json").read_text())
    assert gvcf_report["verdict"] == "NEGATIVE"
    assert [(item["exon"], item["status"]) for item in gvcf_report["not_assessed"]] == [(9, "below_threshold")]
    assert bam_report["verdict"] == "CARRIER"
    assert [(item["exon"], item["status"]) for item in bam_report["not_assessed"]] == [(9, "not_covered")]
    assert bam_report["callability"]["sources"] == ["alignment"]


def test_cram_is_read_with_the_reference(tmp_path):
    fasta = REPO / "resources" / "demo" / "GRCh38" / "synthetic_trpm6_locus.GRCh38.fa.gz"
    bam = _bam(tmp_path, EXON_9)
    cram = tmp_path / "reads.cram"
    pysam.view("-C", "-T", str(fasta), "-o", str(cram), str(bam), catch_stdout=False)
    pysam.index(str(cram))
    vcf = write_vcf(tmp_path / "batch.vcf", ["P1"], [])
    table = tmp_path / "batch.variants.tsv"
    write_table(table, ["chrom", "pos", "ref", "alt", "classification", "qualifying", "candidate_vus"], [])
    out = tmp_path / "verdict.json"
    sample = {"sample_id": "P1", "alignment": str(cram)}
    call_biallelic_status(sample, {"P1": "batch"}, [vcf], [table], QC, MODEL, out, reference_fasta=fasta)
    result = json.loads(out.read_text())
    assert [(item["exon"], item["status"]) for item in result["not_assessed"]] == [(9, "not_covered")]
