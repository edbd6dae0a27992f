"""Where the package finds the files shipped in the repository: ``resources/`` and the config schema.

The TRPM6 exon table and the model files rendered from it (GFF3, GTF, locus BED per build) live once, in
the checkout's ``resources/``: the workflow reads them there, and so does the package, which an editable
install (``pip install -e .``) leaves in ``src/`` beside that folder. A package installed without its
checkout has no ``resources/``; every lookup then stops with one clear error naming the fix, instead of a
missing file deep inside a stage. The config schema (``workflow/schemas/config.schema.yaml``) is found the
same way: it is the one place where every threshold's default is written.
"""

from __future__ import annotations

from pathlib import Path

from trpm6_hsh.errors import InputError
from trpm6_hsh.genome_build import parse_build
from trpm6_hsh.model import Build

EXON_TABLE_FILE = "trpm6_mane_select_exons.tsv"
"""The one table every shipped model file is rendered from (trpm6_hsh.model_resources)."""

_CHECKOUT = Path(__file__).resolve().parents[2]
_CHECKOUT_RESOURCES = _CHECKOUT / "resources"
_CONFIG_SCHEMA = _CHECKOUT / "workflow" / "schemas" / "config.schema.yaml"


def resources_dir() -> Path:
    """The checkout's ``resources/`` folder, or an InputError when the package was installed without it."""
    if not (_CHECKOUT_RESOURCES / EXON_TABLE_FILE).is_file():
        raise InputError(
            _CHECKOUT_RESOURCES,
            "the repository's resources/ folder (shipped TRPM6 model and locus) is not there: the package was "
            "installed without its source checkout",
            "install the package from a source checkout with `pip install -e .`, or give the model files "
            "explicitly",
        )
    return _CHECKOUT_RESOURCES


def exon_table() -> Path:
    """``resources/trpm6_mane_select_exons.tsv``."""
    return resources_dir() / EXON_TABLE_FILE


def shipped_file(build: Build | str, name: str) -> Path:
    """``resources/<build>/<name>``, e.g. the shipped model ``trpm6_mane_select.gff3`` of one build."""
    return resources_dir() / parse_build(build) / name


def config_schema() -> Path:
    """``workflow/schemas/config.schema.yaml``: every config key, its type and its default."""
    if not _CONFIG_SCHEMA.is_file():
        raise InputError(
            _CONFIG_SCHEMA,
            "the workflow's config schema is not there: the package was installed without its source checkout",
            "install the package from a source checkout with `pip install -e .`",
        )
    return _CONFIG_SCHEMA
