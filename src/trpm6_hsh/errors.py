"""One exception root, so callers can tell our clear input errors from bugs."""

from __future__ import annotations


class Trpm6Error(Exception):
    """Root of every error this package raises on purpose."""


class InputError(Trpm6Error):
    """Bad input: says which file, which record, and what to do about it."""

    def __init__(self, path: object, problem: str, fix: str, record: str | None = None) -> None:
        self.path = str(path)
        self.problem = problem
        self.fix = fix
        self.record = record
        where = self.path if record is None else f"{self.path}, {record}"
        super().__init__(f"{where}: {problem}. Fix: {fix}")


class ConfigError(InputError):
    """The config file or the sample sheet does not validate."""


class ReferenceMismatchError(InputError):
    """A VCF does not match the configured reference (build, contig or REF bases)."""
