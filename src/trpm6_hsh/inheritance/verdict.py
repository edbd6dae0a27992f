"""The autosomal-recessive verdict of one sample: named rules tried in a fixed order.

A rule looks at the sample's :class:`Case` (its calls carrying an ALT allele, the classified variants,
the parents' calls, what is known about the locus) and returns a :class:`VerdictResult`, or None when it
does not apply. :data:`VERDICT_RULES` tries them in order and the first answer wins; the last rule always
answers. Only QC-passing calls decide; calls that failed QC, incomplete QC and de novo or Mendelian
inconsistent transmission are named in the evidence of every verdict after NOT_ASSESSABLE.

To add a verdict rule: write ``def my_rule(case: Case) -> VerdictResult | None`` here, put it at its
place in :data:`VERDICT_RULES`, and add one test that shows it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

from trpm6_hsh.callability import AssessedStatus
from trpm6_hsh.classify import VariantRecord
from trpm6_hsh.inheritance.evidence import Pairing, Patient, Pp4Assessment, SampleClassification, classify_in_sample
from trpm6_hsh.inheritance.genotypes import GenotypeCall
from trpm6_hsh.inheritance.phase import (
    PairPhase,
    determine_phase,
    parent_carries,
    parent_genotype_text,
    transmission,
)
from trpm6_hsh.inheritance.pm3 import PM3_POINTS_HOMOZYGOUS, Pm3Entry, pm3_entry, pm3_for_pair
from trpm6_hsh.model import Classification, Phase, PhaseSource, VariantKey, Verdict, Zygosity
from trpm6_hsh.wording import (
    CIS_IN_AFFECTED_EVIDENCE,
    CIS_IN_AFFECTED_RECOMMENDATION,
    DELETION_CONFIRMATION,
    DELETION_CONFIRMATION_RECOMMENDATION,
    READ_BACKED_ONLY_EVIDENCE,
    READ_BACKED_ONLY_RECOMMENDATION,
    VERDICT_WORDING,
)

Parents = Mapping[str, Mapping[VariantKey, GenotypeCall]]


@dataclass(frozen=True)
class VerdictResult:
    verdict: Verdict
    text: str
    evidence: tuple[str, ...]
    pairs: tuple[PairPhase, ...] = field(default_factory=tuple)
    pm3: tuple[Pm3Entry, ...] = field(default_factory=tuple)
    recommendations: tuple[str, ...] = field(default_factory=tuple)
    sample_classes: Mapping[VariantKey, SampleClassification] = field(default_factory=dict)

    def phase_of(self, key: VariantKey) -> tuple[Phase, PhaseSource]:
        """The phase of the first pair holding ``key`` (not applicable when it is in none)."""
        for pair in self.pairs:
            if key in (pair.first, pair.second):
                return pair.phase, pair.source
        return Phase.NOT_APPLICABLE, PhaseSource.NOT_APPLICABLE


def _result(verdict: Verdict, evidence: Sequence[str], **details) -> VerdictResult:
    return VerdictResult(verdict, VERDICT_WORDING[verdict].sentence, tuple(evidence), **details)


@dataclass(frozen=True)
class LocusFacts:
    """Counts about the sample's locus beyond its variant calls (for NOT_ASSESSABLE and the evidence)."""

    records: int
    no_calls: int
    blocks: int = 0
    block_no_calls: int = 0
    regions: tuple[Mapping[str, object], ...] = ()

    @cached_property
    def callability_known(self) -> bool:
        return any(region.get("status") != AssessedStatus.UNKNOWN for region in self.regions)

    @cached_property
    def assessed_regions(self) -> int:
        return sum(1 for region in self.regions if region.get("status") == AssessedStatus.ASSESSED)

    def not_assessed_summary(self) -> list[str]:
        """One evidence line on the coding regions not assessed (none when callability was not looked at)."""
        if not self.regions:
            return []
        missing = [region for region in self.regions if region.get("status") != AssessedStatus.ASSESSED]
        if not missing:
            return [f"all {len(self.regions)} coding regions (exons and canonical splice sites) were assessed"]
        if not self.callability_known:
            return [
                f"none of the {len(self.regions)} coding regions can be confirmed as covered (plain VCF): "
                "variants there cannot be excluded"
            ]
        exons = ", ".join(str(region.get("exon")) for region in missing)
        return [f"{len(missing)} of {len(self.regions)} coding regions not assessed (exons {exons}): not excluded"]


@dataclass(frozen=True)
class Case:
    """What the rules decide on: one sample's calls carrying an ALT allele and what is known around them."""

    carried: tuple[GenotypeCall, ...]
    variants: Mapping[VariantKey, VariantRecord]
    parents: Parents
    facts: LocusFacts
    patient: Patient = Patient()

    def record_of(self, call: GenotypeCall) -> VariantRecord | None:
        """The call's row with its class in this sample (PM3 and PP4 counted), else its row of variants.tsv."""
        sample = self.sample_classes.get(call.key)
        return sample.record if sample is not None else self.variants.get(call.key)

    def is_qualifying(self, call: GenotypeCall) -> bool:
        record = self.record_of(call)
        return record is not None and record.qualifying

    def is_candidate_vus(self, call: GenotypeCall) -> bool:
        record = self.record_of(call)
        return record is not None and record.candidate_vus

    @cached_property
    def _sample_evidence(self) -> tuple[Pp4Assessment, dict[VariantKey, SampleClassification]]:
        """PM3 and PP4 counted for the QC-passing calls the classify stage found of interest."""
        listed = [call for call in self.usable if call.key in self.variants]
        hets = [call for call in listed if call.zygosity == Zygosity.HET]
        pairings: dict[VariantKey, list[Pairing]] = {}
        for call in listed:
            record = self.variants[call.key]
            if not (record.qualifying or record.candidate_vus):
                continue
            if call.zygosity == Zygosity.HET:
                pairs = (determine_phase(call, other, self.parents) for other in hets if other.key != call.key)
                pairings[call.key] = [
                    Pairing(pair.second if pair.first == call.key else pair.first, pair.phase, pair.source)
                    for pair in pairs
                ]
            else:
                established = call.zygosity == Zygosity.HOM_ALT and not _hemizygosity_reasons(
                    call, self.deletions, self.parents
                )
                pairings[call.key] = [Pairing(None, homozygosity_established=established)]
        return classify_in_sample(self.variants, pairings, self.patient)

    @property
    def sample_classes(self) -> dict[VariantKey, SampleClassification]:
        return self._sample_evidence[1]

    @cached_property
    def sample_notes(self) -> tuple[str, ...]:
        """Evidence lines on PP4 and on each variant's points in this sample (PM3 and PP4 counted)."""
        notes = [self._sample_evidence[0].note]
        for sample in self.sample_classes.values():
            notes.extend(sample.notes)
        return tuple(notes)

    def is_of_interest(self, call: GenotypeCall) -> bool:
        return self.is_qualifying(call) or self.is_candidate_vus(call)

    @cached_property
    def classes(self) -> dict[VariantKey, Classification | None]:
        return {key: record.classification for key, record in self.variants.items()}

    def class_text(self, call: GenotypeCall) -> str:
        """The call's class in this sample (every call a rule names is in the table)."""
        return self.record_of(call).classification_text

    @cached_property
    def usable(self) -> list[GenotypeCall]:
        """The calls passing genotype QC: only these decide the verdict."""
        return [call for call in self.carried if call.passes_qc]

    @cached_property
    def qualifying(self) -> list[GenotypeCall]:
        return [call for call in self.usable if self.is_qualifying(call)]

    @cached_property
    def candidate_vus(self) -> list[GenotypeCall]:
        return [call for call in self.usable if self.is_candidate_vus(call)]

    @cached_property
    def homozygous(self) -> list[GenotypeCall]:
        return [call for call in self.qualifying if call.zygosity in (Zygosity.HOM_ALT, Zygosity.HEMI)]

    @cached_property
    def heterozygous(self) -> list[GenotypeCall]:
        return [call for call in self.qualifying if call.zygosity == Zygosity.HET]

    @cached_property
    def deletions(self) -> list[GenotypeCall]:
        """Deletion calls with an end, whatever their QC: a low-quality one still casts doubt on a homozygote."""
        return [call for call in self.carried if call.is_deletion and call.sv_end is not None]

    @cached_property
    def call_notes(self) -> tuple[str, ...]:
        """Evidence about the calls of interest that did not decide: failed or incomplete QC, odd transmission."""
        notes = []
        for call in self.carried:
            if not call.passes_qc and (self.is_of_interest(call) or call.is_deletion):
                notes.append(
                    f"{call.key} ({call.genotype}) failed genotype QC ({'; '.join(call.qc_failures)}) and was "
                    "not used for the verdict; confirm it by an orthogonal method"
                )
            elif call.qc_notes and self.is_of_interest(call):
                notes.append(f"{call.key} ({call.genotype}): QC incomplete, {'; '.join(call.qc_notes)}")
            if self.is_of_interest(call):
                notes.extend(call.record_notes)
            found = transmission(call, self.parents)
            if found.status.needs_review and self.is_of_interest(call):
                notes.append(f"{call.key}: {found.status.value.replace('_', ' ')}: {found.detail}")
        return tuple(notes)


# ----------------------------------------------------------------------------- the rules, in the order tried


def locus_not_assessable(case: Case) -> VerdictResult | None:
    """NOT_ASSESSABLE: every record or reference block is a no-call, or no coding region is callable."""
    facts = case.facts
    reason = None
    if facts.records and facts.no_calls == facts.records and (not facts.blocks or facts.block_no_calls == facts.blocks):
        reason = f"all {facts.records} variant records at the locus are no-calls for this sample"
    elif facts.blocks and facts.block_no_calls == facts.blocks and not facts.records:
        reason = f"all {facts.blocks} gVCF reference blocks at the locus are no-calls for this sample"
    elif facts.callability_known and facts.regions and facts.assessed_regions == 0 and not case.usable:
        reason = f"none of the {len(facts.regions)} coding regions reached the callability thresholds"
    return _result(Verdict.NOT_ASSESSABLE, (reason,)) if reason else None


def homozygous_qualifying(case: Case) -> VerdictResult | None:
    """HOMOZYGOUS when a qualifying homozygote shows no sign of a deletion of the other copy,
    else POSSIBLE_HEMIZYGOUS."""
    if not case.homozygous:
        return None
    evidence = list(case.call_notes)
    reasons_of = {call.key: _hemizygosity_reasons(call, case.deletions, case.parents) for call in case.homozygous}
    call = next((c for c in case.homozygous if not reasons_of[c.key]), case.homozygous[0])
    for other in case.homozygous:
        if other.key != call.key and reasons_of[other.key]:
            evidence.append(
                f"{other.key} appears homozygous ({other.genotype}), but " + "; ".join(reasons_of[other.key])
            )
    reasons = reasons_of[call.key]
    deletion = _called_heterozygous_deletion_over(call, case)
    if deletion is not None:
        # Both readings are biallelic: the variant on one copy and the deletion on the other, or a true
        # homozygote whose deletion call is wrong. The deletion is what to confirm, not the diagnosis.
        pair = PairPhase(
            call.key,
            deletion.key,
            Phase.TRANS,
            PhaseSource.DELETION,
            f"{call.key} is seen without a reference allele ({call.genotype}) inside the heterozygous deletion "
            f"{deletion.key} (to {deletion.sv_end}): the variant lies on the copy the deletion spares",
        )
        evidence.append(f"{call.key} and {deletion.key}: trans (deletion: {pair.detail})")
        evidence.append(DELETION_CONFIRMATION)
        evidence.extend(
            f"{other.key} appears homozygous ({other.genotype}), but " + "; ".join(reasons_of[other.key])
            for other in case.homozygous
            if other.key != call.key and reasons_of[other.key]
        )
        pm3 = tuple(pm3_for_pair(pair, case.classes))
        evidence.extend(item.summary for item in pm3)
        return _result(
            Verdict.COMPOUND_HET_TRANS, evidence, pairs=(pair,), pm3=pm3,
            recommendations=(DELETION_CONFIRMATION_RECOMMENDATION,),
        )  # fmt: skip
    if reasons:
        evidence.append(f"{call.key} appears homozygous ({call.genotype}), but " + "; ".join(reasons))
        pm3 = pm3_entry(call.key, 0.0, "hemizygosity_not_excluded", "homozygosity not established")
        return _result(Verdict.POSSIBLE_HEMIZYGOUS, evidence, pm3=(pm3,))
    evidence.append(f"{call.key} homozygous ({call.genotype}), {case.class_text(call)}")
    if not case.parents:
        evidence.append("parents not tested: a deletion of the other copy is not excluded by segregation")
    pm3 = pm3_entry(call.key, PM3_POINTS_HOMOZYGOUS, "homozygous", "homozygous occurrence in the patient")
    evidence.append(pm3.summary)
    return _result(Verdict.HOMOZYGOUS, evidence, pm3=(pm3,))


def _called_heterozygous_deletion_over(call: GenotypeCall, case: Case) -> GenotypeCall | None:
    """A QC-passing, qualifying heterozygous deletion covering an apparently homozygous qualifying call."""
    for deletion in case.deletions:
        if (
            deletion.key != call.key
            and deletion.zygosity == Zygosity.HET
            and deletion.passes_qc
            and case.is_qualifying(deletion)
            and deletion.overlaps(call)
        ):
            return deletion
    return None


def two_qualifying_heterozygotes(case: Case) -> VerdictResult | None:
    """COMPOUND_HET_TRANS when any pair is in trans, else COMPOUND_HET_PHASE_UNKNOWN when any pair's
    phase is unknown, else CIS_NOT_BIALLELIC."""
    if len(case.heterozygous) < 2:
        return None
    evidence = list(case.call_notes)
    pairs = [determine_phase(a, b, case.parents) for a, b in itertools.combinations(case.heterozygous, 2)]
    trans = [pair for pair in pairs if pair.phase == Phase.TRANS]
    unknown = [pair for pair in pairs if pair.phase == Phase.UNKNOWN]
    if trans:
        verdict, chosen = Verdict.COMPOUND_HET_TRANS, trans[0]
    elif unknown:
        verdict, chosen = Verdict.COMPOUND_HET_PHASE_UNKNOWN, unknown[0]
    else:
        verdict, chosen = Verdict.CIS_NOT_BIALLELIC, pairs[0]
    for pair in pairs:
        evidence.append(f"{pair.first} and {pair.second}: {pair.phase.value} ({pair.source.value}: {pair.detail})")
    pm3 = tuple(pm3_for_pair(chosen, case.classes))
    evidence.extend(item.summary for item in pm3)
    checks, recommendations = read_backed_only(pairs)
    return _result(verdict, evidence + checks, pairs=tuple(pairs), pm3=pm3, recommendations=recommendations)


def qualifying_with_uncertain(case: Case) -> VerdictResult | None:
    """One qualifying heterozygote and candidate VUS: QUALIFYING_PLUS_VUS, or CARRIER when every
    uncertain variant is in cis with it."""
    if len(case.heterozygous) != 1 or not case.candidate_vus:
        return None
    evidence = list(case.call_notes)
    pairs = tuple(determine_phase(case.heterozygous[0], other, case.parents) for other in case.candidate_vus)
    for pair in pairs:
        evidence.append(
            f"qualifying {pair.first} with uncertain {pair.second}: {pair.phase.value} "
            f"({pair.source.value}: {pair.detail})"
        )
    pm3 = tuple(item for pair in pairs if pair.phase != Phase.CIS for item in pm3_for_pair(pair, case.classes))
    evidence.extend(item.summary for item in pm3)
    checks, recommendations = read_backed_only(pairs)
    if all(pair.phase == Phase.CIS for pair in pairs):
        evidence.append("every uncertain variant is in cis with the qualifying one: it cannot be the second hit")
        return _result(Verdict.CARRIER, evidence + checks, pairs=pairs, recommendations=recommendations)
    return _result(
        Verdict.QUALIFYING_PLUS_VUS, evidence + checks, pairs=pairs, pm3=pm3, recommendations=recommendations
    )


def single_qualifying_heterozygote(case: Case) -> VerdictResult | None:
    """CARRIER: one qualifying heterozygote and nothing that could be a second hit."""
    if len(case.heterozygous) != 1:
        return None
    call = case.heterozygous[0]
    evidence = [*case.call_notes, f"{call.key} heterozygous, {case.class_text(call)}"]
    return _result(Verdict.CARRIER, evidence + case.facts.not_assessed_summary())


def biallelic_uncertain(case: Case) -> VerdictResult | None:
    """BIALLELIC_VUS: nothing qualifies, but a variant of uncertain significance is homozygous, or two are in
    trans or of unknown phase. Inconclusive, never NEGATIVE: if the variants are damaging, both copies are hit."""
    if case.qualifying or not case.candidate_vus:
        return None
    evidence = list(case.call_notes)
    homozygous = [call for call in case.candidate_vus if call.zygosity in (Zygosity.HOM_ALT, Zygosity.HEMI)]
    if homozygous:
        call = homozygous[0]
        evidence.append(f"{call.key} homozygous ({call.genotype}), {case.class_text(call)}")
        reasons = _hemizygosity_reasons(call, case.deletions, case.parents)
        if reasons:
            evidence.append("homozygosity not established: " + "; ".join(reasons))
        return _result(Verdict.BIALLELIC_VUS, evidence + case.facts.not_assessed_summary())
    heterozygous = [call for call in case.candidate_vus if call.zygosity == Zygosity.HET]
    pairs = [determine_phase(a, b, case.parents) for a, b in itertools.combinations(heterozygous, 2)]
    if not pairs or all(pair.phase == Phase.CIS for pair in pairs):
        return None
    for pair in pairs:
        evidence.append(
            f"uncertain {pair.first} and uncertain {pair.second}: {pair.phase.value} "
            f"({pair.source.value}: {pair.detail})"
        )
    return _result(Verdict.BIALLELIC_VUS, evidence + case.facts.not_assessed_summary(), pairs=tuple(pairs))


def nothing_qualifying(case: Case) -> VerdictResult:
    """NEGATIVE: no QC-passing qualifying call (always answers, so it comes last)."""
    evidence = list(case.call_notes)
    if not case.facts.records:
        evidence.append("the VCF holds no variant records at the TRPM6 locus for this sample")
    else:
        evidence.append(f"{len(case.usable)} variant call(s) at the locus passing QC, none qualifying")
    evidence.extend(
        f"{call.key} ({call.genotype}): {case.class_text(call)}, not qualifying on its own"
        for call in case.candidate_vus
    )
    return _result(Verdict.NEGATIVE, evidence + case.facts.not_assessed_summary())


VerdictRule = Callable[[Case], "VerdictResult | None"]

#: The rules in the order they are tried; the first that answers gives the verdict.
VERDICT_RULES: tuple[VerdictRule, ...] = (
    locus_not_assessable,
    homozygous_qualifying,
    two_qualifying_heterozygotes,
    qualifying_with_uncertain,
    single_qualifying_heterozygote,
    biallelic_uncertain,
    nothing_qualifying,
)


def decide_verdict(
    calls: Sequence[GenotypeCall],
    variants: Mapping[VariantKey, VariantRecord],
    parents: Parents,
    facts: LocusFacts | None = None,
    patient: Patient | None = None,
) -> VerdictResult:
    """The biallelic verdict from QC-passing calls, with the evidence behind it.

    ``calls`` may hold every record's call or only the calls carrying an ALT allele; ``facts``
    gives the counts (records, no-calls, callability) when they are not all in ``calls``; ``patient`` the lab
    values, affected status and settings for the sample-level evidence (PM3 and PP4 counted, schema defaults).
    """
    if facts is None:
        no_calls = sum(1 for call in calls if call.zygosity == Zygosity.NO_CALL)
        facts = LocusFacts(records=len(calls), no_calls=no_calls)
    case = Case(tuple(call for call in calls if call.carries_alt), variants, parents, facts, patient or Patient())
    for rule in VERDICT_RULES:
        result = rule(case)
        if result is not None:
            if result.verdict == Verdict.NOT_ASSESSABLE:
                return result
            evidence = (*result.evidence, *case.sample_notes)
            return replace(result, evidence=evidence, sample_classes=case.sample_classes)
    raise AssertionError("the last verdict rule always answers")


def _hemizygosity_reasons(call: GenotypeCall, deletions: Sequence[GenotypeCall], parents: Parents) -> list[str]:
    """Why an apparent homozygote may sit over a deletion of the other copy (empty: no sign of it)."""
    reasons = []
    for deletion in deletions:
        if deletion.key != call.key and deletion.overlaps(call):
            quality = "" if deletion.passes_qc else " (a low-quality deletion call)"
            reasons.append(f"{deletion.key} ({deletion.genotype}, deletion to {deletion.sv_end}) overlaps it{quality}")
    for parent_id, parent_calls in parents.items():
        if parent_carries(parent_calls, call.key) is False:
            reasons.append(
                f"parent {parent_id} does not carry it ({parent_genotype_text(parent_calls, call.key)}): "
                "a deletion of that copy or uniparental disomy"
            )
    if call.zygosity == Zygosity.HEMI:
        reasons.append("the genotype is haploid on an autosome")
    return reasons


# ----------------------------------------------------------------------------- follow-up a verdict asks for


def read_backed_only(pairs: Sequence[PairPhase]) -> tuple[list[str], tuple[str, ...]]:
    """Evidence lines and recommendations for every trans/cis decision that rests on read-backed phase only:
    reads can switch haplotypes, so parental testing is recommended to confirm it."""
    evidence, recommendations = [], []
    for pair in pairs:
        if pair.source == PhaseSource.READ_BACKED and pair.phase in (Phase.TRANS, Phase.CIS):
            words = {"first": pair.first, "second": pair.second, "phase": pair.phase.value, "detail": pair.detail}
            evidence.append(READ_BACKED_ONLY_EVIDENCE.format(**words))
            recommendations.append(READ_BACKED_ONLY_RECOMMENDATION.format(**words))
    return evidence, tuple(dict.fromkeys(recommendations))


def sample_follow_up(result: VerdictResult, affected: bool | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Evidence and recommendations that depend on the sample, not only on its calls (the rules do not see
    the sheet): CIS_NOT_BIALLELIC in a patient recorded as affected asks for parental testing."""
    if result.verdict == Verdict.CIS_NOT_BIALLELIC and affected is True:
        return (CIS_IN_AFFECTED_EVIDENCE,), (CIS_IN_AFFECTED_RECOMMENDATION,)
    return (), ()
