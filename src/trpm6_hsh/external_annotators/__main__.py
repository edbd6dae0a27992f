"""Normalise one annotator's output by hand: ``python -m trpm6_hsh.external_annotators --annotator vep ...``.

The same code the workflow's rule normalise_consequences runs, for checking a custom annotator's output
against the contract (docs/annotators.md) before a run.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from trpm6_hsh.errors import Trpm6Error
from trpm6_hsh.external_annotators import ANNOTATORS
from trpm6_hsh.external_annotators.normalise import normalise_annotation


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m trpm6_hsh.external_annotators",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--annotator", choices=ANNOTATORS, required=True)
    parser.add_argument("--annotated", type=Path, required=True, help="what the annotator wrote (VCF or TSV)")
    parser.add_argument("--vcf", type=Path, required=True, help="the locus VCF that was annotated")
    parser.add_argument("--fasta", type=Path, required=True)
    parser.add_argument("--gff", type=Path, required=True, help="transcript model (GFF3 or GTF)")
    parser.add_argument("--out", type=Path, required=True, help="consequence table to write")
    parser.add_argument("--format", choices=("vcf", "tsv"), default="vcf", help="format of --annotated")
    args = parser.parse_args(argv)
    try:
        rows = normalise_annotation(args.annotator, args.annotated, args.vcf, args.fasta, args.gff, args.out,
                                    output_format=args.format)
    except Trpm6Error as error:
        print(f"trpm6-hsh: error: {error}", file=sys.stderr)
        return 1
    print(f"{rows} rows written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
