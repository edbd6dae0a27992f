"""Biallelic verdicts: one tiny VCF per verdict and per phase source."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import REPO, write_vcf

from trpm6_hsh.inheritance import call_biallelic_status
from trpm6_hsh.tsv import write_table

MODEL = REPO / "resources" / "GRCh38" / "trpm6_mane_select.gff3"
QC = {"min_dp": 10, "min_gq": 20, "het_allele_balance": [0.2, 0.8], "hom_min_allele_balance": 0.85}

# Sites on chr9 inside TRPM6 (positions only matter for overlap with the deletion record).
STOP = "chr9 74842100 . C T"  # qualifying LoF
FRAMESHIFT = "chr9 74827800 . AG A"  # qualifying LoF
MISSENSE = "chr9 74800300 . G A"  # VUS
SYNONYMOUS = "chr9 74820400 . G A"  # likely benign
DELETION = "chr9 74842000 . N <DEL>"
CLASSES = {
    ("74842100", "C", "T"): ("Likely pathogenic", "true", "false"),
    ("74827800", "AG", "A"): ("Pathogenic", "true", "false"),
    ("74800300", "G", "A"): ("Uncertain significance", "false", "true"),
    ("74820400", "G", "A"): ("Likely benign", "false", "false"),
}
FMT = "GT:DP:GQ:AD"
HET = "0/1:30:99:15,15"
HOM = "1/1:30:99:0,30"
REF = "0/0:30:99:30,0"


def _table(path: Path) -> Path:
    rows = [
        {"chrom": "chr9", "pos": pos, "ref": ref, "alt": alt, "classification": c, "qualifying": q, "candidate_vus": v}
        for (pos, ref, alt), (c, q, v) in CLASSES.items()
    ]
    write_table(path, ["chrom", "pos", "ref", "alt", "classification", "qualifying", "candidate_vus"], rows)
    return path


def verdict_of(tmp_path: Path, samples: list[str], records: list[str], proband="P1", **parents) -> dict:
    vcf = write_vcf(tmp_path / "batch.vcf", samples, records)
    table = _table(tmp_path / "batch.variants.tsv")
    out = tmp_path / "verdict.json"
    sample = {"sample_id": proband, "paternal_id": parents.get("father", ""), "maternal_id": parents.get("mother", "")}
    call_biallelic_status(
        sample=sample,
        family_batches={member: "batch" for member in samples},
        locus_vcfs=[vcf],
        variant_tables=[table],
        genotype_qc=QC,
        model=MODEL,
        out=out,
    )
    return json.loads(out.read_text())


def test_homozygous_lof(tmp_path):
    result = verdict_of(tmp_path, ["P1"], [f"{STOP} . PASS . {FMT} {HOM}"])
    assert result["verdict"] == "HOMOZYGOUS"
    assert result["pm3"][0]["code"] == "PM3_Supporting"
    assert result["variants"][0]["zygosity"] == "homozygous"


def test_compound_het_in_trans_read_backed(tmp_path):
    records = [
        f"{FRAMESHIFT} . PASS . GT:DP:GQ:AD:PS 0|1:30:99:15,15:500",
        f"{STOP} . PASS . GT:DP:GQ:AD:PS 1|0:30:99:15,15:500",
    ]
    result = verdict_of(tmp_path, ["P1"], records)
    assert result["verdict"] == "COMPOUND_HET_TRANS"
    assert result["pairs"][0]["phase_source"] == "read_backed"
    assert {v["phase"] for v in result["variants"]} == {"trans"}


def test_phased_genotypes_in_different_phase_sets_are_not_phased(tmp_path):
    records = [
        f"{FRAMESHIFT} . PASS . GT:DP:GQ:AD:PS 0|1:30:99:15,15:500",
        f"{STOP} . PASS . GT:DP:GQ:AD:PS 1|0:30:99:15,15:900",
    ]
    assert verdict_of(tmp_path, ["P1"], records)["verdict"] == "COMPOUND_HET_PHASE_UNKNOWN"


def test_compound_het_in_trans_from_parents(tmp_path):
    records = [f"{FRAMESHIFT} . PASS . {FMT} {HET} {HET} {REF}", f"{STOP} . PASS . {FMT} {HET} {REF} {HET}"]
    result = verdict_of(tmp_path, ["P1", "FA", "MO"], records, father="FA", mother="MO")
    assert result["verdict"] == "COMPOUND_HET_TRANS"
    assert result["pairs"][0]["phase_source"] == "parental"
    assert result["pm3"] and all(item["code"] for item in result["pm3"])


def test_in_trans_by_reads_and_parents_is_both(tmp_path):
    records = [
        f"{FRAMESHIFT} . PASS . GT:DP:GQ:AD:PS 0|1:30:99:15,15:7 {HET}:. {REF}:.",
        f"{STOP} . PASS . GT:DP:GQ:AD:PS 1|0:30:99:15,15:7 {REF}:. {HET}:.",
    ]
    result = verdict_of(tmp_path, ["P1", "FA", "MO"], records, father="FA", mother="MO")
    assert result["verdict"] == "COMPOUND_HET_TRANS"
    assert result["pairs"][0]["phase_source"] == "both"


def test_two_hets_phase_unknown(tmp_path):
    result = verdict_of(tmp_path, ["P1"], [f"{FRAMESHIFT} . PASS . {FMT} {HET}", f"{STOP} . PASS . {FMT} {HET}"])
    assert result["verdict"] == "COMPOUND_HET_PHASE_UNKNOWN"
    assert result["pairs"][0]["phase_source"] == "unknown"
    assert all(item["code"] == "PM3_Supporting" for item in result["pm3"])


def test_two_hets_in_cis(tmp_path):
    records = [
        f"{FRAMESHIFT} . PASS . GT:DP:GQ:AD:PS 1|0:30:99:15,15:5",
        f"{STOP} . PASS . GT:DP:GQ:AD:PS 1|0:30:99:15,15:5",
    ]
    result = verdict_of(tmp_path, ["P1"], records)
    assert result["verdict"] == "CIS_NOT_BIALLELIC"
    assert result["pairs"][0]["phase"] == "cis"


def test_both_from_one_parent_is_cis(tmp_path):
    records = [f"{FRAMESHIFT} . PASS . {FMT} {HET} {HET} {REF}", f"{STOP} . PASS . {FMT} {HET} {HET} {REF}"]
    result = verdict_of(tmp_path, ["P1", "FA", "MO"], records, father="FA", mother="MO")
    assert result["verdict"] == "CIS_NOT_BIALLELIC"
    assert result["pairs"][0]["phase_source"] == "parental"


def test_qualifying_plus_vus(tmp_path):
    result = verdict_of(tmp_path, ["P1"], [f"{MISSENSE} . PASS . {FMT} {HET}", f"{STOP} . PASS . {FMT} {HET}"])
    assert result["verdict"] == "QUALIFYING_PLUS_VUS"


def test_single_het_is_carrier(tmp_path):
    result = verdict_of(tmp_path, ["P1"], [f"{STOP} . PASS . {FMT} {HET}", f"{SYNONYMOUS} . PASS . {FMT} {HET}"])
    assert result["verdict"] == "CARRIER"


def test_missense_vus_alone_never_positive(tmp_path):
    result = verdict_of(tmp_path, ["P1"], [f"{MISSENSE} . PASS . {FMT} {HOM}"])
    assert result["verdict"] == "NEGATIVE"


def test_homozygous_over_deletion_is_possible_hemizygous(tmp_path):
    records = [f"{DELETION} . PASS SVTYPE=DEL;END=74842500 GT 0/1", f"{STOP} . PASS . {FMT} {HOM}"]
    result = verdict_of(tmp_path, ["P1"], records)
    assert result["verdict"] == "POSSIBLE_HEMIZYGOUS"
    assert "deletion" in " ".join(result["evidence"])


def test_homozygous_not_carried_by_a_parent_is_possible_hemizygous(tmp_path):
    result = verdict_of(
        tmp_path, ["P1", "FA", "MO"], [f"{STOP} . PASS . {FMT} {HOM} {HET} {REF}"], father="FA", mother="MO"
    )
    assert result["verdict"] == "POSSIBLE_HEMIZYGOUS"
    assert "MO does not carry" in " ".join(result["evidence"])


def test_nothing_qualifying_is_negative_and_lists_unknown_callability(tmp_path):
    result = verdict_of(tmp_path, ["P1"], [f"{SYNONYMOUS} . PASS . {FMT} {HET}"])
    assert result["verdict"] == "NEGATIVE"
    assert len(result["not_assessed"]) == 39
    assert {item["status"] for item in result["not_assessed"]} == {"unknown"}


def test_all_no_calls_is_not_assessable(tmp_path):
    records = [f"{STOP} . PASS . GT:DP:GQ:AD ./.:.:.:.", f"{SYNONYMOUS} . PASS . GT ./."]
    assert verdict_of(tmp_path, ["P1"], records)["verdict"] == "NOT_ASSESSABLE"


def test_low_quality_call_is_kept_but_not_used(tmp_path):
    result = verdict_of(tmp_path, ["P1"], [f"{STOP} . PASS . GT:DP:GQ:AD 1/1:4:99:0,4"])
    assert result["verdict"] == "NEGATIVE"
    assert result["variants"][0]["qc_pass"] is False
    assert "DP=4<10" in result["variants"][0]["qc_failures"]
    assert "failed genotype QC" in " ".join(result["evidence"])


def test_filtered_record_fails_qc(tmp_path):
    result = verdict_of(tmp_path, ["P1"], [f"{STOP} . LowQual . {FMT} {HOM}"])
    assert result["verdict"] == "NEGATIVE"
    assert result["variants"][0]["qc_failures"] == ["FILTER=LowQual"]


def test_allele_balance_out_of_range_fails_het(tmp_path):
    result = verdict_of(tmp_path, ["P1"], [f"{STOP} . PASS . GT:DP:GQ:AD 0/1:40:99:38,2"])
    assert result["verdict"] == "NEGATIVE"
