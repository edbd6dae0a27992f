"""Ensembl REST: the TRPM6 transcript models of a release, and the locus sequence.

The MANE Select transcript (on GRCh37, which has no MANE, Ensembl's canonical transcript) is rendered
into the project's own files (exon table, GFF3, GTF, locus BED) through the same checks and renderers as
the shipped model; every other TRPM6 transcript of the release is listed in ``trpm6_transcripts.tsv``.
The provenance says whether the coding structure agrees with the shipped NM_017662.5 model, because the
clinical rules (HGVS accession, NMD boundary, per-exon LoF table) are written for that transcript: the
workflow uses a fetched model only when it does.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pysam

from trpm6_hsh import shipped
from trpm6_hsh.fetch.cache import CachedRelease, ResourceCache, SourceKind
from trpm6_hsh.fetch.http import FetchError, HttpClient
from trpm6_hsh.fetch.sources import PUBLIC_SOURCES, Region, SourceUrls
from trpm6_hsh.genome_build import parse_build
from trpm6_hsh.model_resources import (
    CODON_LENGTH,
    Exon,
    Interval,
    TranscriptIdentity,
    TranscriptModel,
    check_model,
    read_exon_table,
    render_exon_tsv,
    render_gff3,
    render_gtf,
    render_locus_bed,
)

log = logging.getLogger(__name__)

GENE_ID = "ENSG00000119121"
GENE_SYMBOL = "TRPM6"
EXPECTED_TRANSCRIPT = "ENST00000360774"
FASTA_WIDTH = 60
DNA = re.compile(r"^[ACGTNacgtn]*$")
TRANSCRIPT_TABLE_COLUMNS = (
    "transcript_id", "version", "name", "biotype", "chrom", "start", "end", "strand", "exons",
    "cds_start", "cds_end", "is_canonical", "mane", "refseq_match", "rendered",
)


def ensembl_release(client: HttpClient, base: str, wanted: str | None) -> str:
    """The release the server serves; refuse when it is not the one asked for."""
    url = f"{base}/info/data"
    answer = client.get_json(url, params={"content-type": "application/json"})
    releases = [str(r) for r in (answer.get("releases") or [])] if isinstance(answer, dict) else []
    if not releases:
        raise FetchError(url, "the answer names no release", "check the Ensembl base URL")
    if wanted is None:
        return max(releases, key=int)
    if wanted not in releases:
        raise FetchError(
            url,
            f"the server serves Ensembl release {', '.join(releases)}, not {wanted}",
            f"ask for --release {releases[-1]}, or point the Ensembl URL at a server of release {wanted}",
        )
    return wanted


def _require(mapping: Any, key: str, url: str) -> Any:
    if not isinstance(mapping, Mapping) or key not in mapping:
        raise FetchError(url, f"the answer lacks {key!r}", "the service may have changed; report this")
    return mapping[key]


def _mane_entries(transcript: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [m for m in transcript.get("MANE") or [] if isinstance(m, Mapping)]


def pick_reporting_transcript(transcripts: Sequence[Mapping[str, Any]], url: str) -> tuple[Mapping[str, Any], str]:
    """MANE Select when the release has it, else Ensembl canonical; returns it and why it was chosen."""
    for transcript in transcripts:
        if any(m.get("type") == "MANE_Select" for m in _mane_entries(transcript)):
            return transcript, "MANE_Select"
    for transcript in transcripts:
        if transcript.get("is_canonical") in (1, True, "1"):
            return transcript, "Ensembl_canonical"
    raise FetchError(url, "no MANE Select or canonical TRPM6 transcript in the answer", "check the release")


def model_from_lookup(transcript: Mapping[str, Any], build: str, url: str) -> TranscriptModel:
    """The Ensembl transcript as the project's checked model (c. numbering computed from the CDS)."""
    strand = "-" if int(_require(transcript, "strand", url)) < 0 else "+"
    exons_json = _require(transcript, "Exon", url)
    translation = _require(transcript, "Translation", url)
    cds_start, cds_end = int(_require(translation, "start", url)), int(_require(translation, "end", url))
    spans = sorted(
        (Interval(int(_require(e, "start", url)), int(_require(e, "end", url))) for e in exons_json),
        key=lambda s: s.start,
        reverse=strand == "-",
    )
    exons, next_c = [], 1
    for number, span in enumerate(spans, start=1):
        low, high = max(span.start, cds_start), min(span.end, cds_end)
        cds = Interval(low, high) if low <= high else None
        c_start = c_end = None
        if cds is not None:
            c_start, c_end = next_c, next_c + len(cds) - 1
            next_c = c_end + 1
        exons.append(Exon(number=number, span=span, cds=cds, c_start=c_start, c_end=c_end))
    chrom = "chr" + str(_require(transcript, "seq_region_name", url)).removeprefix("chr")
    model = TranscriptModel(build=build, chrom=chrom, strand=strand, exons=tuple(exons))
    check_model(model, Path(url))
    length = translation.get("length")
    if isinstance(length, int) and length * CODON_LENGTH + CODON_LENGTH != next_c - 1:
        raise FetchError(
            url,
            f"the translation's genomic span ({next_c - 1} nt) does not fit its length of {length} aa plus a stop",
            "report this: the release's model is inconsistent",
        )
    return model


def compare_with_shipped(model: TranscriptModel, exon_table: Path) -> dict[str, Any]:
    """Does the fetched model give the same coding structure (and exons) as the shipped NM_017662.5 model?"""
    shipped = read_exon_table(exon_table)[model.build]

    def coding(m: TranscriptModel) -> list[tuple]:
        return [(e.cds.start, e.cds.end, e.c_start, e.c_end) for e in m.coding_exons if e.cds]

    differences = []
    if len(model.exons) != len(shipped.exons):
        differences.append(f"{len(model.exons)} exons instead of {len(shipped.exons)}")
    for fetched, ours in zip(model.exons, shipped.exons, strict=False):
        if fetched.span != ours.span:
            differences.append(
                f"exon {fetched.number} {fetched.span.start}-{fetched.span.end} "
                f"(shipped {ours.span.start}-{ours.span.end})"
            )
    coding_agrees = coding(model) == coding(shipped) and model.strand == shipped.strand and model.chrom == shipped.chrom
    return {"coding_agrees": coding_agrees, "exons_identical": not differences, "differences": differences}


def render_transcript_table(transcripts: Sequence[Mapping[str, Any]], rendered_id: str) -> str:
    """Every TRPM6 transcript of the release, one row each (the rendered one marked)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(TRANSCRIPT_TABLE_COLUMNS)
    for t in sorted(transcripts, key=lambda t: str(t.get("id"))):
        translation = t.get("Translation") or {}
        mane = _mane_entries(t)
        writer.writerow([
            t.get("id", ""), t.get("version", ""), t.get("display_name", ""), t.get("biotype", ""),
            t.get("seq_region_name", ""), t.get("start", ""), t.get("end", ""), t.get("strand", ""),
            len(t.get("Exon") or []), translation.get("start", ""), translation.get("end", ""),
            "true" if t.get("is_canonical") in (1, True, "1") else "false",
            ",".join(str(m.get("type", "")) for m in mane), ",".join(str(m.get("refseq_match", "")) for m in mane),
            "true" if t.get("id") == rendered_id else "false",
        ])
    return out.getvalue()


def fetch_transcripts(
    client: HttpClient,
    cache: ResourceCache,
    build: str,
    release: str | None = None,
    urls: SourceUrls = PUBLIC_SOURCES,
    exon_table: Path | None = None,
) -> CachedRelease:
    """Fetch the TRPM6 models of ``release`` (None: the server's) into ``cache``; return the release."""
    build = parse_build(build)
    base = urls.ensembl_for(build)
    release = ensembl_release(client, base, release)
    url = f"{base}/lookup/id/{GENE_ID}"
    gene = client.get_json(url, params={"expand": "1", "mane": "1", "content-type": "application/json"})
    assembly = _require(gene, "assembly_name", url)
    if assembly != build:
        raise FetchError(url, f"the server answers for assembly {assembly}, not {build}",
                         f"use the Ensembl server of {build} (GRCh37: {SourceUrls().ensembl_grch37})")
    if gene.get("display_name") not in (None, GENE_SYMBOL):
        raise FetchError(url, f"{GENE_ID} is {gene.get('display_name')!r}, not {GENE_SYMBOL}", "check the server")
    transcripts = [t for t in _require(gene, "Transcript", url) if isinstance(t, Mapping)]
    chosen, reason = pick_reporting_transcript(transcripts, url)
    model = model_from_lookup(chosen, build, url)
    translation = chosen["Translation"]
    tags = ("Ensembl_canonical", "MANE_Select") if reason == "MANE_Select" else ("Ensembl_canonical",)
    ident = TranscriptIdentity(
        gene_id=str(gene.get("id", GENE_ID)), gene_version=str(gene.get("version", "")),
        gene_name=str(gene.get("display_name", GENE_SYMBOL)), transcript_id=str(chosen.get("id")),
        transcript_version=str(chosen.get("version", "")), transcript_name=str(chosen.get("display_name", "")),
        protein_id=str(translation.get("id", "")), protein_version=str(translation.get("version", "")),
        tags=tags, source=f"ensembl_{release}",
    )
    agreement = compare_with_shipped(model, exon_table or shipped.exon_table())
    if ident.transcript_id != EXPECTED_TRANSCRIPT:
        agreement = {**agreement, "coding_agrees": False,
                     "differences": [*agreement["differences"], f"transcript {ident.transcript_id}"]}
    with cache.staging(SourceKind.TRANSCRIPTS, build) as staging:
        files = {
            "trpm6_mane_select.gff3": render_gff3(model, ident),
            "trpm6_mane_select.gtf": render_gtf(model, ident),
            "trpm6_mane_select.exons.tsv": render_exon_tsv(model),
            "trpm6_locus.bed": render_locus_bed(model),
            "trpm6_transcripts.tsv": render_transcript_table(transcripts, ident.transcript_id),
        }
        for name, text in files.items():
            (staging / name).write_text(text, encoding="utf-8", newline="\n")
        mane = next((m for m in _mane_entries(chosen) if m.get("type") == "MANE_Select"), {})
        published = cache.publish(staging, SourceKind.TRANSCRIPTS, build, release, {
            "source_name": "Ensembl REST",
            "source_url": url,
            "requests": list(client.requested),
            "ensembl_release": release,
            "transcript": f"{ident.transcript_id}.{ident.transcript_version}",
            "protein": f"{ident.protein_id}.{ident.protein_version}",
            "refseq_match": mane.get("refseq_match", ""),
            "chosen_because": reason,
            "transcript_count": len(transcripts),
            "agrees_with_shipped_model": agreement,
        })
    log.info("Ensembl %s (%s): %s written to %s", release, build, ident.transcript_id, published.folder)
    return published


def fetch_sequence(
    client: HttpClient,
    cache: ResourceCache,
    build: str,
    region: Region,
    release: str | None = None,
    urls: SourceUrls = PUBLIC_SOURCES,
) -> CachedRelease:
    """The forward-strand sequence of ``region`` as an indexed FASTA (for inspection and checks)."""
    build = parse_build(build)
    base = urls.ensembl_for(build)
    release = ensembl_release(client, base, release)
    url = f"{base}/sequence/region/human/{region.bare_chrom}:{region.start}..{region.end}:1"
    answer = client.get_json(url, params={"content-type": "application/json", "coord_system_version": build})
    sequence = str(_require(answer, "seq", url))
    expected = region.end - region.start + 1
    if len(sequence) != expected or not DNA.match(sequence):
        raise FetchError(url, f"the sequence has {len(sequence)} bases (expected {expected}) or non-DNA letters",
                         "try again; nothing was written")
    identifier = str(answer.get("id", ""))
    if identifier and build not in identifier:
        raise FetchError(url, f"the sequence is {identifier}, not {build}", "use the Ensembl server of the build")
    with cache.staging(SourceKind.SEQUENCE, build) as staging:
        fasta = staging / "trpm6_locus.fa"
        header = f">{region} Ensembl release {release} {build} forward strand ({GENE_SYMBOL} locus)"
        body = "".join(sequence[i : i + FASTA_WIDTH] + "\n" for i in range(0, len(sequence), FASTA_WIDTH))
        fasta.write_text(header + "\n" + body, encoding="ascii", newline="\n")
        pysam.faidx(str(fasta))
        published = cache.publish(staging, SourceKind.SEQUENCE, build, release, {
            "source_name": "Ensembl REST",
            "source_url": url,
            "requests": list(client.requested),
            "ensembl_release": release,
            "region": str(region),
            "coordinates": "the FASTA record is the region only; its first base is region start",
        })
    return published
