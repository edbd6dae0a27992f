"""Biallelic verdicts: one tiny VCF per verdict and per phase source.

Where each is shown (the VCF lines are in the test; parents come from the sample record or sheet):
HOMOZYGOUS test_homozygous_lof; COMPOUND_HET_TRANS test_compound_het_in_trans_read_backed (read_backed),
test_compound_het_in_trans_from_parents (parental), test_in_trans_by_reads_and_parents_is_both (both);
COMPOUND_HET_PHASE_UNKNOWN test_two_hets_phase_unknown (unknown); CIS_NOT_BIALLELIC test_two_hets_in_cis,
test_both_from_one_parent_is_cis; QUALIFYING_PLUS_VUS test_qualifying_plus_vus; CARRIER
test_single_het_is_carrier; POSSIBLE_HEMIZYGOUS test_homozygous_over_deletion_is_possible_hemizygous,
test_homozygous_not_carried_by_a_parent_is_possible_hemizygous, test_cnv_record_with_one_copy_...;
NEGATIVE test_nothing_qualifying_is_negative_and_lists_unknown_callability; NOT_ASSESSABLE
test_all_no_calls_is_not_assessable (gVCF and BAM cases are in test_callability.py).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import jsonschema
from conftest import REPO, write_vcf

from trpm6_hsh.config import LabValues, Sample
from trpm6_hsh.inheritance import VERDICT_RULES, call_biallelic_status, read_verdict, sample_from_record
from trpm6_hsh.inheritance.verdict import locus_not_assessable, nothing_qualifying
from trpm6_hsh.tsv import write_table

MODEL = REPO / "resources" / "GRCh38" / "trpm6_mane_select.gff3"
QC = {"min_dp": 10, "min_gq": 20, "het_allele_balance": [0.2, 0.8], "hom_min_allele_balance": 0.85}

# Sites on chr9 inside TRPM6 (positions only matter for overlap with the deletion record).
STOP = "chr9 74842100 . C T"  # qualifying LoF
FRAMESHIFT = "chr9 74827800 . AG A"  # qualifying LoF
MISSENSE = "chr9 74800300 . G A"  # VUS
SYNONYMOUS = "chr9 74820400 . G A"  # likely benign
DELETION = "chr9 74842000 . N <DEL>"  # not in the classification table
QUALIFYING_DELETION = "chr9 74841900 . N <DEL>"
CLASSES = {
    ("74842100", "C", "T"): ("Likely pathogenic", "true", "false"),
    ("74827800", "AG", "A"): ("Pathogenic", "true", "false"),
    ("74800300", "G", "A"): ("Uncertain significance", "false", "true"),
    ("74820400", "G", "A"): ("Likely benign", "false", "false"),
    ("74841900", "N", "<DEL>"): ("Pathogenic", "true", "false"),  # QUALIFYING_DELETION: removes STOP's exon
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


VERDICT_SCHEMA = jsonschema.Draft202012Validator(
    json.loads((REPO / "workflow" / "schemas" / "verdict.schema.json").read_text())
)


def _checked_document(path: Path) -> dict:
    """The verdict JSON at ``path``, after checking it against the schema and that it reads back unchanged."""
    document = json.loads(path.read_text())
    VERDICT_SCHEMA.validate(document)
    typed = read_verdict(path)
    assert typed.to_json() == document
    copy = path.with_name(path.name + ".again")
    typed.write(copy)
    assert copy.read_bytes() == path.read_bytes() and read_verdict(copy) == typed
    return document


def verdict_of(
    tmp_path: Path, samples: list[str], records: list[str], proband="P1", alignment="", callability=None, **parents
) -> dict:
    vcf = write_vcf(tmp_path / "batch.vcf", samples, records)
    table = _table(tmp_path / "batch.variants.tsv")
    out = tmp_path / "verdict.json"
    sample = Sample(
        sample_id=proband,
        vcf=str(vcf),
        paternal_id=parents.get("father", ""),
        maternal_id=parents.get("mother", ""),
        alignment=alignment,
    )
    call_biallelic_status(
        sample=sample,
        family_batches={member: "batch" for member in samples},
        locus_vcfs=[vcf],
        variant_tables=[table],
        genotype_qc=QC,
        model=MODEL,
        out=out,
        callability=callability,
    )
    return _checked_document(out)


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


def test_homozygous_missense_vus_is_biallelic_vus_never_negative(tmp_path):
    result = verdict_of(tmp_path, ["P1"], [f"{MISSENSE} . PASS . {FMT} {HOM}"])
    assert result["verdict"] == "BIALLELIC_VUS"
    evidence = " ".join(result["evidence"])
    assert "homozygous (1/1), Uncertain significance" in evidence
    assert "inconclusive" in result["verdict_text"] and "not negative" in result["verdict_text"]


def test_heterozygous_missense_vus_alone_is_negative(tmp_path):
    result = verdict_of(tmp_path, ["P1"], [f"{MISSENSE} . PASS . {FMT} {HET}"])
    assert result["verdict"] == "NEGATIVE"
    assert "not qualifying on its own" in " ".join(result["evidence"])


def test_homozygous_qualifying_inside_a_called_heterozygous_deletion_is_trans_by_deletion(tmp_path):
    records = [f"{QUALIFYING_DELETION} . PASS SVTYPE=DEL;END=74842500 GT 0/1", f"{STOP} . PASS . {FMT} {HOM}"]
    result = verdict_of(tmp_path, ["P1"], records)
    assert result["verdict"] == "COMPOUND_HET_TRANS"
    (pair,) = result["pairs"]
    assert pair["phase"] == "trans" and pair["phase_source"] == "deletion"
    evidence = " ".join(result["evidence"])
    assert "inside the heterozygous deletion" in evidence and "orthogonal method" in evidence
    assert any("confirm the deletion by an orthogonal method" in item for item in result["extra_recommendations"])


def test_homozygous_inside_a_low_quality_deletion_stays_possible_hemizygous(tmp_path):
    records = [f"{QUALIFYING_DELETION} . LowQual SVTYPE=DEL;END=74842500 GT 0/1", f"{STOP} . PASS . {FMT} {HOM}"]
    result = verdict_of(tmp_path, ["P1"], records)
    assert result["verdict"] == "POSSIBLE_HEMIZYGOUS"
    assert "a low-quality deletion call" in " ".join(result["evidence"])


def test_homozygous_inside_an_unclassified_deletion_stays_possible_hemizygous(tmp_path):
    records = [f"{DELETION} . PASS SVTYPE=DEL;END=74842500 GT 0/1", f"{STOP} . PASS . {FMT} {HOM}"]
    result = verdict_of(tmp_path, ["P1"], records)
    assert result["verdict"] == "POSSIBLE_HEMIZYGOUS"
    assert "chr9:74842000N><DEL>" in " ".join(result["evidence"])


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


# ------------------------------------------------------------------ genotype QC


def test_missing_dp_gq_ad_are_shown_as_not_available(tmp_path):
    result = verdict_of(tmp_path, ["P1"], [f"{STOP} . PASS . GT 1/1"])
    assert result["verdict"] == "HOMOZYGOUS"
    variant = result["variants"][0]
    assert variant["qc_status"] == "pass_incomplete"
    assert variant["qc_notes"] == [
        "DP not available",
        "GQ not available",
        "AD not available: allele balance not checked",
    ]
    assert any("QC incomplete" in line and "DP not available" in line for line in result["evidence"])


def test_complete_qc_has_no_notes(tmp_path):
    variant = verdict_of(tmp_path, ["P1"], [f"{STOP} . PASS . {FMT} {HOM}"])["variants"][0]
    assert variant["qc_status"] == "pass" and variant["qc_notes"] == []


def test_homozygous_call_with_low_alt_fraction_fails(tmp_path):
    result = verdict_of(tmp_path, ["P1"], [f"{STOP} . PASS . GT:DP:GQ:AD 1/1:30:99:10,20"])
    assert result["verdict"] == "NEGATIVE"
    assert result["variants"][0]["qc_failures"] == ["AB=0.67<0.85 for a homozygous call"]


def test_low_gq_fails(tmp_path):
    result = verdict_of(tmp_path, ["P1"], [f"{STOP} . PASS . GT:DP:GQ:AD 1/1:30:5:0,30"])
    assert result["variants"][0]["qc_failures"] == ["GQ=5<20"]
    assert result["verdict"] == "NEGATIVE"


# ------------------------------------------------------------------ phase


def test_phased_genotypes_without_phase_set_are_not_compared(tmp_path):
    records = [f"{FRAMESHIFT} . PASS . {FMT} 0|1:30:99:15,15", f"{STOP} . PASS . {FMT} 1|0:30:99:15,15"]
    result = verdict_of(tmp_path, ["P1"], records)
    assert result["verdict"] == "COMPOUND_HET_PHASE_UNKNOWN"
    assert "without a phase set" in result["pairs"][0]["detail"]


def test_reads_and_parents_disagreeing_is_unknown(tmp_path):
    records = [
        f"{FRAMESHIFT} . PASS . GT:DP:GQ:AD:PS 1|0:30:99:15,15:7 {HET}:. {REF}:.",
        f"{STOP} . PASS . GT:DP:GQ:AD:PS 1|0:30:99:15,15:7 {REF}:. {HET}:.",
    ]
    result = verdict_of(tmp_path, ["P1", "FA", "MO"], records, father="FA", mother="MO")
    assert result["verdict"] == "COMPOUND_HET_PHASE_UNKNOWN"
    assert result["pairs"][0]["detail"].startswith("conflict: reads say cis")


def test_parent_failing_qc_cannot_phase(tmp_path):
    low = "0/1:4:99:2,2"
    records = [f"{FRAMESHIFT} . PASS . {FMT} {HET} {low} {REF}", f"{STOP} . PASS . {FMT} {HET} {REF} {HET}"]
    result = verdict_of(tmp_path, ["P1", "FA", "MO"], records, father="FA", mother="MO")
    assert result["verdict"] == "COMPOUND_HET_PHASE_UNKNOWN"
    assert "failed QC" in result["pairs"][0]["detail"]


# ------------------------------------------------------------------ trios: transmission, de novo, Mendelian checks


def test_de_novo_variant_is_noted_and_not_phased_by_parents(tmp_path):
    records = [f"{FRAMESHIFT} . PASS . {FMT} {HET} {REF} {REF}", f"{STOP} . PASS . {FMT} {HET} {HET} {REF}"]
    result = verdict_of(tmp_path, ["P1", "FA", "MO"], records, father="FA", mother="MO")
    assert result["verdict"] == "COMPOUND_HET_PHASE_UNKNOWN"
    assert result["de_novo"] == ["chr9:74827800AG>A"]
    by_pos = {v["pos"]: v for v in result["variants"]}
    assert by_pos[74827800]["transmission"] == "de_novo"
    assert by_pos[74842100]["transmission"] == "inherited" and "FA" in by_pos[74842100]["transmission_detail"]
    assert any("de novo" in line for line in result["evidence"])


def test_mendelian_inconsistency_is_flagged(tmp_path):
    records = [f"{SYNONYMOUS} . PASS . {FMT} {REF} {HOM} {REF}", f"{STOP} . PASS . {FMT} {HET} {HOM} {HOM}"]
    result = verdict_of(tmp_path, ["P1", "FA", "MO"], records, father="FA", mother="MO")
    flagged = " ".join(result["mendelian_inconsistencies"])
    assert "chr9:74820400G>A: FA is homozygous" in flagged
    assert "both parents (FA, MO) are homozygous" in flagged
    assert any("Mendelian" in line for line in result["evidence"])


def test_consistent_trio_has_no_flags(tmp_path):
    records = [f"{FRAMESHIFT} . PASS . {FMT} {HET} {HET} {REF}", f"{STOP} . PASS . {FMT} {HET} {REF} {HET}"]
    result = verdict_of(tmp_path, ["P1", "FA", "MO"], records, father="FA", mother="MO")
    assert result["mendelian_inconsistencies"] == [] and result["de_novo"] == []


def _family_sheet_run(tmp_path, vcfs: dict[str, Path], sample: Sample) -> dict:
    table = _table(tmp_path / "shared.variants.tsv")
    tables = []
    for batch in set(vcfs.values()):
        copy = tmp_path / f"{batch.name.removesuffix('.vcf')}.variants.tsv"
        copy.write_text(table.read_text())
        tables.append(copy)
    out = tmp_path / f"{sample.sample_id}.verdict.json"
    call_biallelic_status(
        sample=sample,
        family_batches={member: path.name.removesuffix(".vcf") for member, path in vcfs.items()},
        locus_vcfs=sorted(set(vcfs.values())),
        variant_tables=tables,
        genotype_qc=QC,
        model=MODEL,
        out=out,
    )
    return _checked_document(out)


def test_single_sample_vcfs_of_a_family_are_joined_through_the_sheet(tmp_path):
    child = write_vcf(
        tmp_path / "child.vcf", ["KID"], [f"{FRAMESHIFT} . PASS . {FMT} {HET}", f"{STOP} . PASS . {FMT} {HET}"]
    )
    # Each parent's VCF lists both sites (a 0/0 record is a call; a site absent from a plain VCF is not:
    # tests/test_phase_honesty.py shows that case).
    father = write_vcf(
        tmp_path / "dad.vcf", ["DAD"], [f"{FRAMESHIFT} . PASS . {FMT} {HET}", f"{STOP} . PASS . {FMT} {REF}"]
    )
    mother = write_vcf(
        tmp_path / "mum.vcf", ["MUM"], [f"{FRAMESHIFT} . PASS . {FMT} {REF}", f"{STOP} . PASS . {FMT} {HET}"]
    )
    sample = Sample("KID", "kid.vcf", paternal_id="DAD", maternal_id="MUM")
    result = _family_sheet_run(tmp_path, {"KID": child, "DAD": father, "MUM": mother}, sample)
    assert result["verdict"] == "COMPOUND_HET_TRANS"
    assert result["pairs"][0]["phase_source"] == "parental"
    assert result["variants"][0]["parental_genotypes"]["MUM"] == "0/0"


def test_multi_sample_vcf_with_two_families(tmp_path):
    samples = ["K1", "F1", "M1", "K2", "F2", "M2"]
    records = [
        f"{FRAMESHIFT} . PASS . {FMT} {HET} {HET} {REF} {HET} {HET} {REF}",
        f"{STOP} . PASS . {FMT} {HET} {REF} {HET} {HET} {HET} {REF}",
    ]
    vcf = write_vcf(tmp_path / "joint.vcf", samples, records)
    batches = dict.fromkeys(samples, vcf)
    first = _family_sheet_run(tmp_path, batches, Sample("K1", "k1.vcf", paternal_id="F1", maternal_id="M1"))
    second = _family_sheet_run(tmp_path, batches, Sample("K2", "k2.vcf", paternal_id="F2", maternal_id="M2"))
    assert first["verdict"] == "COMPOUND_HET_TRANS"
    assert second["verdict"] == "CIS_NOT_BIALLELIC"
    assert "both inherited from F2" in second["pairs"][0]["detail"]


# ------------------------------------------------------------------ PM3 (ClinGen SVI v1.0)


def _pm3(result: dict) -> dict[str, tuple[float, str, str]]:
    return {item["variant"]: (item["points"], item["code"], item["configuration"]) for item in result["pm3"]}


def test_pm3_in_trans_with_likely_pathogenic_is_one_point(tmp_path):
    records = [f"{FRAMESHIFT} . PASS . {FMT} {HET} {HET} {REF}", f"{STOP} . PASS . {FMT} {HET} {REF} {HET}"]
    result = verdict_of(tmp_path, ["P1", "FA", "MO"], records, father="FA", mother="MO")
    assert _pm3(result)["chr9:74827800AG>A"] == (1.0, "PM3", "in_trans_with_pathogenic")
    assert any("PM3," in line for line in result["evidence"])


def test_pm3_phase_unknown_is_half_a_point(tmp_path):
    result = verdict_of(tmp_path, ["P1"], [f"{FRAMESHIFT} . PASS . {FMT} {HET}", f"{STOP} . PASS . {FMT} {HET}"])
    assert set(_pm3(result).values()) == {(0.5, "PM3_Supporting", "phase_unknown_with_pathogenic")}


def test_pm3_with_a_vus_in_trans(tmp_path):
    records = [f"{MISSENSE} . PASS . {FMT} {HET} {HET} {REF}", f"{STOP} . PASS . {FMT} {HET} {REF} {HET}"]
    result = verdict_of(tmp_path, ["P1", "FA", "MO"], records, father="FA", mother="MO")
    assert result["verdict"] == "QUALIFYING_PLUS_VUS"
    points = _pm3(result)
    assert points["chr9:74800300G>A"] == (1.0, "PM3", "in_trans_with_pathogenic")
    assert points["chr9:74842100C>T"] == (0.25, "", "in_trans_with_vus")


def test_qualifying_with_vus_in_cis_is_carrier(tmp_path):
    records = [
        f"{MISSENSE} . PASS . GT:DP:GQ:AD:PS 0|1:30:99:15,15:5",
        f"{STOP} . PASS . GT:DP:GQ:AD:PS 0|1:30:99:15,15:5",
    ]
    result = verdict_of(tmp_path, ["P1"], records)
    assert result["verdict"] == "CARRIER"
    assert "in cis" in " ".join(result["evidence"])


# ------------------------------------------------------------------ deletions


def test_deletion_by_svtype_with_sequence_alleles(tmp_path):
    records = ["chr9 74842000 . NACGTACGT N . PASS SVTYPE=DEL;END=74842500 GT 0/1", f"{STOP} . PASS . {FMT} {HOM}"]
    result = verdict_of(tmp_path, ["P1"], records)
    assert result["verdict"] == "POSSIBLE_HEMIZYGOUS"


def test_deletion_elsewhere_does_not_flag(tmp_path):
    records = ["chr9 74900000 . N <DEL> . PASS SVTYPE=DEL;END=74901000 GT 0/1", f"{STOP} . PASS . {FMT} {HOM}"]
    assert verdict_of(tmp_path, ["P1"], records)["verdict"] == "HOMOZYGOUS"


def test_every_verdict_has_evidence_and_a_sentence(tmp_path):
    from trpm6_hsh.model import Verdict
    from trpm6_hsh.wording import VERDICT_WORDING

    assert set(VERDICT_WORDING) == set(Verdict)
    result = verdict_of(tmp_path, ["P1"], [f"{STOP} . PASS . {FMT} {HET}"])
    assert result["verdict_text"] == VERDICT_WORDING[Verdict.CARRIER].sentence and result["evidence"]


def test_parent_gvcf_without_coverage_at_a_site_cannot_phase(tmp_path):
    block = "GT:DP:GQ 0/0:30:60"
    child = write_vcf(
        tmp_path / "child.vcf", ["KID"], [f"{FRAMESHIFT} . PASS . {FMT} {HET}", f"{STOP} . PASS . {FMT} {HET}"]
    )
    # The father's gVCF covers the frameshift site (he carries it) but has a gap over the stop site.
    father = write_vcf(
        tmp_path / "dad.vcf",
        ["DAD"],
        [f"chr9 74800000 . N <NON_REF> . . END=74827799 {block}", f"{FRAMESHIFT} . PASS . {FMT} {HET}"],
    )
    # The mother's gVCF has a reference block over the frameshift site and carries the stop.
    mother = write_vcf(
        tmp_path / "mum.vcf",
        ["MUM"],
        [f"chr9 74800000 . N <NON_REF> . . END=74842099 {block}", f"{STOP} . PASS . {FMT} {HET}"],
    )
    sample = Sample("KID", "kid.vcf", paternal_id="DAD", maternal_id="MUM")
    result = _family_sheet_run(tmp_path, {"KID": child, "DAD": father, "MUM": mother}, sample)
    assert result["verdict"] == "COMPOUND_HET_PHASE_UNKNOWN"
    by_pos = {v["pos"]: v for v in result["variants"]}
    assert by_pos[74842100]["parental_genotypes"]["DAD"].startswith("not covered")
    assert by_pos[74827800]["parental_genotypes"]["MUM"] == "reference (gVCF block, DP 30)"


def test_parent_gvcf_reference_blocks_phase_in_trans(tmp_path):
    block = "GT:DP:GQ 0/0:30:60"
    child = write_vcf(
        tmp_path / "child.vcf", ["KID"], [f"{FRAMESHIFT} . PASS . {FMT} {HET}", f"{STOP} . PASS . {FMT} {HET}"]
    )
    father = write_vcf(
        tmp_path / "dad.vcf",
        ["DAD"],
        [
            f"chr9 74800000 . N <NON_REF> . . END=74827799 {block}",
            f"{FRAMESHIFT} . PASS . {FMT} {HET}",
            f"chr9 74827802 . N <NON_REF> . . END=74900000 {block}",
        ],
    )
    mother = write_vcf(
        tmp_path / "mum.vcf",
        ["MUM"],
        [f"chr9 74800000 . N <NON_REF> . . END=74842099 {block}", f"{STOP} . PASS . {FMT} {HET}"],
    )
    sample = Sample("KID", "kid.vcf", paternal_id="DAD", maternal_id="MUM")
    result = _family_sheet_run(tmp_path, {"KID": child, "DAD": father, "MUM": mother}, sample)
    assert result["verdict"] == "COMPOUND_HET_TRANS"
    assert result["pairs"][0]["phase_source"] == "parental"


def _with_cn_header(path: Path) -> Path:
    text = path.read_text().replace(
        "##FORMAT=<ID=PS", '##FORMAT=<ID=CN,Number=1,Type=Integer,Description="Copy number">\n##FORMAT=<ID=PS'
    )
    path.write_text(text)
    return path


def _cnv_verdict(tmp_path, copy_number: int) -> dict:
    records = [
        f"chr9 74842000 . N <CNV> . PASS SVTYPE=CNV;END=74842500 GT:CN ./.:{copy_number}",
        f"{STOP} . PASS . {FMT} {HOM}",
    ]
    vcf = _with_cn_header(write_vcf(tmp_path / "batch.vcf", ["P1"], records))
    table = _table(tmp_path / "batch.variants.tsv")
    out = tmp_path / "verdict.json"
    call_biallelic_status(Sample("P1", str(vcf)), {"P1": "batch"}, [vcf], [table], QC, MODEL, out)
    return json.loads(out.read_text())


def test_cnv_record_with_one_copy_over_a_homozygote_is_possible_hemizygous(tmp_path):
    result = _cnv_verdict(tmp_path, 1)
    assert result["verdict"] == "POSSIBLE_HEMIZYGOUS"
    assert "(CN=1)" in " ".join(result["evidence"])


def test_cnv_record_with_two_copies_does_not_flag(tmp_path):
    assert _cnv_verdict(tmp_path, 2)["verdict"] == "HOMOZYGOUS"


def test_trio_from_a_sample_sheet_with_one_vcf_per_member(tmp_path):
    """The workflow's path: PED columns of the sheet name the parents; each member's VCF is its own batch."""
    from trpm6_hsh.config import batch_id_for, load_samples

    inputs = {
        "KID": [f"{FRAMESHIFT} . PASS . {FMT} {HET}", f"{STOP} . PASS . {FMT} {HET}"],
        # each parent's VCF lists both sites: absent from a plain VCF would be 'not called', not 'not carried'
        "DAD": [f"{FRAMESHIFT} . PASS . {FMT} {REF}", f"{STOP} . PASS . {FMT} {HET}"],
        "MUM": [f"{FRAMESHIFT} . PASS . {FMT} {HET}", f"{STOP} . PASS . {FMT} {REF}"],
    }
    vcfs = {member: write_vcf(tmp_path / f"{member.lower()}.vcf", [member], lines) for member, lines in inputs.items()}
    sheet = tmp_path / "samples.tsv"
    sheet.write_text(
        "sample_id\tvcf\tfamily_id\tpaternal_id\tmaternal_id\tsex\taffected\n"
        f"KID\t{vcfs['KID']}\tF1\tDAD\tMUM\tfemale\ttrue\n"
        f"DAD\t{vcfs['DAD']}\tF1\t0\t0\tmale\tfalse\n"
        f"MUM\t{vcfs['MUM']}\tF1\t0\t0\tfemale\tfalse\n"
    )
    samples = {s.sample_id: s for s in load_samples(sheet, REPO / "workflow" / "schemas" / "samples.schema.yaml")}
    batches = {sample_id: batch_id_for(sample.vcf) for sample_id, sample in samples.items()}
    locus, tables = [], []
    for sample_id, batch in batches.items():  # what extract and classify would write per batch
        locus.append(tmp_path / f"{batch}.vcf")
        locus[-1].write_text(vcfs[sample_id].read_text())
        tables.append(_table(tmp_path / f"{batch}.variants.tsv"))
    out = tmp_path / "KID.verdict.json"
    call_biallelic_status(samples["KID"], batches, locus, tables, QC, MODEL, out)
    result = json.loads(out.read_text())
    assert result["verdict"] == "COMPOUND_HET_TRANS"
    assert result["pairs"][0]["phase_source"] == "parental"
    assert "from MUM" in result["pairs"][0]["detail"] and "from DAD" in result["pairs"][0]["detail"]


def test_a_clean_homozygote_decides_even_if_another_sits_over_a_deletion(tmp_path):
    records = [
        f"{DELETION} . PASS SVTYPE=DEL;END=74842500 GT 0/1",
        f"{FRAMESHIFT} . PASS . {FMT} {HOM}",
        f"{STOP} . PASS . {FMT} {HOM}",
    ]
    result = verdict_of(tmp_path, ["P1"], records)
    assert result["verdict"] == "HOMOZYGOUS"
    assert "chr9:74827800AG>A homozygous" in " ".join(result["evidence"])
    assert "chr9:74842100C>T appears homozygous" in " ".join(result["evidence"])


def test_verdict_documents_of_several_verdicts_match_the_schema_and_read_back(tmp_path):
    """verdict_of checks every document it reads; here one of each kind, including an unclassified deletion."""
    cases = {
        "HOMOZYGOUS": (["P1"], [f"{STOP} . PASS . {FMT} {HOM}"], {}),
        "POSSIBLE_HEMIZYGOUS": (
            ["P1"],
            [f"{DELETION} . PASS SVTYPE=DEL;END=74842500 GT 0/1", f"{STOP} . PASS . {FMT} {HOM}"],
            {},
        ),
        "COMPOUND_HET_TRANS": (
            ["P1", "FA", "MO"],
            [f"{STOP} . PASS . {FMT} {HET} {HET} {REF}", f"{FRAMESHIFT} . PASS . {FMT} {HET} {REF} {HET}"],
            {"father": "FA", "mother": "MO"},
        ),
        "NEGATIVE": (["P1"], [f"{SYNONYMOUS} . PASS . {FMT} {HET}"], {}),
        "NOT_ASSESSABLE": (["P1"], [f"{STOP} . PASS . {FMT} ./.:.:.:."], {}),
    }
    for expected, (samples, records, parents) in cases.items():
        folder = tmp_path / expected
        folder.mkdir()
        result = verdict_of(folder, samples, records, **parents)
        assert result["verdict"] == expected
    variants = json.loads((tmp_path / "POSSIBLE_HEMIZYGOUS" / "verdict.json").read_text())["variants"]
    unclassified = [variant for variant in variants if variant["classification"] == "Not classified"]
    assert unclassified and unclassified[0]["consequence"] == "structural_variant"


def test_a_workflow_sample_record_becomes_the_sheet_sample():
    sample = Sample("KID", "kid.vcf", "F1", "DAD", "MUM", "female", True, "kid.cram", LabValues(0.3, None, None))
    assert sample_from_record(asdict(sample)) == sample
    assert sample_from_record({"sample_id": "P1", "paternal_id": "0", "maternal_id": None}).parents == ()


def test_verdict_rules_start_with_assessability_and_end_with_the_rule_that_always_answers():
    assert VERDICT_RULES[0] is locus_not_assessable and VERDICT_RULES[-1] is nothing_qualifying
    assert len(set(VERDICT_RULES)) == len(VERDICT_RULES)
