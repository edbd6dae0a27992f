"""Inheritance stage: per sample, genotype QC, phase and the autosomal-recessive verdict.

The rules are small named predicates over the sample's calls (after slivar's habit), and every
verdict carries the evidence it rests on. Missing is not reference: a no-call is never read as 0/0.
"""

from __future__ import annotations

import itertools
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import cyvcf2

from trpm6_hsh.errors import InputError
from trpm6_hsh.model import Phase, PhaseSource, VariantKey, Verdict, Zygosity
from trpm6_hsh.transcripts import Transcript, load_transcripts
from trpm6_hsh.tsv import read_table, write_text_atomic

log = logging.getLogger(__name__)

# ClinGen SVI PM3 recommendation (v1.0): points per observation, and the strength they reach.
PM3_POINTS_IN_TRANS_PATHOGENIC = 1.0
PM3_POINTS_IN_TRANS_LIKELY_PATHOGENIC = 0.5
PM3_POINTS_PHASE_UNKNOWN = 0.5
PM3_POINTS_HOMOZYGOUS = 0.5
PM3_STRENGTHS = ((4.0, "PM3_VeryStrong"), (2.0, "PM3_Strong"), (1.0, "PM3"), (0.5, "PM3_Supporting"))


@dataclass(frozen=True)
class GenotypeQcSettings:
    min_dp: int = 10
    min_gq: int = 20
    het_allele_balance: tuple[float, float] = (0.2, 0.8)
    hom_min_allele_balance: float = 0.85
    require_pass: bool = True

    @classmethod
    def from_config(cls, section: Mapping[str, object]) -> GenotypeQcSettings:
        low, high = section.get("het_allele_balance", (0.2, 0.8))
        return cls(
            min_dp=int(section.get("min_dp", 10)),
            min_gq=int(section.get("min_gq", 20)),
            het_allele_balance=(float(low), float(high)),
            hom_min_allele_balance=float(section.get("hom_min_allele_balance", 0.85)),
            require_pass=bool(section.get("require_pass", True)),
        )


@dataclass(frozen=True)
class GenotypeCall:
    """One sample's genotype at one biallelic site, with the QC facts the report shows."""

    key: VariantKey
    zygosity: Zygosity
    genotype: str
    phased: bool
    phase_set: int | None
    alt_haplotypes: tuple[int, ...]
    depth: int | None
    genotype_quality: int | None
    allele_balance: float | None
    filter: str
    qc_failures: tuple[str, ...]
    sv_end: int | None = None

    @property
    def carries_alt(self) -> bool:
        return self.zygosity in (Zygosity.HET, Zygosity.HOM_ALT, Zygosity.HEMI)

    @property
    def passes_qc(self) -> bool:
        return not self.qc_failures

    def overlaps(self, other: GenotypeCall) -> bool:
        end = self.sv_end or (self.key.pos + len(self.key.ref) - 1)
        other_end = other.sv_end or (other.key.pos + len(other.key.ref) - 1)
        return self.key.chrom == other.key.chrom and self.key.pos <= other_end and other.key.pos <= end


@dataclass(frozen=True)
class PairPhase:
    first: VariantKey
    second: VariantKey
    phase: Phase
    source: PhaseSource
    detail: str


@dataclass(frozen=True)
class VerdictResult:
    verdict: Verdict
    text: str
    evidence: tuple[str, ...]
    pairs: tuple[PairPhase, ...] = field(default_factory=tuple)
    pm3: tuple[dict[str, object], ...] = field(default_factory=tuple)


def _optional_int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return None if number < 0 else number


def _format_values(variant: cyvcf2.Variant, name: str) -> list | None:
    """The (only) sample's values of a FORMAT field, or None when the field is absent."""
    try:
        values = variant.format(name)
    except KeyError:
        return None
    if values is None:
        return None
    return list(values[0])


def _first_format_int(variant: cyvcf2.Variant, name: str) -> int | None:
    values = _format_values(variant, name)
    return _optional_int(values[0]) if values else None


def qc_failures(
    zygosity: Zygosity, depth, quality, balance, filter_value: str, settings: GenotypeQcSettings
) -> tuple[str, ...]:
    """Named reasons a call is not trusted; empty when it passes."""
    failures = []
    if settings.require_pass and filter_value not in ("PASS", "."):
        failures.append(f"FILTER={filter_value}")
    if depth is not None and depth < settings.min_dp:
        failures.append(f"DP={depth}<{settings.min_dp}")
    if quality is not None and quality < settings.min_gq:
        failures.append(f"GQ={quality}<{settings.min_gq}")
    if balance is not None and zygosity == Zygosity.HET:
        low, high = settings.het_allele_balance
        if not low <= balance <= high:
            failures.append(f"AB={balance:.2f} outside [{low:g}, {high:g}] for a heterozygous call")
    if balance is not None and zygosity == Zygosity.HOM_ALT and balance < settings.hom_min_allele_balance:
        failures.append(f"AB={balance:.2f}<{settings.hom_min_allele_balance:g} for a homozygous call")
    return tuple(failures)


def read_calls(vcf: Path, sample_id: str, settings: GenotypeQcSettings) -> tuple[GenotypeCall, ...]:
    """Every record of the locus VCF as this sample's call (no-calls included)."""
    try:
        reader = cyvcf2.VCF(str(vcf), samples=[sample_id], gts012=False, strict_gt=False)
    except OSError as error:
        raise InputError(vcf, f"cannot open the locus VCF ({error})", "rerun the extract stage") from error
    if sample_id not in reader.samples:
        raise InputError(vcf, f"sample {sample_id!r} is not in the locus VCF", "check the sample sheet")
    calls = []
    for variant in reader:
        if not variant.ALT:
            continue
        alleles = variant.genotypes[0]
        *indices, phased = alleles
        known = [a for a in indices if a is not None and a >= 0]
        if not known:
            zygosity = Zygosity.NO_CALL
        elif len(indices) == 1:
            zygosity = Zygosity.HEMI if known[0] > 0 else Zygosity.HOM_REF
        elif len(known) < len(indices):
            zygosity = Zygosity.HET if any(a > 0 for a in known) else Zygosity.NO_CALL
        elif all(a > 0 for a in known):
            zygosity = Zygosity.HOM_ALT
        elif any(a > 0 for a in known):
            zygosity = Zygosity.HET
        else:
            zygosity = Zygosity.HOM_REF
        genotype = ("|" if phased else "/").join("." if a is None or a < 0 else str(a) for a in indices)
        depth = _first_format_int(variant, "DP")
        quality = _first_format_int(variant, "GQ")
        balance = None
        depths = _format_values(variant, "AD")
        if depths is not None and len(depths) >= 2:
            ref_reads, alt_reads = _optional_int(depths[0]), _optional_int(depths[1])
            if ref_reads is not None and alt_reads is not None and ref_reads + alt_reads > 0:
                balance = alt_reads / (ref_reads + alt_reads)
        phase_set = _first_format_int(variant, "PS") if phased else None
        filter_value = variant.FILTER or "PASS"
        sv_end = variant.end if variant.INFO.get("SVTYPE") else None
        calls.append(
            GenotypeCall(
                key=VariantKey(variant.CHROM, variant.POS, variant.REF, variant.ALT[0]),
                zygosity=zygosity,
                genotype=genotype,
                phased=bool(phased) and len(indices) == 2,
                phase_set=phase_set,
                alt_haplotypes=tuple(i for i, a in enumerate(indices) if a is not None and a > 0),
                depth=depth,
                genotype_quality=quality,
                allele_balance=None if balance is None else round(balance, 4),
                filter=filter_value,
                qc_failures=()
                if zygosity == Zygosity.NO_CALL
                else qc_failures(zygosity, depth, quality, balance, filter_value, settings),
                sv_end=sv_end,
            )
        )
    return tuple(calls)


def read_phase_by_reads(first: GenotypeCall, second: GenotypeCall) -> tuple[Phase, str] | None:
    """Phase from GT '|' — only meaningful when both calls share a phase set."""
    if not (first.phased and second.phased) or first.phase_set is None or first.phase_set != second.phase_set:
        return None
    if first.zygosity != Zygosity.HET or second.zygosity != Zygosity.HET:
        return None
    same = first.alt_haplotypes == second.alt_haplotypes
    return (Phase.CIS if same else Phase.TRANS), f"phased genotypes in phase set {first.phase_set}"


def parent_carries(parent_calls: Mapping[VariantKey, GenotypeCall], key: VariantKey) -> bool | None:
    """True/False when the parent's genotype is known and passes QC; None when it cannot be told."""
    call = parent_calls.get(key)
    if call is None:
        return False  # absent from the parent's VCF: not observed (see the evidence wording)
    if call.zygosity == Zygosity.NO_CALL or not call.passes_qc:
        return None
    return call.carries_alt


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


def determine_phase(
    first: GenotypeCall, second: GenotypeCall, parents: Mapping[str, Mapping[VariantKey, GenotypeCall]]
) -> PairPhase:
    by_reads = read_phase_by_reads(first, second)
    by_parents = read_phase_by_parents(first.key, second.key, parents)
    if by_reads and by_parents and by_reads[0] == by_parents[0]:
        return PairPhase(first.key, second.key, by_reads[0], PhaseSource.BOTH, f"{by_reads[1]}; {by_parents[1]}")
    if by_reads and by_parents:
        detail = f"conflict: reads say {by_reads[0].value}, parents say {by_parents[0].value}"
        return PairPhase(first.key, second.key, Phase.UNKNOWN, PhaseSource.UNKNOWN, detail)
    if by_reads:
        return PairPhase(first.key, second.key, by_reads[0], PhaseSource.READ_BACKED, by_reads[1])
    if by_parents:
        return PairPhase(first.key, second.key, by_parents[0], PhaseSource.PARENTAL, by_parents[1])
    return PairPhase(first.key, second.key, Phase.UNKNOWN, PhaseSource.UNKNOWN, "no phasing information")


def pm3_strength(points: float) -> str:
    for threshold, label in PM3_STRENGTHS:
        if points >= threshold:
            return label
    return ""


def _pm3_for_pair(pair: PairPhase, classes: Mapping[VariantKey, str]) -> list[dict[str, object]]:
    """PM3 for each variant of a pair, from its partner's class and the phase."""
    scored = []
    for variant, partner in ((pair.first, pair.second), (pair.second, pair.first)):
        if pair.phase == Phase.TRANS:
            points = (
                PM3_POINTS_IN_TRANS_PATHOGENIC
                if classes.get(partner) == "Pathogenic"
                else PM3_POINTS_IN_TRANS_LIKELY_PATHOGENIC
            )
            basis = f"in trans with {partner} ({classes.get(partner)})"
        elif pair.phase == Phase.UNKNOWN:
            points, basis = PM3_POINTS_PHASE_UNKNOWN, f"phase unknown with {partner} ({classes.get(partner)})"
        else:
            continue
        scored.append({"variant": str(variant), "points": points, "code": pm3_strength(points), "basis": basis})
    return scored


VERDICT_SENTENCES = {
    Verdict.HOMOZYGOUS: (
        "Homozygous qualifying variant in TRPM6: biallelic loss of function, consistent with "
        "hypomagnesemia with secondary hypocalcemia (HSH)."
    ),
    Verdict.COMPOUND_HET_TRANS: (
        "Two qualifying TRPM6 variants on different copies of the gene (in trans): biallelic loss of "
        "function, consistent with HSH."
    ),
    Verdict.COMPOUND_HET_PHASE_UNKNOWN: (
        "Two qualifying TRPM6 variants, but it is not known whether they lie on different copies of the "
        "gene. Testing both parents is recommended to confirm a biallelic (compound heterozygous) result."
    ),
    Verdict.CIS_NOT_BIALLELIC: (
        "Two qualifying TRPM6 variants on the same copy of the gene (in cis): the other copy carries no "
        "detected qualifying variant, so this is not a biallelic result."
    ),
    Verdict.QUALIFYING_PLUS_VUS: (
        "One qualifying TRPM6 variant and one variant of uncertain significance. The uncertain variant "
        "cannot establish a diagnosis; the result is inconclusive for HSH."
    ),
    Verdict.CARRIER: (
        "One heterozygous qualifying TRPM6 variant: carrier. No second qualifying variant was found in "
        "what was assessed."
    ),
    Verdict.POSSIBLE_HEMIZYGOUS: (
        "Apparently homozygous qualifying TRPM6 variant, but a deletion of the other copy cannot be "
        "excluded or is indicated. Confirm by parental testing and copy-number analysis."
    ),
    Verdict.NEGATIVE: (
        "No qualifying TRPM6 variant was found in what was assessed. This does not exclude HSH: see "
        "the regions that were not assessed."
    ),
    Verdict.NOT_ASSESSABLE: (
        "The TRPM6 locus could not be assessed in this sample: no genotype call at the locus passed quality control."
    ),
}


def decide_verdict(
    calls: Sequence[GenotypeCall],
    variants: Mapping[VariantKey, Mapping[str, str]],
    parents: Mapping[str, Mapping[VariantKey, GenotypeCall]],
) -> VerdictResult:
    """The biallelic verdict from QC-passing calls, with the evidence behind it."""
    evidence: list[str] = []
    if calls and all(call.zygosity == Zygosity.NO_CALL for call in calls):
        return VerdictResult(
            Verdict.NOT_ASSESSABLE,
            VERDICT_SENTENCES[Verdict.NOT_ASSESSABLE],
            (f"all {len(calls)} records at the locus are no-calls for this sample",),
        )
    carried = [call for call in calls if call.carries_alt]
    classes = {key: row.get("classification", "") for key, row in variants.items()}

    def is_qualifying(call: GenotypeCall) -> bool:
        return variants.get(call.key, {}).get("qualifying") == "true"

    def is_candidate_vus(call: GenotypeCall) -> bool:
        return variants.get(call.key, {}).get("candidate_vus") == "true"

    for call in carried:
        if not call.passes_qc and (is_qualifying(call) or is_candidate_vus(call)):
            evidence.append(
                f"{call.key} ({call.genotype}) failed genotype QC ({'; '.join(call.qc_failures)}) and was "
                "not used for the verdict; confirm it by an orthogonal method"
            )
    usable = [call for call in carried if call.passes_qc]
    qualifying = [call for call in usable if is_qualifying(call)]
    vus = [call for call in usable if is_candidate_vus(call)]
    deletions = [call for call in usable if call.sv_end is not None and call.key.alt in ("<DEL>", "<CN0>", "<CN1>")]

    homozygous = [call for call in qualifying if call.zygosity == Zygosity.HOM_ALT]
    if homozygous:
        call = homozygous[0]
        reasons = [f"{d.key} (deletion to {d.sv_end}) overlaps it" for d in deletions if d.overlaps(call) and d != call]
        for parent_id, parent_calls in parents.items():
            if parent_carries(parent_calls, call.key) is False:
                reasons.append(f"parent {parent_id} does not carry it (possible deletion or uniparental disomy)")
        if reasons:
            evidence.append(f"{call.key} appears homozygous, but " + "; ".join(reasons))
            return VerdictResult(
                Verdict.POSSIBLE_HEMIZYGOUS,
                VERDICT_SENTENCES[Verdict.POSSIBLE_HEMIZYGOUS],
                tuple(evidence),
                pm3=({"variant": str(call.key), "points": 0.0, "code": "", "basis": "hemizygosity not excluded"},),
            )
        evidence.append(f"{call.key} homozygous ({call.genotype}), {classes.get(call.key)}")
        pm3 = {
            "variant": str(call.key),
            "points": PM3_POINTS_HOMOZYGOUS,
            "code": pm3_strength(PM3_POINTS_HOMOZYGOUS),
            "basis": "homozygous occurrence in an affected individual (applies if the patient's phenotype fits HSH)",
        }
        return VerdictResult(Verdict.HOMOZYGOUS, VERDICT_SENTENCES[Verdict.HOMOZYGOUS], tuple(evidence), pm3=(pm3,))

    heterozygous = [call for call in qualifying if call.zygosity == Zygosity.HET]
    if len(heterozygous) >= 2:
        pairs = [determine_phase(a, b, parents) for a, b in itertools.combinations(heterozygous, 2)]
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
        return VerdictResult(
            verdict,
            VERDICT_SENTENCES[verdict],
            tuple(evidence),
            pairs=tuple(pairs),
            pm3=tuple(_pm3_for_pair(chosen, classes)),
        )
    if len(heterozygous) == 1 and vus:
        pairs = tuple(determine_phase(heterozygous[0], other, parents) for other in vus)
        for pair in pairs:
            evidence.append(
                f"qualifying {pair.first} with uncertain {pair.second}: {pair.phase.value} "
                f"({pair.source.value}: {pair.detail})"
            )
        return VerdictResult(
            Verdict.QUALIFYING_PLUS_VUS, VERDICT_SENTENCES[Verdict.QUALIFYING_PLUS_VUS], tuple(evidence), pairs=pairs
        )
    if len(heterozygous) == 1:
        evidence.append(f"{heterozygous[0].key} heterozygous, {classes.get(heterozygous[0].key)}")
        return VerdictResult(Verdict.CARRIER, VERDICT_SENTENCES[Verdict.CARRIER], tuple(evidence))
    if not calls:
        evidence.append("the VCF holds no records at the TRPM6 locus for this sample")
    else:
        evidence.append(f"{len(usable)} variant call(s) at the locus, none qualifying")
    return VerdictResult(Verdict.NEGATIVE, VERDICT_SENTENCES[Verdict.NEGATIVE], tuple(evidence))


def _pair_role(key: VariantKey, result: VerdictResult) -> tuple[Phase, PhaseSource]:
    for pair in result.pairs:
        if key in (pair.first, pair.second):
            return pair.phase, pair.source
    return Phase.NOT_APPLICABLE, PhaseSource.NOT_APPLICABLE


def _parental_genotypes(key: VariantKey, parents: Mapping[str, Mapping[VariantKey, GenotypeCall]]) -> dict:
    shown = {}
    for parent_id, parent_calls in parents.items():
        call = parent_calls.get(key)
        shown[parent_id] = "not in VCF" if call is None else call.genotype
    return shown


SPLICE_SITE_BASES = 2


def verdict_transcript(model: Path) -> Transcript:
    """The MANE Select transcript of the model (verdicts are made on it), else its first coding one."""
    transcripts = [t for t in load_transcripts(model) if t.is_coding]
    if not transcripts:
        raise InputError(model, "no protein-coding transcript in the model", "give a GFF3/GTF with CDS features")
    return next((t for t in transcripts if t.is_mane), transcripts[0])


def coding_regions(transcript: Transcript) -> list[dict[str, object]]:
    """Each coding exon's coding bases plus its canonical splice sites: what a negative must cover."""
    regions = []
    for exon in transcript.exons:
        start, end = max(exon.start, transcript.cds_start), min(exon.end, transcript.cds_end)
        if start > end:
            continue
        regions.append(
            {
                "region": f"exon {exon.number} coding bases and canonical splice sites "
                f"({transcript.chrom}:{start - SPLICE_SITE_BASES}-{end + SPLICE_SITE_BASES})",
                "exon": exon.number,
                "chrom": transcript.chrom,
                "start": start - SPLICE_SITE_BASES,
                "end": end + SPLICE_SITE_BASES,
                "transcript": transcript.versioned_id,
            }
        )
    return regions


def _callability_unknown(regions: Sequence[Mapping[str, object]]) -> list[dict[str, object]]:
    reason = "plain VCF: it lists variants only, so whether this exon was covered is unknown"
    return [dict(region, status="unknown", reason=reason) for region in regions]


def _batch_name(path: Path) -> str:
    name = Path(path).name
    for suffix in (".vcf.gz", ".vcf", ".bcf"):
        if name.endswith(suffix):
            return name.removesuffix(suffix)
    return name


def call_biallelic_status(
    sample: Mapping[str, object],
    family_batches: Mapping[str, str],
    locus_vcfs: Sequence[Path],
    variant_tables: Sequence[Path],
    genotype_qc: Mapping[str, object],
    model: Path,
    out: Path,
) -> Verdict:
    """Write the sample's verdict JSON (calls, phase, evidence, what was not assessed)."""
    settings = GenotypeQcSettings.from_config(genotype_qc)
    vcf_of_batch = {_batch_name(path): Path(path) for path in locus_vcfs}
    table_of_batch = {Path(path).name.removesuffix(".variants.tsv"): Path(path) for path in variant_tables}
    sample_id = str(sample["sample_id"])

    def calls_of(member: str) -> tuple[GenotypeCall, ...]:
        return read_calls(vcf_of_batch[family_batches[member]], member, settings)

    calls = calls_of(sample_id)
    variants = {
        VariantKey(row["chrom"], int(row["pos"]), row["ref"], row["alt"]): row
        for row in read_table(table_of_batch[family_batches[sample_id]])
    }
    parents = {
        parent_id: {call.key: call for call in calls_of(parent_id)}
        for parent_id in (sample.get("paternal_id"), sample.get("maternal_id"))
        if parent_id
    }
    result = decide_verdict(calls, variants, parents)
    variant_entries = []
    for call in calls:
        if not call.carries_alt:
            continue
        phase, source = _pair_role(call.key, result)
        entry = dict(variants.get(call.key, {}))
        entry.update(
            chrom=call.key.chrom,
            pos=call.key.pos,
            ref=call.key.ref,
            alt=call.key.alt,
            zygosity=call.zygosity.value,
            genotype=call.genotype,
            phase_set=call.phase_set,
            depth=call.depth,
            genotype_quality=call.genotype_quality,
            allele_balance=call.allele_balance,
            filter=call.filter,
            qc_pass=call.passes_qc,
            qc_failures=list(call.qc_failures),
            phase=phase.value,
            phase_source=source.value,
            parental_genotypes=_parental_genotypes(call.key, parents),
        )
        if call.key not in variants:
            entry.setdefault("classification", "Not classified")
            entry.setdefault("consequence", "structural_variant" if call.sv_end else "")
            entry.setdefault("qualifying", "false")
        variant_entries.append(entry)
    no_calls = sum(1 for call in calls if call.zygosity == Zygosity.NO_CALL)
    document = {
        "sample_id": sample_id,
        "verdict": result.verdict.value,
        "verdict_text": result.text,
        "evidence": list(result.evidence),
        "pairs": [
            {
                "first": str(p.first),
                "second": str(p.second),
                "phase": p.phase.value,
                "phase_source": p.source.value,
                "detail": p.detail,
            }
            for p in result.pairs
        ],
        "pm3": list(result.pm3),
        "variants": variant_entries,
        "genotype_qc": asdict(settings),
        "locus_records": len(calls),
        "locus_no_calls": no_calls,
        "not_assessed": _callability_unknown(coding_regions(verdict_transcript(model))),
    }
    write_text_atomic(out, json.dumps(document, indent=2, sort_keys=True) + "\n")
    log.info("%s: %s", sample_id, result.verdict.value)
    return result.verdict
