"""A sample's structural-variant / copy-number VCF (sheet column ``sv_vcf``) joins its small-variant calls.

Rules and their tests:
- a qualifying het small variant and a qualifying het deletion from the sv_vcf are two qualifying hets of
  unknown phase (test_het_stop_and_het_deletion_from_the_sv_vcf_is_compound_het_phase_unknown);
- ``<CN1>`` without a genotype is a heterozygous deletion, ``<CN0>`` a homozygous one
  (test_cn1_without_genotype_is_a_heterozygous_deletion, test_cn0_is_a_homozygous_deletion);
- ``<DUP>`` is shown, not loss of function unless classified so (test_duplication_is_shown_not_lof);
- CIPOS / CIEND travel as sv_start_range / sv_end_range and an evidence line (test_imprecise_breakpoints_...);
- an SV VCF with no calls at the locus changes nothing (test_sv_vcf_without_calls_in_the_locus_changes_nothing);
- the run plan makes the sv_vcf its own batch and the verdict reads both (test_run_plan_...), and the workflow
  runs it end to end (test_workflow_with_an_sv_vcf_column, marked workflow).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from conftest import REPO, VCF_HEADER
from test_inheritance import FMT, HET, MODEL, QC, STOP, _checked_document
from test_runplan import _config as runplan_config

from trpm6_hsh.config import Sample, batch_id_for, load_samples
from trpm6_hsh.inheritance import call_biallelic_status
from trpm6_hsh.runplan import plan_run
from trpm6_hsh.tsv import write_table

SV_HEADER = VCF_HEADER + (
    '##ALT=<ID=DEL,Description="Deletion">\n'
    '##ALT=<ID=DUP,Description="Duplication">\n'
    '##ALT=<ID=CN0,Description="Copy number 0">\n'
    '##ALT=<ID=CN1,Description="Copy number 1">\n'
    '##INFO=<ID=SVLEN,Number=.,Type=Integer,Description="SV length">\n'
    '##INFO=<ID=CIPOS,Number=2,Type=Integer,Description="Confidence interval around POS">\n'
    '##INFO=<ID=CIEND,Number=2,Type=Integer,Description="Confidence interval around END">\n'
    '##FORMAT=<ID=CN,Number=1,Type=Integer,Description="Copy number">\n'
)
# A deletion of other exons than the stop's (74842100), and the classes variants.tsv gives them.
DELETION = "chr9 74770903 . A <DEL> . PASS SVTYPE=DEL;END=74772835;SVLEN=-1932"
COLUMNS = ["chrom", "pos", "ref", "alt", "classification", "qualifying", "candidate_vus"]
STOP_ROW = {"chrom": "chr9", "pos": "74842100", "ref": "C", "alt": "T", "classification": "Likely pathogenic",
            "qualifying": "true", "candidate_vus": "false"}  # fmt: skip


def _vcf(path: Path, sample: str, records: list[str]) -> Path:
    columns = "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t" + sample
    body = "".join("\t".join(line.split()) + "\n" for line in records)
    path.write_text(SV_HEADER + columns + "\n" + body)
    return path


def _sv_row(alt: str, classification="Pathogenic", qualifying="true") -> dict[str, str]:
    return {"chrom": "chr9", "pos": "74770903", "ref": "A", "alt": alt, "classification": classification,
            "qualifying": qualifying, "candidate_vus": "false"}  # fmt: skip


def _verdict(tmp_path: Path, small: list[str], sv: list[str] | None, sv_rows=(), affected=None) -> dict:
    """KID's verdict from its small-variant batch and (when ``sv`` is given) its SV batch."""
    small_vcf = _vcf(tmp_path / "small.vcf", "KID", small)
    write_table(tmp_path / "small.variants.tsv", COLUMNS, [STOP_ROW])
    locus, tables, batches = [small_vcf], [tmp_path / "small.variants.tsv"], ["small"]
    if sv is not None:
        locus.append(_vcf(tmp_path / "sv.vcf", "KID", sv))
        write_table(tmp_path / "sv.variants.tsv", COLUMNS, list(sv_rows))
        tables.append(tmp_path / "sv.variants.tsv")
        batches.append("sv")
    out = tmp_path / "KID.verdict.json"
    sample = Sample("KID", str(small_vcf), sv_vcf=str(tmp_path / "sv.vcf") if sv is not None else "")
    call_biallelic_status(sample, {"KID": batches}, locus, tables, QC, MODEL, out)
    return _checked_document(out)


def _by_alt(document: dict) -> dict[str, dict]:
    return {variant["alt"]: variant for variant in document["variants"]}


def test_het_stop_and_het_deletion_from_the_sv_vcf_is_compound_het_phase_unknown(tmp_path):
    result = _verdict(tmp_path, [f"{STOP} . PASS . {FMT} {HET}"], [f"{DELETION} GT 0/1"], [_sv_row("<DEL>")])
    assert result["verdict"] == "COMPOUND_HET_PHASE_UNKNOWN"
    assert {v["alt"]: v["zygosity"] for v in result["variants"]} == {"T": "heterozygous", "<DEL>": "heterozygous"}
    assert result["pairs"][0]["phase"] == "unknown"
    assert any(line.startswith("chr9:74842100C>T and chr9:74770903A><DEL>: unknown") or
               line.startswith("chr9:74770903A><DEL> and chr9:74842100C>T: unknown")
               for line in result["evidence"])  # fmt: skip


def test_cn1_without_genotype_is_a_heterozygous_deletion(tmp_path):
    cn1 = "chr9 74770903 . A <CN1> . PASS SVTYPE=CNV;END=74772835"
    result = _verdict(tmp_path, [f"{STOP} . PASS . {FMT} {HET}"], [f"{cn1} GT ./."], [_sv_row("<CN1>")])
    deletion = _by_alt(result)["<CN1>"]
    assert deletion["zygosity"] == "heterozygous"
    assert deletion["genotype"] == "./. (CN=1)"
    assert result["verdict"] == "COMPOUND_HET_PHASE_UNKNOWN"


def test_cn0_is_a_homozygous_deletion(tmp_path):
    cn0 = "chr9 74770903 . A <CN0> . PASS SVTYPE=CNV;END=74772835"
    result = _verdict(tmp_path, [], [f"{cn0} GT 1"], [_sv_row("<CN0>")])
    assert _by_alt(result)["<CN0>"]["zygosity"] == "homozygous"
    assert result["verdict"] == "HOMOZYGOUS"


def test_cn1_with_a_reference_genotype_is_not_carried(tmp_path):
    cn1 = "chr9 74770903 . A <CN1> . PASS SVTYPE=CNV;END=74772835"
    result = _verdict(tmp_path, [f"{STOP} . PASS . {FMT} {HET}"], [f"{cn1} GT 0/0"], [_sv_row("<CN1>")])
    assert "<CN1>" not in _by_alt(result)
    assert result["verdict"] == "CARRIER"


def test_duplication_is_shown_not_lof(tmp_path):
    dup = "chr9 74770903 . A <DUP> . PASS SVTYPE=DUP;END=74772835"
    result = _verdict(tmp_path, [f"{STOP} . PASS . {FMT} {HET}"], [f"{dup} GT 0/1"], [])
    shown = _by_alt(result)["<DUP>"]
    assert shown["classification"] == "Not classified" and shown["qualifying"] == "false"
    assert shown["consequence"] == "structural_variant"
    assert result["verdict"] == "CARRIER"


def test_imprecise_breakpoints_travel_as_ranges_and_are_said(tmp_path):
    imprecise = DELETION + ";CIPOS=-100,50;CIEND=-20,200"
    result = _verdict(tmp_path, [f"{STOP} . PASS . {FMT} {HET}"], [f"{imprecise} GT 0/1"], [_sv_row("<DEL>")])
    deletion = _by_alt(result)["<DEL>"]
    assert deletion["sv_start_range"] == [74770803, 74770953]
    assert deletion["sv_end_range"] == [74772815, 74773035]
    assert _by_alt(result)["T"]["sv_start_range"] is None
    assert (
        "chr9:74770903A><DEL>: imprecise breakpoints (start within 74,770,803-74,770,953, end within "
        "74,772,815-74,773,035): the exons it removes are uncertain at its edges; confirm by an orthogonal "
        "method (MLPA, array or long reads)"
    ) in result["evidence"]


def test_sv_vcf_without_calls_in_the_locus_changes_nothing(tmp_path):
    (tmp_path / "alone").mkdir()
    (tmp_path / "joined").mkdir()
    alone = _verdict(tmp_path / "alone", [f"{STOP} . PASS . {FMT} {HET}"], None)
    joined = _verdict(tmp_path / "joined", [f"{STOP} . PASS . {FMT} {HET}"], [])
    assert alone["verdict"] == joined["verdict"] == "CARRIER"
    assert alone["evidence"] == joined["evidence"]
    assert alone["variants"] == joined["variants"]
    assert (alone["locus_records"], alone["locus_no_calls"]) == (joined["locus_records"], joined["locus_no_calls"])


def test_run_plan_makes_the_sv_vcf_its_own_batch_and_the_verdict_reads_both(tmp_path):
    small, sv = tmp_path / "kid.vcf", tmp_path / "kid.sv.vcf"
    for path in (small, sv):
        _vcf(path, "KID", [])
    sheet = tmp_path / "samples.tsv"
    sheet.write_text(f"sample_id\tvcf\tsv_vcf\nKID\t{small}\t{sv}\n")
    samples = load_samples(sheet, REPO / "workflow" / "schemas" / "samples.schema.yaml")
    assert samples[0].sv_vcf == str(sv)
    plan = plan_run(runplan_config(), samples, REPO / "resources")
    small_batch, sv_batch = batch_id_for(str(small)), batch_id_for(str(sv))
    assert plan.batch_vcfs == {small_batch: str(small), sv_batch: str(sv)}
    assert plan.batch_of_sample == {"KID": small_batch}
    assert plan.batches_of("KID") == [small_batch, sv_batch]
    assert plan.stage_files_of(["KID"], "results/locus/{batch}.vcf.gz") == sorted(
        [f"results/locus/{small_batch}.vcf.gz", f"results/locus/{sv_batch}.vcf.gz"]
    )
    assert set(plan.batches) == {small_batch, sv_batch}
    assert sv_batch not in plan.cohort_batches


def test_a_missing_sv_vcf_stops_at_the_sheet(tmp_path):
    from trpm6_hsh.errors import ConfigError

    small = _vcf(tmp_path / "kid.vcf", "KID", [])
    sheet = tmp_path / "samples.tsv"
    sheet.write_text(f"sample_id\tvcf\tsv_vcf\nKID\t{small}\t{tmp_path / 'nowhere.vcf'}\n")
    with pytest.raises(ConfigError, match="SV/CNV VCF .*nowhere.vcf.* does not exist"):
        load_samples(sheet, REPO / "workflow" / "schemas" / "samples.schema.yaml")


@pytest.mark.workflow
def test_workflow_with_an_sv_vcf_column(tmp_path):
    from test_workflow import DEMO, snakemake

    demo_header = "".join(
        line + "\n"
        for line in [
            "##fileformat=VCFv4.2",
            "##contig=<ID=chr9,length=138394717>",
            '##ALT=<ID=DEL,Description="Deletion">',
            '##INFO=<ID=AF,Number=A,Type=Float,Description="Population allele frequency">',
            '##INFO=<ID=SVTYPE,Number=1,Type=String,Description="Type of structural variant">',
            '##INFO=<ID=SVLEN,Number=.,Type=Integer,Description="SV length">',
            '##INFO=<ID=END,Number=1,Type=Integer,Description="End position">',
            '##INFO=<ID=CIPOS,Number=2,Type=Integer,Description="Confidence interval around POS">',
            '##INFO=<ID=CIEND,Number=2,Type=Integer,Description="Confidence interval around END">',
            '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
            '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Read depth">',
            '##FORMAT=<ID=GQ,Number=1,Type=Integer,Description="Genotype quality">',
            '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">',
            "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tSVKID",
        ]
    )
    small = tmp_path / "svkid.vcf"
    small.write_text(demo_header + "chr9\t74842198\t.\tG\tA\t.\tPASS\tAF=1.6e-05\tGT:DP:GQ:AD\t0/1:41:86:20,21\n")
    sv = tmp_path / "svkid.sv.vcf"
    sv.write_text(
        demo_header + "chr9\t74770903\t.\tA\t<DEL>\t.\tPASS\tEND=74772835;SVTYPE=DEL;SVLEN=-1932;CIPOS=-50,50;"
        "CIEND=-50,50\tGT:DP:GQ:AD\t0/1:47:97:24,23\n"
    )
    workdir = tmp_path / "run"
    workdir.mkdir()
    (workdir / "samples.tsv").write_text(
        f"sample_id\tvcf\tsv_vcf\taffected\nSVKID\t{small}\t{sv}\ttrue\n"
    )
    config = {
        "samples": str(workdir / "samples.tsv"),
        "reference": {"fasta": str(DEMO / "synthetic_trpm6_locus.GRCh38.fa.gz"), "build": "GRCh38"},
        "population": {"info_fields": ["AF"]},
    }
    (workdir / "config.yaml").write_text(yaml.safe_dump(config))
    result = snakemake(workdir, workdir / "config.yaml")
    assert result.returncode == 0, result.stderr[-3000:]
    verdict = json.loads((workdir / "results" / "inheritance" / "SVKID.verdict.json").read_text())
    assert verdict["verdict"] == "COMPOUND_HET_PHASE_UNKNOWN"
    by_alt = {variant["alt"]: variant for variant in verdict["variants"]}
    assert by_alt["<DEL>"]["qualifying"] == "true"
    assert by_alt["<DEL>"]["sv_start_range"] == [74770853, 74770953]
    report = json.loads((workdir / "results" / "reports" / "SVKID.report.json").read_text())
    assert report["verdict"] == "COMPOUND_HET_PHASE_UNKNOWN"
    assert any("imprecise breakpoints" in line for line in report["verdict_evidence"])
    assert (workdir / "results" / "locus" / f"{batch_id_for(str(sv))}.vcf.gz").is_file()
