"""Exon copy number from read depth in the verdict (issue 17): simulated BAMs of one batch of 8 samples over
the demo's synthetic locus, called by the copy-number stage, read by the inheritance stage.

Samples: DEL45 (heterozygous deletion of exons 4-5), DEL910 (heterozygous deletion of exons 9-10), HOMDEL
(homozygous deletion of exons 7-8), the others without an event; all three shift the reading frame (the
classify stage's PVS1 logic makes them qualifying; an in-frame deletion would be a VUS). Each test writes a
one-sample VCF.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest
from conftest import REPO, write_vcf

from trpm6_hsh import wording
from trpm6_hsh.config import Sample, complete_section
from trpm6_hsh.copy_number import (
    CopyNumberCall,
    CopyNumberSettings,
    read_sample_copy_number,
    write_batch_copy_number,
)
from trpm6_hsh.copy_number.caller import settings_of_section
from trpm6_hsh.copy_number.simulate import PlantedEvent, SimulationSettings, simulate_batch
from trpm6_hsh.inheritance import call_biallelic_status, read_verdict
from trpm6_hsh.transcripts import load_mane_transcript
from trpm6_hsh.tsv import write_table

FASTA = REPO / "resources" / "demo" / "GRCh38" / "synthetic_trpm6_locus.GRCh38.fa.gz"
MODEL = REPO / "resources" / "GRCh38" / "trpm6_mane_select.gff3"
QC = {"min_dp": 10, "min_gq": 20, "het_allele_balance": [0.2, 0.8], "hom_min_allele_balance": 0.85}
SAMPLES = ["DEL45", "DEL910", "HOMDEL", "N1", "N2", "N3", "N4", "N5"]
EVENTS = (PlantedEvent("DEL45", 4, 5, 1), PlantedEvent("DEL910", 9, 10, 1), PlantedEvent("HOMDEL", 7, 8, 0))
SIMULATION = SimulationSettings(depth=60.0, seed=2024)

FRAMESHIFT = "chr9 74827800 . CT C"  # exon 7, qualifying (table below)
IN_EXON_10 = "chr9 74816900 . G A"  # exon 10, qualifying (table below)
CLASSES = {("74827800", "CT", "C"): "Pathogenic", ("74816900", "G", "A"): "Likely pathogenic"}
FMT = "GT:DP:GQ:AD"
HET, HOM = "0/1:30:99:15,15", "1/1:30:99:0,30"
VERDICT_SCHEMA = jsonschema.Draft202012Validator(
    json.loads((REPO / "workflow" / "schemas" / "verdict.schema.json").read_text())
)


@pytest.fixture(scope="module")
def copy_number_files(tmp_path_factory) -> dict[str, Path]:
    """The copy-number stage's JSON of every sample of the simulated batch."""
    folder = tmp_path_factory.mktemp("cnv")
    transcript = load_mane_transcript(MODEL)
    alignments = simulate_batch(folder / "bams", FASTA, transcript, SAMPLES, EVENTS, SIMULATION)
    outputs = {sample: folder / f"{sample}.copy_number.json" for sample in SAMPLES}
    statuses = write_batch_copy_number(alignments, FASTA, MODEL, complete_section("cnv", {}), outputs)
    assert set(statuses.values()) == {"assessed"}
    return outputs


def verdict_with_copy_number(tmp_path: Path, sample_id: str, records: list[str], copy_number: Path | None) -> dict:
    vcf = write_vcf(tmp_path / "batch.vcf", [sample_id], records)
    table = tmp_path / "batch.variants.tsv"
    rows = [
        {"chrom": "chr9", "pos": pos, "ref": ref, "alt": alt, "classification": c, "qualifying": "true",
         "candidate_vus": "false"}
        for (pos, ref, alt), c in CLASSES.items()
    ]  # fmt: skip
    write_table(table, ["chrom", "pos", "ref", "alt", "classification", "qualifying", "candidate_vus"], rows)
    out = tmp_path / "verdict.json"
    call_biallelic_status(
        sample=Sample(sample_id=sample_id, vcf=str(vcf)),
        family_batches={sample_id: "batch"},
        locus_vcfs=[vcf],
        variant_tables=[table],
        genotype_qc=QC,
        model=MODEL,
        out=out,
        reference_fasta=FASTA,
        copy_number={sample_id: copy_number} if copy_number else None,
    )
    document = json.loads(out.read_text())
    VERDICT_SCHEMA.validate(document)
    assert read_verdict(out).to_json() == document
    return document


def test_the_stage_calls_the_planted_deletions_and_nothing_else(copy_number_files):
    calls = {sample: read_sample_copy_number(path).calls for sample, path in copy_number_files.items()}
    assert [(c.exons, c.copy_number, c.confidence) for c in calls["DEL45"]] == [((4, 5), 1, "high")]
    assert [(c.exons, c.copy_number) for c in calls["DEL910"]] == [((9, 10), 1)]
    assert [(c.exons, c.copy_number) for c in calls["HOMDEL"]] == [((7, 8), 0)]
    assert not any(calls[sample] for sample in ("N1", "N2", "N3", "N4", "N5"))


def test_het_qualifying_variant_and_a_deletion_of_other_exons_is_compound_het_phase_unknown(
    tmp_path, copy_number_files
):
    result = verdict_with_copy_number(tmp_path, "DEL45", [f"{FRAMESHIFT} . PASS . {FMT} {HET}"],
                                      copy_number_files["DEL45"])  # fmt: skip
    assert result["verdict"] == "COMPOUND_HET_PHASE_UNKNOWN"
    evidence = " ".join(result["evidence"])
    assert "read depth: heterozygous deletion of exon(s) 4-5 (copy number 1" in evidence
    assert "confirm by an orthogonal method (MLPA, array or long reads)" in evidence
    deletion = next(v for v in result["variants"] if v["alt"] == "<DEL>")
    assert deletion["qualifying"] == "true" and deletion["zygosity"] == "heterozygous"
    assert "PVS1" in deletion["evidence"]
    assert any("MLPA, array or long reads" in line for line in result["extra_recommendations"])
    assert result["copy_number"]["calls"][0]["exons"] == [4, 5]


def test_homozygous_looking_variant_inside_the_deleted_exons_is_trans_by_deletion(tmp_path, copy_number_files):
    result = verdict_with_copy_number(tmp_path, "DEL910", [f"{IN_EXON_10} . PASS . {FMT} {HOM}"],
                                      copy_number_files["DEL910"])  # fmt: skip
    assert result["verdict"] == "COMPOUND_HET_TRANS"
    assert result["pairs"][0]["phase_source"] == "deletion"
    assert "the variant lies on the copy the deletion spares" in " ".join(result["evidence"])


def test_het_qualifying_variant_without_a_deletion_is_carrier_with_two_copies_shown(tmp_path, copy_number_files):
    result = verdict_with_copy_number(tmp_path, "N1", [f"{FRAMESHIFT} . PASS . {FMT} {HET}"],
                                      copy_number_files["N1"])  # fmt: skip
    assert result["verdict"] == "CARRIER"
    assert "read depth: two copies of all 39 assessed exons" in " ".join(result["evidence"])
    assert {exon["copy_number"] for exon in result["copy_number"]["exons"]} == {2}


def test_a_homozygous_exon_deletion_alone_is_biallelic_loss(tmp_path, copy_number_files):
    result = verdict_with_copy_number(tmp_path, "HOMDEL", [f"{IN_EXON_10} . PASS . {FMT} 0/0:30:99:30,0"],
                                      copy_number_files["HOMDEL"])  # fmt: skip
    assert result["verdict"] == "HOMOZYGOUS"
    assert "read depth: homozygous deletion of exon(s) 7-8 (copy number 0" in " ".join(result["evidence"])


def test_without_an_alignment_nothing_is_read_and_the_document_says_so(tmp_path):
    result = verdict_with_copy_number(tmp_path, "N1", [f"{FRAMESHIFT} . PASS . {FMT} {HET}"], None)
    assert result["verdict"] == "CARRIER"
    assert result["copy_number"] is None
    assert "read depth" not in " ".join(result["evidence"])


def test_a_batch_too_small_for_a_reference_set_says_so(tmp_path):
    transcript = load_mane_transcript(MODEL)
    small = SAMPLES[:3]
    alignments = simulate_batch(tmp_path / "bams", FASTA, transcript, small, EVENTS[:1], SIMULATION)
    outputs = {sample: tmp_path / f"{sample}.copy_number.json" for sample in small}
    statuses = write_batch_copy_number(alignments, FASTA, MODEL, complete_section("cnv", {}), outputs)
    assert set(statuses.values()) == {"not_assessed"}
    result = verdict_with_copy_number(tmp_path, "DEL45", [f"{FRAMESHIFT} . PASS . {FMT} {HET}"], outputs["DEL45"])
    assert result["verdict"] == "CARRIER"  # the planted deletion is not seen: the report must say why
    evidence = " ".join(result["evidence"])
    assert "copy number from read depth not assessed: only 2 other sample(s)" in evidence
    assert result["copy_number"]["status"] == "not_assessed"
    assert {exon["status"] for exon in result["copy_number"]["exons"]} == {"not_assessed"}


def _with_call(path: Path, tmp_path: Path, **changes) -> Path:
    """A copy of a copy-number JSON whose first call is changed (to show low confidence)."""
    result = read_sample_copy_number(path)
    changed = replace(result, calls=tuple(replace(call, **changes) for call in result.calls))
    out = tmp_path / path.name
    out.write_text(changed.to_json())
    return out


def test_a_low_confidence_deletion_is_suggestive_and_never_positive(tmp_path, copy_number_files):
    low = _with_call(copy_number_files["DEL45"], tmp_path, confidence="low", log10_bayes_factor=4.0)
    result = verdict_with_copy_number(tmp_path, "DEL45", [f"{FRAMESHIFT} . PASS . {FMT} {HET}"], low)
    assert result["verdict"] == "QUALIFYING_PLUS_VUS"  # inconclusive: neither biallelic nor CARRIER
    deletion = next(v for v in result["variants"] if v["alt"] == "<DEL>")
    assert deletion["qualifying"] == "false"
    assert "low-confidence copy-number call" in deletion["classification_reason"]
    assert "low confidence: confirm by an orthogonal method" in " ".join(result["evidence"])


def test_a_low_confidence_deletion_over_a_homozygote_casts_doubt(tmp_path, copy_number_files):
    low = _with_call(copy_number_files["DEL910"], tmp_path, confidence="low", log10_bayes_factor=4.0)
    result = verdict_with_copy_number(tmp_path, "DEL910", [f"{IN_EXON_10} . PASS . {FMT} {HOM}"], low)
    assert result["verdict"] == "POSSIBLE_HEMIZYGOUS"


def test_exons_not_assessed_are_listed_with_the_reason_never_as_two_copies(tmp_path, copy_number_files):
    result = read_sample_copy_number(copy_number_files["N2"])
    exons = tuple(
        replace(exon, status="not_assessed", reason="reference samples too shallow", ratio=None, copy_number=None)
        if exon.exon in (1, 39) else exon
        for exon in result.exons
    )  # fmt: skip
    path = tmp_path / "N2.copy_number.json"
    path.write_text(replace(result, exons=exons).to_json())
    document = verdict_with_copy_number(tmp_path, "N2", [f"{FRAMESHIFT} . PASS . {FMT} {HET}"], path)
    evidence = " ".join(document["evidence"])
    assert "copy number not assessed for exon(s) 1, 39 (reference samples too shallow)" in evidence
    assert "two copies of all 37 assessed exons" in evidence


def test_a_duplication_keeps_a_carrier_inconclusive(tmp_path, copy_number_files):
    duplicated = _with_call(copy_number_files["DEL45"], tmp_path, copy_number=3)
    result = verdict_with_copy_number(tmp_path, "DEL45", [f"{FRAMESHIFT} . PASS . {FMT} {HET}"], duplicated)
    assert result["verdict"] == "QUALIFYING_PLUS_VUS"
    assert "duplication of exon(s) 4-5" in " ".join(result["evidence"])
    assert next(v for v in result["variants"] if v["alt"] == "<DUP>")["classification"] == "Uncertain significance"


def test_the_schema_defaults_are_the_engine_defaults():
    assert settings_of_section(complete_section("cnv", {})) == CopyNumberSettings()


def test_copy_number_json_reads_back_unchanged(copy_number_files):
    path = copy_number_files["DEL45"]
    result = read_sample_copy_number(path)
    assert result.to_json() == path.read_text()
    assert isinstance(result.calls[0], CopyNumberCall)


# ----------------------------------------------------------------------------- the report


def _report(tmp_path: Path, verdict_json: Path, sample: Sample) -> tuple[dict, str]:
    from test_report import RESOURCES, SCHEMA

    from trpm6_hsh.report import write_report

    resources = tmp_path / "resources.json"
    resources.write_text(json.dumps(RESOURCES))
    out = {name: tmp_path / f"{sample.sample_id}.report.{name}" for name in ("html", "json", "tsv")}
    write_report(
        verdict_json, resources, [], MODEL, SCHEMA, sample, build="GRCh38", config_sha256="c" * 64,
        annotator="builtin", report_settings={"laboratory": "Lab", "report_date": "2026-01-02"},
        out_html=out["html"], out_json=out["json"], out_tsv=out["tsv"],
    )  # fmt: skip
    return json.loads(out["json"].read_text()), out["html"].read_text()


def test_the_report_plots_every_exon_and_lists_the_call_with_its_edges(tmp_path, copy_number_files):
    verdict_with_copy_number(tmp_path, "DEL45", [f"{FRAMESHIFT} . PASS . {FMT} {HET}"], copy_number_files["DEL45"])
    report, html = _report(tmp_path, tmp_path / "verdict.json", Sample(sample_id="DEL45", vcf="x.vcf",
                                                                          alignment="DEL45.bam"))
    section = report["copy_number"]
    assert section["status"] == "assessed" and section["calls"][0]["exon_text"] == "4-5"
    plot = html[html.index('id="copy-number"'):]
    assert plot.count("<circle") == 39  # one point per exon, beside the gene diagram
    assert "heterozygous deletion" in plot and "chr9:74,840,024-74,842,343" in plot
    assert "MLPA, array or long reads" in plot
    assert set(wording.COPY_NUMBER_LIMITATIONS) <= set(report["limitations"])


def test_a_sample_without_an_alignment_is_said_not_assessed_in_the_report(tmp_path):
    verdict_with_copy_number(tmp_path, "N1", [f"{FRAMESHIFT} . PASS . {FMT} {HET}"], None)
    report, html = _report(tmp_path, tmp_path / "verdict.json", Sample(sample_id="N1", vcf="x.vcf"))
    assert report["copy_number"]["status"] == "not_run"
    assert "Copy number not assessed:</strong> no alignment (BAM/CRAM)" in html
    assert not set(wording.COPY_NUMBER_LIMITATIONS) & set(report["limitations"])


def test_copy_number_strings_are_escaped_in_the_report(tmp_path, copy_number_files):
    hostile = "<script>alert('x')</script>"
    result = read_sample_copy_number(copy_number_files["N3"])
    exons = tuple(replace(exon, status="not_assessed", reason=hostile, ratio=None, copy_number=None)
                  if exon.exon == 3 else exon for exon in result.exons)  # fmt: skip
    path = tmp_path / "N3.copy_number.json"
    path.write_text(replace(result, exons=exons).to_json())
    verdict_with_copy_number(tmp_path, "N3", [f"{FRAMESHIFT} . PASS . {FMT} {HET}"], path)
    _, html = _report(tmp_path, tmp_path / "verdict.json", Sample(sample_id="N3", vcf="x.vcf", alignment="N3.bam"))
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html


# ----------------------------------------------------------------------------- the workflow end to end


@pytest.mark.workflow
def test_workflow_with_alignments_calls_copy_number_and_feeds_the_verdicts(tmp_path):
    """Eight samples of one VCF with BAMs, and one without: the copy-number rule runs once over the eight."""
    import yaml
    from test_workflow import snakemake

    transcript = load_mane_transcript(MODEL)
    bams = simulate_batch(tmp_path / "bams", FASTA, transcript, SAMPLES, EVENTS, SIMULATION)
    header = "".join(
        line + "\n"
        for line in [
            "##fileformat=VCFv4.2",
            "##contig=<ID=chr9,length=138394717>",
            '##INFO=<ID=AF,Number=A,Type=Float,Description="Population allele frequency">',
            '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
            '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Read depth">',
            '##FORMAT=<ID=GQ,Number=1,Type=Integer,Description="Genotype quality">',
            '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">',
            "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t" + "\t".join([*SAMPLES, "NOALN"]),
        ]
    )
    ref, het, hom = "0/0:30:99:30,0", "0/1:30:99:15,15", "1/1:30:99:0,30"
    # frameshift in exon 7 (outside the DEL45 deletion; HOMDEL has no copy of exon 7: no call)
    exon7 = {"DEL45": het, "N1": het, "NOALN": het, "HOMDEL": "./.:0:0:0,0"}
    exon10 = {"DEL910": hom}  # frameshift in exon 10, inside the DEL910 deletion, seen without a reference allele
    row7 = "\t".join(exon7.get(sample, ref) for sample in [*SAMPLES, "NOALN"])
    row10 = "\t".join(exon10.get(sample, ref) for sample in [*SAMPLES, "NOALN"])
    vcf = tmp_path / "batch.vcf"
    vcf.write_text(
        header
        + f"chr9\t74816900\t.\tGA\tG\t.\tPASS\tAF=1.6e-05\tGT:DP:GQ:AD\t{row10}\n"
        + f"chr9\t74827800\t.\tCT\tC\t.\tPASS\tAF=1.6e-05\tGT:DP:GQ:AD\t{row7}\n"
    )
    workdir = tmp_path / "run"
    workdir.mkdir()
    rows = [f"{sample}\t{vcf}\t{bams[sample]}\ttrue" for sample in SAMPLES] + [f"NOALN\t{vcf}\t\ttrue"]
    (workdir / "samples.tsv").write_text("sample_id\tvcf\talignment\taffected\n" + "\n".join(rows) + "\n")
    config = {
        "samples": str(workdir / "samples.tsv"),
        "reference": {"fasta": str(FASTA), "build": "GRCh38"},
        "population": {"info_fields": ["AF"]},
    }
    (workdir / "config.yaml").write_text(yaml.safe_dump(config))
    result = snakemake(workdir, workdir / "config.yaml")
    assert result.returncode == 0, result.stderr[-3000:]
    results = workdir / "results"
    assert sorted(path.name for path in (results / "cnv").glob("*.copy_number.json")) == sorted(
        f"{sample}.copy_number.json" for sample in SAMPLES
    )

    def verdict(sample: str) -> dict:
        return json.loads((results / "inheritance" / f"{sample}.verdict.json").read_text())

    assert verdict("DEL45")["verdict"] == "COMPOUND_HET_PHASE_UNKNOWN"
    trans = verdict("DEL910")
    assert trans["verdict"] == "COMPOUND_HET_TRANS" and trans["pairs"][0]["phase_source"] == "deletion"
    assert verdict("N1")["verdict"] == "CARRIER"
    assert "two copies of all 39 assessed exons" in " ".join(verdict("N1")["evidence"])
    assert verdict("HOMDEL")["verdict"] == "HOMOZYGOUS"
    assert verdict("NOALN")["verdict"] == "CARRIER" and verdict("NOALN")["copy_number"] is None
    html = (results / "reports" / "DEL45.report.html").read_text()
    assert 'id="copy-number"' in html and "heterozygous deletion" in html
    assert "Copy number not assessed:</strong> no alignment" in (results / "reports" / "NOALN.report.html").read_text()


def test_a_deletion_the_vcf_already_calls_is_one_event_not_two(tmp_path, copy_number_files):
    """DEL45's exons 4-5 deletion also in its VCF as a <DEL>: read once, so it cannot pair with itself."""
    vcf_deletion = "chr9 74840100 . N <DEL> . PASS SVTYPE=DEL;END=74842300"
    result = verdict_with_copy_number(tmp_path, "DEL45", [f"{vcf_deletion} {FMT} {HET}"], copy_number_files["DEL45"])
    assert [v["alt"] for v in result["variants"]] == ["<DEL>"]
    assert result["variants"][0]["pos"] == 74840100
    assert "read depth agrees with the deletion chr9:74840100N><DEL>" in " ".join(result["evidence"])
    assert result["verdict"] != "COMPOUND_HET_PHASE_UNKNOWN"


def _renamed(path: Path, sample: str, out_dir: Path) -> Path:
    out = out_dir / f"{sample}.copy_number.json"
    out.write_text(replace(read_sample_copy_number(path), sample=sample).to_json())
    return out


def test_parents_alignments_show_who_carries_the_deletion_so_the_pair_is_in_trans(tmp_path, copy_number_files):
    """The child's deletion of exons 4-5 is in the father's read depth, the mother has two copies there and
    carries the frameshift: the two are in trans (phase source parental)."""
    files = {
        "KID": _renamed(copy_number_files["DEL45"], "KID", tmp_path),
        "DAD": _renamed(copy_number_files["DEL45"], "DAD", tmp_path),
        "MUM": _renamed(copy_number_files["N1"], "MUM", tmp_path),
    }
    vcf = write_vcf(tmp_path / "batch.vcf", ["KID", "DAD", "MUM"],
                    [f"{FRAMESHIFT} . PASS . {FMT} {HET} 0/0:30:99:30,0 {HET}"])  # fmt: skip
    table = tmp_path / "batch.variants.tsv"
    write_table(table, ["chrom", "pos", "ref", "alt", "classification", "qualifying", "candidate_vus"],
                [{"chrom": "chr9", "pos": "74827800", "ref": "CT", "alt": "C", "classification": "Pathogenic",
                  "qualifying": "true", "candidate_vus": "false"}])  # fmt: skip
    out = tmp_path / "verdict.json"
    call_biallelic_status(
        sample=Sample(sample_id="KID", vcf=str(vcf), paternal_id="DAD", maternal_id="MUM"),
        family_batches={member: "batch" for member in files},
        locus_vcfs=[vcf], variant_tables=[table], genotype_qc=QC, model=MODEL, out=out,
        reference_fasta=FASTA, copy_number=files,
    )  # fmt: skip
    result = json.loads(out.read_text())
    VERDICT_SCHEMA.validate(result)
    assert result["verdict"] == "COMPOUND_HET_TRANS"
    assert result["pairs"][0]["phase_source"] == "parental"
    deletion = next(v for v in result["variants"] if v["alt"] == "<DEL>")
    assert deletion["parental_genotypes"]["DAD"] == "0/1"
    assert "read depth shows two copies of exon(s) 4-5" in deletion["parental_genotypes"]["MUM"]


def test_a_parent_without_a_copy_number_result_leaves_the_phase_unknown(tmp_path, copy_number_files):
    files = {"KID": _renamed(copy_number_files["DEL45"], "KID", tmp_path)}
    vcf = write_vcf(tmp_path / "batch.vcf", ["KID", "DAD", "MUM"],
                    [f"{FRAMESHIFT} . PASS . {FMT} {HET} 0/0:30:99:30,0 {HET}"])  # fmt: skip
    table = tmp_path / "batch.variants.tsv"
    write_table(table, ["chrom", "pos", "ref", "alt", "classification", "qualifying", "candidate_vus"],
                [{"chrom": "chr9", "pos": "74827800", "ref": "CT", "alt": "C", "classification": "Pathogenic",
                  "qualifying": "true", "candidate_vus": "false"}])  # fmt: skip
    out = tmp_path / "verdict.json"
    call_biallelic_status(
        sample=Sample(sample_id="KID", vcf=str(vcf), paternal_id="DAD", maternal_id="MUM"),
        family_batches={member: "batch" for member in ("KID", "DAD", "MUM")},
        locus_vcfs=[vcf], variant_tables=[table], genotype_qc=QC, model=MODEL, out=out,
        reference_fasta=FASTA, copy_number=files,
    )  # fmt: skip
    assert json.loads(out.read_text())["verdict"] == "COMPOUND_HET_PHASE_UNKNOWN"
