"""The genome builds the pipeline supports and how a file tells which one it is on.

TRPM6 lies on chromosome 9, so chr9's full length is the one fact that tells the builds apart from a VCF
header or a FASTA index; a ``##reference`` line naming the assembly is the fallback. Every stage that checks
or infers a build asks this module, and a build crosses function boundaries as :class:`~trpm6_hsh.model.Build`.
"""

from __future__ import annotations

from collections.abc import Mapping

from trpm6_hsh.errors import InputError
from trpm6_hsh.model import Build

LOCUS_CHROMOSOME = "chr9"

CHR9_LENGTHS: Mapping[Build, int] = {Build.GRCH38: 138_394_717, Build.GRCH37: 141_213_431}
"""chr9's length in each supported build (the ``##contig`` length a VCF of that build declares)."""

_OTHER_CHR9_ASSEMBLIES: Mapping[int, str] = {150_617_247: "T2T-CHM13"}
"""chr9 lengths of assemblies we recognise but do not support, so messages can name them."""

_ASSEMBLY_SPELLINGS: Mapping[Build, tuple[str, ...]] = {
    Build.GRCH38: ("grch38", "hg38"),
    Build.GRCH37: ("grch37", "hg19", "b37"),
}
"""How ``##reference`` / ``##assembly`` header lines spell each build (matched case-insensitively)."""


def supported_builds() -> str:
    """The builds as a user writes them, for messages: ``GRCh38, GRCh37``."""
    return ", ".join(build.value for build in Build)


def parse_build(
    value: str | Build, where: object = "--build", error: type[InputError] = InputError, fix: str = "use"
) -> Build:
    """``value`` as a :class:`Build`, or ``error(where, …)`` whose fix is ``fix`` + the builds we support."""
    try:
        return Build(value)
    except ValueError:
        raise error(where, f"unknown build {value!r}", f"{fix} one of {supported_builds()}") from None


def _is_chr9(contig: str) -> bool:
    return contig.lower().removeprefix("chr") == "9"


def build_for_length(contig: str, length: int | None) -> Build | None:
    """The supported build whose ``contig`` is ``length`` bp long (chr9 / 9 only), if any."""
    if length is None or not _is_chr9(contig):
        return None
    return next((build for build, chr9 in CHR9_LENGTHS.items() if chr9 == length), None)


def assembly_for_length(contig: str, length: int | None) -> str | None:
    """Name the assembly a full-chromosome length belongs to (chr9 only), supported or not, if we know it."""
    found = build_for_length(contig, length)
    if found is not None:
        return found.value
    if length is None or not _is_chr9(contig):
        return None
    return _OTHER_CHR9_ASSEMBLIES.get(length)


def build_named_in(text: str) -> Build | None:
    """The build a free-text ``##reference`` / ``##assembly`` value names (e.g. a path holding ``hg19``)."""
    lowered = text.lower()
    for build, spellings in _ASSEMBLY_SPELLINGS.items():
        if any(spelling in lowered for spelling in spellings):
            return build
    return None
