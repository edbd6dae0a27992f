"""``trpm6-hsh resources ...``: fill a reference-data cache ahead of time (explicitly online), list it."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from trpm6_hsh.fetch.cache import SourceKind
from trpm6_hsh.fetch.http import RetryPolicy
from trpm6_hsh.fetch.sources import Region

RELEASE_HELP = {
    SourceKind.TRANSCRIPTS: "Ensembl release, e.g. 115 (default: the server's current release; refused if it differs)",
    SourceKind.SEQUENCE: "Ensembl release, e.g. 115 (default: the server's current release)",
    SourceKind.CLINVAR: "ClinVar release date YYYYMMDD (default: the current clinvar.vcf.gz)",
    SourceKind.GNOMAD: "gnomAD API dataset: gnomad_r4 / gnomad_r3 (GRCh38), gnomad_r2_1 (GRCh37); default per build",
}
URL_OPTIONS = {
    SourceKind.TRANSCRIPTS: ("ensembl", "ensembl_grch37"),
    SourceKind.SEQUENCE: ("ensembl", "ensembl_grch37"),
    SourceKind.CLINVAR: ("clinvar",),
    SourceKind.GNOMAD: ("gnomad",),
}


def _region(text: str) -> Region:
    try:
        chrom, span = text.split(":")
        start, end = (int(part.replace(",", "")) for part in span.split("-"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not CHROM:START-END") from None
    return Region(chrom if chrom.startswith("chr") else f"chr{chrom}", start, end)


def _fetch(args: argparse.Namespace) -> None:
    from trpm6_hsh.fetch.commands import fetch

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s", stream=sys.stderr)
    urls = {name: getattr(args, f"{name}_url") for name in URL_OPTIONS[args.source]}
    policy = RetryPolicy(attempts=args.attempts, timeout_s=args.timeout)
    cached = fetch(args.source, cache=args.cache, build=args.build, release=args.release, urls=urls,
                   policy=policy, region=args.region)
    print(f"{cached.kind.value} {cached.build} release {cached.release}: {cached.folder}")


def _list(args: argparse.Namespace) -> None:
    from trpm6_hsh.fetch.commands import list_cache

    rows = list_cache(args.cache)
    columns = ("build", "source", "release", "retrieved_utc", "checksums", "source_url")
    print("\t".join(columns))
    for row in rows:
        print("\t".join(str(row[column]) for column in columns))


def add_resources_parser(sub: argparse._SubParsersAction) -> None:
    """Register ``resources`` with its fetch-* and list subcommands on the main parser."""
    resources = sub.add_parser(
        "resources",
        help="fetch Ensembl/ClinVar/gnomAD reference data into a cache ahead of a run (online), or list it",
    )
    actions = resources.add_subparsers(dest="action", required=True)
    for kind in SourceKind:
        command = actions.add_parser(f"fetch-{kind.value}", help=f"fetch the TRPM6 {kind.value} into the cache")
        command.add_argument("--build", choices=["GRCh38", "GRCh37"], default="GRCh38")
        command.add_argument("--release", default=None, help=RELEASE_HELP[kind])
        command.add_argument("--cache", type=Path, required=True, help="cache folder (resources.cache in the config)")
        command.add_argument("--region", type=_region, default=None,
                             help="CHROM:START-END, 1-based (default: the shipped TRPM6 locus of the build)")
        command.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for each answer")
        command.add_argument("--attempts", type=int, default=5, help="tries per request (backoff in between)")
        for name in URL_OPTIONS[kind]:
            command.add_argument(f"--{name.replace('_', '-')}-url", dest=f"{name}_url", default="",
                                 help=f"base URL of {name} (default: the public service)")
        command.set_defaults(handler=_fetch, source=kind)
    listing = actions.add_parser("list", help="list the releases in a cache")
    listing.add_argument("--cache", type=Path, required=True)
    listing.set_defaults(handler=_list)
