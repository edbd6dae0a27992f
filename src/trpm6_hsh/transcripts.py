"""Transcript models (GFF3 or GTF) and HGVS coordinate mapping.

One small immutable ``Transcript`` per model transcript. Coordinates are 1-based inclusive genomic;
``cds_start``/``cds_end`` always include the stop codon, whatever convention the file used (GTF
CDS features exclude it and carry a separate ``stop_codon`` feature; Ensembl GFF3 includes it), so
every consumer sees one convention.

Mapping between genomic positions and HGVS ``c.``/``n.`` positions lives here because the annotator,
the classifier and the report all need the same answer (intronic ``+/-`` offsets, ``-N`` 5' UTR,
``*N`` 3' UTR, and the virtual extension beyond the transcript used for up/downstream variants).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from urllib.parse import unquote

from trpm6_hsh.errors import InputError
from trpm6_hsh.files import open_text

__all__ = ["Exon", "CPosition", "Transcript", "load_mane_transcript", "load_transcripts"]


@dataclass(frozen=True, order=True)
class Exon:
    """One exon; ``number`` counts in transcript order (1 = 5'-most exon of the transcript)."""

    number: int
    start: int
    end: int

    @property
    def length(self) -> int:
        return self.end - self.start + 1


@dataclass(frozen=True)
class CPosition:
    """An HGVS transcript position: ``anchor`` (c. number, negative in the 5' UTR) and intron ``offset``.

    ``utr3`` marks a ``*N`` anchor (counted after the stop codon). ``str()`` gives the HGVS text
    without the ``c.`` prefix, e.g. ``841+1``, ``-20``, ``*50``, ``-50+3``.
    """

    anchor: int
    offset: int = 0
    utr3: bool = False

    def __str__(self) -> str:
        text = f"*{self.anchor}" if self.utr3 else str(self.anchor)
        if self.offset > 0:
            text += f"+{self.offset}"
        elif self.offset < 0:
            text += str(self.offset)
        return text

    @classmethod
    def parse(cls, text: str) -> CPosition:
        """Parse ``841+1``, ``*50``, ``-20``, ``-50-3`` (with or without a ``c.`` prefix)."""
        match = re.fullmatch(r"(?:[cn]\.)?(\*)?(-?\d+)([+-]\d+)?", text.strip())
        if not match:
            raise ValueError(f"not an HGVS transcript position: {text!r}")
        star, anchor, offset = match.groups()
        return cls(anchor=int(anchor), offset=int(offset) if offset else 0, utr3=bool(star))


@dataclass(frozen=True)
class Transcript:
    """A transcript on the genome; exons are in transcript order (descending coordinates on ``-``)."""

    transcript_id: str
    gene: str
    chrom: str
    strand: int
    exons: tuple[Exon, ...]
    cds_start: int | None
    cds_end: int | None
    is_mane: bool = False
    version: str | None = None
    protein_id: str | None = None
    gene_id: str | None = None
    biotype: str | None = None
    tags: tuple[str, ...] = field(default=())

    # ----------------------------------------------------------------- basic geometry
    @cached_property
    def start(self) -> int:
        return min(exon.start for exon in self.exons)

    @cached_property
    def end(self) -> int:
        return max(exon.end for exon in self.exons)

    @property
    def is_coding(self) -> bool:
        return self.cds_start is not None and self.cds_end is not None

    @property
    def versioned_id(self) -> str:
        return f"{self.transcript_id}.{self.version}" if self.version else self.transcript_id

    @cached_property
    def _ascending(self) -> tuple[Exon, ...]:
        return tuple(sorted(self.exons, key=lambda exon: exon.start))

    @cached_property
    def _ascending_starts(self) -> list[int]:
        return [exon.start for exon in self._ascending]

    @cached_property
    def _tx_offsets(self) -> tuple[int, ...]:
        """Transcript index (0-based) of each exon's first base, in transcript order."""
        offsets, total = [], 0
        for exon in self.exons:
            offsets.append(total)
            total += exon.length
        return tuple(offsets)

    @cached_property
    def length(self) -> int:
        """Length of the spliced transcript."""
        return sum(exon.length for exon in self.exons)

    @cached_property
    def cds_tx_start(self) -> int | None:
        """Transcript index (1-based) of c.1."""
        if not self.is_coding:
            return None
        first = self.cds_start if self.strand == 1 else self.cds_end
        return self.genomic_to_tx(first)[0]

    @cached_property
    def cds_tx_end(self) -> int | None:
        """Transcript index (1-based) of the last base of the stop codon."""
        if not self.is_coding:
            return None
        last = self.cds_end if self.strand == 1 else self.cds_start
        return self.genomic_to_tx(last)[0]

    @property
    def cds_length(self) -> int:
        if not self.is_coding:
            return 0
        return self.cds_tx_end - self.cds_tx_start + 1

    # ----------------------------------------------------------------- locating
    def exon_at(self, pos: int) -> Exon | None:
        """The exon holding genomic ``pos``, or None."""
        index = bisect.bisect_right(self._ascending_starts, pos) - 1
        if index >= 0 and pos <= self._ascending[index].end:
            return self._ascending[index]
        return None

    def intron_at(self, pos: int) -> int | None:
        """Number of the intron holding ``pos`` (intron k lies between exons k and k+1), or None."""
        if pos < self.start or pos > self.end or self.exon_at(pos) is not None:
            return None
        index = bisect.bisect_right(self._ascending_starts, pos) - 1
        left, right = self._ascending[index], self._ascending[index + 1]
        return min(left.number, right.number)

    @property
    def intron_count(self) -> int:
        return len(self.exons) - 1

    # ----------------------------------------------------------------- genomic <-> transcript index
    def genomic_to_tx(self, pos: int) -> tuple[int, int]:
        """Genomic position -> (1-based transcript index, intron offset).

        Positions beyond the transcript get indexes below 1 or above ``length`` (the virtual
        extension HGVS uses for up/downstream positions, e.g. ``c.-1065`` or ``c.*3118``).
        Intronic positions are anchored to the nearer exon base; the exact middle of an intron
        takes the ``+`` side (HGVS).
        """
        exon = self.exon_at(pos)
        if exon is not None:
            base = self._tx_offsets[exon.number - 1]
            inside = pos - exon.start + 1 if self.strand == 1 else exon.end - pos + 1
            return base + inside, 0
        if pos < self.start or pos > self.end:
            before_start = pos < self.start if self.strand == 1 else pos > self.end
            if before_start:
                distance = self.start - pos if self.strand == 1 else pos - self.end
                return 1 - distance, 0
            distance = pos - self.end if self.strand == 1 else self.start - pos
            return self.length + distance, 0
        number = self.intron_at(pos)
        upstream_exon, downstream_exon = self.exons[number - 1], self.exons[number]
        if self.strand == 1:
            after_up, before_down = pos - upstream_exon.end, downstream_exon.start - pos
        else:
            after_up, before_down = upstream_exon.start - pos, pos - downstream_exon.end
        last_of_upstream = self._tx_offsets[number - 1] + upstream_exon.length
        if after_up <= before_down:
            return last_of_upstream, after_up
        return last_of_upstream + 1, -before_down

    def tx_to_genomic(self, tx_index: int, offset: int = 0) -> int:
        """Inverse of ``genomic_to_tx``."""
        if tx_index < 1:
            first = self.start if self.strand == 1 else self.end
            return first - (1 - tx_index) * self.strand + offset * self.strand
        if tx_index > self.length:
            last = self.end if self.strand == 1 else self.start
            return last + (tx_index - self.length) * self.strand + offset * self.strand
        number = bisect.bisect_right(self._tx_offsets, tx_index - 1) - 1
        exon = self.exons[number]
        inside = tx_index - self._tx_offsets[number] - 1
        base = exon.start + inside if self.strand == 1 else exon.end - inside
        return base + offset * self.strand

    # ----------------------------------------------------------------- HGVS positions
    def tx_to_c(self, tx_index: int, offset: int = 0) -> CPosition:
        if not self.is_coding:
            return CPosition(anchor=tx_index, offset=offset)
        if tx_index < self.cds_tx_start:
            return CPosition(anchor=tx_index - self.cds_tx_start, offset=offset)
        if tx_index > self.cds_tx_end:
            return CPosition(anchor=tx_index - self.cds_tx_end, offset=offset, utr3=True)
        return CPosition(anchor=tx_index - self.cds_tx_start + 1, offset=offset)

    def c_to_tx(self, position: CPosition) -> tuple[int, int]:
        if not self.is_coding:
            return position.anchor, position.offset
        if position.utr3:
            return self.cds_tx_end + position.anchor, position.offset
        if position.anchor < 0:
            return self.cds_tx_start + position.anchor, position.offset
        return self.cds_tx_start + position.anchor - 1, position.offset

    def genomic_to_c(self, pos: int) -> CPosition:
        """Genomic position -> HGVS c. position (n. numbering for non-coding transcripts)."""
        return self.tx_to_c(*self.genomic_to_tx(pos))

    def c_to_genomic(self, position: CPosition | str) -> int:
        """HGVS c. position (object or text such as ``'841+1'``) -> genomic position."""
        if isinstance(position, str):
            position = CPosition.parse(position)
        return self.tx_to_genomic(*self.c_to_tx(position))

    @property
    def hgvs_prefix(self) -> str:
        return "c." if self.is_coding else "n."


# --------------------------------------------------------------------------- loading
_GTF_ATTRIBUTE = re.compile(r'\s*([^\s";]+)\s+"([^"]*)"\s*;?')
_VERSION_SUFFIX = re.compile(r"^(.+)\.(\d+)$")
_TRANSCRIPT_TYPES = {"mrna", "transcript", "ncrna", "lnc_rna", "nc_primary_transcript", "mirna", "snrna"}
_EXON_TYPES = {"exon"}
_CDS_TYPES = {"cds", "start_codon", "stop_codon"}


@dataclass
class _Building:
    """Mutable scratch record while a model file is read (never leaves this module)."""

    transcript_id: str
    chrom: str = ""
    strand: int = 0
    gene: str = ""
    gene_id: str | None = None
    version: str | None = None
    protein_id: str | None = None
    biotype: str | None = None
    tags: set[str] = field(default_factory=set)
    exons: list[tuple[int, int]] = field(default_factory=list)
    cds: list[tuple[int, int]] = field(default_factory=list)
    stop_codons: list[tuple[int, int]] = field(default_factory=list)
    declared: bool = False


def _parse_gff3_attributes(text: str) -> dict[str, str]:
    attributes = {}
    for item in text.strip().strip(";").split(";"):
        if "=" in item:
            key, value = item.split("=", 1)
            attributes[key.strip()] = unquote(value.strip())
    return attributes


def _parse_gtf_attributes(text: str) -> dict[str, str]:
    attributes: dict[str, str] = {}
    for key, value in _GTF_ATTRIBUTE.findall(text):
        if key == "tag" and "tag" in attributes:
            attributes["tag"] += "," + value
        else:
            attributes[key] = value
    return attributes


def _split_version(identifier: str) -> tuple[str, str | None]:
    match = _VERSION_SUFFIX.match(identifier)
    if match:
        return match.group(1), match.group(2)
    return identifier, None


def _strip_prefix(identifier: str) -> str:
    for prefix in ("transcript:", "gene:", "CDS:", "rna-", "gene-", "cds-"):
        if identifier.startswith(prefix):
            return identifier[len(prefix):]
    return identifier


def load_transcripts(path: Path | str) -> tuple[Transcript, ...]:
    """Read every transcript with exons from a GFF3 (Ensembl or GENCODE style) or GTF file.

    Transcripts are returned sorted by chromosome, start and ID. A model without any transcript
    raises ``InputError`` (an empty model would silently annotate nothing).
    """
    path = Path(path)
    try:
        handle = open_text(path)
    except OSError as error:
        raise InputError(path, f"cannot read the transcript model ({error.strerror})",
                         "pass an existing GFF3 or GTF file with --gff") from None
    building: dict[str, _Building] = {}
    gene_names: dict[str, tuple[str, str]] = {}
    parents_of: dict[str, str] = {}
    is_gtf = path.name.lower().endswith((".gtf", ".gtf.gz"))
    with handle:
        for line_number, line in enumerate(handle, start=1):
            if not line.strip() or line.startswith("#"):
                if line.startswith("##FASTA"):
                    break
                continue
            columns = line.rstrip("\n\r").split("\t")
            if len(columns) != 9:
                raise InputError(path, f"expected 9 tab-separated columns, found {len(columns)}",
                                 "give a GFF3 or GTF file (tab-separated, 9 columns)", f"line {line_number}")
            chrom, _source, kind, start, end, _score, strand, _phase, attribute_text = columns
            gtf_line = is_gtf or ('"' in attribute_text and "=" not in attribute_text.split('"')[0])
            attributes = (_parse_gtf_attributes if gtf_line else _parse_gff3_attributes)(attribute_text)
            try:
                start_pos, end_pos = int(start), int(end)
            except ValueError:
                raise InputError(path, "start/end are not integers", "fix the model file",
                                 f"line {line_number}") from None
            kind = kind.lower()
            if gtf_line:
                _take_gtf_line(building, chrom, kind, start_pos, end_pos, strand, attributes)
            else:
                _take_gff3_line(building, gene_names, parents_of, chrom, kind, start_pos, end_pos, strand,
                                attributes)
    transcripts = [_finish(record, gene_names, parents_of) for record in building.values() if record.exons]
    if not transcripts:
        raise InputError(path, "the transcript model holds no transcript with exons",
                         "pass a GFF3/GTF with transcript (mRNA) and exon features")
    return tuple(sorted(transcripts, key=lambda t: (t.chrom, t.start, t.transcript_id)))


def load_mane_transcript(model: Path | str) -> Transcript:
    """The model's MANE Select transcript, else its first coding one: the one verdicts and reports use."""
    transcripts = [t for t in load_transcripts(model) if t.is_coding]
    if not transcripts:
        raise InputError(model, "no protein-coding transcript in the model", "give a GFF3/GTF with CDS features")
    return next((t for t in transcripts if t.is_mane), transcripts[0])


def _record(building: dict[str, _Building], key: str) -> _Building:
    if key not in building:
        building[key] = _Building(transcript_id=key)
    return building[key]


def _take_gtf_line(building, chrom, kind, start, end, strand, attributes) -> None:
    transcript_id = attributes.get("transcript_id")
    if not transcript_id:
        return
    record = _record(building, transcript_id)
    record.chrom, record.strand = chrom, -1 if strand == "-" else 1
    record.gene = attributes.get("gene_name", record.gene or attributes.get("gene_id", ""))
    record.gene_id = attributes.get("gene_id", record.gene_id)
    record.version = attributes.get("transcript_version", record.version)
    record.biotype = attributes.get("transcript_biotype", attributes.get("transcript_type", record.biotype))
    if "tag" in attributes:
        record.tags.update(attributes["tag"].split(","))
    if "protein_id" in attributes:
        protein = attributes["protein_id"]
        version = attributes.get("protein_version")
        record.protein_id = f"{protein}.{version}" if version and "." not in protein else protein
    if kind in _EXON_TYPES:
        record.exons.append((start, end))
    elif kind in ("cds", "start_codon"):
        record.cds.append((start, end))
    elif kind == "stop_codon":
        record.stop_codons.append((start, end))
    elif kind == "transcript":
        record.declared = True


def _take_gff3_line(building, gene_names, parents_of, chrom, kind, start, end, strand, attributes) -> None:
    identifier = attributes.get("ID", "")
    parents = [p for p in attributes.get("Parent", "").split(",") if p]
    if kind in _EXON_TYPES | _CDS_TYPES:
        for parent in parents:
            record = _record(building, parent)
            record.chrom, record.strand = chrom, -1 if strand == "-" else 1
            if kind in _EXON_TYPES:
                record.exons.append((start, end))
            elif kind == "stop_codon":
                record.stop_codons.append((start, end))
            else:
                record.cds.append((start, end))
                if kind == "cds" and not record.protein_id:
                    protein = attributes.get("protein_id") or _strip_prefix(identifier) or None
                    record.protein_id = protein
        return
    is_gene = kind.endswith("gene")
    if identifier and not is_gene and (kind in _TRANSCRIPT_TYPES or "transcript_id" in attributes
                                       or kind.endswith("rna")):
        record = _record(building, identifier)
        record.declared = True
        record.chrom, record.strand = chrom, -1 if strand == "-" else 1
        if parents:
            parents_of[identifier] = parents[0]
        record.gene = attributes.get("gene_name") or attributes.get("gene", "")
        if "transcript_id" in attributes:
            record.gene_id = attributes.get("gene_id")
        record.version = attributes.get("version")
        record.biotype = attributes.get("biotype") or attributes.get("transcript_type") or kind
        record.tags.update(t for t in attributes.get("tag", "").split(",") if t)
        return
    if identifier and (is_gene or not parents):  # genes (and parentless regions) name their transcripts
        name = attributes.get("Name") or attributes.get("gene_name") or _strip_prefix(identifier)
        gene_id = attributes.get("gene_id") or _strip_prefix(identifier)
        gene_names[identifier] = (name, gene_id)


def _finish(record: _Building, gene_names, parents_of) -> Transcript:
    transcript_id, version = record.transcript_id, record.version
    transcript_id = _strip_prefix(transcript_id)
    base, suffix_version = _split_version(transcript_id)
    if suffix_version is not None and (version is None or version == suffix_version):
        transcript_id, version = base, suffix_version
    gene, gene_id = record.gene, record.gene_id
    parent = parents_of.get(record.transcript_id)
    if parent in gene_names:
        gene = gene or gene_names[parent][0]
        gene_id = gene_id or gene_names[parent][1]
    strand = record.strand
    exons_sorted = sorted(set(record.exons), reverse=strand == -1)
    exons = tuple(Exon(number, start, end) for number, (start, end) in enumerate(exons_sorted, start=1))
    coding = record.cds + record.stop_codons
    cds_start = min(s for s, _ in coding) if coding else None
    cds_end = max(e for _, e in coding) if coding else None
    protein_id = record.protein_id
    if protein_id:
        protein_id = _strip_prefix(protein_id)
    tags = tuple(sorted(record.tags))
    return Transcript(
        transcript_id=transcript_id,
        gene=gene or (gene_id or ""),
        chrom=record.chrom,
        strand=strand,
        exons=exons,
        cds_start=cds_start,
        cds_end=cds_end,
        is_mane=any(tag.replace(" ", "_").startswith("MANE_Select") for tag in tags),
        version=version,
        protein_id=protein_id,
        gene_id=_split_version(gene_id)[0] if gene_id else None,
        biotype=record.biotype,
        tags=tags,
    )
