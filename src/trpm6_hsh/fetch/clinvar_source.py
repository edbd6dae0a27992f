"""ClinVar: the TRPM6 region of NCBI's public ClinVar VCF, as a small bgzipped, indexed VCF.

How: the public ``clinvar.vcf.gz`` (or a dated release) is streamed over HTTPS through the shared
client and decompressed on the fly; only the header and the records inside the locus are kept, and the
download stops as soon as the stream has passed the locus (the file is sorted by chromosome and
position), so about half the file is read once and nothing large is stored. We chose this over a
range-request tabix read (htslib over HTTP) because it needs only ``requests``, so retries, timeouts,
Retry-After and truncation detection behave exactly as for the other sources; a truncated stream is
detected (gzip member not finished before the end) and the download is retried.
"""

from __future__ import annotations

import logging
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

import requests

from trpm6_hsh.fetch.cache import CachedRelease, ResourceCache, SourceKind
from trpm6_hsh.fetch.http import FetchError, HttpClient, TruncatedResponse
from trpm6_hsh.fetch.sources import PUBLIC_SOURCES, Region, SourceUrls
from trpm6_hsh.fetch.vcfout import write_indexed_vcf
from trpm6_hsh.genome_build import CHR9_LENGTHS, parse_build

log = logging.getLogger(__name__)

CHUNK_BYTES = 1 << 16
GZIP_WINDOW = 16 + zlib.MAX_WBITS
FILE_DATE = re.compile(r"^##fileDate=(\d{4})-?(\d{2})-?(\d{2})")


class _NotFound(Exception):
    """404 on one candidate URL: try the next one."""


@dataclass
class ClinvarSubset:
    """What the stream gave: header lines, records inside the region, the file's date."""

    header: list[str] = field(default_factory=list)
    records: list[str] = field(default_factory=list)
    file_date: str = ""
    passed_region: bool = False


def clinvar_urls(urls: SourceUrls, build: str, release: str | None) -> list[str]:
    """Candidate URLs: the current file, or a dated release (monthly archive first, then weekly)."""
    folder = f"{urls.clinvar}/vcf_{build}"
    if release is None:
        return [f"{folder}/clinvar.vcf.gz"]
    return [f"{folder}/archive_2.0/{release[:4]}/clinvar_{release}.vcf.gz", f"{folder}/weekly/clinvar_{release}.vcf.gz"]


def gunzip_lines(chunks: Iterator[bytes]) -> Iterator[str]:
    """Lines of a (multi-member, e.g. BGZF) gzip stream; raises TruncatedResponse if it ends mid-member."""
    decompressor = zlib.decompressobj(GZIP_WINDOW)
    member_open = False
    pending = b""
    for chunk in chunks:
        data = chunk
        while data:
            member_open = True
            try:
                pending += decompressor.decompress(data)
            except zlib.error as error:
                raise TruncatedResponse(f"corrupt gzip data ({error})") from None
            if decompressor.eof:
                data = decompressor.unused_data
                decompressor = zlib.decompressobj(GZIP_WINDOW)
                member_open = False
            else:
                data = b""
        *lines, pending = pending.split(b"\n")
        for line in lines:
            yield line.decode("utf-8")
    if member_open or pending:
        raise TruncatedResponse("the gzip stream ended in the middle of a block")


def subset_region(lines: Iterator[str], region: Region) -> ClinvarSubset:
    """Keep the header and the records of ``region``; stop once the sorted stream is past it."""
    subset = ClinvarSubset()
    wanted = {region.bare_chrom, region.chrom}
    seen_region_contig = False
    for line in lines:
        if line.startswith("#"):
            match = FILE_DATE.match(line)
            if match:
                subset.file_date = "".join(match.groups())
            subset.header.append(line)
            continue
        chrom, pos_text = line.split("\t", 2)[:2]
        if chrom in wanted:
            seen_region_contig = True
            pos = int(pos_text)
            if pos > region.end:
                subset.passed_region = True
                return subset
            if pos >= region.start:
                subset.records.append(f"{region.chrom}\t{line.split(chr(9), 1)[1]}")
        elif seen_region_contig:
            subset.passed_region = True
            return subset
    return subset


def _stream_subset(client: HttpClient, url: str, region: Region) -> ClinvarSubset:
    def consume(response: requests.Response) -> ClinvarSubset:
        return subset_region(gunzip_lines(response.iter_content(CHUNK_BYTES)), region)

    try:
        # identity: the .gz bytes themselves, never a transfer-decoded stream
        return client.request("GET", url, consume=consume, headers={"Accept-Encoding": "identity"})
    except FetchError as error:
        if "HTTP 404" in error.problem:
            raise _NotFound(url) from None
        raise


def cached_header(subset: ClinvarSubset, region: Region, build: str, url: str) -> list[str]:
    """ClinVar's header without contig lines, plus our contig and a line naming the subset."""
    kept = [line for line in subset.header if not line.startswith(("##contig", "#CHROM"))]
    column_line = next((line for line in subset.header if line.startswith("#CHROM")), None)
    if not kept or not kept[0].startswith("##fileformat") or column_line is None:
        raise FetchError(url, "the file does not look like a VCF (no ##fileformat or #CHROM line)",
                         "check the ClinVar base URL")
    length = CHR9_LENGTHS[build]
    return [
        *kept,
        f"##contig=<ID={region.chrom},length={length},assembly={build}>",
        f"##trpm6_hsh_subset=<Source=\"{url}\",Region=\"{region}\",Renamed=\"{region.bare_chrom}->{region.chrom}\">",
        column_line,
    ]


def fetch_clinvar(
    client: HttpClient,
    cache: ResourceCache,
    build: str,
    region: Region,
    release: str | None = None,
    urls: SourceUrls = PUBLIC_SOURCES,
) -> CachedRelease:
    """Stream ClinVar (``release`` YYYYMMDD, or None for the current file) and cache its TRPM6 region."""
    build = parse_build(build)
    subset, used_url = None, ""
    for url in clinvar_urls(urls, build, release):
        try:
            subset, used_url = _stream_subset(client, url, region), url
            break
        except _NotFound:
            log.info("not found: %s", url)
    if subset is None:
        raise FetchError(clinvar_urls(urls, build, release)[0], f"ClinVar release {release} was not found",
                         "check the date (YYYYMMDD) against the ClinVar archive listing, or omit --release")
    if not subset.file_date:
        raise FetchError(used_url, "the VCF header has no ##fileDate, so its release is unknown",
                         "check the ClinVar base URL")
    if release is not None and subset.file_date != release:
        raise FetchError(used_url, f"the file is release {subset.file_date}, not {release}", "check the URL")
    header = cached_header(subset, region, build, used_url)
    with cache.staging(SourceKind.CLINVAR, build) as staging:
        write_indexed_vcf(staging / "clinvar.trpm6.vcf.gz", header, subset.records)
        published = cache.publish(staging, SourceKind.CLINVAR, build, subset.file_date, {
            "source_name": "ClinVar VCF (NCBI)",
            "source_url": used_url,
            "requests": list(client.requested),
            "clinvar_file_date": subset.file_date,
            "region": str(region),
            "records": len(subset.records),
            "method": "streamed over HTTPS, region kept, stopped after the region; contig renamed "
            f"{region.bare_chrom} -> {region.chrom}",
        })
    log.info("ClinVar %s (%s): %d records in %s", subset.file_date, build, len(subset.records), region)
    return published
