"""Properties of the verdict over random trio genotypes (hypothesis): the rules a counselor relies on."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from conftest import write_vcf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_inheritance import CLASSES, FRAMESHIFT, MISSENSE, MODEL, QC, STOP, _table

from trpm6_hsh.config import Sample
from trpm6_hsh.inheritance import call_batch_verdicts, call_biallelic_status

SITES = {"stop": STOP, "frameshift": FRAMESHIFT, "missense": MISSENSE}
QUALIFYING = {"stop", "frameshift"}
POSITIVE = {"HOMOZYGOUS", "COMPOUND_HET_TRANS"}

genotype = st.sampled_from(["0/0", "0/1", "1/1", "./.", "0|1", "1|0"])
depth = st.sampled_from([4, 30])
call = st.tuples(genotype, depth)
trio = st.fixed_dictionaries({site: st.tuples(call, call, call) for site in SITES})


def _format(gt: str, dp: int) -> str:
    if gt == "./.":
        return "./.:.:.:.:."
    alts = gt.count("1")
    alt_reads = {0: 0, 1: dp // 2, 2: dp}[alts]
    return f"{gt}:{dp}:99:{dp - alt_reads},{alt_reads}:{'9' if '|' in gt else '.'}"


def _run(draw: dict, order: list[str]) -> tuple[dict, dict]:
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        index = {"P1": 0, "FA": 1, "MO": 2}
        records = [
            f"{SITES[site]} . PASS . GT:DP:GQ:AD:PS " + " ".join(_format(*calls[index[s]]) for s in order)
            for site, calls in draw.items()
        ]
        vcf = write_vcf(folder / "batch.vcf", order, records)
        table = _table(folder / "batch.variants.tsv")
        sample = Sample("P1", str(vcf), paternal_id="FA", maternal_id="MO")
        batches = dict.fromkeys(order, "batch")
        out = folder / "P1.json"
        call_biallelic_status(sample, batches, [vcf], [table], QC, MODEL, out)
        single = json.loads(out.read_text())
        batch = call_batch_verdicts([sample], batches, [vcf], [table], QC, MODEL)["P1"]
        return single, json.loads(json.dumps(batch.to_json()))


def _usable(draw: dict, site: str) -> str | None:
    gt, dp = draw[site][0]
    return None if gt == "./." or dp < QC["min_dp"] or gt == "0/0" else gt


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trio)
def test_verdict_rules_hold_for_any_trio(draw):
    result, batch = _run(draw, ["P1", "FA", "MO"])
    assert result == batch
    verdict = result["verdict"]
    usable = {site: _usable(draw, site) for site in SITES}
    qualifying = {site: gt for site, gt in usable.items() if site in QUALIFYING and gt}
    if verdict == "HOMOZYGOUS":
        assert "1/1" in qualifying.values()
    if verdict in ("COMPOUND_HET_TRANS", "COMPOUND_HET_PHASE_UNKNOWN", "CIS_NOT_BIALLELIC"):
        assert len(qualifying) == 2 and "1/1" not in qualifying.values()
    if not qualifying:  # a VUS, a low-quality or no call never makes a positive (or carrier) verdict
        assert verdict in ("NEGATIVE", "NOT_ASSESSABLE", "BIALLELIC_VUS")
    if verdict == "BIALLELIC_VUS":  # only the missense VUS, homozygous, with nothing qualifying
        assert not qualifying and usable["missense"] == "1/1"
    if not qualifying and usable["missense"] == "1/1":  # a homozygous VUS is never reassuring
        assert verdict == "BIALLELIC_VUS"
    if verdict in POSITIVE | {"CARRIER", "QUALIFYING_PLUS_VUS", "POSSIBLE_HEMIZYGOUS"}:
        assert qualifying
    if verdict == "NOT_ASSESSABLE":
        assert all(draw[site][0][0] == "./." for site in SITES)
    for variant in result["variants"]:
        assert variant["qc_pass"] == (variant["depth"] is None or variant["depth"] >= QC["min_dp"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trio)
def test_sample_order_in_the_vcf_does_not_matter(draw):
    first, _ = _run(draw, ["P1", "FA", "MO"])
    second, _ = _run(draw, ["MO", "P1", "FA"])
    assert first == second


def test_classes_fixture_has_two_qualifying_small_variants():
    small = {key: value for key, value in CLASSES.items() if not key[2].startswith("<")}
    assert sum(1 for _, qualifying, _ in small.values() if qualifying == "true") == 2
