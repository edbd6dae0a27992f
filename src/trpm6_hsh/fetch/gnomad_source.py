"""gnomAD: allele frequencies over the TRPM6 region from the gnomAD GraphQL API, as a sites VCF.

The region is asked for in windows (the API limits the size of one answer); exome and genome counts
are combined into ``AF`` = (AC exome + AC genome) / (AN exome + AN genome), the field the classifier
reads by default, with the per-dataset frequencies beside it. Only the region's coordinates and the
dataset name are sent.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from trpm6_hsh.fetch.cache import CachedRelease, ResourceCache, SourceKind
from trpm6_hsh.fetch.http import FetchError, HttpClient
from trpm6_hsh.fetch.sources import PUBLIC_SOURCES, Region, SourceUrls
from trpm6_hsh.fetch.vcfout import write_indexed_vcf
from trpm6_hsh.genome_build import CHR9_LENGTHS, parse_build

log = logging.getLogger(__name__)

DEFAULT_DATASET = {"GRCh38": "gnomad_r4", "GRCh37": "gnomad_r2_1"}
DATASET_BUILD = {"gnomad_r4": "GRCh38", "gnomad_r3": "GRCh38", "gnomad_r2_1": "GRCh37"}
WINDOW_BP = 50_000
QUERY = """
query Trpm6Region($chrom: String!, $start: Int!, $stop: Int!, $build: ReferenceGenomeId!, $dataset: DatasetId!) {
  region(chrom: $chrom, start: $start, stop: $stop, reference_genome: $build) {
    variants(dataset: $dataset) {
      variant_id
      pos
      ref
      alt
      exome { ac an ac_hom filters }
      genome { ac an ac_hom filters }
    }
  }
}
""".strip()
INFO_HEADER = (
    '##INFO=<ID=AC,Number=A,Type=Integer,Description="Alternate allele count, exomes + genomes">',
    '##INFO=<ID=AN,Number=1,Type=Integer,Description="Total number of alleles, exomes + genomes">',
    '##INFO=<ID=AF,Number=A,Type=Float,Description="Alternate allele frequency, exomes + genomes (AC/AN)">',
    '##INFO=<ID=nhomalt,Number=A,Type=Integer,Description="Homozygous alternate individuals, exomes + genomes">',
    '##INFO=<ID=AF_exome,Number=A,Type=Float,Description="Alternate allele frequency in the exomes">',
    '##INFO=<ID=AF_genome,Number=A,Type=Float,Description="Alternate allele frequency in the genomes">',
    '##INFO=<ID=filters_exome,Number=.,Type=String,Description="gnomAD filters of the exome call">',
    '##INFO=<ID=filters_genome,Number=.,Type=String,Description="gnomAD filters of the genome call">',
)


@dataclass(frozen=True)
class PopulationSite:
    """One gnomAD allele with its exome and genome counts (None: not in that data set)."""

    pos: int
    ref: str
    alt: str
    exome: Mapping[str, Any] | None
    genome: Mapping[str, Any] | None

    def _sum(self, key: str) -> int:
        return sum(int(part.get(key) or 0) for part in (self.exome, self.genome) if part)

    @staticmethod
    def _af(part: Mapping[str, Any] | None) -> str | None:
        if not part or not part.get("an"):
            return None
        return f"{int(part.get('ac') or 0) / int(part['an']):.6g}"

    def vcf_line(self, chrom: str) -> str:
        info = [f"AC={self._sum('ac')}", f"AN={self._sum('an')}"]
        if self._sum("an"):
            info.append(f"AF={self._sum('ac') / self._sum('an'):.6g}")
        info.append(f"nhomalt={self._sum('ac_hom')}")
        for name, part in (("exome", self.exome), ("genome", self.genome)):
            af = self._af(part)
            if af is not None:
                info.append(f"AF_{name}={af}")
            if part and part.get("filters"):
                info.append(f"filters_{name}={','.join(str(f) for f in part['filters'])}")
        return "\t".join([chrom, str(self.pos), ".", self.ref, self.alt, ".", ".", ";".join(info)])


def windows(region: Region, size: int = WINDOW_BP) -> Iterator[tuple[int, int]]:
    for start in range(region.start, region.end + 1, size):
        yield start, min(region.end, start + size - 1)


def parse_sites(answer: Any, url: str, start: int, stop: int) -> list[PopulationSite]:
    """The variants of one window's GraphQL answer (an ``errors`` answer is a clear failure)."""
    if not isinstance(answer, Mapping):
        raise FetchError(url, "the answer is not a JSON object", "check the gnomAD API URL")
    if answer.get("errors"):
        messages = "; ".join(str(e.get("message", e)) for e in answer["errors"] if isinstance(e, Mapping))
        raise FetchError(url, f"the gnomAD API answered with errors: {messages}", "check the dataset and build")
    try:
        variants = answer["data"]["region"]["variants"]
    except (KeyError, TypeError):
        raise FetchError(url, "the answer has no data.region.variants", "check the gnomAD API URL") from None
    sites = []
    for variant in variants or []:
        try:
            _chrom, pos, ref, alt = str(variant["variant_id"]).split("-")
            site = PopulationSite(int(variant.get("pos") or pos), str(variant.get("ref") or ref).upper(),
                                  str(variant.get("alt") or alt).upper(), variant.get("exome"), variant.get("genome"))
        except (KeyError, ValueError, TypeError, AttributeError):
            raise FetchError(url, f"unreadable variant {variant!r:.120}", "report this: the API changed") from None
        if start <= site.pos <= stop:
            sites.append(site)
    return sites


def fetch_gnomad(
    client: HttpClient,
    cache: ResourceCache,
    build: str,
    region: Region,
    dataset: str | None = None,
    urls: SourceUrls = PUBLIC_SOURCES,
    window_bp: int = WINDOW_BP,
) -> CachedRelease:
    """Query ``dataset`` (default per build) over ``region``; cache the sites VCF under the dataset name."""
    build = parse_build(build)
    dataset = dataset or DEFAULT_DATASET[build]
    if DATASET_BUILD.get(dataset, build) != build:
        raise FetchError(urls.gnomad, f"dataset {dataset} is on {DATASET_BUILD[dataset]}, not {build}",
                         f"use --release {DEFAULT_DATASET[build]} for {build}")
    sites: dict[tuple[int, str, str], PopulationSite] = {}
    for start, stop in windows(region, window_bp):
        variables = {"chrom": region.bare_chrom, "start": start, "stop": stop, "build": build, "dataset": dataset}
        answer = client.post_json(urls.gnomad, {"query": QUERY, "variables": variables})
        for site in parse_sites(answer, urls.gnomad, start, stop):
            sites[(site.pos, site.ref, site.alt)] = site
    records = [sites[key].vcf_line(region.chrom) for key in sorted(sites)]
    header = [
        "##fileformat=VCFv4.2",
        f"##source=gnomAD GraphQL API {urls.gnomad}, dataset {dataset}",
        f"##reference={build}",
        f"##contig=<ID={region.chrom},length={CHR9_LENGTHS[build]},assembly={build}>",
        *INFO_HEADER,
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO",
    ]
    with cache.staging(SourceKind.GNOMAD, build) as staging:
        write_indexed_vcf(staging / "gnomad.trpm6.vcf.gz", header, records)
        published = cache.publish(staging, SourceKind.GNOMAD, build, dataset, {
            "source_name": "gnomAD GraphQL API",
            "source_url": urls.gnomad,
            "requests": list(client.requested),
            "dataset": dataset,
            "region": str(region),
            "records": len(records),
            "af_field": "AF",
            "method": f"region query in windows of {window_bp} bp; "
            "AF = (AC exome + AC genome) / (AN exome + AN genome)",
        })
    log.info("gnomAD %s (%s): %d sites in %s", dataset, build, len(records), region)
    return published
