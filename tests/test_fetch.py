"""Fetching reference data from local stand-ins of Ensembl REST, ClinVar and the gnomAD API.

Every failure mode (429 with Retry-After, 5xx, timeouts, malformed JSON, truncated downloads) must end
either in a complete release folder or in one clear error with nothing half-written in the cache.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pysam
import pytest
from conftest import REPO
from fetch_local_sources import CLINVAR_GZ, LocalSources, Reply, json_reply, standard_routes

from trpm6_hsh.cli import main
from trpm6_hsh.clinvar import read_clinvar
from trpm6_hsh.fetch.cache import PROVENANCE_FILE, ResourceCache, SourceKind
from trpm6_hsh.fetch.clinvar_source import gunzip_lines
from trpm6_hsh.fetch.commands import choose_cached, fetch, fetch_for_workflow, list_cache
from trpm6_hsh.fetch.gnomad_source import fetch_gnomad
from trpm6_hsh.fetch.http import (
    FetchError,
    HttpClient,
    OfflineError,
    RetryPolicy,
    TruncatedResponse,
    retry_after_seconds,
)
from trpm6_hsh.fetch.sources import Region, SourceUrls
from trpm6_hsh.provenance import sha256_of
from trpm6_hsh.transcripts import load_transcripts

FAST = RetryPolicy(attempts=3, backoff_s=0.01, max_wait_s=30, timeout_s=2)
LOOKUP = "/ensembl/lookup/id/ENSG00000119121"
CLINVAR_LATEST = "/clinvar/vcf_GRCh38/clinvar.vcf.gz"


class SleepLog(list):
    """Stands in for time.sleep: records the waits instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture()
def sources():
    with LocalSources() as server:
        yield standard_routes(server)


@pytest.fixture()
def sleeps() -> SleepLog:
    return SleepLog()


def run(kind, sources, cache, sleeps, build="GRCh38", release=None, policy=FAST):
    client = HttpClient(policy=policy, sleep=sleeps)
    return fetch(kind, cache=cache, build=build, release=release, urls=sources.urls(), policy=policy, client=client)


def cache_entries(cache: Path) -> list[str]:
    """Everything in the cache, hidden staging folders included."""
    return sorted(str(p.relative_to(cache)) for p in cache.rglob("*")) if cache.exists() else []


def assert_nothing_cached(cache: Path) -> None:
    leftovers = [entry for entry in cache_entries(cache) if entry not in ("GRCh38", "GRCh37")]
    assert leftovers == [], leftovers


# --- success, in the real formats -------------------------------------------------------------------------


def test_transcripts_reproduce_the_shipped_model(sources, tmp_path, sleeps):
    cached = run(SourceKind.TRANSCRIPTS, sources, tmp_path, sleeps)
    assert cached.release == "115" and cached.folder == tmp_path / "GRCh38" / "transcripts-115"
    shipped = REPO / "resources" / "GRCh38"
    for name in ("trpm6_mane_select.exons.tsv", "trpm6_locus.bed"):
        assert cached.path(name).read_text() == (shipped / name).read_text(), name
    for name in ("trpm6_mane_select.gff3", "trpm6_mane_select.gtf"):
        (fetched,), (ours,) = load_transcripts(cached.path(name)), load_transcripts(shipped / name)
        assert (fetched.exons, fetched.cds_start, fetched.cds_end) == (ours.exons, ours.cds_start, ours.cds_end)
        assert fetched.versioned_id == "ENST00000360774.6" and fetched.is_mane
        assert fetched.protein_id == ours.protein_id
    provenance = cached.provenance()
    agreement = provenance["agrees_with_shipped_model"]
    assert agreement == {"coding_agrees": True, "exons_identical": True, "differences": []}
    assert provenance["transcript"] == "ENST00000360774.6" and provenance["refseq_match"] == "NM_017662.5"
    assert {f["name"]: f["sha256"] for f in provenance["files"]} == {
        name: sha256_of(cached.path(name)) for name in (f["name"] for f in provenance["files"])
    }
    rows = cached.path("trpm6_transcripts.tsv").read_text().splitlines()
    assert len(rows) == 3 and "ENST00000900000" in rows[2]
    assert sleeps == []


def test_grch37_uses_its_own_server_and_the_canonical_transcript(sources, tmp_path, sleeps):
    cached = run(SourceKind.TRANSCRIPTS, sources, tmp_path, sleeps, build="GRCh37")
    assert any(r.path.startswith("/ensembl37/lookup/") for r in sources.requests)
    assert not any(r.path.startswith("/ensembl/") for r in sources.requests)
    (fetched,) = load_transcripts(cached.path("trpm6_mane_select.gff3"))
    assert fetched.versioned_id == "ENST00000360774.1" and not fetched.is_mane
    assert cached.provenance()["chosen_because"] == "Ensembl_canonical"
    assert cached.provenance()["agrees_with_shipped_model"]["coding_agrees"]


def test_a_release_the_server_does_not_serve_is_refused(sources, tmp_path, sleeps):
    with pytest.raises(FetchError, match="serves Ensembl release 115, not 114"):
        run(SourceKind.TRANSCRIPTS, sources, tmp_path, sleeps, release="114")
    assert_nothing_cached(tmp_path)


def test_sequence_is_an_indexed_fasta_of_the_locus(sources, tmp_path, sleeps):
    cached = run(SourceKind.SEQUENCE, sources, tmp_path, sleeps)
    with pysam.FastaFile(str(cached.path("trpm6_locus.fa"))) as fasta:
        (name,) = fasta.references
        assert name == "chr9:74717495-74892921"
        assert fasta.get_reference_length(name) == 74892921 - 74717495 + 1


def test_clinvar_keeps_only_the_locus_as_an_indexed_vcf(sources, tmp_path, sleeps):
    cached = run(SourceKind.CLINVAR, sources, tmp_path, sleeps)
    assert cached.release == "20250105"
    vcf = cached.path("clinvar.trpm6.vcf.gz")
    with pysam.VariantFile(str(vcf)) as handle:
        records = [(r.chrom, r.pos, r.id) for r in handle.fetch("chr9", 74717494, 74892921)]
        assert "##fileDate=2025-01-05" in str(handle.header)
    assert records == [("chr9", 74730001, "9000003"), ("chr9", 74790002, "9000004"), ("chr9", 74842198, "9000010"),
                       ("chr9", 74880003, "9000005")]
    known = read_clinvar(vcf, "chr9", 74730001, 74790002)  # the classifier reads it as a user ClinVar VCF
    assert known[(74790002, "T", "C")].variation_id == "9000004"
    assert cached.provenance()["records"] == 4


def test_clinvar_dated_release_and_a_missing_one(sources, tmp_path, sleeps):
    assert run(SourceKind.CLINVAR, sources, tmp_path, sleeps, release="20250105").release == "20250105"
    with pytest.raises(FetchError, match="ClinVar release 20240101 was not found"):
        run(SourceKind.CLINVAR, sources, tmp_path / "other", sleeps, release="20240101")
    assert_nothing_cached(tmp_path / "other")


def test_gnomad_frequencies_over_windows(sources, tmp_path, sleeps):
    client = HttpClient(policy=FAST, sleep=sleeps)
    region = Region("chr9", 74717495, 74892921)
    cached = fetch_gnomad(client, ResourceCache(tmp_path), "GRCh38", region, urls=SourceUrls(**sources.urls()),
                          window_bp=40_000)
    assert len([r for r in sources.requests if r.path == "/gnomad"]) == 5
    with pysam.VariantFile(str(cached.path("gnomad.trpm6.vcf.gz"))) as handle:
        sites = {(r.pos, r.ref, r.alts[0]): dict(r.info) for r in handle.fetch("chr9", 74717494, 74892921)}
    assert sites[(74730011, "G", "A")]["AF"][0] == pytest.approx(14 / (1461894 + 152312), rel=1e-5)
    assert sites[(74790012, "T", "C")]["AF_exome"][0] == pytest.approx(30512 / 1461000, rel=1e-5)
    assert sites[(74850013, "C", "CA")]["filters_genome"] == ("AC0",)
    assert "AF" not in sites[(74880023, "A", "G")]  # AN 0: frequency unknown, not zero
    assert cached.release == "gnomad_r4"


def test_gnomad_graphql_errors_are_one_clear_error(sources, tmp_path, sleeps):
    sources.route("/gnomad", json_reply({"errors": [{"message": "Region is too large"}], "data": None}))
    with pytest.raises(FetchError, match="answered with errors: Region is too large"):
        run(SourceKind.GNOMAD, sources, tmp_path, sleeps)
    assert_nothing_cached(tmp_path)


# --- retries, timeouts, bad answers -------------------------------------------------------------------------


def test_429_waits_as_long_as_retry_after_asks(sources, tmp_path, sleeps):
    sources.prepend(LOOKUP, Reply(429, b"slow down", (("Retry-After", "7"),)))
    run(SourceKind.TRANSCRIPTS, sources, tmp_path, sleeps)
    assert sleeps == [7.0]
    assert [r.path for r in sources.requests].count(LOOKUP) == 2


def test_retry_after_longer_than_allowed_gives_up_clearly(sources, tmp_path, sleeps):
    sources.prepend(LOOKUP, Reply(429, b"", (("Retry-After", "3600"),)))
    with pytest.raises(FetchError, match="asks to wait 3600 s"):
        run(SourceKind.TRANSCRIPTS, sources, tmp_path, sleeps)
    assert_nothing_cached(tmp_path)


def test_retry_after_as_an_http_date():
    from datetime import UTC, datetime

    now = datetime(2025, 1, 5, 12, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("Sun, 05 Jan 2025 12:00:30 GMT", now) == 30
    assert retry_after_seconds("12", now) == 12 and retry_after_seconds("soon", now) is None


def test_5xx_then_success_backs_off(sources, tmp_path, sleeps):
    sources.prepend(LOOKUP, Reply(503, b"busy"), Reply(502, b"bad gateway"))
    run(SourceKind.TRANSCRIPTS, sources, tmp_path, sleeps)
    assert sleeps == [FAST.backoff(1), FAST.backoff(2)]


def test_5xx_every_time_gives_up_with_nothing_cached(sources, tmp_path, sleeps):
    sources.route(LOOKUP, Reply(500, b"oops"))
    with pytest.raises(FetchError, match="gave up after 3 attempts; last problem: HTTP 500"):
        run(SourceKind.TRANSCRIPTS, sources, tmp_path, sleeps)
    assert_nothing_cached(tmp_path)


def test_a_client_error_is_not_retried(sources, tmp_path, sleeps):
    sources.route(LOOKUP, Reply(400, b'{"error":"ID not found"}'))
    with pytest.raises(FetchError, match="HTTP 400.*ID not found"):
        run(SourceKind.TRANSCRIPTS, sources, tmp_path, sleeps)
    assert sleeps == []


def test_timeout_every_time_is_one_clear_error(sources, tmp_path, sleeps):
    slow = RetryPolicy(attempts=2, backoff_s=0.01, timeout_s=1.0)
    sources.prepend(LOOKUP, Reply(200, b"{}", delay_s=2.5), Reply(200, b"{}", delay_s=2.5))
    with pytest.raises(FetchError, match=r"gave up after 2 attempts; last problem: no answer within 1 s"):
        run(SourceKind.TRANSCRIPTS, sources, tmp_path, sleeps, policy=slow)
    assert_nothing_cached(tmp_path)


def test_timeout_then_success(sources, tmp_path, sleeps):
    slow = RetryPolicy(attempts=3, backoff_s=0.01, timeout_s=1.0)
    sources.prepend(LOOKUP, Reply(200, b"{}", delay_s=2.5))
    assert run(SourceKind.TRANSCRIPTS, sources, tmp_path, sleeps, policy=slow).release == "115"


def test_malformed_json_is_refused_without_retrying(sources, tmp_path, sleeps):
    cut_json = b'{"id": "ENSG00000119121", "Transcript": ['
    sources.route(LOOKUP, Reply(200, cut_json, (("Content-Type", "application/json"),)))
    with pytest.raises(FetchError, match="not valid JSON"):
        run(SourceKind.TRANSCRIPTS, sources, tmp_path, sleeps)
    assert [r.path for r in sources.requests].count(LOOKUP) == 1
    assert_nothing_cached(tmp_path)


def test_json_of_the_wrong_shape_is_refused(sources, tmp_path, sleeps):
    sources.route(LOOKUP, json_reply({"error": "something else"}))
    with pytest.raises(FetchError, match="lacks 'assembly_name'"):
        run(SourceKind.TRANSCRIPTS, sources, tmp_path, sleeps)
    assert_nothing_cached(tmp_path)


@pytest.mark.parametrize("declare_length", [True, False], ids=["content-length", "close-delimited"])
def test_truncated_download_every_time_leaves_nothing(sources, tmp_path, sleeps, declare_length):
    sources.route(CLINVAR_LATEST, Reply(200, CLINVAR_GZ, cut_at=len(CLINVAR_GZ) // 2, declare_length=declare_length))
    with pytest.raises(FetchError, match="gave up after 3 attempts; last problem: .*(cut|connection)"):
        run(SourceKind.CLINVAR, sources, tmp_path, sleeps)
    assert_nothing_cached(tmp_path)


def test_truncated_download_then_complete_one(sources, tmp_path, sleeps):
    sources.prepend(CLINVAR_LATEST, Reply(200, CLINVAR_GZ, cut_at=len(CLINVAR_GZ) // 2, declare_length=False))
    assert run(SourceKind.CLINVAR, sources, tmp_path, sleeps).release == "20250105"
    assert len(sleeps) == 1


def test_gzip_stream_cut_inside_a_block_is_detected():
    with pytest.raises(TruncatedResponse):
        list(gunzip_lines(iter([CLINVAR_GZ[:100]])))
    assert list(gunzip_lines(iter([CLINVAR_GZ[:7], CLINVAR_GZ[7:]])))[0] == "##fileformat=VCFv4.1"


def test_a_refetch_replaces_the_release_atomically(sources, tmp_path, sleeps):
    first = run(SourceKind.CLINVAR, sources, tmp_path, sleeps)
    (first.folder / "stale-extra-file").write_text("x")
    second = run(SourceKind.CLINVAR, sources, tmp_path, sleeps)
    assert second.folder == first.folder and not (second.folder / "stale-extra-file").exists()
    assert [e for e in cache_entries(tmp_path) if ".staging" in e] == []


# --- offline and patient data ---------------------------------------------------------------------------------


@pytest.fixture()
def no_sockets(monkeypatch):
    """Any attempt to open a network connection fails the test."""
    opened = []

    def refuse(*args, **kwargs):
        opened.append(args)
        raise AssertionError(f"a network connection was attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return opened


def test_offline_client_refuses_before_any_socket(no_sockets, tmp_path):
    with pytest.raises(OfflineError, match="offline: true"):
        HttpClient(allow_network=False).get_json("https://rest.ensembl.org/info/data")
    assert no_sockets == []


def test_offline_workflow_fetch_refuses_with_the_command_to_run(no_sockets, tmp_path):
    with pytest.raises(OfflineError) as caught:
        fetch_for_workflow("clinvar", cache=tmp_path, build="GRCh38", release="20250105", offline=True, urls={},
                           timeout_s=1, attempts=1)
    message = str(caught.value)
    assert "offline: true forbids fetching it" in message
    assert f"trpm6-hsh resources fetch-clinvar --build GRCh38 --release 20250105 --cache {tmp_path}" in message
    assert no_sockets == [] and cache_entries(tmp_path) == []


def test_unreachable_source_is_one_line_on_the_command_line(tmp_path, capsys):
    with socket.socket() as probe:  # a local port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code = main(["resources", "fetch-gnomad", "--cache", str(tmp_path), "--attempts", "1",
                 "--gnomad-url", f"http://127.0.0.1:{port}/api"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1 and len(err) >= 1
    assert err[-1].startswith("trpm6-hsh: error: http://127.0.0.1:") and "Traceback" not in "\n".join(err)
    assert_nothing_cached(tmp_path)


def test_requests_carry_only_public_facts(sources, tmp_path, sleeps):
    for kind in SourceKind:
        run(kind, sources, tmp_path, sleeps)
    paths = {r.path for r in sources.requests}
    assert paths == {
        "/ensembl/info/data", "/ensembl/lookup/id/ENSG00000119121",
        "/ensembl/sequence/region/human/9:74717495..74892921:1", CLINVAR_LATEST, "/gnomad",
    }
    for request in sources.requests:
        assert set(request.headers) <= {"Host", "User-Agent", "Accept-Encoding", "Accept", "Connection",
                                        "Content-Length", "Content-Type"}
        if request.body:
            body = json.loads(request.body)
            assert set(body) == {"query", "variables"}
            assert set(body["variables"]) == {"chrom", "start", "stop", "build", "dataset"}


# --- the cache: listing and choosing -----------------------------------------------------------------------


def test_list_and_choose_from_the_cache(sources, tmp_path, sleeps, capsys):
    run(SourceKind.TRANSCRIPTS, sources, tmp_path, sleeps)
    run(SourceKind.CLINVAR, sources, tmp_path, sleeps)
    listed = [(r["source"], r["release"]) for r in list_cache(tmp_path)]
    assert listed == [("transcripts", "115"), ("clinvar", "20250105")]
    assert main(["resources", "list", "--cache", str(tmp_path)]) == 0
    assert "clinvar\t20250105" in capsys.readouterr().out
    chosen = choose_cached({"cache": str(tmp_path), "gnomad_release": "gnomad_r4", "transcripts_release": "none"},
                           "GRCh38")
    assert set(chosen) == {SourceKind.CLINVAR, SourceKind.GNOMAD}
    assert chosen[SourceKind.CLINVAR].present and not chosen[SourceKind.GNOMAD].present
    assert (chosen[SourceKind.CLINVAR].folder / PROVENANCE_FILE).is_file()


def test_command_line_fills_the_cache(sources, tmp_path, capsys):
    urls = sources.urls()
    assert main(["resources", "fetch-transcripts", "--build", "GRCh37", "--release", "115", "--cache", str(tmp_path),
                 "--ensembl-grch37-url", urls["ensembl_grch37"]]) == 0
    assert main(["resources", "fetch-clinvar", "--release", "20250105", "--cache", str(tmp_path),
                 "--clinvar-url", urls["clinvar"]]) == 0
    out = capsys.readouterr().out
    assert f"transcripts GRCh37 release 115: {tmp_path / 'GRCh37' / 'transcripts-115'}" in out
    assert f"clinvar GRCh38 release 20250105: {tmp_path / 'GRCh38' / 'clinvar-20250105'}" in out


def test_a_model_whose_coding_exons_differ_is_cached_but_refused_for_runs(sources, tmp_path, sleeps):
    from fetch_local_sources import DATA

    from trpm6_hsh.errors import ConfigError
    from trpm6_hsh.fetch.commands import check_cached_model

    lookup = json.loads((DATA / "ensembl_lookup_TRPM6.GRCh38.json").read_text())
    transcript = lookup["Transcript"][0]
    transcript["Exon"][10]["end"] += 3  # one codon more in a coding exon (an in-frame change of the model)
    del transcript["Translation"]["length"]
    sources.route(LOOKUP, json_reply(lookup))
    cached = run(SourceKind.TRANSCRIPTS, sources, tmp_path, sleeps)
    agreement = cached.provenance()["agrees_with_shipped_model"]
    assert agreement["coding_agrees"] is False and agreement["differences"]
    (choice,) = choose_cached({"cache": str(tmp_path)}, "GRCh38").values()
    with pytest.raises(ConfigError, match="coding structure differs from NM_017662.5"):
        check_cached_model(choice)
    with pytest.raises(ConfigError, match="coding structure differs"):
        fetch_for_workflow("transcripts", cache=tmp_path, build="GRCh38", release="115", offline=False,
                           urls=sources.urls(), timeout_s=2, attempts=1)


def test_a_translation_that_does_not_fit_its_length_is_refused(sources, tmp_path, sleeps):
    from fetch_local_sources import DATA

    lookup = json.loads((DATA / "ensembl_lookup_TRPM6.GRCh38.json").read_text())
    lookup["Transcript"][0]["Translation"]["length"] = 2021
    sources.route(LOOKUP, json_reply(lookup))
    with pytest.raises(FetchError, match="does not fit its length of 2021 aa"):
        run(SourceKind.TRANSCRIPTS, sources, tmp_path, sleeps)
    assert_nothing_cached(tmp_path)


def test_an_unresolvable_host_is_reported_as_offline_at_once(monkeypatch, tmp_path, sleeps):
    def no_dns(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    client = HttpClient(policy=FAST, sleep=sleeps)
    with pytest.raises(OfflineError, match="cannot resolve rest.ensembl.org: this machine seems to be offline"):
        client.get_json("https://rest.ensembl.org/info/data")
    assert sleeps == []


def test_clinvar_download_stops_once_past_the_locus(sources, tmp_path, sleeps):
    from fetch_local_sources import DATA, bgzipped

    text = (DATA / "clinvar_mini.GRCh38.vcf").read_text()
    filler = "".join(f"10\t{600000 + i}\t{9100000 + i}\tA\tG\t.\t.\tCLNSIG=Benign\n" for i in range(40000))
    body = bgzipped(text + filler)
    sources.route(CLINVAR_LATEST, Reply(200, body, cut_at=len(body) * 3 // 4))  # broken far after chr9
    cached = run(SourceKind.CLINVAR, sources, tmp_path, sleeps)
    assert cached.provenance()["records"] == 4 and sleeps == []


def test_a_cached_file_changed_after_the_fetch_is_refused(sources, tmp_path, sleeps, capsys):
    from trpm6_hsh.errors import ConfigError

    cached = run(SourceKind.GNOMAD, sources, tmp_path, sleeps)
    assert choose_cached({"cache": str(tmp_path)}, "GRCh38")[SourceKind.GNOMAD].present
    tbi = cached.path("gnomad.trpm6.vcf.gz.tbi")
    tbi.write_bytes(tbi.read_bytes() + b"\0")
    with pytest.raises(ConfigError, match=r"gnomad.trpm6.vcf.gz.tbi changed since the fetch"):
        choose_cached({"cache": str(tmp_path)}, "GRCh38")
    with pytest.raises(ConfigError, match="fetch the gnomad release gnomad_r4 again"):
        choose_cached({"cache": str(tmp_path), "gnomad_release": "gnomad_r4"}, "GRCh38")
    assert main(["resources", "list", "--cache", str(tmp_path)]) == 0
    assert "changed: gnomad.trpm6.vcf.gz.tbi" in capsys.readouterr().out
