# The workflow lives in workflow/Snakefile. Including it this way (rather than with `include:`) keeps its
# `rule all` the default target: snakemake ignores default targets of included files (snakemake#2773).
workflow.include("workflow/Snakefile", overwrite_default_target=True)
