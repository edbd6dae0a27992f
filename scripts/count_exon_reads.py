"""Count reads per TRPM6 exon (and control window) in BAM/CRAM files into one TSV: a panel of normals.

The TSV (columns sample, target, kind, exon, chrom, start, end, gc, count) can be passed to the
copy-number caller as reference counts for later batches, as long as they use the same transcript
model, reference and padding (the coordinates in the file are checked). Usage:
  python scripts/count_exon_reads.py --fasta REF.fa --model MODEL.gff3 --out counts.tsv \
      SAMPLE=PATH.bam [SAMPLE=PATH.cram ...] [--padding 50] [--min-mapping-quality 20]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from trpm6_hsh.copy_number import CopyNumberSettings, count_batch, write_counts  # noqa: E402
from trpm6_hsh.transcripts import load_transcripts  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fasta", type=Path, required=True)
    parser.add_argument("--model", type=Path, default=REPO / "resources" / "GRCh38" / "trpm6_mane_select.gff3")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--padding", type=int, default=CopyNumberSettings.padding)
    parser.add_argument("--min-mapping-quality", type=int, default=CopyNumberSettings.min_mapping_quality)
    parser.add_argument("alignments", nargs="+", metavar="SAMPLE=PATH")
    args = parser.parse_args(argv)
    alignments = {}
    for item in args.alignments:
        sample, separator, path = item.partition("=")
        if not separator or not sample or not path:
            parser.error(f"{item!r}: expected SAMPLE=PATH")
        alignments[sample] = Path(path)
    transcript = next((t for t in load_transcripts(args.model) if t.is_mane), None)
    if transcript is None:
        parser.error(f"{args.model} has no MANE Select transcript")
    settings = CopyNumberSettings(padding=args.padding, min_mapping_quality=args.min_mapping_quality)
    counts = count_batch(alignments, args.fasta, transcript, settings)
    write_counts(args.out, counts)
    print(f"{len(counts)} sample(s) x {len(counts[0].targets)} targets written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
