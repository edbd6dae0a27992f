"""Where each source lives (every base URL configurable, so tests and mirrors can stand in)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path

from trpm6_hsh.errors import ConfigError, InputError
from trpm6_hsh.genome_build import parse_build
from trpm6_hsh.model import Build
from trpm6_hsh.model_resources import LOCUS_BED
from trpm6_hsh.shipped import shipped_file

DEFAULT_ENSEMBL = "https://rest.ensembl.org"
DEFAULT_ENSEMBL_GRCH37 = "https://grch37.rest.ensembl.org"
DEFAULT_CLINVAR = "https://ftp.ncbi.nlm.nih.gov/pub/clinvar"
DEFAULT_GNOMAD = "https://gnomad.broadinstitute.org/api"

@dataclass(frozen=True)
class SourceUrls:
    """Base URLs: Ensembl REST per build, the ClinVar FTP/HTTPS tree, the gnomAD GraphQL API."""

    ensembl: str = DEFAULT_ENSEMBL
    ensembl_grch37: str = DEFAULT_ENSEMBL_GRCH37
    clinvar: str = DEFAULT_CLINVAR
    gnomad: str = DEFAULT_GNOMAD

    @classmethod
    def from_mapping(cls, overrides: Mapping[str, str] | None) -> SourceUrls:
        """Defaults with the non-empty ``overrides`` applied (config ``resources.urls`` or CLI options)."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(overrides or {}) - known)
        if unknown:
            raise ConfigError("resources.urls", f"unknown source(s) {unknown}", f"use only {sorted(known)}")
        return replace(cls(), **{key: value.rstrip("/") for key, value in (overrides or {}).items() if value})

    def ensembl_for(self, build: Build) -> str:
        """GRCh37 data is served by its own Ensembl REST server."""
        return (self.ensembl_grch37 if build == Build.GRCH37 else self.ensembl).rstrip("/")


PUBLIC_SOURCES = SourceUrls()


@dataclass(frozen=True)
class Region:
    """A 1-based inclusive region on the TRPM6 contig (``chrom`` as the shipped model names it)."""

    chrom: str
    start: int
    end: int

    @property
    def bare_chrom(self) -> str:
        """Contig without a ``chr`` prefix, as Ensembl, ClinVar and gnomAD's API name it."""
        return self.chrom.removeprefix("chr")

    def __str__(self) -> str:
        return f"{self.chrom}:{self.start}-{self.end}"


def shipped_locus(build: Build, resources: Path | None = None) -> Region:
    """The TRPM6 gene span +/- padding that the workflow extracts (the shipped locus BED of ``resources``)."""
    bed = Path(resources) / parse_build(build) / LOCUS_BED if resources else shipped_file(build, LOCUS_BED)
    try:
        chrom, start, end = bed.read_text(encoding="utf-8").split()[:3]
        return Region(chrom, int(start) + 1, int(end))
    except (OSError, ValueError) as error:
        raise InputError(bed, f"cannot read the shipped locus BED ({error})", "run from a source checkout") from None
