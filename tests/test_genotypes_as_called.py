"""Genotypes as labs write them, through the real extract and inheritance stages.

A 1/2 call (two different ALT alleles at one position) is two heterozygous alleles in trans, phase
source genotype, with allele balance over the original record's reads; an exact duplicate record
counts once and is named; conflicting duplicates stop the run; non-diploid calls fail QC.
"""

from __future__ import annotations

import pytest
from genotype_helpers import verdicts_of, write_input_vcf
from test_extract import base

from trpm6_hsh.config import Sample
from trpm6_hsh.errors import InputError

POS = 300
REF = base(POS)
ALT1, ALT2, ALT3 = [b for b in "ACGT" if b != REF]
OTHER = 600  # a second, unrelated site
FMT = "GT:DP:GQ:AD"
PROBAND = [Sample(sample_id="P1", vcf="")]


def _verdict(tmp_path, records, classes, samples=("P1",), people=PROBAND):
    vcf = write_input_vcf(tmp_path / "in.vcf", samples, records)
    return verdicts_of(tmp_path / "run", vcf, people, classes)["P1"]


def _entry(document, alt):
    return next(entry for entry in document["variants"] if entry["alt"] == alt)


def test_het_alt_with_two_qualifying_alleles_is_compound_het_in_trans(tmp_path):
    records = [f"{{chrom}} {POS} . {REF} {ALT1},{ALT2} 50 PASS . {FMT} 1/2:40:99:0,20,20"]
    classes = {(POS, REF, ALT1): "Pathogenic", (POS, REF, ALT2): "Likely pathogenic"}
    document = _verdict(tmp_path, records, classes)
    assert document["verdict"] == "COMPOUND_HET_TRANS"
    assert [pair["phase_source"] for pair in document["pairs"]] == ["genotype"]
    assert [pair["phase"] for pair in document["pairs"]] == ["trans"]
    for alt in (ALT1, ALT2):
        entry = _entry(document, alt)
        assert entry["allele_balance"] == 0.5
        assert entry["zygosity"] == "heterozygous"
        assert entry["qc_pass"] is True
    assert any("1/2-type call" in line and "different copies" in line for line in document["evidence"])


def test_two_three_with_an_unused_third_alt_is_compound_het_in_trans(tmp_path):
    records = [f"{{chrom}} {POS} . {REF} {ALT1},{ALT2},{ALT3} 50 PASS . {FMT} 2/3:41:99:0,1,20,20"]
    classes = {(POS, REF, ALT1): "Pathogenic", (POS, REF, ALT2): "Pathogenic", (POS, REF, ALT3): "Pathogenic"}
    document = _verdict(tmp_path, records, classes)
    assert document["verdict"] == "COMPOUND_HET_TRANS"
    assert document["pairs"][0]["phase_source"] == "genotype"
    assert {entry["alt"] for entry in document["variants"]} == {ALT2, ALT3}
    assert _entry(document, ALT2)["allele_balance"] == round(20 / 41, 4)


def test_het_alt_with_one_qualifying_and_one_benign_allele_is_carrier_not_negative(tmp_path):
    records = [f"{{chrom}} {POS} . {REF} {ALT1},{ALT2} 50 PASS . {FMT} 1/2:40:99:0,20,20"]
    classes = {(POS, REF, ALT1): "Pathogenic", (POS, REF, ALT2): "Likely benign"}
    document = _verdict(tmp_path, records, classes)
    assert document["verdict"] == "CARRIER"
    assert _entry(document, ALT1)["allele_balance"] == 0.5
    assert _entry(document, ALT1)["qc_failures"] == []
    assert any(f"{POS}{REF}>{ALT1} heterozygous, Pathogenic" in line for line in document["evidence"])


def test_exact_duplicate_het_counts_once_and_is_named(tmp_path):
    line = f"{{chrom}} {POS} . {REF} {ALT1} 50 PASS . {FMT} 0/1:30:99:15,15"
    document = _verdict(tmp_path, [line, line], {(POS, REF, ALT1): "Pathogenic"})
    assert document["verdict"] == "CARRIER"
    assert len(document["variants"]) == 1
    assert f"chr9:{POS}{REF}>{ALT1}: the same record appears twice in the VCF; counted once" in document["evidence"]


def test_split_multiallelic_overlapping_a_biallelic_record_counts_once(tmp_path):
    records = [
        f"{{chrom}} {POS} . {REF} {ALT1},{ALT2} 50 PASS . {FMT} 0/1:30:99:15,15,0",
        f"{{chrom}} {POS} . {REF} {ALT1} 50 PASS . {FMT} 0/1:30:99:15,15",
    ]
    document = _verdict(tmp_path, records, {(POS, REF, ALT1): "Pathogenic", (POS, REF, ALT2): "Pathogenic"})
    assert document["verdict"] == "CARRIER"
    assert any("the same record appears twice" in line for line in document["evidence"])


def test_conflicting_duplicates_stop_the_run_naming_both(tmp_path):
    records = [
        f"{{chrom}} {POS} . {REF} {ALT1} 50 PASS . {FMT} 0/1:30:99:15,15",
        f"{{chrom}} {POS} . {REF} {ALT1} 50 PASS . {FMT} 1/1:30:99:0,30",
    ]
    with pytest.raises(InputError) as raised:
        _verdict(tmp_path, records, {(POS, REF, ALT1): "Pathogenic"})
    message = str(raised.value)
    assert f"chr9:{POS} {REF}>{ALT1}" in message
    assert "written twice with different genotypes" in message
    assert "sample P1 0/1" in message and "sample P1 1/1" in message
    assert "Fix: keep one record per variant allele" in message
    assert not (tmp_path / "run" / "locus" / "batch.vcf.gz").exists()


@pytest.mark.parametrize("genotype", ["1", "0/1/1"])
def test_non_diploid_call_is_flagged_and_not_used(tmp_path, genotype):
    ad = "0,30" if genotype == "1" else "10,20"
    records = [f"{{chrom}} {POS} . {REF} {ALT1} 50 PASS . {FMT} {genotype}:30:99:{ad}"]
    document = _verdict(tmp_path, records, {(POS, REF, ALT1): "Pathogenic"})
    entry = _entry(document, ALT1)
    assert entry["genotype"] == genotype
    assert f"non-diploid genotype on an autosome ({genotype})" in entry["qc_failures"]
    assert entry["qc_pass"] is False
    assert document["verdict"] not in ("HOMOZYGOUS", "POSSIBLE_HEMIZYGOUS", "CARRIER")
    assert any(
        f"({genotype}) failed genotype QC (non-diploid genotype on an autosome" in line and "not used" in line
        for line in document["evidence"]
    )


def test_non_diploid_call_beside_a_qualifying_het_leaves_a_carrier(tmp_path):
    other_alt = next(b for b in "ACGT" if b != base(OTHER))
    records = [
        f"{{chrom}} {POS} . {REF} {ALT1} 50 PASS . {FMT} 1:30:99:0,30",
        f"{{chrom}} {OTHER} . {base(OTHER)} {other_alt} 50 PASS . {FMT} 0/1:30:99:15,15",
    ]
    classes = {(POS, REF, ALT1): "Pathogenic", (OTHER, base(OTHER), other_alt): "Pathogenic"}
    document = _verdict(tmp_path, records, classes)
    assert document["verdict"] == "CARRIER"
    assert any("non-diploid" in line for line in document["evidence"])
