"""Settings of the copy-number engine, one frozen dataclass so a run's choices travel with its results."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields

from trpm6_hsh.errors import ConfigError


@dataclass(frozen=True)
class CopyNumberSettings:
    """What is counted and how calls are made.

    Counting: each exon is padded by ``padding`` bases on both sides (capture baits and read ends reach
    into the intron); ``control_windows`` windows of ``control_window_bp`` bases are placed on each side
    of the gene, starting ``control_gap_bp`` beyond its outermost exon. Reads below
    ``min_mapping_quality`` are not counted.

    Calling: a sample is assessed only with at least ``min_reference_samples`` other samples (batch or
    panel of normals) to compare with; at most ``max_reference_samples`` are used. An exon whose reference
    samples hold fewer than ``min_reference_reads`` reads per sample on average is not assessed.
    ``transition_probability`` is the prior probability that the copy number changes between two
    consecutive exons; a run of non-2 exons becomes a call when its log10 Bayes factor against copy
    number 2 reaches ``min_log10_bayes_factor`` (``high_confidence_log10_bayes_factor`` marks it high).
    """

    padding: int = 50
    min_mapping_quality: int = 20
    control_windows: int = 3
    control_window_bp: int = 1000
    control_gap_bp: int = 2000
    min_reference_samples: int = 5
    max_reference_samples: int = 20
    min_reference_reads: float = 20.0
    transition_probability: float = 1e-3
    min_log10_bayes_factor: float = 3.0
    high_confidence_log10_bayes_factor: float = 6.0

    def __post_init__(self) -> None:
        problems = []
        if self.padding < 0:
            problems.append("padding must be >= 0")
        if self.min_reference_samples < 1:
            problems.append("min_reference_samples must be >= 1")
        if self.max_reference_samples < self.min_reference_samples:
            problems.append("max_reference_samples must be >= min_reference_samples")
        if not 0 < self.transition_probability < 0.5:
            problems.append("transition_probability must be between 0 and 0.5")
        if self.control_windows < 0 or self.control_window_bp < 1:
            problems.append("control_windows must be >= 0 and control_window_bp >= 1")
        if problems:
            raise ConfigError("cnv settings", "; ".join(problems), "fix the cnv section of the config")

    @classmethod
    def from_config(cls, section: Mapping[str, object] | None) -> CopyNumberSettings:
        """Settings from a config section (keys as the field names; unknown keys are an error)."""
        section = dict(section or {})
        known = {field.name: field for field in fields(cls)}
        unknown = sorted(set(section) - set(known))
        if unknown:
            raise ConfigError("cnv settings", f"unknown key(s) {', '.join(unknown)}",
                              f"use only {', '.join(sorted(known))}")
        values = {}
        for name, value in section.items():
            kind = float if isinstance(cls.__dataclass_fields__[name].default, float) else int
            try:
                values[name] = kind(value)
            except (TypeError, ValueError):
                raise ConfigError("cnv settings", f"{name} must be a number, not {value!r}",
                                  "fix the cnv section of the config") from None
        return cls(**values)
