"""The shipped TRPM6 transcript model, per build, derived from one exon table.

The workflow and every annotator it drives (built-in, bcftools csq, VEP, SnpEff) must see the same
transcript. So all model files under ``resources/<build>/`` are rendered from the single table
``resources/trpm6_mane_select_exons.tsv`` by this module, and a test checks that the committed files equal
a fresh rendering. Maintainers regenerate them with ``python scripts/build_resources.py``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from trpm6_hsh.errors import InputError
from trpm6_hsh.genome_build import CHR9_LENGTHS, LOCUS_CHROMOSOME, parse_build
from trpm6_hsh.model import Build

# --- public facts about the transcript (see resources/README.md for their sources) ---------------------
GENE_ID = "ENSG00000119121"
GENE_VERSION = "23"
GENE_NAME = "TRPM6"
TRANSCRIPT_ID = "ENST00000360774"
TRANSCRIPT_VERSION = "6"
TRANSCRIPT_NAME = "TRPM6-201"
REFSEQ_TRANSCRIPT = "NM_017662.5"
PROTEIN_ID = "ENSP00000354006"
PROTEIN_VERSION = "1"
STRAND = "-"
TRANSCRIPT_TAGS = ("Ensembl_canonical", "MANE_Select")
FEATURE_SOURCE = "MANE_v1.5"

CHROMOSOME = LOCUS_CHROMOSOME
GRCH37_MINUS_GRCH38 = 2_614_916
"""GRCh37 = GRCh38 + this offset on every TRPM6 CDS base (and on the whole shipped model)."""

LOCUS_PADDING_BP = 5_000
CODON_LENGTH = 3

EXON_TABLE_COLUMNS = ("build", "chrom", "exon", "start", "end", "cds_start", "cds_end", "c_start", "c_end")
EXONS_TSV = "trpm6_mane_select.exons.tsv"
GFF3_FILE = "trpm6_mane_select.gff3"
GTF_FILE = "trpm6_mane_select.gtf"
LOCUS_BED = "trpm6_locus.bed"
README_FILE = "README.md"
RESOURCE_FILES = (EXONS_TSV, GFF3_FILE, GTF_FILE, LOCUS_BED, README_FILE)


@dataclass(frozen=True)
class Interval:
    """A 1-based, inclusive genomic interval on the transcript's contig."""

    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start + 1


@dataclass(frozen=True)
class Exon:
    """One row of the exon table: an exon, its coding part (if any) and the c. numbers of that part."""

    number: int
    span: Interval
    cds: Interval | None
    c_start: int | None
    c_end: int | None


@dataclass(frozen=True)
class Feature:
    """One GFF3/GTF line before rendering; ``frame`` is ``.`` or the phase digit."""

    kind: str
    start: int
    end: int
    frame: str
    exon_number: int


@dataclass(frozen=True)
class TranscriptModel:
    """The MANE Select transcript on one build; exons in transcript order (exon 1 first)."""

    build: Build
    chrom: str
    strand: str
    exons: tuple[Exon, ...]

    @property
    def span(self) -> Interval:
        return Interval(min(e.span.start for e in self.exons), max(e.span.end for e in self.exons))

    @property
    def chrom_length(self) -> int:
        return CHR9_LENGTHS[self.build]

    @property
    def coding_exons(self) -> tuple[Exon, ...]:
        return tuple(e for e in self.exons if e.cds is not None)

    def cds_positions(self) -> list[int]:
        """Genomic position of every CDS base in transcript order: index 0 is c.1 (A of ATG)."""
        positions: list[int] = []
        for exon in self.coding_exons:
            assert exon.cds is not None
            positions.extend(_sense_order(exon.cds, self.strand))
        return positions

    def exonic_positions(self) -> list[int]:
        """Genomic position of every exon base in transcript order (5' UTR first)."""
        return [pos for exon in self.exons for pos in _sense_order(exon.span, self.strand)]

    def locus(self, padding: int = LOCUS_PADDING_BP) -> Interval:
        return Interval(max(1, self.span.start - padding), min(self.chrom_length, self.span.end + padding))


def _sense_order(interval: Interval, strand: str) -> range:
    if strand == "+":
        return range(interval.start, interval.end + 1)
    return range(interval.end, interval.start - 1, -1)


def _optional_int(text: str) -> int | None:
    return int(text) if text.strip() not in ("", ".") else None


def read_exon_table(path: Path) -> dict[Build, TranscriptModel]:
    """Read the exon table (comment lines start with ``#``) into one checked model per build."""
    rows_by_build: dict[str, list[tuple[Exon, str]]] = {}
    with open(path, encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    reader = csv.DictReader(lines, delimiter="\t")
    if tuple(reader.fieldnames or ()) != EXON_TABLE_COLUMNS:
        raise InputError(
            path, f"header is {reader.fieldnames}, expected {list(EXON_TABLE_COLUMNS)}", "restore the header"
        )
    for line_number, row in enumerate(reader, start=2):
        try:
            cds_start, cds_end = _optional_int(row["cds_start"]), _optional_int(row["cds_end"])
            exon = Exon(
                number=int(row["exon"]),
                span=Interval(int(row["start"]), int(row["end"])),
                cds=Interval(cds_start, cds_end) if cds_start is not None and cds_end is not None else None,
                c_start=_optional_int(row["c_start"]),
                c_end=_optional_int(row["c_end"]),
            )
        except (TypeError, ValueError) as error:
            raise InputError(
                path, f"unreadable number ({error})", "fix the row", record=f"data row {line_number}"
            ) from error
        rows_by_build.setdefault(row["build"], []).append((exon, row["chrom"]))
    models = {}
    for name, rows in rows_by_build.items():
        build = parse_build(name, path)
        chroms = {chrom for _, chrom in rows}
        if len(chroms) != 1:
            raise InputError(path, f"{build} exons on several contigs {sorted(chroms)}", "use one contig")
        exons = tuple(sorted((exon for exon, _ in rows), key=lambda e: e.number))
        model = TranscriptModel(build=build, chrom=chroms.pop(), strand=STRAND, exons=exons)
        check_model(model, path)
        models[build] = model
    return models


def check_model(model: TranscriptModel, path: Path) -> None:
    """Refuse a table whose exons, CDS or c. numbering do not form one consistent transcript."""

    def fail(problem: str, exon: Exon | None = None) -> NoReturn:
        record = f"{model.build} exon {exon.number}" if exon else model.build
        raise InputError(path, problem, "correct the exon table from its source", record=record)

    if [e.number for e in model.exons] != list(range(1, len(model.exons) + 1)):
        fail("exon numbers are not 1..n without gaps")
    if model.chrom != CHROMOSOME:
        fail(f"contig {model.chrom} has no known length")
    expected_c = 1
    for previous, exon in zip((None, *model.exons), model.exons, strict=False):
        if exon.span.start > exon.span.end:
            fail("start after end", exon)
        if previous is not None:
            upstream_ok = (
                exon.span.end < previous.span.start if model.strand == "-" else exon.span.start > previous.span.end
            )
            if not upstream_ok:
                fail("exons overlap or are not in transcript order", exon)
        if exon.cds is None:
            continue
        if not (exon.span.start <= exon.cds.start <= exon.cds.end <= exon.span.end):
            fail("coding part lies outside the exon", exon)
        if exon.c_start != expected_c or exon.c_end != expected_c + len(exon.cds) - 1:
            fail(f"c. numbering {exon.c_start}-{exon.c_end} is not contiguous (expected c.{expected_c})", exon)
        expected_c = exon.c_end + 1
    cds_length = expected_c - 1
    if cds_length == 0 or cds_length % CODON_LENGTH:
        fail(f"CDS length {cds_length} is not a whole number of codons")
    span = model.span
    if span.end > model.chrom_length:
        fail(f"transcript ends at {span.end}, beyond {model.chrom} length {model.chrom_length}")


# --- rendering -------------------------------------------------------------------------------------------


def _exon_features(model: TranscriptModel, cds_includes_stop: bool) -> list[Feature]:
    """UTR, CDS (with phase) and, for GTF, start/stop codon pieces of every exon, in genomic order."""
    cds = model.cds_positions()
    start_codon, stop_codon = set(cds[:CODON_LENGTH]), set(cds[-CODON_LENGTH:])
    coded = set(cds) if cds_includes_stop else set(cds) - stop_codon
    cds_rank = {pos: rank for rank, pos in enumerate(cds)}
    transcript_rank = {
        pos: rank for rank, pos in enumerate(p for exon in model.exons for p in _sense_order(exon.span, model.strand))
    }
    first_coding_rank = transcript_rank[cds[0]]
    features: list[Feature] = []
    for exon in model.exons:
        positions = list(_sense_order(exon.span, model.strand))
        utr = [p for p in positions if p not in cds_rank]
        for kind, members in (
            ("five_prime_UTR", [p for p in utr if transcript_rank[p] < first_coding_rank]),
            ("three_prime_UTR", [p for p in utr if transcript_rank[p] > first_coding_rank]),
            ("CDS", [p for p in positions if p in coded]),
            ("start_codon", [] if cds_includes_stop else [p for p in positions if p in start_codon]),
            ("stop_codon", [] if cds_includes_stop else [p for p in positions if p in stop_codon]),
        ):
            if not members:
                continue
            frame = "."
            if kind not in ("five_prime_UTR", "three_prime_UTR"):
                first_rank = cds_rank[members[0]]
                if kind == "stop_codon":
                    first_rank -= len(cds) - CODON_LENGTH
                frame = str((CODON_LENGTH - first_rank % CODON_LENGTH) % CODON_LENGTH)
            features.append(Feature(kind, min(members), max(members), frame, exon.number))
    return features


@dataclass(frozen=True)
class TranscriptIdentity:
    """Identifiers written into a rendered GFF3/GTF: the shipped model's, or those of an Ensembl release."""

    gene_id: str
    gene_version: str
    gene_name: str
    transcript_id: str
    transcript_version: str
    transcript_name: str
    protein_id: str
    protein_version: str
    tags: tuple[str, ...]
    source: str
    gtf_tags: tuple[str, ...] | None = None  # the GTF's tag lines when they differ from ``tags``


SHIPPED_IDENTITY = TranscriptIdentity(
    gene_id=GENE_ID, gene_version=GENE_VERSION, gene_name=GENE_NAME, transcript_id=TRANSCRIPT_ID,
    transcript_version=TRANSCRIPT_VERSION, transcript_name=TRANSCRIPT_NAME, protein_id=PROTEIN_ID,
    protein_version=PROTEIN_VERSION, tags=TRANSCRIPT_TAGS, source=FEATURE_SOURCE,
    gtf_tags=("MANE_Select",),  # the shipped GTF has always carried only the MANE tag
)


def _feature_line(model: TranscriptModel, source: str, kind: str, start: int, end: int, frame: str,
                  attributes: str) -> str:
    return "\t".join([model.chrom, source, kind, str(start), str(end), ".", model.strand, frame, attributes])


def _gff3_attributes(pairs: Iterable[tuple[str, str]]) -> str:
    return ";".join(f"{key}={value}" for key, value in pairs if value != "")


def render_gff3(model: TranscriptModel, ident: TranscriptIdentity = SHIPPED_IDENTITY) -> str:
    """Ensembl-flavoured GFF3 (what bcftools csq and VEP read): CDS includes the stop codon."""
    span, gene_ref, transcript_ref = model.span, f"gene:{ident.gene_id}", f"transcript:{ident.transcript_id}"

    def line(kind: str, start: int, end: int, frame: str, pairs: Iterable[tuple[str, str]]) -> str:
        return _feature_line(model, ident.source, kind, start, end, frame, _gff3_attributes(pairs))

    lines = [
        "##gff-version 3",
        f"##sequence-region {model.chrom} 1 {model.chrom_length}",
        line("gene", span.start, span.end, ".", [
            ("ID", gene_ref), ("Name", ident.gene_name), ("biotype", "protein_coding"),
            ("gene_id", ident.gene_id), ("version", ident.gene_version)]),
        line("mRNA", span.start, span.end, ".", [
            ("ID", transcript_ref), ("Parent", gene_ref), ("Name", ident.transcript_name),
            ("biotype", "protein_coding"), ("transcript_id", ident.transcript_id),
            ("version", ident.transcript_version), ("tag", ",".join(ident.tags))]),
    ]
    features = _exon_features(model, cds_includes_stop=True)
    for exon in sorted(model.exons, key=lambda e: e.span.start):
        exon_id = f"{ident.transcript_id}-E{exon.number}"
        lines.append(line("exon", exon.span.start, exon.span.end, ".", [
            ("Parent", transcript_ref), ("Name", exon_id), ("exon_id", exon_id), ("rank", str(exon.number))]))
        for feature in sorted((f for f in features if f.exon_number == exon.number), key=lambda f: f.start):
            pairs = [("Parent", transcript_ref)]
            if feature.kind == "CDS":
                pairs = [("ID", f"CDS:{ident.protein_id}"), *pairs, ("protein_id", ident.protein_id)]
            lines.append(line(feature.kind, feature.start, feature.end, feature.frame, pairs))
    return "\n".join(lines) + "\n"


def _gtf_attributes(pairs: Iterable[tuple[str, str]]) -> str:
    return " ".join(f'{key} "{value}";' for key, value in pairs if value != "")


GTF_KIND = {"five_prime_UTR": "five_prime_utr", "three_prime_UTR": "three_prime_utr"}


def render_gtf(model: TranscriptModel, ident: TranscriptIdentity = SHIPPED_IDENTITY) -> str:
    """Ensembl-flavoured GTF (what SnpEff builds from): CDS excludes the stop; start/stop codon lines."""
    span = model.span
    gene_pairs = [
        ("gene_id", ident.gene_id),
        ("gene_version", ident.gene_version),
        ("gene_name", ident.gene_name),
        ("gene_source", ident.source),
        ("gene_biotype", "protein_coding"),
    ]
    tags = ident.tags if ident.gtf_tags is None else ident.gtf_tags
    transcript_pairs = [
        *gene_pairs[:2],
        ("transcript_id", ident.transcript_id),
        ("transcript_version", ident.transcript_version),
        *gene_pairs[2:],
        ("transcript_name", ident.transcript_name),
        ("transcript_source", ident.source),
        ("transcript_biotype", "protein_coding"),
        *(("tag", tag) for tag in tags),
    ]

    def line(kind: str, start: int, end: int, frame: str, pairs: Sequence[tuple[str, str]]) -> str:
        return _feature_line(model, ident.source, kind, start, end, frame, _gtf_attributes(pairs))

    lines = [
        line("gene", span.start, span.end, ".", gene_pairs),
        line("transcript", span.start, span.end, ".", transcript_pairs),
    ]
    features = _exon_features(model, cds_includes_stop=False)
    for exon in sorted(model.exons, key=lambda e: e.span.start):
        exon_pairs = [*transcript_pairs, ("exon_number", str(exon.number))]
        lines.append(line("exon", exon.span.start, exon.span.end, ".",
                          [*exon_pairs, ("exon_id", f"{ident.transcript_id}-E{exon.number}")]))
        for feature in sorted((f for f in features if f.exon_number == exon.number), key=lambda f: f.start):
            pairs = exon_pairs
            if feature.kind == "CDS":
                pairs = [*exon_pairs, ("protein_id", ident.protein_id), ("protein_version", ident.protein_version)]
            lines.append(line(GTF_KIND.get(feature.kind, feature.kind), feature.start, feature.end, feature.frame,
                              pairs))
    return "\n".join(lines) + "\n"


def render_exon_tsv(model: TranscriptModel) -> str:
    """This build's rows of the exon table, header first, no comments (machine-read by the workflow)."""
    lines = ["\t".join(EXON_TABLE_COLUMNS)]
    for exon in model.exons:
        cds = exon.cds
        lines.append(
            "\t".join(
                str(value)
                for value in (
                    model.build,
                    model.chrom,
                    exon.number,
                    exon.span.start,
                    exon.span.end,
                    cds.start if cds else "",
                    cds.end if cds else "",
                    exon.c_start if exon.c_start is not None else "",
                    exon.c_end if exon.c_end is not None else "",
                )
            )
        )
    return "\n".join(lines) + "\n"


def render_locus_bed(model: TranscriptModel) -> str:
    """The region the extract stage keeps: gene span +/- padding, as one 0-based half-open BED line."""
    locus = model.locus(LOCUS_PADDING_BP)
    return f"{model.chrom}\t{locus.start - 1}\t{locus.end}\t{GENE_NAME}\n"


def render_readme(model: TranscriptModel) -> str:
    """Provenance note written next to the files it describes."""
    span, locus = model.span, model.locus(LOCUS_PADDING_BP)
    shift_note = (
        "Coordinates: GRCh38 as published by MANE v1.5 / GENCODE."
        if model.build == "GRCh38"
        else (
            f"Coordinates: every exon and CDS base is the GRCh38 model + {GRCH37_MINUS_GRCH38:,} bp "
            "(GENCODE v19 agrees on every CDS base and on exons 2-39; GENCODE v19's exon 1 is longer "
            "at its 5' end, UTR only, and the MANE exon 1 shifted by the same offset is used instead).\n"
            "Gene and transcript identifiers and versions are those of the GRCh38 MANE release."
        )
    )
    return f"""# TRPM6 MANE Select transcript model, {model.build}

Generated files: do not edit by hand. Regenerate from the repository root with

    python scripts/build_resources.py

Source: `resources/trpm6_mane_select_exons.tsv` (provenance in `resources/README.md`): TRPM6
{REFSEQ_TRANSCRIPT} / {TRANSCRIPT_ID}.{TRANSCRIPT_VERSION} (protein {PROTEIN_ID}.{PROTEIN_VERSION}, 2022 aa),
minus strand, {len(model.exons)} exons on {model.chrom} (length {model.chrom_length:,} bp in {model.build}).
{shift_note}

| file | content |
|---|---|
| `{EXONS_TSV}` | this build's rows of the exon table (1-based, inclusive; c. numbering of the coding part) |
| `{GFF3_FILE}` | Ensembl-style GFF3 (CDS includes the stop codon) for the built-in annotator, bcftools csq, VEP |
| `{GTF_FILE}` | Ensembl-style GTF (CDS excludes the stop codon) for SnpEff |
| `{LOCUS_BED}` | gene span {model.chrom}:{span.start:,}-{span.end:,} +/- {LOCUS_PADDING_BP:,} bp, 0-based BED |

Derivation: `trpm6_hsh.model_resources` reads the table, checks that the exons are in transcript order and
the c. numbering is contiguous (CDS = a whole number of codons), and renders each file. The locus BED
line is `{model.chrom} {locus.start - 1} {locus.end} {GENE_NAME}`.
"""


RENDERERS = {
    EXONS_TSV: render_exon_tsv,
    GFF3_FILE: render_gff3,
    GTF_FILE: render_gtf,
    LOCUS_BED: render_locus_bed,
    README_FILE: render_readme,
}


def render_build_resources(model: TranscriptModel) -> dict[str, str]:
    """File name -> content of every shipped model file for one build."""
    return {name: render(model) for name, render in RENDERERS.items()}


def write_resources(exon_table: Path, out_root: Path) -> list[Path]:
    """Write ``out_root/<build>/<file>`` for every build in the table; return the paths written."""
    written = []
    for build, model in read_exon_table(exon_table).items():
        folder = Path(out_root) / build
        folder.mkdir(parents=True, exist_ok=True)
        for name, content in render_build_resources(model).items():
            path = folder / name
            path.write_text(content, encoding="utf-8", newline="\n")
            written.append(path)
    return written
