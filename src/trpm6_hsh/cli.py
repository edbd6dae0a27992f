"""The ``trpm6-hsh`` command line: one subcommand per stage, a thin layer over the package.

Errors we raise on purpose (:class:`~trpm6_hsh.errors.Trpm6Error`) end the program with one
clear message and exit code 1, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from trpm6_hsh import __version__
from trpm6_hsh.errors import Trpm6Error
from trpm6_hsh.fetch.cli import add_resources_parser


def _annotate(args: argparse.Namespace) -> None:
    from trpm6_hsh.builtin_annotator import annotate_vcf

    annotate_vcf(fasta=args.fasta, model=args.gff, vcf=args.vcf, out=args.out)


def _demo(args: argparse.Namespace) -> None:
    from trpm6_hsh.demo import write_demo

    write_demo(out_dir=args.out, build=args.build)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="trpm6-hsh",
        description="TRPM6 loss-of-function and biallelic-status analysis for HSH diagnostics.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    annotate = sub.add_parser(
        "annotate",
        help="annotate a VCF with the built-in annotator (one row per variant x transcript)",
    )
    annotate.add_argument("--fasta", type=Path, required=True, help="reference FASTA (indexed or not)")
    annotate.add_argument("--gff", type=Path, required=True, help="transcript model: GFF3 or GTF")
    annotate.add_argument("--vcf", type=Path, required=True, help="input VCF/VCF.gz/BCF")
    annotate.add_argument("--out", type=Path, required=True, help="output TSV")
    annotate.set_defaults(handler=_annotate)

    demo = sub.add_parser("demo", help="write the synthetic TRPM6 locus and demo cohort (not human sequence)")
    demo.add_argument("--out", type=Path, required=True, help="output folder")
    demo.add_argument("--build", choices=["GRCh38", "GRCh37"], default="GRCh38")
    demo.set_defaults(handler=_demo)

    add_resources_parser(sub)
    return parser


def run_guarded(action: Callable[[], None], program: str = "trpm6-hsh") -> int:
    """Run ``action``; every failure ends as one line on stderr, never a traceback.

    Our own errors (exit 1) say what to fix; an operating-system error (exit 1) names its file; anything
    else is a bug in this program (exit 2) and says so.
    """
    try:
        action()
    except Trpm6Error as error:
        print(f"{program}: error: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        print(f"{program}: error: {where}{error.strerror or error}. Fix: check the path, its permissions and "
              "the free disk space", file=sys.stderr)
        return 1
    except Exception as error:  # noqa: BLE001 - the last line of defence: a one-line report instead of a trace
        print(f"{program}: internal error ({type(error).__name__}: {error}); please report it with the command "
              "and input that caused it", file=sys.stderr)
        return 2
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    _quiet_htslib()
    return run_guarded(lambda: args.handler(args))


def _quiet_htslib() -> None:
    """htslib's own ``[W::…]``/``[E::…]`` lines would precede our message; what they report, we report."""
    import pysam

    pysam.set_verbosity(0)


if __name__ == "__main__":
    sys.exit(main())
