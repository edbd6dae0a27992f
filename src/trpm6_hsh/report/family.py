"""Family context from the same run: a parent's report names the child's familial variants and whether the
parent carries each (read from the child's verdict, which holds both parents' genotypes at its variants);
carrier couples get the recurrence risk and reproductive options, affected patients the counselling advice.

A parent's genotype that does not show the variant clearly (no call, failed QC, absent from a plain VCF,
uncovered) is "not determined", never "does not carry it".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from trpm6_hsh import wording
from trpm6_hsh.config import Sample
from trpm6_hsh.inheritance.document import VariantEntry, VerdictDocument
from trpm6_hsh.model import Verdict
from trpm6_hsh.report.findings import shown_in_summary, variant_name

BIALLELIC = (Verdict.HOMOZYGOUS, Verdict.COMPOUND_HET_TRANS)
_GENOTYPE = re.compile(r"^[0-9.]+([/|][0-9.]+)*$")


def carrier_status(genotype: str) -> str:
    """carrier / not_carrier / unknown from the parent's genotype text in the child's verdict."""
    text = genotype.strip()
    if text.startswith("reference"):
        return "not_carrier"
    if not _GENOTYPE.match(text) or "." in text:
        return "unknown"  # no call, failed QC, not called in a plain VCF, uncovered
    alleles = re.split(r"[/|]", text)
    return "carrier" if any(allele != "0" for allele in alleles) else "not_carrier"


def familial_variants(child: VerdictDocument) -> list[VariantEntry]:
    """The child's variants a relative is tested for: qualifying, candidate VUS and unclassified calls."""
    return [entry for entry in child.variants if shown_in_summary(entry)]


def _qualifying_carrier(child: VerdictDocument, parent_id: str) -> bool:
    return any(
        entry.classified is not None
        and entry.classified.qualifying
        and carrier_status(entry.parental_genotypes.get(parent_id, "")) == "carrier"
        for entry in child.variants
    )


def carrier_couple(child: VerdictDocument, father: str, mother: str) -> bool:
    """Both parents carry a qualifying variant of the child (each further pregnancy: 25% affected)."""
    return bool(father and mother) and _qualifying_carrier(child, father) and _qualifying_carrier(child, mother)


def parent_context(parent: Sample, child_sample: Sample, child: VerdictDocument, build: str) -> dict[str, Any]:
    """What a parent's report says about one child of the same run."""
    relation = "child"
    headline = wording.VERDICT_WORDING[child.verdict].headline
    variants = []
    for entry in familial_variants(child):
        genotype = entry.parental_genotypes.get(parent.sample_id, "not in the child's analysis")
        status = carrier_status(genotype)
        variants.append({
            "variant": variant_name(entry, build),
            "classification": entry.classified.classification_text if entry.classified is not None else "",
            "status": status,
            "said": wording.FAMILY_CARRIES[status].format(genotype=genotype),
        })  # fmt: skip
    if variants:
        intro = wording.FAMILY_INTRO.format(child=child.sample_id, relation=relation, headline=headline)
    else:
        intro = wording.FAMILY_NO_FAMILIAL_VARIANT.format(child=child.sample_id, relation=relation)
    couple = carrier_couple(child, child_sample.paternal_id, child_sample.maternal_id)
    return {
        "relative": child.sample_id,
        "relation": relation,
        "relative_verdict": child.verdict.value,
        "intro": intro,
        "variants": variants,
        "carrier_couple": couple,
    }


def family_context(
    sample: Sample, verdict_doc: VerdictDocument, children: Sequence[tuple[Sample, VerdictDocument]], build: str
) -> dict[str, Any]:
    """The report's family section: per child of this run, the familial variants; and the advice that follows.

    ``children``: the sample-sheet rows of this sample's children in the run, each with its verdict document,
    in sheet order (the caller sorts them, so the report is deterministic).
    """
    relatives = [parent_context(sample, child_sample, child, build) for child_sample, child in children]
    notes = []
    couple = any(item["carrier_couple"] for item in relatives) or carrier_couple(
        verdict_doc, sample.paternal_id, sample.maternal_id
    )
    if couple:
        notes.append(wording.CARRIER_COUPLE)
    if verdict_doc.verdict in BIALLELIC:
        notes.append(wording.AFFECTED_COUNSELLING)
    notes.append(wording.REANALYSIS)
    return {"relatives": relatives, "notes": notes}
