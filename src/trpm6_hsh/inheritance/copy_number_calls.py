"""A sample's exon copy number from read depth, read as calls the verdict uses exactly like ``sv_vcf`` deletions.

The copy-number stage (``trpm6_hsh.copy_number``) writes ``results/cnv/{sample}.copy_number.json``. Here each
of its calls becomes a :class:`GenotypeCall` and a :class:`VariantRecord`, so the verdict rules need nothing
new:

- copy number 1: a heterozygous deletion (genotype 0/1) of the called exons; copy number 0: a homozygous
  deletion (1/1, biallelic loss); 3 or more: a duplication (0/1), shown and of uncertain significance.
- A deletion is classified by the classify stage's own logic: the built-in annotator reads it as a
  ``<DEL>`` of the called exons (exon loss, the PVS1 decision tree on the reading frame and NMD) and
  ``classify.evaluate`` turns that into a class; so a deletion qualifies when it removes a coding exon
  with PVS1 strong enough for Likely pathogenic (no population frequency is known for it, so no PM2).
- A duplication of a coding exon is a candidate VUS (never qualifying): with one qualifying variant it makes
  the case inconclusive, never CARRIER.
- A low-confidence call (log10 Bayes factor below ``high_confidence_log10_bayes_factor``) is "suggestive,
  confirm": a candidate VUS, never qualifying, so it never makes a positive verdict on its own, yet it keeps
  a case with one qualifying variant inconclusive (QUALIFYING_PLUS_VUS, never CARRIER) and, as a deletion,
  casts doubt on an apparent homozygote it covers (POSSIBLE_HEMIZYGOUS).
- The call's span for overlap tests reaches from just past the neighbouring exons (the breakpoints lie
  somewhere in the flanking introns), so a variant in those introns is read as possibly inside it.

Exons the model could not assess are listed with the reason and never read as two copies. Every line about
a copy-number call asks for orthogonal confirmation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from trpm6_hsh import wording
from trpm6_hsh.builtin_annotator import COLUMNS as ANNOTATION_COLUMNS
from trpm6_hsh.builtin_annotator import Annotator
from trpm6_hsh.builtin_annotator.alleles import Allele
from trpm6_hsh.classify import (
    PopulationSettings,
    SiteFacts,
    VariantRecord,
    evaluate,
    pick_reportable_annotation,
)
from trpm6_hsh.config import complete_section, default_config
from trpm6_hsh.copy_number.results import ASSESSED, HIGH, CopyNumberCall, SampleCopyNumber, read_sample_copy_number
from trpm6_hsh.errors import InputError
from trpm6_hsh.inheritance.genotypes import GenotypeCall
from trpm6_hsh.model import Classification, VariantKey, Zygosity
from trpm6_hsh.transcripts import Transcript

TERMINAL_REACH_BP = 2_000
"""How far past a terminal exon a deletion of it may reach, for overlap tests (the simulator's convention)."""
DELETION_ALT, DUPLICATION_ALT = "<DEL>", "<DUP>"
NOT_APPLICABLE = "not applicable: copy-number call from read depth"


@dataclass(frozen=True)
class CopyNumberEvidence:
    """What one sample's copy-number result adds to its verdict: calls, their classes, and evidence lines."""

    calls: tuple[GenotypeCall, ...] = ()
    records: Mapping[VariantKey, VariantRecord] = field(default_factory=dict)
    evidence: tuple[str, ...] = ()
    recommendations: tuple[str, ...] = ()


def exon_text(exons: Sequence[int]) -> str:
    """'4-5' for a run, '7' for one exon, '1, 39' for separate exons."""
    exons = sorted(exons)
    if exons and exons == list(range(exons[0], exons[-1] + 1)) and len(exons) > 1:
        return f"{exons[0]}-{exons[-1]}"
    return ", ".join(str(exon) for exon in exons)


def _reach(call: CopyNumberCall, transcript: Transcript) -> tuple[int, int]:
    """The widest genomic span the event may have: up to (not into) the neighbouring exons."""
    ascending = sorted(transcript.exons, key=lambda exon: exon.start)
    inside = [index for index, exon in enumerate(ascending) if exon.number in call.exons]
    low, high = min(inside), max(inside)
    start = ascending[low - 1].end + 1 if low > 0 else ascending[0].start - TERMINAL_REACH_BP
    end = ascending[high + 1].start - 1 if high + 1 < len(ascending) else ascending[-1].end + TERMINAL_REACH_BP
    return max(start, 2), end


class CopyNumberReader:
    """Turns copy-number results into calls; the annotator and settings are made once per stage."""

    def __init__(self, fasta: Path, model: Path, transcript: Transcript,
                 population: Mapping[str, object] | None = None,
                 cnv: Mapping[str, object] | None = None) -> None:
        self.annotator = Annotator(Path(fasta), Path(model))
        self.transcript = transcript
        self.population = PopulationSettings.from_config(
            complete_section("population", population),
            {"min_review_stars": default_config()["clinvar_min_review_stars"]},
        )
        section = complete_section("cnv", cnv)
        self.high_confidence = float(section["high_confidence_log10_bayes_factor"])
        #: The exons behind every copy-number key made so far (any sample): a parent's result is read at them.
        self.exons_of: dict[VariantKey, tuple[int, ...]] = {}

    def contig(self, chrom: str) -> str:
        return self.annotator.contig_of(chrom) or chrom

    def key_of(self, call: CopyNumberCall) -> tuple[VariantKey, int]:
        """The call's key (POS is the padding base before its widest span, as for a VCF ``<DEL>``) and END."""
        start, end = _reach(call, self.transcript)
        alt = DELETION_ALT if call.copy_number < 2 else DUPLICATION_ALT
        key = VariantKey(self.contig(call.chrom), start - 1, "N", alt)
        self.exons_of[key] = tuple(call.exons)
        return key, end

    def two_copies(self, result: SampleCopyNumber | None, key: VariantKey) -> str | None:
        """How read depth shows this person with two copies of every exon of a copy-number key (None when it
        does not: not assessed, another copy number, or not a copy-number key)."""
        exons = self.exons_of.get(key)
        if result is None or result.status != ASSESSED or not exons:
            return None
        by_number = {exon.exon: exon for exon in result.exons}
        if all(number in by_number and by_number[number].status == ASSESSED and by_number[number].copy_number == 2
               for number in exons):
            return wording.COPY_NUMBER_PARENT_TWO_COPIES.format(exons=exon_text(exons))
        return None

    def genotype_call(self, call: CopyNumberCall) -> GenotypeCall:
        key, end = self.key_of(call)
        homozygous = call.copy_number == 0
        return GenotypeCall(
            key=key,
            zygosity=Zygosity.HOM_ALT if homozygous else Zygosity.HET,
            genotype="1/1" if homozygous else "0/1",
            phased=False,
            phase_set=None,
            alt_haplotypes=(0, 1) if homozygous else (),
            depth=None,
            genotype_quality=None,
            allele_balance=None,
            filter="PASS",
            qc_failures=(),
            sv_end=end,
            is_deletion=call.copy_number < 2,
        )

    def call_line(self, call: CopyNumberCall) -> str:
        kind = wording.COPY_NUMBER_KIND.get(call.copy_number, wording.COPY_NUMBER_DUPLICATION)
        return wording.COPY_NUMBER_CALL.format(
            kind=kind, exons=exon_text(call.exons), copy_number=call.copy_number, chrom=call.chrom,
            start=call.start, end=call.end, bayes=call.log10_bayes_factor, confidence=call.confidence,
        )  # fmt: skip

    def record(self, call: CopyNumberCall) -> VariantRecord:
        """The deletion classified by the classify stage's rules; a duplication as a candidate VUS."""
        key, end = self.key_of(call)
        if call.copy_number >= 2 or call.confidence != HIGH:
            reason = wording.COPY_NUMBER_DUPLICATION_NOTE if call.copy_number >= 2 else (
                wording.COPY_NUMBER_LOW_CONFIDENCE.format(bayes=call.log10_bayes_factor, threshold=self.high_confidence)
            )
            return VariantRecord(
                key=key, sv_end=end, gene=self.transcript.gene, exon=exon_text(call.exons),
                consequence="feature_elongation" if call.copy_number >= 2 else "exon_loss_variant",
                impact="MODERATE" if call.copy_number >= 2 else "HIGH", classification=Classification.VUS,
                candidate_vus=True, population_af_source=NOT_APPLICABLE,
                classification_reason=f"not qualifying: {reason}",
            )  # fmt: skip
        contig = self.contig(call.chrom)
        allele = Allele.sv_deletion_of(contig, call.start - 1, "N", DELETION_ALT, call.end)
        rows = [dict(zip(ANNOTATION_COLUMNS, row.as_tsv().split("\t"), strict=True))
                for row in self.annotator.rows_for(contig, allele)]
        annotation = {**pick_reportable_annotation(rows), "chrom": key.chrom, "pos": str(key.pos),
                      "ref": key.ref, "alt": key.alt}
        facts = SiteFacts(None, NOT_APPLICABLE, end)
        return evaluate(annotation, facts, self.population).record()

    def evidence(self, result: SampleCopyNumber | None) -> CopyNumberEvidence:
        """Calls, records and evidence lines of one sample's result (None: its sheet row has no alignment)."""
        if result is None:
            return CopyNumberEvidence()
        if result.status != ASSESSED:
            return CopyNumberEvidence(evidence=(wording.COPY_NUMBER_SAMPLE_NOT_ASSESSED.format(reason=result.reason),))
        calls = tuple(self.genotype_call(call) for call in result.calls)
        records = {call.key: self.record(found) for call, found in zip(calls, result.calls, strict=True)}
        lines = [self.call_line(call) for call in result.calls]
        duplications = [call for call in result.calls if call.copy_number > 2]
        if duplications:
            lines.append(wording.COPY_NUMBER_DUPLICATION_NOTE)
        lines.extend(_not_assessed_lines(result))
        assessed = [exon for exon in result.exons if exon.status == ASSESSED]
        if not result.calls:
            lines.append(wording.COPY_NUMBER_NORMAL.format(assessed=len(assessed)))
        recommendations = ()
        if result.calls:
            described = "; ".join(
                f"{wording.COPY_NUMBER_KIND.get(c.copy_number, wording.COPY_NUMBER_DUPLICATION)} of exon(s) "
                f"{exon_text(c.exons)}" for c in result.calls
            )
            recommendations = (wording.COPY_NUMBER_RECOMMENDATION.format(calls=described),)
        return CopyNumberEvidence(calls, records, tuple(lines), recommendations)


def _not_assessed_lines(result: SampleCopyNumber) -> Iterator[str]:
    by_reason: dict[str, list[int]] = {}
    for exon in result.exons:
        if exon.status != ASSESSED:
            by_reason.setdefault(exon.reason, []).append(exon.exon)
    for reason, exons in by_reason.items():
        yield wording.COPY_NUMBER_EXONS_NOT_ASSESSED.format(exons=exon_text(exons), reason=reason)



def without_calls_already_in_the_vcf(found: CopyNumberEvidence,
                                     carried: Sequence[GenotypeCall]) -> CopyNumberEvidence:
    """Drop a copy-number deletion the sample's VCF (``sv_vcf``) already calls with the same genotype over the
    same exons: one event read twice must not pair with itself ("two deletions, phase unknown"). A line says
    that read depth agrees; a call that differs (other zygosity, or no overlap) is kept."""
    kept, lines = [], []
    for call in found.calls:
        same = next((other for other in carried if other.is_deletion and other.sv_end is not None
                     and call.is_deletion and other.zygosity == call.zygosity and other.overlaps(call)), None)
        if same is None:
            kept.append(call)
        else:
            lines.append(wording.COPY_NUMBER_AGREES.format(key=same.key, end=same.sv_end))
    if len(kept) == len(found.calls):
        return found
    records = {call.key: found.records[call.key] for call in kept}
    return CopyNumberEvidence(tuple(kept), records, (*found.evidence, *lines), found.recommendations)


class CopyNumberInputs:
    """The copy-number JSON of each member that has one, read once each, with the reader of its calls."""

    def __init__(self, paths: Mapping[str, Path], reader: CopyNumberReader) -> None:
        self.paths = {sample: Path(path) for sample, path in paths.items()}
        self.reader = reader
        self._found: dict[str, tuple[SampleCopyNumber | None, CopyNumberEvidence]] = {}

    @classmethod
    def of(cls, paths: Mapping[str, Path] | None, fasta: Path | None, model: Path, transcript: Transcript,
           population: Mapping[str, object] | None, cnv: Mapping[str, object] | None) -> CopyNumberInputs | None:
        """None when no member has a copy-number result; the reference FASTA is needed to classify calls."""
        if not paths:
            return None
        if not fasta:
            first = next(iter(paths.values()))
            raise InputError(first, "copy-number results need the reference FASTA to classify their calls",
                             "pass reference_fasta (the workflow's reference.fasta)")
        return cls(paths, CopyNumberReader(Path(fasta), Path(model), transcript, population, cnv))

    def of_sample(self, sample_id: str) -> tuple[SampleCopyNumber | None, CopyNumberEvidence]:
        if sample_id not in self._found:
            path = self.paths.get(sample_id)
            result = read_sample_copy_number(path) if path is not None else None
            if result is not None and result.sample != sample_id:
                raise InputError(path, f"holds sample {result.sample!r}, not {sample_id!r}",
                                 "rerun the copy-number stage")
            self._found[sample_id] = (result, self.reader.evidence(result))
        return self._found[sample_id]


class WithCopyNumberCalls(Mapping[VariantKey, GenotypeCall]):
    """A member's calls joined with its copy-number calls; everything else is asked of the member's calls.

    ``two_copies(key)`` says how the member's read depth shows two copies at a copy-number key (None: it
    does not), so a parent assessed at two copies reads as not carrying a deletion the child has there.
    """

    def __init__(self, calls: Mapping[VariantKey, GenotypeCall], extra: Sequence[GenotypeCall],
                 two_copies: Callable[[VariantKey], str | None] | None = None) -> None:
        self._calls = calls
        self._extra = {call.key: call for call in extra if call.key not in calls}
        self._two_copies = two_copies or (lambda key: None)

    def reference_at(self, key: VariantKey) -> bool | None:
        if key not in self and self._two_copies(key):
            return True
        reference_at = getattr(self._calls, "reference_at", None)
        return reference_at(key) if reference_at is not None else None

    def reference_source(self, key: VariantKey) -> str:
        shown = self._two_copies(key) if key not in self else None
        if shown:
            return shown
        return self._calls.reference_source(key)

    def __getitem__(self, key: VariantKey) -> GenotypeCall:
        return self._extra[key] if key in self._extra else self._calls[key]

    def __iter__(self) -> Iterator[VariantKey]:
        yield from self._calls
        yield from self._extra

    def __len__(self) -> int:
        return len(self._calls) + len(self._extra)

    def __getattr__(self, name: str) -> object:
        if name.startswith("_"):  # never for our own fields (copy, pickle): no recursion
            raise AttributeError(name)
        return getattr(self._calls, name)


def with_copy_number_calls(calls: Mapping[VariantKey, GenotypeCall], extra: Sequence[GenotypeCall],
                           two_copies: Callable[[VariantKey], str | None] | None = None
                           ) -> Mapping[VariantKey, GenotypeCall]:
    return WithCopyNumberCalls(calls, extra, two_copies)
