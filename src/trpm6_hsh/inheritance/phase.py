"""Phase of a pair of variants (read-backed and parental), transmission from the parents, Mendelian conflicts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from trpm6_hsh.inheritance.genotypes import GenotypeCall, SampleGenotypes
from trpm6_hsh.model import Phase, PhaseSource, VariantKey, Zygosity
from trpm6_hsh.wording import HET_ALT_PHASE, PARENT_GVCF_UNCOVERED, PARENT_NOT_CALLED, PARENT_REFERENCE


@dataclass(frozen=True)
class PairPhase:
    first: VariantKey
    second: VariantKey
    phase: Phase
    source: PhaseSource
    detail: str


def read_phase_by_genotype(first: GenotypeCall, second: GenotypeCall) -> tuple[Phase, str] | None:
    """Trans when both ALTs come from one genotype with two different ALT alleles (a split 1/2 call):
    one position of a diploid genome holds one allele on each copy."""
    if second.key not in first.het_alt_partners or first.zygosity != Zygosity.HET or second.zygosity != Zygosity.HET:
        return None
    site = f"{first.key.chrom}:{first.key.pos}"
    return Phase.TRANS, HET_ALT_PHASE.format(site=site)


def read_phase_by_reads(first: GenotypeCall, second: GenotypeCall) -> tuple[Phase, str] | None:
    """Phase from GT '|' — only within one phase set (PS); phased calls without PS are not compared."""
    if not (first.phased and second.phased) or first.phase_set is None or first.phase_set != second.phase_set:
        return None
    if first.zygosity != Zygosity.HET or second.zygosity != Zygosity.HET:
        return None
    same = first.alt_haplotypes == second.alt_haplotypes
    return (Phase.CIS if same else Phase.TRANS), read_phase_detail(first, second)


def read_phase_detail(first: GenotypeCall, second: GenotypeCall) -> str:
    """The phase set and the distance between the two variants: how far the reads had to reach."""
    distance = abs(second.key.pos - first.key.pos)
    return f"same phase set {first.phase_set}, {distance:,} bp apart"


def _why_not_read_phased(first: GenotypeCall, second: GenotypeCall) -> str:
    if not (first.phased and second.phased):
        return "genotypes not phased"
    if first.phase_set is None or second.phase_set is None:
        return "phased genotypes without a phase set (PS) are not compared"
    if first.phase_set != second.phase_set:
        return f"different phase sets ({first.phase_set}, {second.phase_set})"
    return "not both heterozygous"


def parent_reference_at(parent_calls: Mapping[VariantKey, GenotypeCall], key: VariantKey) -> bool | None:
    """For a site the parent's VCF lacks: True when a reference block (gVCF) or the parent's alignment
    shows the parent as reference there, False when the gVCF has no such block, None when nothing can tell
    (a plain VCF lists what it called: absent is not reference)."""
    reference_at = getattr(parent_calls, "reference_at", None)
    return reference_at(key) if reference_at is not None else None


def parent_carries(parent_calls: Mapping[VariantKey, GenotypeCall], key: VariantKey) -> bool | None:
    """True/False when the parent's genotype is known and passes QC; None when it cannot be told.

    A site absent from the parent's VCF is not carried only when evidence of reference covers it (a gVCF
    reference block passing QC, or the parent's alignment); absent from a plain VCF means "not called
    there", never "not carried", because a single-sample VCF says nothing about the sites it omits.
    """
    call = parent_calls.get(key)
    if call is None:
        return False if parent_reference_at(parent_calls, key) else None
    if call.zygosity == Zygosity.NO_CALL or not call.passes_qc:
        return None
    return call.carries_alt


def parent_genotype_text(parent_calls: Mapping[VariantKey, GenotypeCall], key: VariantKey) -> str:
    """The parent's genotype at ``key`` as the evidence shows it, saying where a reference reading comes from."""
    call = parent_calls.get(key)
    if call is None:
        reference = parent_reference_at(parent_calls, key)
        if reference:
            describe = getattr(parent_calls, "reference_source", None)
            return PARENT_REFERENCE.format(source=describe(key) if describe else "gVCF block")
        if reference is False:
            return PARENT_GVCF_UNCOVERED
        return PARENT_NOT_CALLED.format(key=key)
    if call.zygosity == Zygosity.NO_CALL:
        return "no call"
    if not call.passes_qc:
        return f"{call.genotype} (failed QC: {'; '.join(call.qc_failures)})"
    return call.genotype


def read_phase_by_parents(
    first: VariantKey, second: VariantKey, parents: Mapping[str, Mapping[VariantKey, GenotypeCall]]
) -> tuple[Phase, str] | None:
    """Phase from transmission: each variant from a different parent is trans; both from one is cis."""
    if len(parents) < 2:
        return None
    (father_id, father), (mother_id, mother) = list(parents.items())[:2]
    seen = [(parent_carries(father, k), parent_carries(mother, k)) for k in (first, second)]
    if any(value is None for pair in seen for value in pair):
        return None
    (f1, m1), (f2, m2) = seen
    if f1 and not m1 and m2 and not f2:
        return Phase.TRANS, f"{first} from {father_id}, {second} from {mother_id}"
    if m1 and not f1 and f2 and not m2:
        return Phase.TRANS, f"{first} from {mother_id}, {second} from {father_id}"
    if f1 and f2 and not m1 and not m2:
        return Phase.CIS, f"both inherited from {father_id}"
    if m1 and m2 and not f1 and not f2:
        return Phase.CIS, f"both inherited from {mother_id}"
    return None


def _why_not_parent_phased(
    first: VariantKey, second: VariantKey, parents: Mapping[str, Mapping[VariantKey, GenotypeCall]]
) -> str:
    if not parents:
        return "no parents in the sample sheet"
    if len(parents) < 2:
        return "only one parent in the sample sheet"
    shown = "; ".join(
        f"{parent_id}: {first} {parent_genotype_text(calls, first)}, {second} {parent_genotype_text(calls, second)}"
        for parent_id, calls in parents.items()
    )
    return f"the parents' genotypes do not separate the two variants ({shown})"


def determine_phase(
    first: GenotypeCall, second: GenotypeCall, parents: Mapping[str, Mapping[VariantKey, GenotypeCall]]
) -> PairPhase:
    by_genotype = read_phase_by_genotype(first, second)
    if by_genotype:
        return PairPhase(first.key, second.key, by_genotype[0], PhaseSource.GENOTYPE, by_genotype[1])
    by_reads = read_phase_by_reads(first, second)
    by_parents = read_phase_by_parents(first.key, second.key, parents)
    if by_reads and by_parents and by_reads[0] == by_parents[0]:
        return PairPhase(first.key, second.key, by_reads[0], PhaseSource.BOTH, f"{by_reads[1]}; {by_parents[1]}")
    if by_reads and by_parents:
        detail = (
            f"conflict: reads say {by_reads[0].value} ({by_reads[1]}), parents say {by_parents[0].value} "
            f"({by_parents[1]}); treated as unknown"
        )
        return PairPhase(first.key, second.key, Phase.UNKNOWN, PhaseSource.UNKNOWN, detail)
    if by_reads:
        return PairPhase(first.key, second.key, by_reads[0], PhaseSource.READ_BACKED, by_reads[1])
    if by_parents:
        return PairPhase(first.key, second.key, by_parents[0], PhaseSource.PARENTAL, by_parents[1])
    by_parents_why = _why_not_parent_phased(first.key, second.key, parents)
    detail = f"reads: {_why_not_read_phased(first, second)}; parents: {by_parents_why}"
    return PairPhase(first.key, second.key, Phase.UNKNOWN, PhaseSource.UNKNOWN, detail)


class TransmissionStatus(StrEnum):
    INHERITED = "inherited"
    DE_NOVO = "de_novo"
    MENDELIAN_INCONSISTENT = "mendelian_inconsistent"
    UNKNOWN = "unknown"
    NOT_APPLICABLE = "not_applicable"

    @property
    def needs_review(self) -> bool:
        """De novo or Mendelian inconsistent: named in the evidence of a variant of interest."""
        return self in (TransmissionStatus.DE_NOVO, TransmissionStatus.MENDELIAN_INCONSISTENT)


@dataclass(frozen=True)
class Transmission:
    """How a child's variant relates to its parents' genotypes."""

    status: TransmissionStatus
    detail: str


def transmission(call: GenotypeCall, parents: Mapping[str, Mapping[VariantKey, GenotypeCall]]) -> Transmission:
    """Inherited from whom, de novo, or inconsistent with Mendelian inheritance (a flag to review)."""
    if not parents or not call.carries_alt:
        return Transmission(TransmissionStatus.NOT_APPLICABLE, "")
    carries = {parent_id: parent_carries(calls, call.key) for parent_id, calls in parents.items()}
    homozygous = {
        parent_id
        for parent_id, calls in parents.items()
        if carries[parent_id] and calls.get(call.key) is not None and calls[call.key].zygosity == Zygosity.HOM_ALT
    }
    known_absent = [parent_id for parent_id, value in carries.items() if value is False]
    carriers = [parent_id for parent_id, value in carries.items() if value]
    unknown = [parent_id for parent_id, value in carries.items() if value is None]
    if call.zygosity in (Zygosity.HOM_ALT, Zygosity.HEMI) and known_absent:
        return Transmission(
            TransmissionStatus.MENDELIAN_INCONSISTENT,
            f"homozygous, but {', '.join(known_absent)} does not carry it: a deletion of that parent's copy, "
            "uniparental disomy, non-paternity or a sample swap",
        )
    if call.zygosity == Zygosity.HET and len(homozygous) >= 2:
        return Transmission(
            TransmissionStatus.MENDELIAN_INCONSISTENT,
            f"heterozygous, but both parents ({', '.join(sorted(homozygous))}) are homozygous for it",
        )
    if call.zygosity == Zygosity.HET and len(parents) >= 2 and len(known_absent) == len(parents):
        return Transmission(
            TransmissionStatus.DE_NOVO,
            f"absent in both parents ({', '.join(known_absent)}): apparently de novo (confirm parentage and "
            "the call); its phase cannot be told from the parents",
        )
    if unknown:
        return Transmission(TransmissionStatus.UNKNOWN, f"parental genotype not assessable for {', '.join(unknown)}")
    if carriers and len(carriers) == len(parents) and call.zygosity == Zygosity.HET:
        return Transmission(TransmissionStatus.INHERITED, f"both parents carry it ({', '.join(carriers)}): from either")
    if carriers:
        return Transmission(TransmissionStatus.INHERITED, f"inherited from {', '.join(carriers)}")
    return Transmission(
        TransmissionStatus.UNKNOWN, f"not carried by {', '.join(known_absent)}; the other parent was not tested"
    )


def mendelian_conflicts_at_parent_homozygotes(
    child: Mapping[VariantKey, GenotypeCall], parents: Mapping[str, SampleGenotypes | Mapping]
) -> list[str]:
    """Sites where a parent is homozygous ALT but the child is confidently homozygous reference."""
    conflicts = []
    for parent_id, calls in parents.items():
        homozygous_alt_keys = getattr(calls, "homozygous_alt_keys", None)
        keys = (
            homozygous_alt_keys()
            if homozygous_alt_keys is not None
            else [key for key, call in calls.items() if call.zygosity == Zygosity.HOM_ALT]
        )
        for key in keys:
            parent_call, own = calls[key], child.get(key)
            if parent_call.passes_qc and own is not None and own.zygosity == Zygosity.HOM_REF and own.passes_qc:
                conflicts.append(f"{key}: {parent_id} is homozygous ({parent_call.genotype}) but the child is 0/0")
    return conflicts

