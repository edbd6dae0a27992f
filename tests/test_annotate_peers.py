"""Agreement with VEP, SnpEff and bcftools csq (stored outputs) on the designed and random fixtures."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from peers.compare import canonical_terms, classify, compare, read_peer

from trpm6_hsh.builtin_annotator import Annotator, annotate_records, read_alleles

DATA = Path(__file__).parent / "data" / "annotator"
TABLE = Path(__file__).parents[1] / "docs" / "annotator_disagreements.md"
MANE = "ENST00000360774"
PEERS = ["vep", "snpeff", "bcftools"]


def listed_classes() -> set[tuple[str, str]]:
    """(peer, class) pairs of the checked-in disagreement table."""
    pairs = set()
    for line in TABLE.read_text().splitlines():
        match = re.match(r"\|\s*(vep|snpeff|bcftools)\s*\|\s*`([^`]+)`\s*\|", line)
        if match:
            pairs.add((match.group(1), match.group(2)))
    return pairs


@pytest.fixture(scope="module")
def mane(annotator: Annotator):
    (transcript,) = annotator.transcripts
    return transcript


@pytest.fixture(scope="module")
def annotator() -> Annotator:
    return Annotator(DATA / "locus.fa", DATA / "trpm6.ensembl.gff3")


def _ours(annotator: Annotator, vcf: Path) -> dict:
    rows = annotate_records(annotator, read_alleles(vcf, annotator), combine_haplotypes=False)
    return {(r.pos, r.ref, r.alt): frozenset(r.consequence.split("&")) for r in rows
            if r.transcript in (MANE, "")}


@pytest.fixture(scope="module")
def random_calls(annotator: Annotator) -> dict:
    return _ours(annotator, DATA / "random5000.vcf.gz")


@pytest.mark.parametrize("peer", PEERS)
def test_random5000_agreement(peer: str, random_calls: dict, mane) -> None:
    theirs = read_peer(DATA / f"random5000.{peer}.vcf.gz", peer, MANE)
    compared, differing = compare(random_calls, theirs, peer)
    assert compared >= 4800
    assert 1 - len(differing) / compared >= 0.995
    unlisted = {classify(d, mane) for d in differing} - {c for p, c in listed_classes() if p == peer}
    assert not unlisted, f"disagreement classes missing from {TABLE.name}: {unlisted}"


@pytest.mark.parametrize("peer", PEERS)
def test_designed_disagreements_are_listed(peer: str, annotator: Annotator, mane) -> None:
    ours = _ours(annotator, DATA / "test.vcf")
    theirs = read_peer(DATA / f"test.{peer}.vcf", peer, MANE)
    compared, differing = compare(ours, theirs, peer)
    assert compared >= 37
    unlisted = {classify(d, mane) for d in differing} - {c for p, c in listed_classes() if p == peer}
    assert not unlisted, f"disagreement classes missing from {TABLE.name}: {unlisted}"


def test_table_lists_each_class_with_a_reason() -> None:
    rows = [line for line in TABLE.read_text().splitlines()
            if re.match(r"\|\s*(vep|snpeff|bcftools)\s*\|", line)]
    assert len(rows) >= 10
    for row in rows:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        assert len(cells) == 5 and cells[3] and cells[4], row


def test_style_rules_are_symmetric_and_do_not_hide_real_changes() -> None:
    vep = {"splice_donor_variant", "splice_donor_5th_base_variant", "intron_variant"}
    snpeff = {"splice_donor_variant", "splice_region_variant", "intron_variant"}
    assert canonical_terms(vep) == canonical_terms(snpeff) == {"splice_donor_variant"}
    assert canonical_terms({"missense"}) == {"missense_variant"}
    assert canonical_terms({"missense_variant"}) != canonical_terms({"synonymous_variant"})
    assert canonical_terms({"upstream_gene_variant"}, peer_reports_flanks=False) == frozenset()
    assert canonical_terms({"stop_gained", "frameshift_variant"}) == canonical_terms({"frameshift"})
    assert canonical_terms({"stop_gained"}) != canonical_terms({"frameshift_variant"})
    assert canonical_terms({"protein_altering_variant"}) == canonical_terms({"disruptive_inframe_insertion"})
    assert canonical_terms({"inframe_deletion"}) != canonical_terms({"inframe_insertion"})
