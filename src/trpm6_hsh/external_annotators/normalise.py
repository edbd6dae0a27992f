"""One consequence table, whatever annotated: the annotator's words, the project's LoF rules.

For every ALT allele of the locus VCF and every transcript an annotator reports:

- consequence: the annotator's terms, mapped to the project's SO vocabulary (:mod:`.terms`);
- HGVS: the annotator's, in current HGVS style (:mod:`.hgvs_style`); where it gives none (bcftools csq
  never does) the built-in annotator's, and ``hgvs_source`` says which;
- LoF, confidence, PVS1 strength and reasons: always the built-in LoF rules
  (:meth:`trpm6_hsh.builtin_annotator.TranscriptHit.lof_for_terms`) applied to the annotator's terms and
  the transcript's structure, so a verdict means the same thing whatever ran.

An allele the annotator says nothing about (bcftools csq skips alleles no sample carries, symbolic SVs and
up/downstream variants) gets the built-in annotator's rows, flagged ``BUILTIN_FALLBACK``: a variant is
never dropped from the table because a tool was silent about it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from trpm6_hsh import __version__
from trpm6_hsh.builtin_annotator import COLUMNS as BUILTIN_COLUMNS
from trpm6_hsh.builtin_annotator import AnnotationRow, Annotator, annotate_records, read_alleles
from trpm6_hsh.builtin_annotator.terms import accession_table, impact_of, lof_classes
from trpm6_hsh.errors import InputError
from trpm6_hsh.external_annotators import ANNOTATORS
from trpm6_hsh.external_annotators.hgvs_style import normalise_hgvs_c, normalise_hgvs_p
from trpm6_hsh.external_annotators.readers import ToolCall, ToolOutput, read_tool_output
from trpm6_hsh.external_annotators.terms import map_terms
from trpm6_hsh.tsv import read_table, write_table

log = logging.getLogger(__name__)

SCHEMA_VERSION = "1"
EXTRA_COLUMNS = ("annotator", "annotator_version", "hgvs_source", "tool_consequence", "tool_lof",
                 "plugin_fields", "schema_version")
COLUMNS = (*BUILTIN_COLUMNS, *EXTRA_COLUMNS)
# Annotators that do not model symbolic SV alleles: the built-in SV logic annotates those.
NO_SYMBOLIC_SV = frozenset({"bcftools_csq"})


def transcript_stem(identifier: str) -> str:
    """``transcript:ENST00000360774.6`` -> ``ENST00000360774`` (prefix and version dropped)."""
    text = identifier.strip()
    if ":" in text:
        text = text.split(":", 1)[1]
    head, _, tail = text.rpartition(".")
    return head if head and tail.isdigit() else text


@dataclass(frozen=True)
class ModelIndex:
    """The transcript model's IDs, plus RefSeq accessions, so any tool's transcript name can be matched."""

    by_name: Mapping[str, str]

    @classmethod
    def of(cls, annotator: Annotator) -> ModelIndex:
        names: dict[str, str] = {}
        refseq = {a.transcript_accession: tid for tid, a in accession_table().items()}
        for t in annotator.transcripts:
            for name in (t.transcript_id, t.versioned_id):
                names[transcript_stem(name)] = t.transcript_id
        for accession, tid in refseq.items():
            if tid in names.values():
                names[transcript_stem(accession)] = tid
        return cls(names)

    def resolve(self, tool_transcript: str) -> str | None:
        return self.by_name.get(transcript_stem(tool_transcript)) if tool_transcript else None


def _builtin_row_dict(row: AnnotationRow) -> dict[str, object]:
    return {name: getattr(row, name) for name in BUILTIN_COLUMNS}


def _flags(*groups: Iterable[str]) -> str:
    seen = sorted({flag.replace(";", ",") for group in groups for flag in group if flag})
    return ";".join(seen)


def _merge(calls: list[ToolCall]) -> ToolCall:
    """Several statements about one transcript (e.g. one per haplotype): union of words, first HGVS."""
    first = calls[0]
    words = tuple(dict.fromkeys(w for c in calls for w in c.words))
    return replace(
        first, words=words,
        hgvs_c=next((c.hgvs_c for c in calls if c.hgvs_c), ""),
        hgvs_p=next((c.hgvs_p for c in calls if c.hgvs_p), ""),
        tool_lof=next((c.tool_lof for c in calls if c.tool_lof), ""),
        plugin_fields=tuple(dict.fromkeys(p for c in calls for p in c.plugin_fields)),
        flags=tuple(dict.fromkeys(f for c in calls for f in c.flags)),
        mane_hint=any(c.mane_hint for c in calls),
    )


def _plugin_flags(plugins: tuple[tuple[str, str], ...]) -> list[str]:
    """The plugin values a counselor should see beside the variant (they reach the report's flags)."""
    shown = []
    for name, value in plugins:
        if name in ("LoF", "LoF_filter", "LoF_flags") or name.startswith("SpliceAI"):
            shown.append(f"{'LOFTEE' if name == 'LoF' else name}={value}")
    return shown


class Normaliser:
    """Reference + model + locus alleles, ready to turn one annotator's output into table rows."""

    def __init__(self, fasta: Path, model: Path, locus_vcf: Path) -> None:
        self.builtin = Annotator(Path(fasta), Path(model))
        self.model = ModelIndex.of(self.builtin)
        self.alleles = read_alleles(Path(locus_vcf), self.builtin)
        self.builtin_rows: dict[tuple, list[AnnotationRow]] = {}
        for row in annotate_records(self.builtin, self.alleles):
            self.builtin_rows.setdefault((row.chrom, row.pos, row.ref, row.alt), []).append(row)

    def rows(self, annotator: str, output: ToolOutput, source: Path | str = "") -> list[dict[str, object]]:
        calls: dict[tuple, list[ToolCall]] = {}
        for call in output.calls:
            if call.transcript or call.gene:  # intergenic statements: the built-in rows say the same
                calls.setdefault(call.key, []).append(call)
        known = {(a.allele.chrom, a.allele.pos, a.allele.ref, a.allele.alt) for a in self.alleles}
        stray = sorted(key for key in set(calls) - known if key[3] != "*")  # '*': spanning deletion, not ours
        if stray:
            chrom, pos, ref, alt = stray[0]
            raise InputError(source or f"{annotator} output", f"{len(stray)} allele(s) are not in the locus VCF, e.g. "
                             f"{chrom}:{pos} {ref}>{alt}", "annotate the locus VCF the workflow extracted, "
                             "without normalising or re-sorting it")
        rows: list[dict[str, object]] = []
        for item in self.alleles:
            allele = item.allele
            key = (allele.chrom, allele.pos, allele.ref, allele.alt)
            mine = calls.get(key, [])
            symbolic = allele.alt.startswith("<")
            if not mine or item.contig is None or (symbolic and annotator in NO_SYMBOLIC_SV):
                if not mine:
                    reason = "BUILTIN_FALLBACK:not_annotated_by_tool"
                elif item.contig is None:
                    reason = "BUILTIN_FALLBACK:not_assessable_here"  # contig not in the reference, or <INV>/<DUP>
                else:
                    reason = "BUILTIN_FALLBACK:symbolic_allele"
                for row in self.builtin_rows.get(key, []):
                    values = _builtin_row_dict(row)
                    values.update(hgvs_source="builtin", tool_consequence="&".join(
                        w for c in mine for w in c.words), flags=_flags(str(row.flags).split(";"), [reason]))
                    rows.append(values)
                continue
            rows.extend(self._rows_for(item, mine))
        for row in rows:
            row.update(annotator=annotator, annotator_version=output.version, schema_version=SCHEMA_VERSION)
        rows.sort(key=lambda r: (int(r["pos"]), str(r["ref"]), str(r["alt"]), str(r["transcript"])))
        return rows

    def _rows_for(self, item, calls: list[ToolCall]) -> list[dict[str, object]]:
        allele = item.allele
        key = (allele.chrom, allele.pos, allele.ref, allele.alt)
        builtin = {row.transcript: row for row in self.builtin_rows.get(key, [])}
        hits = self.builtin.hits(item.contig, allele) if item.contig is not None else {}
        grouped: dict[str, list[ToolCall]] = {}
        for call in calls:
            target = self.model.resolve(call.transcript)
            if target is None and not call.transcript and call.gene:
                # a gene-level statement (bcftools writes introns this way): every model transcript of the gene
                for tid, hit in hits.items():
                    if hit.transcript.gene == call.gene:
                        grouped.setdefault(tid, []).append(call)
                continue
            grouped.setdefault(target or "?" + transcript_stem(call.transcript), []).append(call)
        rows = []
        for target, group in grouped.items():
            call = _merge(group)
            mapped = map_terms(call.words)
            terms = mapped.terms or ("sequence_variant",)
            base = builtin.get(target)
            hgvs_c, hgvs_p = normalise_hgvs_c(call.hgvs_c), normalise_hgvs_p(call.hgvs_p)
            source_c = "tool" if hgvs_c else "builtin"
            source_p = "tool" if hgvs_p else "builtin"
            flags = [*call.flags, *(f"UNKNOWN_TERM:{w}" for w in mapped.unknown), *_plugin_flags(call.plugin_fields)]
            if target in hits:
                hit = hits[target]
                lof_call = hit.lof_for_terms(terms)
                values = _builtin_row_dict(base) if base is not None else {}
                values.update(
                    transcript=target, consequence="&".join(terms), impact=impact_of(terms),
                    hgvs_c=hgvs_c or (base.hgvs_c if base else hit.effect.hgvs_c),
                    hgvs_p=hgvs_p or (base.hgvs_p if base else hit.effect.hgvs_p),
                    lof=lof_call.lof, lof_confidence=lof_call.confidence.value,
                    pvs1_strength=lof_call.strength.value, lof_reason=";".join(lof_call.reasons),
                )
                values.setdefault("gene", hit.transcript.gene)
                values.setdefault("is_mane", hit.transcript.is_mane)
            else:
                # a transcript the model does not have: the tool's words only; no PVS1 without the structure
                is_lof = bool(set(terms) & lof_classes())
                values = {name: "" for name in BUILTIN_COLUMNS}
                values.update(
                    chrom=allele.chrom, pos=allele.pos, ref=allele.ref, alt=allele.alt, gene=call.gene,
                    transcript=transcript_stem(call.transcript) or call.transcript,
                    transcript_accession=call.transcript, is_mane=call.mane_hint,
                    consequence="&".join(terms), impact=impact_of(terms), hgvs_c=hgvs_c, hgvs_p=hgvs_p,
                    lof=is_lof, lof_reason="TRANSCRIPT_NOT_IN_MODEL" if is_lof else "",
                )
                source_c = "tool" if hgvs_c else ""
                source_p = "tool" if hgvs_p else ""
                flags.append("TRANSCRIPT_NOT_IN_MODEL")
            values.update(
                chrom=allele.chrom, pos=allele.pos, ref=allele.ref, alt=allele.alt,
                hgvs_source=source_c if source_c == source_p else f"c:{source_c},p:{source_p}",
                tool_consequence="&".join(call.words), tool_lof=call.tool_lof,
                plugin_fields=";".join(f"{n}={v.replace(';', ',')}" for n, v in call.plugin_fields),
                flags=_flags(flags),
            )
            rows.append(values)
        return rows


def normalise_builtin_table(table: Path) -> list[dict[str, object]]:
    """The built-in annotator's own TSV, with the columns the other annotators' tables carry."""
    rows = read_table(Path(table), BUILTIN_COLUMNS)
    for row in rows:
        row.update(annotator="builtin", annotator_version=__version__, hgvs_source="builtin" if row["hgvs_c"] else "",
                   tool_consequence=row["consequence"], tool_lof="", plugin_fields="",
                   schema_version=SCHEMA_VERSION)
    return rows


def normalise_annotation(annotator: str, annotated: Path, locus_vcf: Path, fasta: Path, model: Path, out: Path,
                         output_format: str = "vcf") -> int:
    """Write ``out``, the consequence table of ``annotated`` (what ``annotator`` wrote); return its rows."""
    if annotator not in ANNOTATORS:
        raise InputError(annotated, f"unknown annotator {annotator!r}", f"use one of {', '.join(ANNOTATORS)}")
    if annotator == "builtin":
        rows = normalise_builtin_table(Path(annotated))
    else:
        output = read_tool_output(Path(annotated), output_format)
        rows = Normaliser(Path(fasta), Path(model), Path(locus_vcf)).rows(annotator, output, annotated)
        fallback = sum(1 for row in rows if "BUILTIN_FALLBACK" in str(row.get("flags", "")))
        log.info("%s (%s %s): %d rows, %d from the built-in fallback", annotated, annotator,
                 output.version or "version unknown", len(rows), fallback)
    write_table(Path(out), COLUMNS, rows)
    return len(rows)
