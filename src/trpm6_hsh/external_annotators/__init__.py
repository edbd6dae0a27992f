"""Any annotator, one consequence table: readers for VEP/SnpEff/bcftools csq/custom output, the normaliser,
the runners the workflow calls, and the concordance table between annotators (docs/annotators.md).

Kept import-light on purpose: the tool runners must load in a container that has only Python and pysam.
"""

ANNOTATORS = ("builtin", "bcftools_csq", "snpeff", "vep", "custom")
"""The annotators the workflow can run (the config schema's ``annotator`` enum lists the same names)."""
