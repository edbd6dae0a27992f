"""What the many-sample adapters (chunk and cohort jobs) read alike from their rule: report and verdict settings.

Both rules pass the same inputs and params for these; one reading keeps the two jobs' reports the same.
"""

from pathlib import Path


def shared_report_arguments(snakemake) -> dict:
    """Report arguments every sample of the job shares."""
    return {
        "resources": Path(snakemake.input.resources),
        "model": Path(snakemake.input.model),
        "schema": Path(snakemake.input.schema),
        "build": snakemake.params.build,
        "config_sha256": snakemake.params.config_sha256,
        "annotator": snakemake.params.annotator,
        "report_settings": dict(snakemake.params.report_settings),
        "sample_sheet": Path(snakemake.params.sample_sheet),
        "clinvar_min_review_stars": int(snakemake.params.clinvar_min_review_stars),
    }
