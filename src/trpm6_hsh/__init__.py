"""TRPM6 / HSH diagnostic pipeline: the logic behind every workflow stage.

This package never imports snakemake: the workflow's rules call thin adapters in
``scripts/`` that hand file paths to the functions here.
"""

__version__ = "0.1.0"
