"""Properties: how a lab happens to write the same genotypes never changes a verdict.

Random small families (a proband and maybe its parents) with SNV sites of one to three ALT alleles go
through the real extract stage and the batch inheritance API, with a fixed classification table. Writing
the records in another order, writing a record twice, splitting multiallelics into biallelics or joining
them (bcftools norm -m-any / -m+any) and naming the contig 9 instead of chr9 must give every sample the
same verdict.
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

import pysam.bcftools as bcftools
from genotype_helpers import verdicts_of, write_input_vcf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_extract import base

from trpm6_hsh.config import Sample

POSITIONS = (300, 600, 900)
CLASS_OF_BASE = {"A": "Pathogenic", "C": "Uncertain significance", "G": "Likely benign", "T": "Likely pathogenic"}
CLASSES = {
    (pos, base(pos), alt): CLASS_OF_BASE[alt] for pos in POSITIONS for alt in "ACGT" if alt != base(pos)
}
READS_PER_COPY = 15


@st.composite
def families(draw):
    """(samples, records): a proband with none, one or both parents; one record per drawn site."""
    samples = ["P1", *draw(st.sampled_from([[], ["FA"], ["FA", "MO"]]))]
    records = []
    for pos in draw(st.lists(st.sampled_from(POSITIONS), min_size=1, max_size=3, unique=True)):
        bases = [b for b in "ACGT" if b != base(pos)]
        alts = draw(st.lists(st.sampled_from(bases), min_size=1, max_size=3, unique=True))
        calls = []
        for _ in samples:
            if draw(st.integers(0, 9)) == 0:
                calls.append(f"./.:.:.:{','.join('.' for _ in range(len(alts) + 1))}")
                continue
            alleles = sorted(draw(st.lists(st.integers(0, len(alts)), min_size=2, max_size=2)))
            reads = [READS_PER_COPY * alleles.count(i) for i in range(len(alts) + 1)]
            calls.append(f"{alleles[0]}/{alleles[1]}:{sum(reads)}:99:{','.join(map(str, reads))}")
        records.append(f"{{chrom}} {pos} . {base(pos)} {','.join(alts)} 50 PASS . GT:DP:GQ:AD {' '.join(calls)}")
    return samples, records


def _people(samples: list[str]) -> list[Sample]:
    parents = {"paternal_id": "FA" if "FA" in samples else "", "maternal_id": "MO" if "MO" in samples else ""}
    return [Sample(sample_id="P1", vcf="", **parents)] + [Sample(sample_id=s, vcf="") for s in samples[1:]]


def _verdicts(folder: Path, vcf: Path, samples: list[str]) -> dict[str, str]:
    documents = verdicts_of(folder, vcf, _people(samples), CLASSES)
    return {sample_id: document["verdict"] for sample_id, document in documents.items()}


def _norm(vcf: Path, mode: str) -> Path:
    out = vcf.with_name(f"{vcf.stem}.{mode.strip('-+')}{'split' if mode.startswith('-') else 'joined'}.vcf")
    bcftools.norm("--no-version", "-m", mode, "-Ov", "-o", str(out), str(vcf), catch_stdout=False)
    return out


def _check_same_verdicts(samples, records, transform) -> None:
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        original = write_input_vcf(folder / "original.vcf", samples, records)
        expected = _verdicts(folder / "original", original, samples)
        changed = transform(folder, samples, records)
        assert _verdicts(folder / "changed", changed, samples) == expected


PROPERTY = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(families(), st.randoms(use_true_random=False))
def test_record_order_never_changes_a_verdict(family, rng: random.Random):
    samples, records = family

    def permuted(folder, samples, records):
        shuffled = list(records)
        rng.shuffle(shuffled)
        return write_input_vcf(folder / "permuted.vcf", samples, shuffled)

    _check_same_verdicts(samples, records, permuted)


@PROPERTY
@given(families(), st.data())
def test_an_exact_duplicate_record_never_changes_a_verdict(family, data):
    samples, records = family
    twice = data.draw(st.sampled_from(records))

    def duplicated(folder, samples, records):
        at = records.index(twice)
        return write_input_vcf(folder / "duplicated.vcf", samples, records[: at + 1] + [twice] + records[at + 1 :])

    _check_same_verdicts(samples, records, duplicated)


@PROPERTY
@given(families())
def test_splitting_multiallelics_never_changes_a_verdict(family):
    samples, records = family
    _check_same_verdicts(samples, records, lambda folder, s, r: _norm(write_input_vcf(folder / "m.vcf", s, r), "-any"))


@PROPERTY
@given(families())
def test_joining_split_alleles_never_changes_a_verdict(family):
    samples, records = family

    def split_then_joined(folder, samples, records):
        split = _norm(write_input_vcf(folder / "m.vcf", samples, records), "-any")
        return _norm(split, "+any")

    def split_only(folder, samples, records):
        return _norm(write_input_vcf(folder / "m.vcf", samples, records), "-any")

    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        split = split_only(folder, samples, records)
        joined = split_then_joined(folder, samples, records)
        assert _verdicts(folder / "split", split, samples) == _verdicts(folder / "joined", joined, samples)


@PROPERTY
@given(families())
def test_naming_the_contig_9_or_chr9_never_changes_a_verdict(family):
    samples, records = family
    _check_same_verdicts(
        samples, records, lambda folder, s, r: write_input_vcf(folder / "plain.vcf", s, r, contig="9")
    )
