"""The verdict document of a sample (verdict.json), its reader, and the stage's entry points.

:class:`VerdictDocument` is the hand-off to the report: :meth:`VerdictDocument.to_json` and
:func:`read_verdict` sit together so what is written and what is read are one contract
(``workflow/schemas/verdict.schema.json``). The per-sample path (:func:`call_biallelic_status`) and the
batch path (:func:`call_batch_verdicts`) share :func:`verdict_document`, so they give the same documents.
The module is over 500 lines because the document's record types, its builder and the entry points that
write it belong together: a field added here is added to the writer, the reader and the builder at once.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from trpm6_hsh.callability import (
    AssessedStatus,
    CallabilitySettings,
    CoverageEvidence,
    RegionGrid,
    alignment_coverage,
    coding_regions,
    region_statuses,
)
from trpm6_hsh.classify import VariantRecord, read_variant_table
from trpm6_hsh.config import HEADER_FIELDS, NO_PARENT, LabValues, Sample, complete_section
from trpm6_hsh.copy_number.results import SampleCopyNumber
from trpm6_hsh.errors import InputError
from trpm6_hsh.files import write_text_atomic
from trpm6_hsh.inheritance.copy_number_calls import (
    CopyNumberEvidence,
    CopyNumberInputs,
    with_copy_number_calls,
    without_calls_already_in_the_vcf,
)
from trpm6_hsh.inheritance.evidence import Patient, SampleClassification, SampleCriterion, SampleEvidenceSettings
from trpm6_hsh.inheritance.genotypes import (
    GenotypeCall,
    GenotypeMatrix,
    GenotypeQcSettings,
    QcStatus,
    SampleGenotypes,
)
from trpm6_hsh.inheritance.members import AlignmentReads, Breakpoints, MemberGenotypes, read_breakpoints
from trpm6_hsh.inheritance.phase import (
    PairPhase,
    Transmission,
    TransmissionStatus,
    mendelian_conflicts_at_parent_homozygotes,
    parent_genotype_text,
    transmission,
)
from trpm6_hsh.inheritance.pm3 import Pm3Entry
from trpm6_hsh.inheritance.verdict import LocusFacts, VerdictResult, decide_verdict, sample_follow_up
from trpm6_hsh.jsontext import dumps_indented
from trpm6_hsh.model import Phase, PhaseSource, VariantKey, Verdict, Zygosity
from trpm6_hsh.transcripts import load_mane_transcript
from trpm6_hsh.wording import IMPRECISE_BREAKPOINTS, PLAIN_VCF_REASON

log = logging.getLogger(__name__)

# The classification and consequence shown for a carried variant that variants.tsv does not list.
NOT_CLASSIFIED = "Not classified"
STRUCTURAL_VARIANT = "structural_variant"


# ----------------------------------------------------------------------------- the document (verdict.json)


@dataclass(frozen=True)
class PairEntry:
    """The phase of one pair of variants as the document shows it."""

    first: str
    second: str
    phase: Phase
    phase_source: PhaseSource
    detail: str

    @classmethod
    def of(cls, pair: PairPhase) -> PairEntry:
        return cls(str(pair.first), str(pair.second), pair.phase, pair.source, pair.detail)

    def to_json(self) -> dict[str, object]:
        return {
            "first": self.first,
            "second": self.second,
            "phase": self.phase.value,
            "phase_source": self.phase_source.value,
            "detail": self.detail,
        }

    @classmethod
    def from_json(cls, entry: Mapping[str, object]) -> PairEntry:
        return cls(
            str(entry["first"]),
            str(entry["second"]),
            Phase(entry["phase"]),
            PhaseSource(entry["phase_source"]),
            str(entry["detail"]),
        )


# The keys of a document's variant entry that come from the sample's call; the others are the
# variant's cells of variants.tsv, written as text (VariantRecord.cells).
_CALL_KEYS = (
    "chrom",
    "pos",
    "ref",
    "alt",
    "zygosity",
    "genotype",
    "phase_set",
    "depth",
    "genotype_quality",
    "allele_balance",
    "filter",
    "qc_pass",
    "qc_status",
    "qc_failures",
    "qc_notes",
    "phase",
    "phase_source",
    "transmission",
    "transmission_detail",
    "parental_genotypes",
    "sv_start_range",
    "sv_end_range",
)
# The keys of the sample-level evidence (PM3 and PP4 counted in this sample), next to the variants.tsv cells
# whose classification, qualifying and candidate_vus then give the class in this sample.
_SAMPLE_KEYS = ("sample_evidence", "acmg_points_total", "classification_before_sample_evidence")


@dataclass(frozen=True)
class VariantEntry:
    """One variant the sample carries: its call, QC, phase and transmission, with its classification.

    ``classified`` is the variant's row of variants.tsv, written as that row's cells (as text). It is
    None for a variant the table does not list; the entry then shows ``classification`` 'Not classified',
    ``unlisted_consequence`` as its consequence ('structural_variant' for a symbolic SV) and
    ``qualifying`` 'false'.

    ``classified`` carries the class this sample's verdict uses: the classify stage's, raised where PM3 or
    PP4 counted in this sample (``sample_evidence``); ``classification_before_sample_evidence`` and
    ``acmg_points_total`` (None when the table gives no points) show the step.
    """

    key: VariantKey
    zygosity: Zygosity
    genotype: str
    phase_set: int | None
    depth: int | None
    genotype_quality: int | None
    allele_balance: float | None
    filter: str
    qc_pass: bool
    qc_status: QcStatus
    qc_failures: tuple[str, ...]
    qc_notes: tuple[str, ...]
    phase: Phase
    phase_source: PhaseSource
    transmission: TransmissionStatus
    transmission_detail: str
    parental_genotypes: Mapping[str, str]
    classified: VariantRecord | None = None
    unlisted_consequence: str = ""
    sv_start_range: tuple[int, int] | None = None
    sv_end_range: tuple[int, int] | None = None
    sample_evidence: tuple[SampleCriterion, ...] = ()
    acmg_points_total: int | None = None
    classification_before_sample_evidence: str = ""

    @property
    def consequence(self) -> str:
        """The consequence shown: the classified row's, else the one given for an unlisted variant."""
        return self.classified.consequence if self.classified is not None else self.unlisted_consequence

    def _classified_cells(self) -> dict[str, str]:
        if self.classified is None:
            return {"classification": NOT_CLASSIFIED, "consequence": self.unlisted_consequence, "qualifying": "false"}
        return {key: value for key, value in self.classified.cells().items() if key not in _CALL_KEYS}

    def to_json(self) -> dict[str, object]:
        return {
            **self._classified_cells(),
            "sample_evidence": [item.to_json() for item in self.sample_evidence],
            "acmg_points_total": self.acmg_points_total,
            "classification_before_sample_evidence": self.classification_before_sample_evidence,
            "chrom": self.key.chrom,
            "pos": self.key.pos,
            "ref": self.key.ref,
            "alt": self.key.alt,
            "zygosity": self.zygosity.value,
            "genotype": self.genotype,
            "phase_set": self.phase_set,
            "depth": self.depth,
            "genotype_quality": self.genotype_quality,
            "allele_balance": self.allele_balance,
            "filter": self.filter,
            "qc_pass": self.qc_pass,
            "qc_status": self.qc_status.value,
            "qc_failures": list(self.qc_failures),
            "qc_notes": list(self.qc_notes),
            "phase": self.phase.value,
            "phase_source": self.phase_source.value,
            "transmission": self.transmission.value,
            "transmission_detail": self.transmission_detail,
            "parental_genotypes": dict(self.parental_genotypes),
            "sv_start_range": list(self.sv_start_range) if self.sv_start_range else None,
            "sv_end_range": list(self.sv_end_range) if self.sv_end_range else None,
        }

    @classmethod
    def from_json(cls, entry: Mapping[str, object]) -> VariantEntry:
        key = VariantKey(str(entry["chrom"]), int(entry["pos"]), str(entry["ref"]), str(entry["alt"]))
        cells = {name: str(value) for name, value in entry.items() if name not in (*_CALL_KEYS, *_SAMPLE_KEYS)}
        if cells.get("classification") == NOT_CLASSIFIED:
            classified, unlisted_consequence = None, cells.get("consequence", "")
        else:
            key_cells = {"chrom": key.chrom, "pos": str(key.pos), "ref": key.ref, "alt": key.alt}
            classified, unlisted_consequence = VariantRecord.from_cells({**key_cells, **cells}), ""
        return cls(
            key=key,
            zygosity=Zygosity(entry["zygosity"]),
            genotype=str(entry["genotype"]),
            phase_set=entry["phase_set"],
            depth=entry["depth"],
            genotype_quality=entry["genotype_quality"],
            allele_balance=entry["allele_balance"],
            filter=str(entry["filter"]),
            qc_pass=bool(entry["qc_pass"]),
            qc_status=QcStatus(entry["qc_status"]),
            qc_failures=tuple(entry["qc_failures"]),
            qc_notes=tuple(entry["qc_notes"]),
            phase=Phase(entry["phase"]),
            phase_source=PhaseSource(entry["phase_source"]),
            transmission=TransmissionStatus(entry["transmission"]),
            transmission_detail=str(entry["transmission_detail"]),
            parental_genotypes=dict(entry["parental_genotypes"]),
            classified=classified,
            unlisted_consequence=unlisted_consequence,
            sv_start_range=_range(entry.get("sv_start_range")),
            sv_end_range=_range(entry.get("sv_end_range")),
            sample_evidence=tuple(SampleCriterion.from_json(item) for item in entry.get("sample_evidence", ())),
            acmg_points_total=entry.get("acmg_points_total"),
            classification_before_sample_evidence=str(entry.get("classification_before_sample_evidence", "")),
        )


def _range(value: object) -> tuple[int, int] | None:
    return (int(value[0]), int(value[1])) if value else None


@dataclass(frozen=True)
class CallabilityShown:
    """Where coverage came from and how many coding regions were assessed."""

    sources: tuple[str, ...]
    settings: Mapping[str, object]
    regions: int
    regions_assessed: int

    def to_json(self) -> dict[str, object]:
        return {
            "sources": list(self.sources),
            "settings": dict(self.settings),
            "regions": self.regions,
            "regions_assessed": self.regions_assessed,
        }

    @classmethod
    def from_json(cls, entry: Mapping[str, object]) -> CallabilityShown:
        return cls(
            tuple(entry["sources"]), dict(entry["settings"]), int(entry["regions"]), int(entry["regions_assessed"])
        )


@dataclass(frozen=True)
class VerdictDocument:
    """Everything the report needs about one sample's verdict (written as verdict.json)."""

    sample_id: str
    verdict: Verdict
    verdict_text: str
    evidence: tuple[str, ...]
    pairs: tuple[PairEntry, ...]
    pm3: tuple[Pm3Entry, ...]
    variants: tuple[VariantEntry, ...]
    de_novo: tuple[str, ...]
    mendelian_inconsistencies: tuple[str, ...]
    genotype_qc: Mapping[str, object]
    callability: CallabilityShown
    locus_records: int
    locus_no_calls: int
    not_assessed: tuple[Mapping[str, object], ...]
    extra_recommendations: tuple[str, ...] = ()
    #: The sample's exon copy number from read depth (``SampleCopyNumber.as_dict``); None when not run for it.
    copy_number: Mapping[str, object] | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "sample_id": self.sample_id,
            "verdict": self.verdict.value,
            "verdict_text": self.verdict_text,
            "evidence": list(self.evidence),
            "pairs": [pair.to_json() for pair in self.pairs],
            "pm3": [entry.to_json() for entry in self.pm3],
            "variants": [variant.to_json() for variant in self.variants],
            "de_novo": list(self.de_novo),
            "mendelian_inconsistencies": list(self.mendelian_inconsistencies),
            "genotype_qc": dict(self.genotype_qc),
            "callability": self.callability.to_json(),
            "locus_records": self.locus_records,
            "locus_no_calls": self.locus_no_calls,
            "not_assessed": [dict(region) for region in self.not_assessed],
            "extra_recommendations": list(self.extra_recommendations),
            "copy_number": self.copy_number,
        }

    @classmethod
    def from_json(cls, document: Mapping[str, object]) -> VerdictDocument:
        return cls(
            sample_id=str(document["sample_id"]),
            verdict=Verdict(document["verdict"]),
            verdict_text=str(document["verdict_text"]),
            evidence=tuple(document["evidence"]),
            pairs=tuple(PairEntry.from_json(pair) for pair in document["pairs"]),
            pm3=tuple(Pm3Entry.from_json(entry) for entry in document["pm3"]),
            variants=tuple(VariantEntry.from_json(entry) for entry in document["variants"]),
            de_novo=tuple(document["de_novo"]),
            mendelian_inconsistencies=tuple(document["mendelian_inconsistencies"]),
            genotype_qc=dict(document["genotype_qc"]),
            callability=CallabilityShown.from_json(document["callability"]),
            locus_records=int(document["locus_records"]),
            locus_no_calls=int(document["locus_no_calls"]),
            not_assessed=tuple(dict(region) for region in document["not_assessed"]),
            extra_recommendations=tuple(document.get("extra_recommendations", ())),
            copy_number=document.get("copy_number"),
        )

    def write(self, out: Path) -> None:
        write_text_atomic(out, _document_text(self.to_json()))


def _document_text(document: Mapping[str, object]) -> str:
    return dumps_indented(document) + "\n"


def read_verdict(path: Path) -> VerdictDocument:
    """Read a verdict.json written by this stage."""
    path = Path(path)
    try:
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle)
        return VerdictDocument.from_json(document)
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise InputError(path, f"not a readable verdict document ({error})", "rerun the inheritance stage") from error


# ----------------------------------------------------------------------------- samples and the cohort


def sample_from_record(record: Sample | Mapping[str, object]) -> Sample:
    """A :class:`Sample` from a sample-sheet record (as the workflow passes it); a Sample is returned as is."""
    if isinstance(record, Sample):
        return record
    return Sample(
        sample_id=str(record["sample_id"]),
        vcf=str(record.get("vcf") or ""),
        family_id=str(record.get("family_id") or ""),
        paternal_id=_parent_id(record.get("paternal_id")),
        maternal_id=_parent_id(record.get("maternal_id")),
        sex=str(record.get("sex") or ""),
        affected=record.get("affected"),
        alignment=str(record.get("alignment") or ""),
        sv_vcf=str(record.get("sv_vcf") or ""),
        **{name: str(record.get(name) or "") for name in HEADER_FIELDS},
        lab_values=LabValues.from_record(record.get("lab_values")),
    )


def _parent_id(value: object) -> str:
    return "" if value is None or str(value) in NO_PARENT else str(value)


@dataclass
class _Cohort:
    """Genotype matrices of the batches involved, read once, with what is derived from them."""

    matrices: dict[str, GenotypeMatrix]
    batch_of: Mapping[str, tuple[str, ...]]
    variant_tables: dict[str, dict[VariantKey, VariantRecord]]
    qc: GenotypeQcSettings
    callability: CallabilitySettings
    grid: RegionGrid
    reference_fasta: Path | None
    evidence_settings: SampleEvidenceSettings
    alignments: Mapping[str, Path] = field(default_factory=dict)
    """Members' BAM/CRAM by sample ID: evidence of reference where a parent's plain VCF lists nothing."""
    copy_number: CopyNumberInputs | None = None
    _gvcf: dict[str, CoverageEvidence | None] = field(default_factory=dict)
    _unknown: dict[str, object] = field(default_factory=dict)
    _breakpoints: dict[str, dict[VariantKey, Breakpoints]] = field(default_factory=dict)

    def genotypes(self, sample_id: str) -> MemberGenotypes:
        """The member's calls from every batch holding them (small variants, then SV/CNV)."""
        alignment = self.alignments.get(sample_id)
        reads = None
        if alignment:
            settings = self.callability
            reads = AlignmentReads(
                Path(alignment), self.reference_fasta, settings.alignment_min_depth,
                settings.alignment_min_base_quality, settings.alignment_min_mapping_quality,
            )  # fmt: skip
        return MemberGenotypes(
            [SampleGenotypes(self.matrices[batch], sample_id, self.qc) for batch in self.batch_of[sample_id]], reads
        )

    def copy_number_of(self, sample_id: str) -> tuple[SampleCopyNumber | None, CopyNumberEvidence]:
        """The member's copy-number result (None when it has none) and what it adds to the verdict."""
        if self.copy_number is None:
            return None, CopyNumberEvidence()
        return self.copy_number.of_sample(sample_id)

    def parent_calls(self, parent_id: str) -> Mapping[VariantKey, GenotypeCall]:
        """A parent's calls, with its copy-number calls when its alignment was assessed."""
        calls = self.genotypes(parent_id)
        result, found = self.copy_number_of(parent_id)
        if result is None:
            return calls
        return with_copy_number_calls(calls, found.calls, lambda key: self.copy_number.reader.two_copies(result, key))

    def variants(self, sample_id: str) -> dict[VariantKey, VariantRecord]:
        joined: dict[VariantKey, VariantRecord] = {}
        for batch in self.batch_of[sample_id]:
            for key, record in self.variant_tables.get(batch, {}).items():
                joined.setdefault(key, record)
        return joined

    def breakpoints(self, sample_id: str) -> dict[VariantKey, Breakpoints]:
        """END / CIPOS / CIEND of the SV records in the member's batches (read once per batch)."""
        joined: dict[VariantKey, Breakpoints] = {}
        for batch in self.batch_of[sample_id]:
            if batch not in self._breakpoints:
                self._breakpoints[batch] = read_breakpoints(self.matrices[batch].path)
            for key, found in self._breakpoints[batch].items():
                joined.setdefault(key, found)
        return joined

    def gvcf(self, batch: str) -> CoverageEvidence | None:
        if batch not in self._gvcf:
            self._gvcf[batch] = self.matrices[batch].gvcf_coverage(self.grid, self.callability)
        return self._gvcf[batch]

    def regions(self, sample: Sample) -> list[dict[str, object]]:
        batch = self.batch_of[sample.sample_id][0]
        sources = []
        gvcf = self.gvcf(batch)
        if gvcf is not None:
            sources.append((gvcf, self.matrices[batch].column(sample.sample_id)))
        if sample.alignment:
            coverage = alignment_coverage(self.grid, Path(sample.alignment), self.callability, self.reference_fasta)
            sources.append((coverage, 0))
        if not sources:  # a plain VCF: the same 'unknown' list for every sample
            if "plain" not in self._unknown:
                self._unknown["plain"] = region_statuses(self.grid, (), PLAIN_VCF_REASON)
            return [dict(entry) for entry in self._unknown["plain"]]
        return region_statuses(self.grid, sources, PLAIN_VCF_REASON)

    @property
    def settings_shown(self) -> tuple[dict[str, object], dict[str, object]]:
        """The QC and callability settings as the documents show them (JSON types)."""
        if "settings" not in self._unknown:
            self._unknown["settings"] = json.loads(json.dumps((asdict(self.qc), asdict(self.callability))))
        qc, callability = self._unknown["settings"]
        return dict(qc), dict(callability)


def _batch_name(path: Path) -> str:
    name = Path(path).name
    for suffix in (".vcf.gz", ".vcf", ".bcf"):
        if name.endswith(suffix):
            return name.removesuffix(suffix)
    return name


def _batches_of(batches: str | Sequence[str]) -> tuple[str, ...]:
    """A member's batches: one name (its VCF's) or several (its VCF's, then its SV/CNV VCF's)."""
    return (batches,) if isinstance(batches, str) else tuple(dict.fromkeys(batches))


def _open_cohort(
    members: Mapping[str, str | Sequence[str]],
    locus_vcfs: Sequence[Path],
    variant_tables: Sequence[Path],
    genotype_qc: Mapping[str, object],
    model: Path,
    callability: Mapping[str, object] | None,
    reference_fasta: Path | None,
    read_all_samples: bool = False,
    phenotype: Mapping[str, object] | None = None,
    population: Mapping[str, object] | None = None,
    alignments: Mapping[str, str | Path] | None = None,
    copy_number: Mapping[str, Path] | None = None,
    cnv: Mapping[str, object] | None = None,
) -> _Cohort:
    """Read every batch's genotypes once (for the members needed, or all its samples)."""
    vcf_of_batch = {_batch_name(path): Path(path) for path in locus_vcfs}
    table_of_batch = {Path(path).name.removesuffix(".variants.tsv"): Path(path) for path in variant_tables}
    wanted: dict[str, list[str]] = {}
    batch_of = {member: _batches_of(batches) for member, batches in members.items()}
    for member, batches in batch_of.items():
        for batch in batches:
            if batch not in vcf_of_batch:
                raise InputError(batch, f"no locus VCF given for the batch of {member!r}", "rerun the extract stage")
            wanted.setdefault(batch, []).append(member)
    matrices = {
        batch: GenotypeMatrix.read(vcf_of_batch[batch], None if read_all_samples else list(dict.fromkeys(ids)))
        for batch, ids in wanted.items()
    }
    tables = {batch: read_variant_table(table_of_batch[batch]) for batch in wanted if batch in table_of_batch}
    transcript = load_mane_transcript(model)
    return _Cohort(
        matrices=matrices,
        batch_of=batch_of,
        variant_tables=tables,
        qc=GenotypeQcSettings.from_config(complete_section("genotype_qc", genotype_qc)),
        callability=CallabilitySettings.from_config(complete_section("callability", callability)),
        grid=RegionGrid.of(coding_regions(transcript)),
        reference_fasta=Path(reference_fasta) if reference_fasta else None,
        evidence_settings=SampleEvidenceSettings.from_config(phenotype, population),
        alignments={member: Path(path) for member, path in (alignments or {}).items() if path},
        copy_number=CopyNumberInputs.of(copy_number, reference_fasta, model, transcript, population, cnv),
    )


def _variant_entry(
    call: GenotypeCall,
    record: VariantRecord | None,
    result: VerdictResult,
    found: Transmission,
    parents: Mapping[str, MemberGenotypes],
    breakpoints: Breakpoints | None = None,
) -> VariantEntry:
    unlisted_consequence = STRUCTURAL_VARIANT if record is None and call.sv_end else ""
    phase, source = result.phase_of(call.key)
    sample: SampleClassification | None = result.sample_classes.get(call.key)
    if sample is not None:
        criteria, total, before = sample.criteria, sample.total, sample.class_before
        record = sample.record
    else:
        criteria, before = (), record.classification if record is not None else None
        total = record.acmg_points if record is not None and "acmg_points" in record.columns else None
    return VariantEntry(
        key=call.key,
        zygosity=call.zygosity,
        genotype=call.genotype,
        phase_set=call.phase_set,
        depth=call.depth,
        genotype_quality=call.genotype_quality,
        allele_balance=call.allele_balance,
        filter=call.filter,
        qc_pass=call.passes_qc,
        qc_status=call.qc_status,
        qc_failures=call.qc_failures,
        qc_notes=call.qc_notes,
        phase=phase,
        phase_source=source,
        transmission=found.status,
        transmission_detail=found.detail,
        parental_genotypes={pid: parent_genotype_text(calls, call.key) for pid, calls in parents.items()},
        classified=record,
        unlisted_consequence=unlisted_consequence,
        sv_start_range=breakpoints.start_range if breakpoints else None,
        sv_end_range=breakpoints.end_range if breakpoints else None,
        sample_evidence=criteria,
        acmg_points_total=total,
        classification_before_sample_evidence=before.value if before is not None else "",
    )


def _imprecise_evidence(carried: Sequence[GenotypeCall], breakpoints: Mapping[VariantKey, Breakpoints]) -> list[str]:
    """One line per carried SV call whose breakpoints are uncertain (CIPOS / CIEND)."""
    lines = []
    for call in carried:
        found = breakpoints.get(call.key)
        if found is None or not found.imprecise:
            continue
        start = f"{found.start_range[0]:,}-{found.start_range[1]:,}" if found.start_range else f"{call.key.pos:,}"
        end = f"{found.end_range[0]:,}-{found.end_range[1]:,}" if found.end_range else f"{found.end or call.end:,}"
        lines.append(IMPRECISE_BREAKPOINTS.format(key=call.key, start=start, end=end))
    return lines


def verdict_document(sample: Sample, cohort: _Cohort) -> VerdictDocument:
    """The verdict document of one sample: calls, QC, phase, transmission, evidence, what was not assessed."""
    genotypes = cohort.genotypes(sample.sample_id)
    variants = cohort.variants(sample.sample_id)
    parents = {parent_id: cohort.parent_calls(parent_id) for parent_id in sample.parents}
    regions = cohort.regions(sample)
    blocks, block_no_calls = genotypes.block_no_calls
    facts = LocusFacts(genotypes.records, genotypes.no_calls, blocks, block_no_calls, tuple(regions))
    copy_number, from_depth = cohort.copy_number_of(sample.sample_id)
    from_depth = without_calls_already_in_the_vcf(from_depth, genotypes.carried())
    carried = [*genotypes.carried(), *(call for call in from_depth.calls if call.key not in genotypes)]
    variants = {**from_depth.records, **variants}
    patient = Patient(sample.lab_values, sample.affected, cohort.evidence_settings)
    result = decide_verdict(carried, variants, parents, facts, patient)
    conflicts = mendelian_conflicts_at_parent_homozygotes(genotypes, parents) if parents else []
    breakpoints = cohort.breakpoints(sample.sample_id)
    follow_up_evidence, follow_up_recommendations = sample_follow_up(result, sample.affected)
    evidence = [
        *result.evidence, *follow_up_evidence, *_imprecise_evidence(carried, breakpoints), *from_depth.evidence
    ]
    if conflicts:
        evidence.append(
            f"Mendelian inconsistencies with the parents at {len(conflicts)} site(s): " + "; ".join(conflicts)
        )
    entries = []
    inconsistent, de_novo = list(conflicts), []
    for call in carried:
        found = transmission(call, parents)
        if found.status == TransmissionStatus.MENDELIAN_INCONSISTENT:
            inconsistent.append(f"{call.key}: {found.detail}")
        if found.status == TransmissionStatus.DE_NOVO:
            de_novo.append(str(call.key))
        entries.append(
            _variant_entry(call, variants.get(call.key), result, found, parents, breakpoints.get(call.key))
        )
    qc_shown, callability_shown = cohort.settings_shown
    sources = (["gVCF"] if genotypes.is_gvcf else []) + (["alignment"] if sample.alignment else [])
    return VerdictDocument(
        sample_id=sample.sample_id,
        verdict=result.verdict,
        verdict_text=result.text,
        evidence=tuple(evidence),
        pairs=tuple(PairEntry.of(pair) for pair in result.pairs),
        pm3=result.pm3,
        variants=tuple(entries),
        de_novo=tuple(de_novo),
        mendelian_inconsistencies=tuple(inconsistent),
        genotype_qc=qc_shown,
        callability=CallabilityShown(
            sources=tuple(sources or ["none (plain VCF)"]),
            settings=callability_shown,
            regions=len(regions),
            regions_assessed=facts.assessed_regions,
        ),
        locus_records=genotypes.records,
        locus_no_calls=genotypes.no_calls,
        not_assessed=tuple(region for region in regions if region["status"] != AssessedStatus.ASSESSED),
        extra_recommendations=tuple(
            dict.fromkeys([*result.recommendations, *follow_up_recommendations, *from_depth.recommendations])
        ),
        copy_number=copy_number.as_dict() if copy_number is not None else None,
    )


# ----------------------------------------------------------------------------- entry points


def call_biallelic_status(
    sample: Sample | Mapping[str, object],
    family_batches: Mapping[str, str | Sequence[str]],
    locus_vcfs: Sequence[Path],
    variant_tables: Sequence[Path],
    genotype_qc: Mapping[str, object],
    model: Path,
    out: Path,
    callability: Mapping[str, object] | None = None,
    reference_fasta: Path | None = None,
    phenotype: Mapping[str, object] | None = None,
    population: Mapping[str, object] | None = None,
    alignments: Mapping[str, str | Path] | None = None,
    copy_number: Mapping[str, Path] | None = None,
    cnv: Mapping[str, object] | None = None,
) -> Verdict:
    """Write one sample's verdict JSON (reads only the sample and its parents).

    ``phenotype`` and ``population``: the config sections the sample-level evidence uses (PP4 thresholds, the
    population ceiling); schema defaults when not given. ``alignments``: the family members' BAM/CRAM by
    sample ID, read where a parent's VCF lists nothing at a site. ``copy_number``: the copy-number JSON of each
    member that has one (by sample ID), ``cnv`` the config section (needs ``reference_fasta``).
    """
    sample = sample_from_record(sample)
    members = {member: family_batches[member] for member in [sample.sample_id, *sample.parents]}
    cohort = _open_cohort(
        members, locus_vcfs, variant_tables, genotype_qc, model, callability, reference_fasta,
        phenotype=phenotype, population=population, alignments=alignments, copy_number=copy_number, cnv=cnv,
    )  # fmt: skip
    document = verdict_document(sample, cohort)
    document.write(out)
    log.info("%s: %s", document.sample_id, document.verdict.value)
    return document.verdict


def call_batch_verdicts(
    samples: Sequence[Sample | Mapping[str, object]],
    family_batches: Mapping[str, str | Sequence[str]],
    locus_vcfs: Sequence[Path],
    variant_tables: Sequence[Path],
    genotype_qc: Mapping[str, object],
    model: Path,
    callability: Mapping[str, object] | None = None,
    reference_fasta: Path | None = None,
    phenotype: Mapping[str, object] | None = None,
    population: Mapping[str, object] | None = None,
    alignments: Mapping[str, str | Path] | None = None,
    copy_number: Mapping[str, Path] | None = None,
    cnv: Mapping[str, object] | None = None,
) -> dict[str, VerdictDocument]:
    """Verdict documents of many samples at once, by sample ID: each locus VCF's genotype matrix is read once.

    ``family_batches`` names the batch of every sample and parent involved. The documents equal
    those :func:`call_biallelic_status` writes for each sample.
    """
    chosen = [sample_from_record(sample) for sample in samples]
    members = {}
    for sample in chosen:
        for member in [sample.sample_id, *sample.parents]:
            members[member] = family_batches[member]
    known = {sample.sample_id: sample.alignment for sample in chosen if sample.alignment}
    cohort = _open_cohort(
        members, locus_vcfs, variant_tables, genotype_qc, model, callability, reference_fasta, True,
        phenotype=phenotype, population=population, alignments={**known, **(alignments or {})},
        copy_number=copy_number, cnv=cnv,
    )  # fmt: skip
    return {sample.sample_id: verdict_document(sample, cohort) for sample in chosen}


def write_batch_verdicts(documents: Mapping[str, VerdictDocument], out_dir: Path) -> list[Path]:
    """Write each document as ``{sample_id}.verdict.json`` (atomically) and return the paths."""
    paths = []
    for sample_id, document in sorted(documents.items()):
        path = Path(out_dir) / f"{sample_id}.verdict.json"
        document.write(path)
        paths.append(path)
    return paths
