"""Provenance: checksums of everything a report rests on, so a result can be traced and repeated."""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
from collections.abc import Mapping
from enum import Enum
from pathlib import Path

from trpm6_hsh.errors import InputError
from trpm6_hsh.files import write_text_atomic

CHUNK = 1 << 20
SYNTHETIC_MARK = "SYNTHETIC"
PACKAGE_DIR = Path(__file__).resolve().parent
CODE_SUFFIXES = (".py", ".html", ".css", ".js", ".json", ".yaml", ".tsv", ".txt")


def package_code_files() -> list[Path]:
    """The package's code, templates and data files, in a fixed order."""
    return [
        path for path in sorted(PACKAGE_DIR.rglob("*"))
        if path.is_file() and path.suffix in CODE_SUFFIXES and "__pycache__" not in path.parts
    ]  # fmt: skip


@functools.lru_cache(maxsize=1)
def package_code_digest() -> str:
    """SHA-256 over the package's code, templates and data: what a kept output was made by."""
    digest = hashlib.sha256()
    for path in package_code_files():
        digest.update(str(path.relative_to(PACKAGE_DIR)).encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
    except OSError as error:
        raise InputError(
            path, f"cannot read the file ({error.strerror})", "check that it exists and is readable"
        ) from error
    return digest.hexdigest()


def fasta_header(path: Path) -> str:
    """The first header line of a plain or gzip/bgzip FASTA, without the '>'."""
    opener = gzip.open if Path(path).suffix in (".gz", ".bgz") else open
    try:
        with opener(path, "rt", encoding="ascii", errors="replace") as handle:
            first = handle.readline().strip()
    except (OSError, EOFError) as error:
        raise InputError(path, f"cannot read the FASTA ({error})", "give a plain or bgzipped FASTA") from error
    if not first.startswith(">"):
        raise InputError(path, "does not start with a FASTA header line ('>')", "give a FASTA file")
    return first[1:]


def checksum_resources(files: Mapping[str, Path], out: Path) -> None:
    """Write the SHA-256 of the shared inputs (reference, model, region, the ClinVar / gnomAD files and coverage BED
    a run reads) and the reference's header; each report lists them, so a swapped file leaves a trace."""
    entries = [{"role": role, "path": str(path), "sha256": sha256_of(Path(path))} for role, path in files.items()]
    header = fasta_header(Path(files["reference_fasta"]))
    document = {
        "inputs": entries,
        "reference_header": header,
        "synthetic_reference": SYNTHETIC_MARK in header.upper(),
    }
    versions = cached_source_versions(files)
    if versions:
        document["source_versions"] = versions
    write_text_atomic(out, json.dumps(document, indent=2, sort_keys=True) + "\n")


CACHED_PROVENANCE_ROLE = "_provenance"


def cached_source_versions(files: Mapping[str, Path]) -> dict[str, str]:
    """One line per cached release a run used (roles ``<source>_provenance``), for the report's methods."""
    versions = {}
    for role, path in sorted(files.items()):
        if not role.endswith(CACHED_PROVENANCE_ROLE):
            continue
        try:
            doc = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as error:
            raise InputError(path, f"unreadable provenance ({error})", "fetch the release again") from error
        detail = f", {doc['transcript']}" if doc.get("transcript") else ""
        versions[f"{doc['source']}_source"] = (
            f"{doc.get('source_name', doc['source'])} release {doc['release']} ({doc['build']}{detail}), "
            f"retrieved {doc.get('retrieved_utc', '?')} from {doc.get('source_url', '?')}"
        )
    return versions


def write_vcf_checksum(vcf: Path | str, sha256: str, out: Path) -> None:
    """The checksum file of one input VCF, as every report of its samples cites it."""
    document = {"inputs": [{"role": "vcf", "path": str(vcf), "sha256": sha256}]}
    write_text_atomic(out, json.dumps(document, indent=2, sort_keys=True) + "\n")


def checksum_vcf(vcf: Path, out: Path) -> None:
    """Write the SHA-256 of one input VCF (a batch), computed once however many samples share it."""
    write_vcf_checksum(vcf, sha256_of(Path(vcf)), out)


def write_job_plan(arguments: Mapping[str, object], out: Path) -> None:
    """A cohort-mode job's plan: what it must know of its samples.

    The per-sample facts of a cohort-mode job travel in this file, not in the rule's params: Snakemake
    copies a rule's params into the record of every output, so 10,000 samples' rows as params of a job with
    30,000 outputs cost tens of gigabytes. The plan's own rule has one output, and the job reruns when its
    plan (a row) changes.
    """
    document = {"arguments": arguments}
    write_text_atomic(out, json.dumps(document, indent=1, sort_keys=True, default=_plain) + "\n")


def _plain(value: object) -> object:
    """Enum members (lab values' analytes) by their value, paths as text: the plan is plain JSON."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"cannot write {type(value).__name__} into a job plan")


def read_job_plan(path: Path) -> dict[str, object]:
    """The plan :func:`write_job_plan` wrote."""
    return json.loads(Path(path).read_text(encoding="utf-8"))
