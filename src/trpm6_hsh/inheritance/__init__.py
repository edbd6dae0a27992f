"""Inheritance stage: per sample, genotype QC, phase and the autosomal-recessive verdict.

The rules are small named predicates over the sample's calls (after slivar's habit), and every
verdict carries the evidence it rests on. Missing is not reference: a no-call is never read as 0/0,
and a region a plain VCF says nothing about is listed as not assessed.

Modules, in the order the stage uses them: :mod:`.genotypes` (QC settings, calls, the genotype matrix),
:mod:`.phase` (read-backed and parental phase, transmission), :mod:`.pm3` (ClinGen SVI PM3 points),
:mod:`.evidence` (PM3 and PP4 counted per sample, the sample-level class),
:mod:`.verdict` (the verdict rules), :mod:`.document` (verdict.json and the entry points) and
:mod:`trpm6_hsh.wording` (the counselor-facing wording, shared with the report).
"""

from trpm6_hsh.inheritance.document import (
    VerdictDocument,
    call_batch_verdicts,
    call_biallelic_status,
    read_verdict,
    sample_from_record,
    verdict_document,
    write_batch_verdicts,
)
from trpm6_hsh.inheritance.genotypes import (
    GenotypeCall,
    GenotypeMatrix,
    GenotypeQcSettings,
    SampleGenotypes,
    read_calls,
)
from trpm6_hsh.inheritance.phase import PairPhase, Transmission, determine_phase, transmission
from trpm6_hsh.inheritance.pm3 import Pm3Entry, pm3_strength
from trpm6_hsh.inheritance.verdict import VERDICT_RULES, LocusFacts, VerdictResult, decide_verdict
from trpm6_hsh.wording import PLAIN_VCF_REASON

__all__ = [
    "PLAIN_VCF_REASON",
    "VERDICT_RULES",
    "GenotypeCall",
    "GenotypeMatrix",
    "GenotypeQcSettings",
    "LocusFacts",
    "PairPhase",
    "Pm3Entry",
    "SampleGenotypes",
    "Transmission",
    "VerdictDocument",
    "VerdictResult",
    "call_batch_verdicts",
    "call_biallelic_status",
    "decide_verdict",
    "determine_phase",
    "pm3_strength",
    "read_calls",
    "read_verdict",
    "sample_from_record",
    "transmission",
    "verdict_document",
    "write_batch_verdicts",
]
