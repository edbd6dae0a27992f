#!/usr/bin/env python3
"""Example of a lab's own annotator, written to the custom-annotator contract (docs/annotators.md).

It receives the normalised locus VCF, the reference FASTA and the transcript model, and writes either
a VCF with a VEP-style ``CSQ`` INFO field (``--format vcf``) or a TSV in the consequence-table columns
(``--format tsv``). Its engine here is the project's built-in annotator, so the example shows the
plumbing, not new biology: replace ``consequences()`` with a call to your own tool.

Config to use it::

    annotator: custom
    custom_annotator:
      command: >-
        python /path/to/scripts/custom_annotator_example.py
        --vcf {vcf} --fasta {fasta} --model {model} --out {out} --format vcf
      output_format: vcf
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import pysam  # noqa: E402

from trpm6_hsh import __version__  # noqa: E402
from trpm6_hsh.builtin_annotator import Annotator, annotate_records, read_alleles  # noqa: E402

# Stated in the output (header line or column `annotator_version`), so every report names it.
VERSION = f"custom_annotator_example 1.0 (trpm6_hsh {__version__} engine)"
CSQ_FIELDS = ("Allele", "Consequence", "Feature", "SYMBOL", "HGVSc", "HGVSp")
TSV_FIELDS = ("chrom", "pos", "ref", "alt", "gene", "transcript", "consequence", "hgvs_c", "hgvs_p",
              "annotator_version")


def consequences(vcf: Path, fasta: Path, model: Path) -> dict[tuple, list[dict[str, str]]]:
    """Per (chrom, pos, ref, alt): one dict per transcript with the contract's fields."""
    annotator = Annotator(fasta, model)
    found: dict[tuple, list[dict[str, str]]] = {}
    for row in annotate_records(annotator, read_alleles(vcf, annotator)):
        if not row.transcript:
            continue  # intergenic: say nothing; the workflow fills such alleles in and flags them
        found.setdefault((row.chrom, row.pos, row.ref, row.alt), []).append({
            "gene": row.gene, "transcript": row.transcript, "consequence": row.consequence,
            "hgvs_c": row.hgvs_c, "hgvs_p": row.hgvs_p,
        })
    return found


def write_vcf(vcf: Path, out: Path, calls: dict[tuple, list[dict[str, str]]]) -> None:
    with pysam.VariantFile(str(vcf)) as reader:
        header = reader.header.copy()
        header.add_meta("annotator_version", VERSION)
        header.add_meta("INFO", items=[("ID", "CSQ"), ("Number", "."), ("Type", "String"), (
            "Description", "Consequence annotations from custom_annotator_example. Format: " + "|".join(CSQ_FIELDS))])
        with pysam.VariantFile(str(out), "w", header=header) as writer:
            for record in reader:
                record.translate(header)
                entries = []
                for alt in record.alts or ():
                    for call in calls.get((record.chrom, record.pos, record.ref, alt), []):
                        values = (alt, call["consequence"], call["transcript"], call["gene"], call["hgvs_c"],
                                  call["hgvs_p"])
                        entries.append("|".join(v.replace("|", "/").replace(",", "/") for v in values))
                if entries:
                    record.info["CSQ"] = entries
                writer.write(record)


def write_tsv(out: Path, calls: dict[tuple, list[dict[str, str]]]) -> None:
    with open(out, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=TSV_FIELDS, delimiter="\t", lineterminator="\n")
        writer.writeheader()
        for (chrom, pos, ref, alt), rows in sorted(calls.items(), key=lambda item: item[0][1]):
            for row in rows:
                writer.writerow({"chrom": chrom, "pos": pos, "ref": ref, "alt": alt, **row,
                                 "annotator_version": VERSION})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vcf", type=Path, required=True, help="the normalised locus VCF")
    parser.add_argument("--fasta", type=Path, required=True, help="reference FASTA")
    parser.add_argument("--model", type=Path, required=True, help="transcript model (GFF3/GTF)")
    parser.add_argument("--out", type=Path, required=True, help="where to write the result")
    parser.add_argument("--format", choices=("vcf", "tsv"), default="vcf")
    args = parser.parse_args(argv)
    calls = consequences(args.vcf, args.fasta, args.model)
    if args.format == "vcf":
        write_vcf(args.vcf, args.out, calls)
    else:
        write_tsv(args.out, calls)
    return 0


if __name__ == "__main__":
    sys.exit(main())
