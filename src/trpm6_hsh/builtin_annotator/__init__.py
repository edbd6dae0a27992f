"""The built-in annotator: SO consequences, HGVS and LoF calls for every variant x transcript.

``annotate_vcf`` is what ``trpm6-hsh annotate`` runs. It reads any reference FASTA and transcript model
(GFF3 or GTF), harmonises contig names between VCF, FASTA and model, and writes one TSV row per
variant x transcript (one ``intergenic_variant`` row when no transcript lies within 5 kb).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from operator import attrgetter
from pathlib import Path

from trpm6_hsh import locus_header
from trpm6_hsh.builtin_annotator.alleles import Allele, VcfAllele
from trpm6_hsh.builtin_annotator.context import FLANK, GenomeWindow, TranscriptContext, TranscriptEffect
from trpm6_hsh.builtin_annotator.effects import hgvs_g, transcript_effect
from trpm6_hsh.builtin_annotator.haplotype import CodonPartners, find_codon_partners
from trpm6_hsh.builtin_annotator.lof import NOT_LOF, LofCall, assess
from trpm6_hsh.builtin_annotator.reference import Reference
from trpm6_hsh.builtin_annotator.sequence import translate
from trpm6_hsh.builtin_annotator.terms import accession_table, impact_of, order_terms
from trpm6_hsh.errors import InputError
from trpm6_hsh.files import atomic_path, open_vcf
from trpm6_hsh.model import Build
from trpm6_hsh.model_resources import GFF3_FILE
from trpm6_hsh.shipped import shipped_file
from trpm6_hsh.transcripts import Transcript, load_transcripts

__all__ = ["COLUMNS", "AnnotationRow", "Annotator", "TranscriptHit", "annotate_vcf", "default_model"]

COLUMNS = (
    "chrom", "pos", "ref", "alt", "gene", "transcript", "transcript_accession", "protein_accession",
    "is_mane", "consequence", "impact", "hgvs_g", "hgvs_c", "hgvs_p", "exon", "intron", "lof",
    "lof_confidence", "pvs1_strength", "lof_reason", "flags",
)


_COLUMN_VALUES = attrgetter(*COLUMNS)


@dataclass(frozen=True)
class AnnotationRow:
    chrom: str
    pos: int
    ref: str
    alt: str
    gene: str
    transcript: str
    transcript_accession: str
    protein_accession: str
    is_mane: bool
    consequence: str
    impact: str
    hgvs_g: str
    hgvs_c: str
    hgvs_p: str
    exon: str
    intron: str
    lof: bool
    lof_confidence: str
    pvs1_strength: str
    lof_reason: str
    flags: str

    def sort_key(self) -> tuple:
        return (self.pos, self.ref, self.alt, self.transcript)

    def as_tsv(self) -> str:
        return "\t".join(
            ("true" if value else "false") if value is True or value is False else str(value)
            for value in _COLUMN_VALUES(self)
        )


@dataclass(frozen=True)
class TranscriptHit:
    """One allele on one transcript as the built-in sees it; lets another annotator's terms be judged by the
    built-in LoF rules (the same verdict logic whatever annotator ran)."""

    transcript: Transcript
    context: TranscriptContext
    effect: TranscriptEffect

    def lof_for_terms(self, terms: tuple[str, ...]) -> LofCall:
        """LoF call, confidence and PVS1 strength for ``terms`` (SO terms) on this transcript's structure."""
        if not self.transcript.is_coding:
            return NOT_LOF
        return assess(self.context, replace(self.effect, terms=terms))


class Annotator:
    """Reference + transcript model, ready to annotate alleles (reusable across VCFs)."""

    def __init__(self, fasta: Path, model: Path) -> None:
        self.fasta_path, self.model_path = Path(fasta), Path(model)
        self.reference = Reference(self.fasta_path)
        self.transcripts = load_transcripts(self.model_path)
        self._contexts: dict[str, TranscriptContext] = {}
        self._contig_names: dict[str, str | None] = {}
        self._by_contig: dict[str, list[Transcript]] = {}
        missing = []
        for transcript in self.transcripts:
            contig = self.reference.contig_for(transcript.chrom)
            if contig is None:
                missing.append(transcript.chrom)
                continue
            self._by_contig.setdefault(contig, []).append(transcript)
        if not self._by_contig:
            raise InputError(self.fasta_path, f"none of the model's contigs ({', '.join(sorted(set(missing)))}) "
                             "is in the reference FASTA",
                             "use the FASTA the transcript model was made for (contig names chr9/9 are "
                             "matched automatically)")

    def contig_of(self, vcf_chrom: str) -> str | None:
        if vcf_chrom not in self._contig_names:
            self._contig_names[vcf_chrom] = self.reference.contig_for(vcf_chrom)
        return self._contig_names[vcf_chrom]

    def context(self, transcript: Transcript, contig: str) -> TranscriptContext:
        key = transcript.transcript_id + "@" + contig
        if key not in self._contexts:
            self._contexts[key] = _with_stop_codon(TranscriptContext(transcript, self.reference, contig))
        return self._contexts[key]

    def transcripts_near(self, contig: str, low: int, high: int) -> list[Transcript]:
        return [t for t in self._by_contig.get(contig, ())
                if t.start - FLANK <= high and low <= t.end + FLANK]

    def effects(self, contig: str, allele: Allele) -> list[tuple[TranscriptContext, TranscriptEffect]]:
        low = allele.start - 1
        high = max(allele.end, allele.start)
        found = []
        for transcript in self.transcripts_near(contig, low, high):
            ctx = self.context(transcript, contig)
            effect = transcript_effect(ctx, allele)
            if effect is not None:
                found.append((ctx, effect))
        return found

    def hits(self, contig: str, allele: Allele) -> dict[str, TranscriptHit]:
        """Transcripts (by ID) the allele lies on or within 5 kb of."""
        return {ctx.transcript.transcript_id: TranscriptHit(ctx.transcript, ctx, effect)
                for ctx, effect in self.effects(contig, allele)}

    def rows_for(self, contig: str, allele: Allele, extra_flags: dict[str, list[str]] | None = None,
                 overrides: dict[str, TranscriptEffect] | None = None) -> list[AnnotationRow]:
        found = self.effects(contig, allele)
        if not found:
            return [_intergenic_row(allele, self._g(contig, allele))]
        rows = []
        for ctx, effect in found:
            tid = ctx.transcript.transcript_id
            flags = list((extra_flags or {}).get(tid, []))
            if overrides and tid in overrides:
                effect = _merge_override(effect, overrides[tid])
            call = assess(ctx, effect) if ctx.transcript.is_coding else NOT_LOF
            rows.append(_row(allele, ctx, effect, call, flags))
        return rows

    def _g(self, contig: str, allele: Allele) -> str:
        """g. for a variant with no transcript nearby (same 3' shifting as on transcripts)."""
        return hgvs_g(GenomeWindow(self.reference, contig, allele.start - 1000, allele.end + 1000), allele)


def _with_stop_codon(ctx: TranscriptContext) -> TranscriptContext:
    """Include the stop codon in the CDS when the model left it out (a GTF without stop_codon lines).

    The loader already adds GTF ``stop_codon`` features; this catches models that lack them: if the
    CDS does not end in a stop but the next codon is one, the CDS is extended by that codon.
    """
    t = ctx.transcript
    if not t.is_coding or ctx.protein.endswith("*"):
        return ctx
    following = ctx.mrna[t.cds_tx_end:t.cds_tx_end + 3]
    if len(following) < 3 or translate(following) != "*":
        return ctx
    new_last = t.tx_to_genomic(t.cds_tx_end + 3)
    extended = replace(t, cds_end=new_last) if t.strand == 1 else replace(t, cds_start=new_last)
    return TranscriptContext(extended, ctx.reference, ctx.contig)


def _merge_override(own: TranscriptEffect, combined: TranscriptEffect) -> TranscriptEffect:
    """Own HGVS c., but the protein consequence of the haplotype-combined codon change."""
    return replace(combined, hgvs_c=own.hgvs_c, exon=own.exon, intron=own.intron)


def _accessions(transcript: Transcript) -> tuple[str, str]:
    known = accession_table().get(transcript.transcript_id)
    if known is not None:
        return known.transcript_accession, known.protein_accession
    return transcript.versioned_id, transcript.protein_id or ""


def _row(allele: Allele, ctx: TranscriptContext, effect: TranscriptEffect, call: LofCall,
         flags: list[str]) -> AnnotationRow:
    t = ctx.transcript
    transcript_accession, protein_accession = _accessions(t)
    return AnnotationRow(
        chrom=allele.chrom, pos=allele.pos, ref=allele.ref, alt=allele.alt,
        gene=t.gene, transcript=t.transcript_id,
        transcript_accession=transcript_accession,
        protein_accession=protein_accession if t.is_coding else "",
        is_mane=t.is_mane,
        consequence="&".join(effect.terms), impact=impact_of(effect.terms),
        hgvs_g=hgvs_g(ctx, allele), hgvs_c=effect.hgvs_c, hgvs_p=effect.hgvs_p,
        exon=effect.exon, intron=effect.intron,
        lof=call.lof, lof_confidence=call.confidence.value, pvs1_strength=call.strength.value,
        lof_reason=";".join(call.reasons), flags=";".join(sorted(set(flags))),
    )


def _intergenic_row(allele: Allele, hgvs: str) -> AnnotationRow:
    terms = order_terms({"intergenic_variant"})
    return AnnotationRow(
        chrom=allele.chrom, pos=allele.pos, ref=allele.ref, alt=allele.alt, gene="", transcript="",
        transcript_accession="", protein_accession="", is_mane=False, consequence="&".join(terms),
        impact=impact_of(terms), hgvs_g=hgvs, hgvs_c="", hgvs_p="", exon="", intron="", lof=False,
        lof_confidence="", pvs1_strength="", lof_reason="", flags="",
    )


# --------------------------------------------------------------------------- VCF reading
def _read_vcf(path: Path, annotator: Annotator) -> Iterator[VcfAllele]:
    if not path.is_file():
        raise InputError(path, "the VCF does not exist", "pass an existing VCF/VCF.gz/BCF with --vcf")
    number = 0
    try:
        with open_vcf(path) as vcf:
            samples = list(vcf.header.samples)
            source = locus_header.source_of(vcf.header)
            named = f"{source} (extracted to {path})" if source else path  # the file the user can fix
            for record in vcf:
                number += 1
                yield from _alleles_of(named, annotator, record, number, samples)
    except (OSError, ValueError, EOFError) as error:
        where = f"record {number + 1}" if number else "header"
        raise InputError(path, f"cannot read the VCF ({error})",
                         "pass a complete, valid VCF, bgzipped VCF or BCF (a truncated gzip fails here)",
                         where) from None


_BASES = re.compile(r"^[ACGTNacgtn]+$")


def _is_breakend(alt: str) -> bool:
    """VCF breakend notation (``G]chr2:321681]``, ``.G``, ``G.``): a join to elsewhere, not a sequence."""
    return "[" in alt or "]" in alt or (len(alt) > 1 and (alt.startswith(".") or alt.endswith(".")))


def _check_allele(path: Path, record, ref: str, alt: str, label: str) -> None:
    """Alleles the annotator cannot read exactly as written stop with the record named, never a guess."""
    if alt == "*" or _is_breakend(alt):
        return
    if alt.startswith("<"):
        if alt.strip("<>").split(":")[0] in ("DEL", "CN0", "CN1") and record.stop <= record.pos:
            raise InputError(path, f"symbolic deletion {alt} without a usable END or SVLEN (the END is missing "
                             f"or not after POS {record.pos})",
                             "give the deletion's END (or SVLEN) as the SV caller wrote it", label)
        return
    if not _BASES.match(alt):
        raise InputError(path, f"ALT {alt!r} is not made of the bases A, C, G, T and N",
                         "write the ALT allele as bases, a symbolic allele (<DEL>) or a breakend", label)
    if alt.upper() == ref.upper():
        raise InputError(path, f"ALT {alt} equals REF: the record describes no change",
                         "remove the record, or correct its ALT allele", label)


def _alleles_of(path, annotator, record, number, samples) -> Iterator[VcfAllele]:
    label = f"record {number} ({record.chrom}:{record.pos})"
    contig = annotator.contig_of(record.chrom)
    if contig is None:
        raise InputError(path, f"contig {record.chrom} is not in the reference FASTA "
                         f"({', '.join(sorted(annotator.reference.lengths)[:5])}...)",
                         "use the FASTA the VCF was called against (chr9 and 9 are matched automatically), "
                         "or restrict the VCF to the locus first", label)
    ref = record.ref or ""
    if contig is not None and ref and not ref.startswith("<"):
        expected = annotator.reference.fetch(contig, record.pos, record.pos + len(ref) - 1)
        if expected != ref.upper():
            raise InputError(path, f"REF {ref} does not match the reference FASTA ({expected or 'beyond contig end'})",
                             "use the reference build the VCF was called on, and normalise with "
                             "bcftools norm -f REF.fa", label)
    for alt_index, alt in enumerate(record.alts or (), start=1):
        carriers = tuple(_carrier(record.samples[s], alt_index) for s in samples)
        if alt in ("<NON_REF>", "<*>"):  # gVCF placeholder for 'any other allele': not a variant
            continue
        _check_allele(path, record, ref, alt, label)
        if _is_breakend(alt):  # a rearrangement join, not bases: annotated as a structural event, never LoF
            yield VcfAllele(Allele(record.chrom, record.pos, ref, alt, record.pos, record.pos, "", ""),
                            None, label, carriers)
            continue
        if alt == "*":  # the overlapping deletion is its own record; keep the allele visible, flagged
            yield VcfAllele(Allele(record.chrom, record.pos, ref, alt, record.pos, record.pos, "", ""),
                            None, label, carriers)
            continue
        if alt.startswith("<") or _svtype(record) is not None:
            sv_type = _svtype(record) or alt.strip("<>").split(":")[0]
            if sv_type == "DEL" or alt in ("<CN0>", "<CN1>"):  # copy number 0 / 1: a deletion of both / one copy
                end = record.stop
                allele = Allele.sv_deletion_of(record.chrom, record.pos, ref, alt, end)
                yield VcfAllele(allele, contig, label, carriers)
                continue
            if alt.startswith("<"):
                yield VcfAllele(Allele(record.chrom, record.pos, ref, alt, record.pos, record.pos, "", ""),
                                None, label, carriers)
                continue
        yield VcfAllele(Allele.from_vcf(record.chrom, record.pos, ref, alt), contig, label, carriers)


def _svtype(record) -> str | None:
    try:
        value = record.info.get("SVTYPE")
    except (KeyError, ValueError):
        return None
    return str(value) if value else None


def _carrier(sample, alt_index: int) -> tuple[int, int, bool, object]:
    gt = sample.get("GT") if "GT" in sample else None
    if not gt:
        return (0, 0, False, None)
    hap = [1 if allele == alt_index else 0 for allele in gt]
    first = hap[0] if hap else 0
    second = hap[1] if len(hap) > 1 else 0
    phase_set = sample.get("PS") if "PS" in sample else None
    return (first, second, bool(sample.phased), phase_set)


# --------------------------------------------------------------------------- the public entry point
def annotate_records(annotator: Annotator, alleles: Iterable[VcfAllele],
                     combine_haplotypes: bool = True) -> list[AnnotationRow]:
    alleles = list(alleles)
    partners: CodonPartners = find_codon_partners(annotator, alleles) if combine_haplotypes else CodonPartners()
    rows: list[AnnotationRow] = []
    for item in alleles:
        allele = item.allele
        if item.contig is None:
            rows.append(_unannotatable_row(allele))
            continue
        flags = partners.flags.get(allele.label)
        overrides = partners.overrides.get(allele.label)
        rows.extend(annotator.rows_for(item.contig, allele, flags, overrides))
    # contigs keep the VCF's order; within a contig: pos, ref, alt, transcript (the documented order)
    contig_order = {chrom: index for index, chrom in enumerate(dict.fromkeys(i.allele.chrom for i in alleles))}
    rows.sort(key=lambda row: (contig_order.get(row.chrom, len(contig_order)), *row.sort_key()))
    return rows


def _unannotatable_row(allele: Allele) -> AnnotationRow:
    terms = order_terms({"sequence_variant"})
    reason = "SPANNING_DELETION_ALLELE" if allele.alt == "*" else "SYMBOLIC_ALLELE_NOT_ANNOTATED"
    return AnnotationRow(
        chrom=allele.chrom, pos=allele.pos, ref=allele.ref, alt=allele.alt, gene="", transcript="",
        transcript_accession="", protein_accession="", is_mane=False, consequence="&".join(terms),
        impact=impact_of(terms), hgvs_g="", hgvs_c="", hgvs_p="", exon="", intron="", lof=False,
        lof_confidence="", pvs1_strength="", lof_reason="", flags=reason,
    )


def write_rows(rows: Iterable[AnnotationRow], out: Path) -> None:
    """Write the TSV atomically (a temporary file beside ``out``, moved into place when complete)."""
    out = Path(out)
    try:
        with atomic_path(out) as temporary, open(temporary, "w", encoding="utf-8", newline="\n") as handle:
            handle.write("\t".join(COLUMNS) + "\n")
            for row in rows:
                handle.write(row.as_tsv() + "\n")
    except (PermissionError, IsADirectoryError, NotADirectoryError) as error:
        raise InputError(out, f"cannot write the output ({error.strerror})",
                         "choose an --out path in a folder you can write to") from None


def default_model(build: Build | str = Build.GRCH38) -> Path:
    """The shipped TRPM6 MANE Select model (NM_017662.5) for ``build`` (GRCh38 or GRCh37), in resources/."""
    return shipped_file(build, GFF3_FILE)


def annotate_vcf(fasta: Path, model: Path | None, vcf: Path, out: Path, combine_haplotypes: bool = True,
                 build: Build | str = Build.GRCH38) -> int:
    """Annotate ``vcf`` against ``fasta`` + ``model`` and write ``out``; returns the number of rows.

    ``model=None`` uses the shipped TRPM6 MANE Select model of ``build``.
    """
    _refuse_overwriting_an_input(Path(out), {"--vcf": vcf, "--fasta": fasta, "--gff": model})
    annotator = Annotator(Path(fasta), Path(model) if model is not None else default_model(build))
    rows = annotate_records(annotator, _read_vcf(Path(vcf), annotator), combine_haplotypes)
    write_rows(rows, Path(out))
    return len(rows)


def _refuse_overwriting_an_input(out: Path, inputs: dict[str, Path | None]) -> None:
    """Writing the table over an input would destroy the user's file: stop before reading anything."""
    for option, path in inputs.items():
        if path is not None and Path(path).exists() and out.exists() and out.resolve() == Path(path).resolve():
            raise InputError(out, f"--out is the same file as {option}: writing would destroy the input",
                             "give --out a new file name, for example annotated.tsv")


def read_alleles(vcf: Path, annotator: Annotator) -> list[VcfAllele]:
    return list(_read_vcf(Path(vcf), annotator))
