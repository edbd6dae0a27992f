"""Any annotator, one consequence table: readers for VEP/SnpEff/bcftools csq/custom output, the normaliser,
the runners the workflow calls, and the concordance table between annotators (docs/annotators.md).

Kept import-light on purpose: the tool runners must load in a container that has only Python and pysam.
"""
