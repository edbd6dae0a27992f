"""The ``extract`` stage: cut the TRPM6 locus out of one patient VCF, ready for annotation.

The heavy lifting (reading a whole-genome VCF, sample subsetting, splitting and left-aligning)
runs inside htslib/bcftools as shipped by pysam; Python only loops over the few records of the
locus. Every problem a lab can fix itself ends as an :class:`~trpm6_hsh.errors.InputError` that
names the file, the record and the fix, and the output appears atomically or not at all.

Pipeline, all on temporary files next to ``out_vcf``::

    bcftools view  (-r by index, or -t streaming; -S samples)   -> region.bcf
    bcftools annotate --rename-chrs  (only if naming differs)    -> renamed.bcf
    REF bases checked against the FASTA (our rule, our message)
    bcftools norm -m -any -f FASTA -c w                          -> normalised.bcf
    Python: drop spanning-deletion '*' records, sort, bgzip      -> out.vcf.gz + .tbi

The module is over 500 lines because these steps share one set of temporary files and one rule for
errors (each bcftools failure or header fact becomes a message about the user's file, not the temporary
one); split apart, every piece would have to pass that state around.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

import pysam
import pysam.bcftools as bcftools

from trpm6_hsh import locus_header
from trpm6_hsh.contigs import (
    MITO_NAMES,
    REFSEQ_ACCESSION_BUILDS,
    contig_name_variants,
    locus_spellings,
    match_contig_name,
)
from trpm6_hsh.errors import ConfigError, InputError, ReferenceMismatchError
from trpm6_hsh.files import open_text, write_text_atomic
from trpm6_hsh.genome_build import assembly_for_length, parse_build
from trpm6_hsh.model import Build
from trpm6_hsh.wording import DUPLICATE_RECORD_NOTE

ORIGINAL_RECORD_TAG = locus_header.ORIGINAL_RECORD_TAG
DUPLICATE_RECORDS_TAG = locus_header.DUPLICATE_RECORDS_TAG

#: REF mismatches tolerated before we call the VCF "not from this reference": none at all when fewer
#: than this many records could be checked, otherwise at most MAX_REF_MISMATCH_FRACTION of the checked
#: ones. A handful of mismatches in a large locus happens with patched references; a wrong build or a
#: shifted coordinate system mismatches at ~75% of SNVs. Only records whose REF meets A/C/G/T in the
#: reference count as checked: an N (or ambiguity code) there can neither confirm nor refute the build,
#: so a VCF checked mostly against N cannot dilute one definite mismatch below the fraction.
MIN_RECORDS_FOR_REF_TOLERANCE = 20
MAX_REF_MISMATCH_FRACTION = 0.05
#: When no record falls in the locus, at most this many records of the locus chromosome elsewhere are
#: REF-checked instead (a VCF of the other build has its TRPM6 records ~2.6 Mb away).
MAX_OUTSIDE_RECORDS_CHECKED = 200

_PRIMARY_CHROMOSOMES = frozenset([str(n) for n in range(1, 23)] + ["X", "Y", "M", "MT"])
_MAX_NAMES_SHOWN = 10
_log = logging.getLogger(__name__)
_MAX_MISMATCHES_LISTED = 10


@dataclass(frozen=True)
class LocusRegion:
    """One 1-based, inclusive interval of the locus, on the reference FASTA's contig naming."""

    contig: str
    start: int
    end: int

    def __str__(self) -> str:
        return f"{self.contig}:{self.start}-{self.end}"


@dataclass(frozen=True)
class RefMismatch:
    """A VCF REF allele that disagrees with the reference FASTA (position as in the input VCF)."""

    contig: str
    pos: int
    ref: str
    expected: str

    def __str__(self) -> str:
        return f"{self.contig}:{self.pos} REF={self.ref}, reference has {self.expected}"


@dataclass(frozen=True)
class ExtractSummary:
    """What the extract stage did to one VCF; written as JSON beside the locus VCF when asked.

    The file (``results/locus/{batch}.extract.json``) is this record's fields as one JSON object with sorted
    keys; ``workflow/schemas/extract.schema.json`` describes it, :meth:`to_json` writes it and
    :func:`read_extract_summary` reads it back.
    """

    source_vcf: str
    out_vcf: str
    build: Build
    samples: tuple[str, ...]
    regions: tuple[str, ...]
    indexed_access: bool
    contig_renamed_from: str | None
    locus_contig_in_header: bool
    header_contig_length: int | None
    reference_contig_length: int
    records_in_region: int
    records_written: int
    multiallelic_split: int
    left_aligned: int
    spanning_deletions_dropped: int
    symbolic_alleles_kept: int
    ref_mismatches: int
    ref_mismatch_examples: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())
    chromosome_records_outside_locus: int = 0
    outside_records_ref_checked: int = 0

    @property
    def build_unconfirmed(self) -> bool:
        """No locus record, records elsewhere on the chromosome, and too few REF bases checkable there to
        confirm the build: a NEGATIVE from this VCF may only mean it was called on another build."""
        return (
            self.records_in_region == 0
            and self.chromosome_records_outside_locus > 0
            and self.outside_records_ref_checked < MIN_RECORDS_FOR_REF_TOLERANCE
        )

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True) + "\n"


def read_extract_summary(path: Path | str) -> ExtractSummary:
    """The :class:`ExtractSummary` an extract.json holds (as :meth:`ExtractSummary.to_json` wrote it)."""
    path = Path(path)
    fix = "run the extract stage again to rewrite it"
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(path, f"cannot read the extraction summary ({error})", fix) from None
    expected = {f.name for f in fields(ExtractSummary)}
    if not isinstance(document, dict) or set(document) != expected:
        found = set(document) if isinstance(document, dict) else set()
        raise InputError(
            path,
            f"not an extraction summary (missing {sorted(expected - found)}, unknown {sorted(found - expected)})",
            fix,
        )
    tuples = {name: tuple(document[name]) for name in ("samples", "regions", "ref_mismatch_examples", "notes")}
    return ExtractSummary(**{**document, **tuples, "build": parse_build(document["build"], path)})


@dataclass(frozen=True)
class _VcfHeaderFacts:
    samples: tuple[str, ...]
    contigs: Mapping[str, int | None]
    is_bgzf: bool


# --------------------------------------------------------------------------------------------
# Public helpers: header facts and contig naming


def read_vcf_samples(vcf: Path | str) -> tuple[str, ...]:
    """Sample IDs of a VCF/BCF in file order, reading the header only (for start-up validation)."""
    return _read_header_facts(Path(vcf)).samples


def read_vcf_contigs(vcf: Path | str) -> dict[str, int | None]:
    """Contigs declared in the VCF header, with their ``length`` when given (header only)."""
    return dict(_read_header_facts(Path(vcf)).contigs)


def vcf_contig_naming(vcf: Path | str) -> str:
    """``"chr"`` when the header's primary chromosomes use the chr prefix, ``"plain"``, or ``"unknown"``."""
    return _naming_style(read_vcf_contigs(vcf))


def read_region_bed(region_bed: Path | str) -> tuple[LocusRegion, ...]:
    """The intervals of a BED file (0-based half-open in the file, 1-based inclusive here), merged."""
    region_bed = Path(region_bed)
    _require_file(region_bed, "region BED", "point the config at the TRPM6 region BED for your build")
    intervals: list[LocusRegion] = []
    with open(region_bed, encoding="utf-8", errors="replace") as handle:
        for line_number, line in enumerate(handle, start=1):
            if not line.strip() or line.startswith(("#", "track", "browser")):
                continue
            columns = line.rstrip("\r\n").split("\t")
            if len(columns) < 3:
                columns = line.split()
            try:
                contig, start, end = columns[0], int(columns[1]), int(columns[2])
            except (IndexError, ValueError):
                raise InputError(
                    region_bed,
                    "not a BED line (need tab-separated contig, 0-based start, end)",
                    "fix or remove the line",
                    record=f"line {line_number}",
                ) from None
            if start < 0 or end <= start:
                raise InputError(
                    region_bed,
                    f"empty or negative interval {contig}:{start}-{end}",
                    "BED intervals need 0 <= start < end",
                    record=f"line {line_number}",
                )
            intervals.append(LocusRegion(contig, start + 1, end))
    if not intervals:
        raise InputError(region_bed, "no intervals in the region BED", "add the TRPM6 locus interval")
    return _merge_regions(intervals)


# --------------------------------------------------------------------------------------------
# The stage


def extract_locus(
    vcf: Path | str,
    samples: Sequence[str],
    fasta: Path | str,
    region_bed: Path | str,
    out_vcf: Path | str,
    *,
    build: Build | str,
    threads: int = 1,
    summary_json: Path | str | None = None,
) -> ExtractSummary:
    """Write the locus of ``samples`` from ``vcf`` to ``out_vcf`` (bgzipped, tabix-indexed).

    Contigs follow the FASTA's naming, multiallelics are split, indels left-aligned, spanning
    deletions ('*') dropped. Raises InputError (ReferenceMismatchError for build/REF problems);
    on any error nothing is left at ``out_vcf``, its index or ``summary_json``.
    """
    vcf, fasta, region_bed, out_vcf = Path(vcf), Path(fasta), Path(region_bed), Path(out_vcf)
    if out_vcf.resolve() in (vcf.resolve(), fasta.resolve(), region_bed.resolve()):
        raise ValueError(f"out_vcf {out_vcf} would overwrite an input")
    outputs = [out_vcf, _index_path(out_vcf)] + ([Path(summary_json)] if summary_json else [])
    try:
        return _extract_locus(
            vcf,
            tuple(samples),
            fasta,
            region_bed,
            out_vcf,
            build=parse_build(build, "config reference.build", ConfigError, fix="set reference.build to"),
            threads=max(1, int(threads)),
            summary_json=Path(summary_json) if summary_json else None,
        )
    except BaseException:
        for path in outputs:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        raise


def _extract_locus(
    vcf: Path,
    samples: tuple[str, ...],
    fasta: Path,
    region_bed: Path,
    out_vcf: Path,
    *,
    build: Build,
    threads: int,
    summary_json: Path | None,
) -> ExtractSummary:
    _check_requested_samples(samples)
    _require_file(vcf, "VCF", "check the vcf column of the sample sheet")
    with _open_reference(fasta) as reference:
        return _extract_with_reference(
            vcf,
            samples,
            fasta,
            reference,
            region_bed,
            out_vcf,
            build=build,
            threads=threads,
            summary_json=summary_json,
        )


def _extract_with_reference(
    vcf: Path,
    samples: tuple[str, ...],
    fasta: Path,
    reference: pysam.FastaFile,
    region_bed: Path,
    out_vcf: Path,
    *,
    build: Build,
    threads: int,
    summary_json: Path | None,
) -> ExtractSummary:
    regions = _regions_on_reference(read_region_bed(region_bed), region_bed, reference, fasta)
    header = _read_header_facts(vcf)
    _check_samples_present(vcf, header.samples, samples)

    locus_contig = regions[0].contig
    spellings = locus_spellings(locus_contig, header.contigs)
    vcf_locus_name = next((name for name in spellings if name in header.contigs), None)
    _check_accession_build(vcf, [name for name in spellings if name in header.contigs], build, "its header declares")
    header_length = header.contigs.get(vcf_locus_name) if vcf_locus_name else None
    reference_length = reference.get_reference_length(locus_contig)
    _check_build(vcf, fasta, locus_contig, vcf_locus_name, header_length, reference_length, build)

    notes: list[str] = []
    if vcf_locus_name is None:
        notes.append(f"the VCF header declares no contig for {locus_contig} (nor any other naming of it)")
    index, index_note = _usable_index(vcf, header.is_bgzf, header.contigs)
    if index_note:
        notes.append(index_note)

    out_vcf.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out_vcf.name}.", suffix=".tmp", dir=out_vcf.parent))
    try:
        samples_file = work / "samples.txt"
        samples_file.write_text("".join(f"{s}\n" for s in samples), encoding="utf-8")
        # Query every spelling the records could use: a header may declare chr9 while records say 9.
        query = ",".join(f"{name}:{region.start}-{region.end}" for region in regions for name in spellings)
        indexed = index is not None
        cut = _LocusCut(vcf, work, query, samples_file, spellings, locus_contig)
        try:
            region_bcf = cut.run(indexed=indexed, threads=threads)
        except InputError:
            if not indexed:
                raise
            # A corrupt index should not stop the run: fall back to reading the whole file.
            notes.append("the index could not be used; the VCF was streamed instead")
            indexed = False
            region_bcf = cut.run(indexed=False, threads=threads)
        if indexed and not cut.record_spellings:
            # An index of another file finds nothing here: never let it turn into "no variants".
            notes.append("the index gave no record in the locus; the VCF was streamed to make sure")
            indexed = False
            region_bcf = cut.run(indexed=False, threads=threads)
        _check_accession_build(vcf, list(cut.record_spellings), build, "its records use")
        notes.extend(_spelling_notes(cut.record_spellings, vcf_locus_name, locus_contig))

        other_contigs = {name: length for name, length in header.contigs.items() if name not in spellings}
        renames = _rename_map({locus_contig: None, **other_contigs}, (), reference.references, locus_contig)
        renamed_bcf = region_bcf
        if renames:
            renamed_bcf = work / "renamed.bcf"
            map_file = work / "contig_map.txt"
            map_file.write_text("".join(f"{old}\t{new}\n" for old, new in renames.items()), "utf-8")
            _run_bcftools(
                vcf,
                "annotate",
                "--no-version",
                "--rename-chrs",
                str(map_file),
                "-Ou",
                "-o",
                str(renamed_bcf),
                str(region_bcf),
            )

        scan = _scan_region_records(renamed_bcf, reference, renames)
        _check_ref_mismatches(vcf, fasta, scan, _count_checkable_records(renamed_bcf, reference))
        outside = _OutsideScan(0, 0, ())
        if scan.records == 0:
            outside = _scan_chromosome_outside_locus(vcf, reference, locus_contig, regions)
            _check_ref_agreement(
                vcf, fasta, outside.mismatches, outside.checked,
                f"{locus_contig} records outside the TRPM6 locus (none falls inside it)",
            )  # fmt: skip

        normalised_bcf = work / "normalised.bcf"
        norm_stats = _normalise(vcf, fasta, renamed_bcf, normalised_bcf)

        staged_vcf = work / "locus.vcf.gz"
        written, spanning_dropped, duplicate_notes = _write_final(
            normalised_bcf, staged_vcf, samples, source=vcf, regions=regions
        )
        notes.extend(duplicate_notes)
        staged_index = Path(pysam.tabix_index(str(staged_vcf), preset="vcf", force=True) + ".tbi")

        if scan.mismatches:
            notes.append(
                f"{len(scan.mismatches)} of {scan.records} records have REF bases that disagree with the "
                f"reference (tolerated: at most {MAX_REF_MISMATCH_FRACTION:.0%}); first: {scan.mismatches[0]}"
            )
        if scan.records == 0:
            notes.append("no records in the locus; a valid VCF without records was written")
        renamed_from = None
        if vcf_locus_name and vcf_locus_name != locus_contig:
            renamed_from = vcf_locus_name
        elif any(name != locus_contig for name in cut.record_spellings):
            renamed_from = next(name for name in cut.record_spellings if name != locus_contig)
        summary = ExtractSummary(
            source_vcf=str(vcf),
            out_vcf=str(out_vcf),
            build=build,
            samples=samples,
            regions=tuple(str(r) for r in regions),
            indexed_access=indexed,
            contig_renamed_from=renamed_from,
            locus_contig_in_header=vcf_locus_name is not None,
            header_contig_length=header_length,
            reference_contig_length=reference_length,
            records_in_region=scan.records,
            records_written=written,
            multiallelic_split=scan.multiallelic,
            left_aligned=norm_stats.get("realigned", 0),
            spanning_deletions_dropped=spanning_dropped,
            symbolic_alleles_kept=scan.symbolic,
            ref_mismatches=len(scan.mismatches),
            ref_mismatch_examples=tuple(str(m) for m in scan.mismatches[:_MAX_MISMATCHES_LISTED]),
            notes=tuple(notes),
            chromosome_records_outside_locus=outside.records,
            outside_records_ref_checked=outside.checked,
        )
        os.replace(staged_vcf, out_vcf)
        os.replace(staged_index, _index_path(out_vcf))
        if summary_json is not None:
            write_text_atomic(summary_json, summary.to_json())
        _log_summary(summary)
        return summary
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _log_summary(summary: ExtractSummary) -> None:
    _log.info(
        "%s -> %s: %d locus records in, %d written (%d multiallelic split, %d left-aligned, "
        "%d '*' dropped, %d symbolic kept, %d REF mismatches tolerated); %s access%s",
        summary.source_vcf,
        summary.out_vcf,
        summary.records_in_region,
        summary.records_written,
        summary.multiallelic_split,
        summary.left_aligned,
        summary.spanning_deletions_dropped,
        summary.symbolic_alleles_kept,
        summary.ref_mismatches,
        "indexed" if summary.indexed_access else "streamed",
        f"; contig renamed from {summary.contig_renamed_from}" if summary.contig_renamed_from else "",
    )
    for note in summary.notes:
        _log.warning("%s: %s", summary.source_vcf, note)


def _require_file(path: Path, what: str, fix: str) -> None:
    if not path.exists():
        raise InputError(path, f"{what} not found", fix)
    if not path.is_file():
        raise InputError(path, f"{what} is not a file", fix)
    if path.stat().st_size == 0:
        raise InputError(path, f"{what} is empty (0 bytes)", f"regenerate or re-copy the {what}")


def _check_requested_samples(samples: tuple[str, ...]) -> None:
    if not samples:
        raise ValueError("extract_locus needs at least one sample")
    duplicates = sorted({s for s in samples if samples.count(s) > 1})
    if duplicates:
        raise InputError(
            "sample sheet",
            f"sample(s) requested twice from one VCF: {', '.join(duplicates)}",
            "list each sample_id once",
        )


@contextlib.contextmanager
def _quiet_htslib() -> Iterator[None]:
    """Silence htslib's own stderr chatter while we translate its failures into InputErrors."""
    previous = pysam.set_verbosity(0)
    try:
        yield
    finally:
        pysam.set_verbosity(previous)


def _read_header_facts(vcf: Path) -> _VcfHeaderFacts:
    _require_file(vcf, "VCF", "check the vcf column of the sample sheet")
    compression = _compression(vcf)
    damaged_fix = "re-copy or re-export the VCF; check it with 'bgzip -t' or 'gzip -t'"
    if compression == "bgzf" and not _has_bgzf_eof_block(vcf):
        raise InputError(vcf, "truncated (the BGZF end-of-file block is missing)", damaged_fix)
    if compression == "gzip":
        return _header_facts_from_text(_run_bcftools(vcf, "view", "--header-only", str(vcf), stdout=True))
    try:
        # BGZF truncation was checked above, so pysam's own check (which seeks) is not needed.
        with _quiet_htslib(), pysam.VariantFile(str(vcf), ignore_truncation=True) as handle:
            header = handle.header
            contigs = {name: contig.length for name, contig in header.contigs.items()}
            if not handle.is_bcf:
                # pysam adds the sequence names of an index beside the file: read the text instead.
                contigs = _header_facts_from_text(_text_header(vcf)).contigs
            return _VcfHeaderFacts(samples=tuple(header.samples), contigs=contigs, is_bgzf=compression == "bgzf")
    except ValueError as error:
        diagnosis = _diagnose_text_vcf(vcf)
        if diagnosis is not None:
            raise diagnosis from None
        raise InputError(
            vcf,
            f"not a readable VCF/BCF ({_one_line(error)})",
            "give a VCF, bgzipped VCF or BCF with a '##fileformat=VCF' header",
        ) from None
    except (OSError, NotImplementedError) as error:
        problem = f"cannot be read, probably truncated or corrupt ({_one_line(error)})"
        raise InputError(vcf, problem, damaged_fix) from None


def _text_header(vcf: Path) -> str:
    """The header lines of a text VCF (plain or compressed), read as written."""
    lines = []
    with open_text(vcf, errors="replace") as handle:
        for line in handle:
            if not line.startswith("#"):
                break
            lines.append(line)
    return "".join(lines)


def _header_facts_from_text(header_text: str) -> _VcfHeaderFacts:
    """Samples and contigs from header text (plain-gzip VCFs, which pysam cannot open)."""
    contigs: dict[str, int | None] = {}
    samples: tuple[str, ...] = ()
    for line in header_text.splitlines():
        if line.startswith("##contig=<"):
            name = re.search(r"[<,]ID=([^,>]+)", line)
            length = re.search(r"[<,]length=(\d+)", line)
            if name:
                contigs[name.group(1)] = int(length.group(1)) if length else None
        elif line.startswith("#CHROM"):
            samples = tuple(line.rstrip("\r\n").split("\t")[9:])
    return _VcfHeaderFacts(samples=samples, contigs=contigs, is_bgzf=False)


_GZIP_MAGIC = b"\x1f\x8b"
_BGZF_EOF_BLOCK = bytes.fromhex("1f8b08040000000000ff0600424302001b0003000000000000000000")


def _compression(path: Path) -> str:
    """``bgzf``, ``gzip`` or ``none``, from the first gzip member's header (RFC 1952 + BGZF 'BC')."""
    with open(path, "rb") as handle:
        head = handle.read(18)
    if not head.startswith(_GZIP_MAGIC):
        return "none"
    has_extra_field = len(head) >= 14 and head[3] & 4
    return "bgzf" if has_extra_field and head[12:14] == b"BC" else "gzip"


def _has_bgzf_eof_block(path: Path) -> bool:
    with open(path, "rb") as handle:
        handle.seek(0, os.SEEK_END)
        if handle.tell() < len(_BGZF_EOF_BLOCK):
            return False
        handle.seek(-len(_BGZF_EOF_BLOCK), os.SEEK_END)
        return handle.read() == _BGZF_EOF_BLOCK


def _check_samples_present(vcf: Path, present: tuple[str, ...], requested: tuple[str, ...]) -> None:
    missing = [s for s in requested if s not in present]
    if not missing:
        return
    shown = ", ".join(present[:_MAX_NAMES_SHOWN]) or "none (a sites-only VCF)"
    if len(present) > _MAX_NAMES_SHOWN:
        shown += f", ... ({len(present)} samples)"
    raise InputError(
        vcf,
        f"sample(s) {', '.join(missing)} not in the VCF; it has: {shown}",
        "correct sample_id in the sample sheet, or point its vcf column at the file holding that sample",
    )


def _open_reference(fasta: Path) -> pysam.FastaFile:
    _require_file(fasta, "reference FASTA", "check reference.fasta in the config")
    try:
        with _quiet_htslib():
            return pysam.FastaFile(str(fasta))
    except (OSError, ValueError) as error:
        raise InputError(
            fasta,
            f"cannot open the reference FASTA or build its .fai index ({_one_line(error)})",
            "give a plain or bgzip-compressed FASTA in a writable folder, or index it: samtools faidx",
        ) from None


def _regions_on_reference(
    regions: tuple[LocusRegion, ...], region_bed: Path, reference: pysam.FastaFile, fasta: Path
) -> tuple[LocusRegion, ...]:
    """Rename BED contigs to the FASTA's naming and check they fit on the reference."""
    placed = []
    for region in regions:
        contig = match_contig_name(region.contig, reference.references)
        if contig is None:
            raise InputError(
                region_bed,
                f"contig {region.contig} is not in the reference FASTA {fasta} "
                f"(it has: {', '.join(reference.references[:_MAX_NAMES_SHOWN])})",
                "use the region BED and reference FASTA of the same build",
            )
        length = reference.get_reference_length(contig)
        if region.end > length:
            raise ReferenceMismatchError(
                region_bed,
                f"region {region} ends beyond {contig} of the reference FASTA {fasta} ({length:,} bp)",
                "use the region BED and reference FASTA of the same build",
            )
        placed.append(LocusRegion(contig, region.start, region.end))
    contigs = {r.contig for r in placed}
    if len(contigs) > 1:
        raise InputError(
            region_bed,
            f"the locus spans several contigs ({', '.join(sorted(contigs))})",
            "give one region BED per locus on one contig",
        )
    return _merge_regions(placed)


def _merge_regions(regions: Sequence[LocusRegion]) -> tuple[LocusRegion, ...]:
    merged: list[LocusRegion] = []
    for region in sorted(regions, key=lambda r: (r.contig, r.start, r.end)):
        last = merged[-1] if merged else None
        if last and last.contig == region.contig and region.start <= last.end + 1:
            merged[-1] = LocusRegion(last.contig, last.start, max(last.end, region.end))
        else:
            merged.append(region)
    return tuple(merged)


def _check_build(
    vcf: Path,
    fasta: Path,
    contig: str,
    vcf_contig: str | None,
    header_length: int | None,
    reference_length: int,
    build: Build,
) -> None:
    """Catch the wrong build before any record is read, from declared contig lengths."""
    reference_build = assembly_for_length(contig, reference_length)
    if reference_build is not None and reference_build != build:
        raise ReferenceMismatchError(
            fasta,
            f"{contig} is {reference_length:,} bp, the {reference_build} length, but reference.build is {build}",
            f"set reference.build to {reference_build}, or point reference.fasta at a {build} FASTA",
        )
    if header_length is None or header_length == reference_length:
        return
    header_build = assembly_for_length(contig, header_length)
    if reference_build is None and header_build == build:
        # A locus-only or synthetic FASTA: its contig is shorter than the real chromosome.
        # The declared build agrees with the config; the REF check still guards the bases.
        return
    raise ReferenceMismatchError(
        vcf,
        f"the VCF header declares {vcf_contig} length {header_length:,} "
        f"({header_build or 'no build we know'}) but the reference FASTA {fasta} has {contig} "
        f"length {reference_length:,} ({reference_build or 'no build we know'}; "
        f"reference.build is {build})",
        "use the reference FASTA and reference.build in the config that match this VCF's build, "
        f"or lift the VCF over to {build}",
    )


def _usable_index(
    vcf: Path, is_bgzf: bool, header_contigs: Mapping[str, object]
) -> tuple[Path | None, str | None]:
    """The .tbi/.csi beside a bgzipped VCF or BCF, unless it is older than the data or names other contigs.

    A newer timestamp does not prove the index was built from this file (a copied folder, a re-exported
    VCF beside an old index); sequence names the header does not declare show it was not.
    """
    if not is_bgzf:
        return None, None
    for suffix in (".tbi", ".csi"):
        index = Path(f"{vcf}{suffix}")
        if index.is_file():
            if index.stat().st_mtime < vcf.stat().st_mtime:
                return None, f"index {index.name} is older than the VCF; the VCF was streamed instead"
            try:
                indexed_names = _indexed_contigs(vcf, index)
            except (OSError, ValueError):
                return None, f"index {index.name} could not be read; the VCF was streamed instead"
            foreign = [name for name in indexed_names if header_contigs and name not in header_contigs]
            if foreign:
                return None, (
                    f"index {index.name} names contigs the VCF header does not declare ({', '.join(foreign[:3])}), "
                    "so it was probably built from another file; the VCF was streamed instead"
                )
            return index, None
    return None, None


def _indexed_contigs(vcf: Path, index: Path) -> list[str]:
    """The sequence names an index holds (what the file it was built from has records on)."""
    with _quiet_htslib():
        if _compression(vcf) != "none" and not _is_bcf(vcf):
            with pysam.TabixFile(str(vcf), index=str(index)) as tabix:
                return list(tabix.contigs)
        with pysam.VariantFile(str(vcf), index_filename=str(index)) as handle:
            return list(handle.index) if handle.index is not None else []


def _is_bcf(path: Path) -> bool:
    with pysam.VariantFile(str(path)) as handle:
        return handle.is_bcf


# --------------------------------------------------------------------------------------------
# bcftools steps


def _run_bcftools(vcf: Path, command: str, *args: str, stdout: bool = False) -> str:
    """Run one bcftools command in-process; failures become InputErrors naming the VCF.

    Returns the command's stdout when ``stdout`` is true, else its stderr (norm's statistics).
    """
    runner = getattr(bcftools, command)
    try:
        with _quiet_htslib():
            output = runner(*args, catch_stdout=stdout)
    except pysam.SamtoolsError as error:
        diagnosis = _diagnose_text_vcf(vcf)
        if diagnosis is not None:
            raise diagnosis from None
        message = _tool_message(_one_line(error).split("stderr=", 1)[-1])
        lowered = message.lower()
        fix = "re-copy or re-export the VCF; check it with 'bcftools view' or 'bgzip -t'"
        if any(word in lowered for word in ("read error", "truncat", "bgzf", "inflate", "gzip")):
            problem = f"truncated or corrupt (bcftools {command}: {message})"
        elif "undefined tags" in lowered:
            problem = "its records use INFO/FORMAT tags that its header does not define"
            fix = "add the missing ##INFO/##FORMAT lines (bcftools annotate -h) or re-export the VCF"
        else:
            problem = f"bcftools {command} failed: {message}"
        raise InputError(vcf, problem, fix) from None
    return (output or "") if stdout else (runner.stderr or "")


@dataclass
class _LocusCut:
    """Region and samples cut in htslib: an index jump (-r) or a full stream (-t).

    The region is cut with all samples as text first: its records may name the locus contig otherwise than
    the header (chr9 against 9, or a RefSeq accession), which bcftools cannot subset; the cut is put on
    the FASTA's name, its contigs declared, then its samples subset. ``record_spellings`` counts the
    records per contig name found.
    """

    vcf: Path
    work: Path
    query: str
    samples_file: Path
    spellings: tuple[str, ...]
    locus_contig: str
    record_spellings: dict[str, int] = field(default_factory=dict)

    def run(self, *, indexed: bool, threads: int) -> Path:
        region_bcf = self.work / "region.bcf"
        region_vcf = self.work / "region_all_samples.vcf"
        self._view(self.vcf, region_vcf, "-Ov", indexed=indexed, threads=threads, samples=False)
        self.record_spellings = _harmonise_locus_contig(region_vcf, self.spellings, self.locus_contig, self.vcf)
        _declare_record_contigs(region_vcf)
        self._view(region_vcf, region_bcf, "-Ou", indexed=False, threads=1, samples=True, where=False)
        return region_bcf

    def _view(
        self,
        source: Path,
        target: Path,
        output_type: str,
        *,
        indexed: bool,
        threads: int,
        samples: bool,
        where: bool = True,
    ) -> None:
        args = ["--no-version", "--no-update"]
        if where and indexed:
            args += ["--regions", self.query, "--regions-overlap", "variant"]
        elif where:
            args += ["--targets", self.query, "--targets-overlap", "variant"]
        if samples:
            args += ["--samples-file", str(self.samples_file)]
        if threads > 1:
            args += ["--threads", str(threads)]
        _run_bcftools(self.vcf, "view", *args, output_type, "-o", str(target), str(source))


def _declare_record_contigs(vcf_text: Path) -> None:
    """Add a ##contig line for every contig the records use but the header does not declare."""
    lines = vcf_text.read_text(encoding="utf-8", errors="surrogateescape").splitlines(keepends=True)
    header = [line for line in lines if line.startswith("#")]
    body = [line for line in lines if not line.startswith("#")]
    declared = {m.group(1) for line in header if (m := re.match(r"##contig=<ID=([^,>]+)", line))}
    used = dict.fromkeys(line.split("\t", 1)[0] for line in body)
    missing = [f"##contig=<ID={name}>\n" for name in used if name not in declared]
    text = "".join(header[:-1] + missing + header[-1:] + body)
    vcf_text.write_text(text, encoding="utf-8", errors="surrogateescape")


def _harmonise_locus_contig(
    vcf_text: Path, spellings: Sequence[str], locus_contig: str, source: Path
) -> dict[str, int]:
    """Put every record and ##contig line of the locus contig (any spelling) on ``locus_contig``.

    A header may declare chr9 while the records say 9 (or both appear); read as written, those records
    would silently fall out of the locus. Every record is checked for what htslib lets through but
    the later stages cannot read (``_record_problem``). Returns the number of records per spelling found.
    """
    lines = vcf_text.read_text(encoding="utf-8", errors="surrogateescape").splitlines(keepends=True)
    counts: dict[str, int] = {}
    out: list[str] = []
    contig_line_kept = False
    columns = 0
    for line in lines:
        if line.startswith("#CHROM"):
            columns = len(line.rstrip("\r\n").split("\t"))
        elif not line.startswith("#"):
            fields = line.rstrip("\r\n").split("\t")
            problem = _record_problem(fields, columns)
            if problem is not None:
                where = f"record {fields[0]}:{fields[1] if len(fields) > 1 else '?'}"
                raise InputError(source, problem[0], problem[1], record=where)
        if line.startswith("##contig=<"):
            name = re.match(r"##contig=<ID=([^,>]+)", line)
            if name and name.group(1) in spellings:
                if contig_line_kept:
                    continue
                contig_line_kept = True
                line = line.replace(f"ID={name.group(1)}", f"ID={locus_contig}", 1)
        elif not line.startswith("#"):
            chrom, tab, rest = line.partition("\t")
            if chrom in spellings:
                counts[chrom] = counts.get(chrom, 0) + 1
                line = locus_contig + tab + rest
        out.append(line)
    vcf_text.write_text("".join(out), encoding="utf-8", errors="surrogateescape")
    return counts


_RECORD_FIX = "correct or remove this record (or re-export the VCF from the caller), then rerun"


def _record_problem(fields: Sequence[str], columns: int) -> tuple[str, str] | None:
    """What makes one VCF record line unreadable downstream, with its fix; None for a readable record.

    htslib accepts POS 0, any bytes in ALT and a FORMAT without GT; each would later end in a traceback,
    or worse in a genotype read as absent.
    """
    if columns and len(fields) != columns:
        return (f"the record has {len(fields)} tab-separated columns but the #CHROM line has {columns}",
                "complete the record (one column per header column, tab-separated), or remove it")
    if len(fields) < 8:
        return f"the record has {len(fields)} columns, fewer than the 8 a VCF record needs", _RECORD_FIX
    if not fields[1].isdigit() or int(fields[1]) < 1:
        return f"POS {fields[1]!r} is not a position (VCF positions are whole numbers from 1)", _RECORD_FIX
    for name, allele in [("REF", fields[3]), *(("ALT", alt) for alt in fields[4].split(","))]:
        if not allele.isascii() or not allele.isprintable():
            shown = allele.encode("utf-8", "surrogateescape").decode("ascii", "backslashreplace")
            return f"{name} {shown!r} holds characters that are not DNA bases", _RECORD_FIX
    if columns > 9 and fields[8].split(":")[0] != "GT":
        return (f"FORMAT {fields[8]!r} has no GT first: the sample's genotype is not stated",
                "re-export the VCF with genotypes (GT as the first FORMAT field), then rerun")
    return None


_FIXED_COLUMNS = ("#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO")
_HEADER_LINE_FIX = (
    "make the last header line '#CHROM POS ID REF ALT QUAL FILTER INFO FORMAT' and the sample names, "
    "tab-separated, each sample name once (bcftools reheader -s renames samples)"
)


def _diagnose_text_vcf(vcf: Path) -> InputError | None:
    """When htslib refuses a text VCF: the first header or record line at fault, by line number.

    htslib says only "parse error" or "does not have valid header"; a lab needs the line and what is wrong.
    Reads the file once, on the failure path only; None when nothing is found (or for a BCF).
    """
    if _compression(vcf) == "none" and vcf.read_bytes()[:3] == b"BCF":
        return None
    columns = 0
    try:
        with open_text(vcf, errors="surrogateescape") as handle:
            for number, line in enumerate(handle, start=1):
                line = line.rstrip("\r\n")
                if number == 1 and not line.startswith("##fileformat=VCF"):
                    return None  # not a VCF at all: the caller's message says so
                if line.startswith("##"):
                    continue
                where = f"line {number}"
                if line.startswith("#"):
                    fields = line.split("\t")
                    problem = _header_line_problem(fields)
                    if problem:
                        return InputError(vcf, problem, _HEADER_LINE_FIX, record=where)
                    columns = len(fields)
                    continue
                if not columns:
                    return InputError(vcf, "the header has no '#CHROM' line before the first record",
                                      _HEADER_LINE_FIX, record=where)
                problem = _record_problem(line.split("\t"), columns)
                if problem:
                    return InputError(vcf, problem[0], problem[1], record=where)
    except (OSError, EOFError, ValueError):
        return None
    if not columns:
        return InputError(vcf, "the header has no '#CHROM' line", _HEADER_LINE_FIX)
    return None


def _header_line_problem(fields: Sequence[str]) -> str | None:
    if tuple(fields[:8]) != _FIXED_COLUMNS:
        return f"the '#CHROM' line's columns are {' '.join(fields[:9])!r}, not the VCF columns"
    if len(fields) > 8 and fields[8] != "FORMAT":
        return f"the ninth column of the '#CHROM' line is {fields[8]!r}, not FORMAT"
    samples = fields[9:]
    twice = sorted({name for name in samples if samples.count(name) > 1})
    if twice:
        return f"sample name(s) {', '.join(twice)} appear more than once in the '#CHROM' line"
    if any(not name.strip() for name in samples):
        return "the '#CHROM' line has an empty sample name"
    return None


def _check_accession_build(vcf: Path, names: Sequence[str], build: Build, where: str) -> None:
    """A RefSeq accession belongs to one build: NC_000009.11 in a GRCh38 run is the wrong build."""
    for name in names:
        accession_build = REFSEQ_ACCESSION_BUILDS.get(name)
        if accession_build is not None and accession_build != build.value:
            raise ReferenceMismatchError(
                vcf,
                f"{where} {name}, the {accession_build} accession of chromosome 9, but reference.build is {build}",
                f"set reference.build to {accession_build} with a {accession_build} FASTA, or lift the VCF over "
                f"to {build}",
            )


def _spelling_notes(record_spellings: Mapping[str, int], declared: str | None, locus_contig: str) -> list[str]:
    """Say when records named the locus contig otherwise than the header or than each other."""
    undeclared = {name: count for name, count in record_spellings.items() if name != declared}
    if not undeclared or (declared is None and len(record_spellings) == 1):
        return []
    named = ", ".join(f"{count} as {name}" for name, count in undeclared.items())
    header = f"the header declares {declared}" if declared else "the header declares no locus contig"
    return [
        f"locus records name their contig otherwise than the header ({named}; {header}); all were read as "
        f"{locus_contig} and their REF bases checked against the reference"
    ]


def _rename_map(
    header_contigs: Mapping[str, int | None],
    query_names: Sequence[str],
    reference_names: Sequence[str],
    locus_contig: str,
) -> dict[str, str]:
    """Old -> new names that put the VCF (header and records) on the FASTA's naming."""
    target_style = "chr" if locus_contig.lower().startswith("chr") else "plain"
    renames: dict[str, str] = {}
    taken = set(header_contigs)
    for name in list(header_contigs) + [n for n in query_names if n not in header_contigs]:
        new = match_contig_name(name, reference_names)
        if new is None:
            new = _restyle(name, target_style)
        if new != name and new not in taken and new not in renames.values():
            renames[name] = new
    return renames


def _restyle(name: str, style: str) -> str:
    core = name[3:] if name.lower().startswith("chr") else name
    if core.upper() not in _PRIMARY_CHROMOSOMES:
        return name
    if core.upper() in MITO_NAMES:
        return "chrM" if style == "chr" else "MT"
    return f"chr{core}" if style == "chr" else core


def _naming_style(contigs: Mapping[str, object]) -> str:
    primary = [n for n in contigs if _restyle(n, "plain").upper() in _PRIMARY_CHROMOSOMES]
    if not primary:
        return "unknown"
    prefixed = sum(n.lower().startswith("chr") for n in primary)
    return "chr" if prefixed * 2 >= len(primary) else "plain"


def _normalise(vcf: Path, fasta: Path, in_bcf: Path, out_bcf: Path) -> dict[str, int]:
    """Split multiallelics and left-align indels; -c w because our own REF check ran already."""
    stderr = _run_bcftools(
        vcf,
        "norm",
        "--no-version",
        "--multiallelics",
        "-any",
        "--old-rec-tag",
        ORIGINAL_RECORD_TAG,
        "--fasta-ref",
        str(fasta),
        "--check-ref",
        "w",
        "-Ou",
        "-o",
        str(out_bcf),
        str(in_bcf),
    )
    return _parse_norm_stats(stderr)


def _parse_norm_stats(stderr: str) -> dict[str, int]:
    """bcftools norm reports 'Lines total/split/.../skipped:\\t5/2/...' on stderr."""
    match = re.search(r"Lines\s+([\w/]+):\s*([\d/]+)", stderr)
    if not match:
        return {}
    names, values = match.group(1).split("/"), match.group(2).split("/")
    return {name: int(value) for name, value in zip(names, values, strict=False)}


# --------------------------------------------------------------------------------------------
# Python passes over the (small) locus


@dataclass(frozen=True)
class _RegionScan:
    records: int
    multiallelic: int
    symbolic: int
    mismatches: tuple[RefMismatch, ...]


def _scan_region_records(region_bcf: Path, reference: pysam.FastaFile, renames: Mapping[str, str]) -> _RegionScan:
    """Count the locus records and compare their REF bases with the FASTA."""
    original_name = {new: old for old, new in renames.items()}
    records = multiallelic = symbolic = 0
    mismatches: list[RefMismatch] = []
    with _quiet_htslib(), pysam.VariantFile(str(region_bcf)) as handle:
        for record in handle:
            records += 1
            alts = record.alts or ()
            if len(alts) > 1:
                multiallelic += 1
            if any(alt.startswith("<") or "[" in alt or "]" in alt for alt in alts):
                symbolic += 1
            ref = record.ref.upper()
            expected = reference.fetch(record.chrom, record.start, record.start + len(ref)).upper()
            if _bases_disagree(ref, expected):
                name = original_name.get(record.chrom, record.chrom)
                mismatches.append(RefMismatch(name, record.pos, record.ref, expected or "nothing"))
    return _RegionScan(records, multiallelic, symbolic, tuple(mismatches))


def _bases_disagree(ref: str, expected: str) -> bool:
    """Definite mismatch only: ambiguity codes and N on either side are given the benefit of doubt."""
    if len(expected) < len(ref):
        return True
    return any(a != b and a in "ACGT" and b in "ACGT" for a, b in zip(ref, expected, strict=False))


def _check_ref_mismatches(vcf: Path, fasta: Path, scan: _RegionScan, checked: int) -> None:
    _check_ref_agreement(vcf, fasta, scan.mismatches, checked, "locus records")


def _check_ref_agreement(vcf: Path, fasta: Path, mismatches: Sequence[RefMismatch], checked: int, where: str) -> None:
    """Stop on REF disagreement: any at all below MIN_RECORDS_FOR_REF_TOLERANCE checked records, else above
    MAX_REF_MISMATCH_FRACTION of them (records against N in the reference count as not checked)."""
    count = len(mismatches)
    if count == 0:
        return
    checked = max(checked, count)
    tolerated = checked >= MIN_RECORDS_FOR_REF_TOLERANCE and count <= MAX_REF_MISMATCH_FRACTION * checked
    if tolerated:
        return
    first = mismatches[0]
    raise ReferenceMismatchError(
        vcf,
        f"REF bases disagree with the reference FASTA {fasta} at {count} of {checked} {where} whose "
        f"reference bases could be checked; first: {first}. The VCF was called against another reference or build",
        "use the reference FASTA and reference.build the VCF was called against, "
        "or lift the VCF over / re-call it on this reference",
        record=f"{first.contig}:{first.pos}",
    )


def _ref_checkable(ref: str, expected: str) -> bool:
    """Whether the reference can confirm or refute this REF: some A/C/G/T faces A/C/G/T, or it runs off the end."""
    return len(expected) < len(ref) or any(a in "ACGT" and b in "ACGT" for a, b in zip(ref, expected, strict=False))


def _count_checkable_records(region_bcf: Path, reference: pysam.FastaFile) -> int:
    """Locus records whose REF bases meet A/C/G/T in the reference (the denominator of the REF rule)."""
    checked = 0
    with _quiet_htslib(), pysam.VariantFile(str(region_bcf)) as handle:
        for record in handle:
            ref = record.ref.upper()
            checked += _ref_checkable(ref, reference.fetch(record.chrom, record.start, record.start + len(ref)).upper())
    return checked


@dataclass(frozen=True)
class _OutsideScan:
    records: int
    checked: int
    mismatches: tuple[RefMismatch, ...]


def _scan_chromosome_outside_locus(
    vcf: Path, reference: pysam.FastaFile, locus_contig: str, regions: Sequence[LocusRegion]
) -> _OutsideScan:
    """REF-check records of the locus chromosome outside the locus, when none falls inside it.

    A gene-only VCF of the other build (without ##contig lines nothing else gives it away) has no record
    in this build's TRPM6 window, so the locus check sees nothing; its records ~2.6 Mb away still meet
    the reference. Reads the VCF itself (its index when usable), stopping after
    MAX_OUTSIDE_RECORDS_CHECKED checked records.
    """
    spellings = set(contig_name_variants(locus_contig))
    records = checked = 0
    mismatches: list[RefMismatch] = []
    length = reference.get_reference_length(locus_contig)
    full_length = assembly_for_length(locus_contig, length) is not None  # else the FASTA may just end early
    try:
        with _quiet_htslib(), pysam.VariantFile(str(vcf)) as handle:
            for record in _chromosome_records(handle, spellings):
                if any(region.start <= record.pos <= region.end for region in regions):
                    continue
                records += 1
                ref = record.ref.upper()
                if record.start + len(ref) > length and not full_length:
                    continue
                start = min(record.start, length)
                expected = reference.fetch(locus_contig, start, min(start + len(ref), length)).upper()
                if not _ref_checkable(ref, expected):
                    continue
                checked += 1
                if _bases_disagree(ref, expected):
                    mismatches.append(RefMismatch(record.chrom, record.pos, record.ref, expected or "nothing"))
                if checked >= MAX_OUTSIDE_RECORDS_CHECKED:
                    break
    except (OSError, ValueError) as error:
        _log.warning("could not read %s for the chromosome-wide REF check: %s", vcf, _one_line(error))
    return _OutsideScan(records, checked, tuple(mismatches))


def _chromosome_records(handle: pysam.VariantFile, spellings: set[str]) -> Iterator[pysam.VariantRecord]:
    """Records on any spelling of one contig: by the index when there is one, else by streaming the file."""
    if handle.index is not None:
        for name in sorted(spellings):
            with contextlib.suppress(ValueError):  # a spelling the index does not know
                yield from handle.fetch(name)
        return
    yield from (record for record in handle if record.chrom in spellings)


def _write_final(
    normalised_bcf: Path,
    staged_vcf: Path,
    samples: tuple[str, ...],
    *,
    source: Path,
    regions: tuple[LocusRegion, ...],
) -> tuple[int, int, list[str]]:
    """Drop '*' alleles (the deletion itself is its own record), collapse duplicates, sort, bgzip.

    Returns the records written, the '*' records dropped and a note per collapsed duplicate.
    """
    with _quiet_htslib(), pysam.VariantFile(str(normalised_bcf)) as handle:
        if tuple(handle.header.samples) != samples:
            raise RuntimeError(f"bcftools kept samples {tuple(handle.header.samples)}, not {samples}")
        handle.header.add_line(
            f'##INFO=<ID={DUPLICATE_RECORDS_TAG},Number=1,Type=Integer,'
            'Description="Identical records of the input VCF collapsed into this one">'
        )
        header = handle.header.copy()
        header.add_line(locus_header.header_line(source.name, [str(region) for region in regions]))
        kept = []
        spanning = 0
        for record in handle:
            if record.alts and all(alt == "*" for alt in record.alts):
                spanning += 1
                continue
            kept.append(record)
        kept, duplicate_notes = _collapse_duplicates(kept, source)
        if any(a.pos > b.pos for a, b in zip(kept, kept[1:], strict=False)):
            kept.sort(key=lambda r: (r.pos, r.ref, r.alts or ()))
        with pysam.VariantFile(str(staged_vcf), "wz", header=header) as out:
            for record in kept:
                out.write(record)
    return len(kept), spanning, duplicate_notes


def _collapse_duplicates(records: list, vcf: Path) -> tuple[list, list[str]]:
    """One record per CHROM/POS/REF/ALT after splitting and left-aligning.

    The same allele written twice with the same genotype for every sample is counted once (a note says so,
    and the kept record carries DUPLICATE_RECORDS); with different genotypes nobody can tell which call is
    right, so the run stops naming both records.
    """
    first_of: dict[tuple, object] = {}
    copies: dict[tuple, int] = {}
    kept = []
    for record in records:
        allele = (record.chrom, record.pos, record.ref, record.alts)
        first = first_of.get(allele)
        if first is None:
            first_of[allele] = record
            kept.append(record)
            continue
        differing = next(
            (s for s in record.samples if _genotype_of(first.samples[s]) != _genotype_of(record.samples[s])), None
        )
        if differing is not None:
            site = f"{record.chrom}:{record.pos} {record.ref}>{','.join(record.alts or ())}"
            raise InputError(
                vcf,
                f"this variant allele is written twice with different genotypes: the first time in "
                f"{_origin_of(first)}, sample {differing} {_genotype_text(first.samples[differing])}; the second time "
                f"in {_origin_of(record)}, sample {differing} {_genotype_text(record.samples[differing])}; which call "
                "is right cannot be told",
                "keep one record per variant allele (remove the wrong one, or re-call the site), then rerun",
                record=site,
            )
        copies[allele] = copies.get(allele, 1) + 1
    notes = []
    for allele, count in copies.items():
        first_of[allele].info[DUPLICATE_RECORDS_TAG] = count
        chrom, pos, ref, alts = allele
        notes.append(DUPLICATE_RECORD_NOTE.format(
                site=f"{chrom}:{pos}{ref}>{','.join(alts or ())}", times="twice" if count == 2 else f"{count} times"
            ))
    return kept, notes


def _genotype_of(call) -> tuple:
    """A sample's GT for comparison: allele order matters only when both records are phased."""
    alleles = tuple(-1 if allele is None else allele for allele in (call.get("GT") or ()))
    return alleles if call.phased else tuple(sorted(alleles))


def _genotype_text(call) -> str:
    alleles = ["." if allele is None else str(allele) for allele in (call.get("GT") or ())]
    return ("|" if call.phased else "/").join(alleles) or "."


def _origin_of(record) -> str:
    """The input record a locus record came from (bcftools norm's old-record tag, else the record itself)."""
    original = record.info.get(ORIGINAL_RECORD_TAG) if ORIGINAL_RECORD_TAG in record.header.info else None
    if original:
        text = original if isinstance(original, str) else ",".join(original)
        chrom, pos, ref, alts = (text.split("|") + ["", "", "", ""])[:4]
        return f"the record {chrom}:{pos} {ref}>{alts}"
    return f"the record {record.chrom}:{record.pos} {record.ref}>{','.join(record.alts or ())}"


def _index_path(vcf: Path) -> Path:
    return Path(f"{vcf}.tbi")


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()).strip()


def _tool_message(captured: str) -> str:
    """bcftools' stderr as pysam captured it (a bytes literal) as plain words, without advice meant for bcftools."""
    text = captured.strip()
    if text[:2] in ("b'", 'b"'):
        text = text[2:]
    text = text.rstrip("'\"").replace("\\n", " ").replace("Use --force to proceed anyway.", "")
    return " ".join(text.split())
