"""The build check when the VCF has no ##contig lines: REF bases, inside the locus and elsewhere on chr9.

A gene-only VCF of the other build has no record in this build's TRPM6 window (GRCh37's lies ~2.6 Mb from
GRCh38's), so without contig lines nothing used to be checked and the run ended NEGATIVE. The chromosome here
is a shortened synthetic chr9 (10 kb of random bases): the locus is 1001-3000 ("this build's window") and the
other build's copy of the same sequence sits 4000 bp further on ("the other build's window").
"""

from __future__ import annotations

import random
from pathlib import Path

import pysam
import pytest

from trpm6_hsh.errors import ReferenceMismatchError
from trpm6_hsh.extract import MIN_RECORDS_FOR_REF_TOLERANCE, extract_locus

LENGTH = 10_000
LOCUS = (1001, 3000)
OTHER_BUILD_SHIFT = 4000
RNG = random.Random(9_74_722_490)
SEQUENCE = "".join(RNG.choice("ACGT") for _ in range(LENGTH))


def base(pos: int, sequence: str = SEQUENCE) -> str:
    return sequence[pos - 1]


def write_fasta(folder: Path, sequence: str = SEQUENCE) -> Path:
    fasta = folder / "chr9.fa"
    lines = [sequence[i : i + 60] for i in range(0, len(sequence), 60)]
    fasta.write_text(">chr9 shortened synthetic chr9, not human\n" + "\n".join(lines) + "\n")
    return fasta


def write_bed(folder: Path) -> Path:
    bed = folder / "locus.bed"
    bed.write_text(f"chr9\t{LOCUS[0] - 1}\t{LOCUS[1]}\tTRPM6\n")
    return bed


def gene_only_vcf(folder: Path, records: list[tuple[int, str]]) -> Path:
    """A VCF without ##contig lines: one het SNV per (pos, ref) on chr9."""
    lines = [
        "##fileformat=VCFv4.2",
        '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tKID",
    ]
    for pos, ref in records:
        alt = next(b for b in "ACGT" if b != ref)
        lines.append(f"chr9\t{pos}\t.\t{ref}\t{alt}\t50\tPASS\t.\tGT\t0/1")
    path = folder / "kid.vcf"
    path.write_text("\n".join(lines) + "\n")
    return path


def run(folder: Path, vcf: Path, fasta: Path | None = None):
    return extract_locus(
        vcf, ["KID"], fasta or write_fasta(folder), write_bed(folder), folder / "out" / "kid.vcf.gz", build="GRCh38"
    )


def other_build_records(count: int) -> list[tuple[int, str]]:
    """The TRPM6 variants of a GRCh37 call set: this build's locus bases, at the other build's positions."""
    positions = range(LOCUS[0] + 100, LOCUS[0] + 100 + 37 * count, 37)
    return [(pos + OTHER_BUILD_SHIFT, base(pos)) for pos in positions]


def test_other_build_gene_only_vcf_without_contig_lines_stops_with_the_build_message(tmp_path):
    records = other_build_records(8)
    assert sum(base(pos) != ref for pos, ref in records) >= 4  # the reference really disagrees there
    with pytest.raises(ReferenceMismatchError) as raised:
        run(tmp_path, gene_only_vcf(tmp_path, records))
    message = str(raised.value)
    assert "records outside the TRPM6 locus (none falls inside it)" in message
    assert "called against another reference or build" in message
    assert not (tmp_path / "out" / "kid.vcf.gz").exists()


def test_one_mismatching_record_of_one_is_enough(tmp_path):
    pos = LOCUS[1] + 2000
    wrong = next(b for b in "ACGT" if b != base(pos))
    with pytest.raises(ReferenceMismatchError) as raised:
        run(tmp_path, gene_only_vcf(tmp_path, [(pos, wrong)]))
    assert "at 1 of 1 chr9 records outside the TRPM6 locus" in str(raised.value)


def test_matching_records_outside_the_locus_confirm_the_build(tmp_path):
    count = MIN_RECORDS_FOR_REF_TOLERANCE + 5
    records = [(pos, base(pos)) for pos in range(LOCUS[1] + 100, LOCUS[1] + 100 + 50 * count, 50)]
    summary = run(tmp_path, gene_only_vcf(tmp_path, records))
    assert summary.records_in_region == 0
    assert summary.chromosome_records_outside_locus == count
    assert summary.outside_records_ref_checked == count
    assert not summary.build_unconfirmed


def test_records_against_n_cannot_confirm_the_build_and_the_summary_says_so(tmp_path):
    """The demo's FASTA is N outside the locus: such records run, but the build counts as unconfirmed."""
    masked = SEQUENCE[: LOCUS[1]] + "N" * (LENGTH - LOCUS[1])
    records = other_build_records(6)
    summary = run(tmp_path, gene_only_vcf(tmp_path, records), fasta=write_fasta(tmp_path, masked))
    assert summary.records_in_region == 0
    assert summary.chromosome_records_outside_locus == 6
    assert summary.outside_records_ref_checked == 0
    assert summary.build_unconfirmed


def test_n_reference_bases_do_not_dilute_a_mismatch_inside_the_locus(tmp_path):
    """30 locus records against N and one definite mismatch: 1 of 1 checked, not 1 of 31 (tolerated before)."""
    masked = SEQUENCE[: LOCUS[0] + 499] + "N" * 1000 + SEQUENCE[LOCUS[0] + 1499 :]
    records = [(pos, "A") for pos in range(LOCUS[0] + 510, LOCUS[0] + 510 + 30 * 30, 30)]
    mismatch = LOCUS[0] + 50
    records.append((mismatch, next(b for b in "ACGT" if b != base(mismatch))))
    with pytest.raises(ReferenceMismatchError) as raised:
        run(tmp_path, gene_only_vcf(tmp_path, sorted(records)), fasta=write_fasta(tmp_path, masked))
    assert "at 1 of 1 locus records whose reference bases could be checked" in str(raised.value)


def test_an_indexed_vcf_is_checked_through_its_index_too(tmp_path):
    plain = gene_only_vcf(tmp_path, other_build_records(8))
    indexed = Path(f"{plain}.gz")
    pysam.tabix_compress(str(plain), str(indexed), force=True)
    pysam.tabix_index(str(indexed), preset="vcf", force=True)
    with pytest.raises(ReferenceMismatchError, match="records outside the TRPM6 locus"):
        run(tmp_path, indexed)
