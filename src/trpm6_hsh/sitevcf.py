"""Reading a user-supplied sites VCF (ClinVar, gnomAD) over the locus, whatever its contig naming.

Such files are large and often bgzipped with a tabix/CSI index: with an index only the locus is
read; without one the file is streamed and filtered. Records are returned per ALT allele, so a
multiallelic record matches each of its alleles separately (matching is always on the allele).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pysam

from trpm6_hsh.contigs import contig_name_variants
from trpm6_hsh.errors import InputError
from trpm6_hsh.genome_build import assembly_for_length, build_for_length, build_named_in
from trpm6_hsh.model import Build


@dataclass(frozen=True)
class SiteAllele:
    """One ALT allele of a sites-VCF record: its position, alleles, index among the ALTs and INFO."""

    pos: int
    ref: str
    alt: str
    alt_index: int
    record_id: str
    info: dict[str, object]


def _has_index(path: Path) -> bool:
    return any(Path(f"{path}{suffix}").is_file() for suffix in (".tbi", ".csi"))


def _records(handle: pysam.VariantFile, path: Path, chrom: str, start: int, end: int) -> Iterator:
    if _has_index(path):
        # Every spelling is tried: ClinVar's own VCF declares no ##contig lines, only its index knows them.
        for name in contig_name_variants(chrom):
            with contextlib.suppress(ValueError):
                yield from handle.fetch(name, start - 1, end)
        return
    spellings = set(contig_name_variants(chrom))
    for record in handle:
        if record.chrom in spellings and record.pos <= end and (record.stop >= start):
            yield record


def declared_build(handle: pysam.VariantFile, chrom: str) -> Build | str | None:
    """The assembly a sites VCF declares: by its locus contig's length, else by its ##reference line.

    A :class:`Build` when it is one we support; the name of another assembly we recognise by length
    (e.g. T2T-CHM13) otherwise, so that it is refused by name.
    """
    for name in contig_name_variants(chrom):
        if name in handle.header.contigs:
            length = handle.header.contigs[name].length
            found = build_for_length(name, length) or assembly_for_length(name, length)
            if found:
                return found
    for record in handle.header.records:
        if record.key in ("reference", "assembly") and record.value:
            named = build_named_in(record.value)
            if named is not None:
                return named
    return None


def read_site_alleles(
    path: Path, chrom: str, start: int, end: int, what: str, build: Build | str | None = None
) -> dict[tuple, SiteAllele]:
    """Every ALT allele of ``path`` overlapping chrom:start-end, keyed by (pos, ref, alt).

    With ``build`` given, a file that declares another build is refused: its positions would match
    the wrong alleles.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(path, f"{what} not found", f"correct the {what} path in the config or leave it empty")
    found: dict[tuple, SiteAllele] = {}
    try:
        with pysam.VariantFile(str(path)) as handle:
            found_build = declared_build(handle, chrom) if build else None
            if found_build and found_build != build:
                raise InputError(
                    path,
                    f"the {what} is for {found_build}, but the run is on {build}",
                    f"give the {what} of {build} (or leave it empty)",
                )
            for record in _records(handle, path, chrom, start, end):
                info = dict(record.info.items())
                for index, alt in enumerate(record.alts or ()):
                    allele = SiteAllele(record.pos, record.ref.upper(), alt.upper(), index, record.id or "", info)
                    found[(record.pos, allele.ref, allele.alt)] = allele
    except (OSError, ValueError) as error:
        raise InputError(
            path, f"cannot read the {what} ({error})", "give a valid VCF/BCF (bgzipped and indexed)"
        ) from error
    return found


def allele_value(allele: SiteAllele, field: str) -> object:
    """The INFO value of ``field`` for this allele (Number=A fields picked by the allele's index)."""
    value = allele.info.get(field)
    if isinstance(value, tuple | list):
        if len(value) > allele.alt_index:
            return value[allele.alt_index]
        return value[0] if value else None
    return value
