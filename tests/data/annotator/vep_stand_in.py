#!/usr/bin/env python3
"""Stand-in for the ``vep`` command in tests (VEP cannot be installed here): checks the arguments the rule
annotate_vep passes, and writes VEP-style output (CSQ with VEP's allele and HGVS conventions), computed by
the built-in annotator. It tests the rule's plumbing, not VEP; real VEP output is tested in test_normalise.py.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pysam

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO / "src"))

from trpm6_hsh.builtin_annotator import Annotator, annotate_records, read_alleles  # noqa: E402
from trpm6_hsh.external_annotators.readers import vep_allele  # noqa: E402

FIELDS = "Allele|Consequence|IMPACT|SYMBOL|Gene|Feature_type|Feature|BIOTYPE|EXON|INTRON|HGVSc|HGVSp|CANONICAL"


def main() -> int:
    parser = argparse.ArgumentParser()
    for option in ("--input_file", "--output_file", "--format", "--fasta"):
        parser.add_argument(option, required=True)
    parser.add_argument("--gff")
    parser.add_argument("--dir_cache")
    for flag in ("--vcf", "--offline", "--hgvs", "--symbol", "--numbers", "--canonical", "--no_escape", "--no_stats",
                 "--force_overwrite", "--cache", "--mane"):
        parser.add_argument(flag, action="store_true")
    args, unknown = parser.parse_known_args()
    assert args.vcf and args.offline and args.hgvs and args.format == "vcf", "annotate_vep lost a required option"
    assert args.gff or args.dir_cache, "neither --gff nor a cache"
    if args.gff:
        assert Path(args.gff + ".tbi").is_file(), "--gff must be bgzipped and tabix-indexed"
        # VEP reads the bgzipped GFF; the built-in reads it the same way
    annotator = Annotator(Path(args.fasta), Path(args.gff))
    rows = {}
    for row in annotate_records(annotator, read_alleles(Path(args.input_file), annotator)):
        if row.transcript:
            rows.setdefault((row.pos, row.ref, row.alt), []).append(row)
    with pysam.VariantFile(args.input_file) as reader:
        header = reader.header.copy()
        header.add_line(f'##INFO=<ID=CSQ,Number=.,Type=String,Description="Consequence annotations from Ensembl '
                        f'VEP. Format: {FIELDS}">')
        header.add_line('##VEP="v000.0-stand-in" API="v000"')
        with pysam.VariantFile(args.output_file, "w", header=header) as writer:
            for record in reader:
                record.translate(header)
                entries = []
                for alt in record.alts or ():
                    for row in rows.get((record.pos, record.ref, alt), []):
                        hgvs_p = row.hgvs_p.replace("(", "").replace(")", "").replace("=", "%3D")
                        entries.append("|".join([
                            vep_allele(record.ref, record.alts, alt), row.consequence, row.impact, row.gene, "",
                            "Transcript", row.transcript, "protein_coding", row.exon, row.intron,
                            f"{row.transcript}.6:{row.hgvs_c}" if row.hgvs_c else "",
                            f"ENSP00000354006.1:{hgvs_p}" if hgvs_p and hgvs_p != "p.?" else "", "YES",
                        ]))
                if entries:
                    record.info["CSQ"] = entries
                writer.write(record)
    return 0


if __name__ == "__main__":
    sys.exit(main())
