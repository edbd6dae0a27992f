"""A local stand-in for Ensembl REST, ClinVar and the gnomAD API, for the fetch tests.

A stdlib HTTP server in a thread answers from tests/data/fetch/ in the real formats; a route can be
given a sequence of replies (429 with Retry-After, 5xx, a slow answer, a cut body ...) before the
good one. Every request is recorded (method, path, query, headers, body), so tests can check what
left the machine.
"""

from __future__ import annotations

import io
import json
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from Bio import bgzf

DATA = Path(__file__).resolve().parent / "data" / "fetch"
LOCUS = {"GRCh38": ("9", 74717495, 74892921), "GRCh37": ("9", 77332411, 77507837)}


@dataclass(frozen=True)
class Reply:
    """One answer. ``cut_at``: send only that many body bytes, then close (``Content-Length`` as declared)."""

    status: int = 200
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    delay_s: float = 0.0
    cut_at: int | None = None
    declare_length: bool = True


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes

    def text(self) -> str:
        """Everything the request carried, as one string to search."""
        headers = "\n".join(f"{k}: {v}" for k, v in self.headers.items())
        return f"{self.method} {self.path}?{self.query}\n{headers}\n{self.body.decode('utf-8', 'replace')}"


Route = Callable[[RecordedRequest], Reply]


@dataclass
class LocalSources:
    routes: dict[str, list[Reply | Route]] = field(default_factory=dict)
    requests: list[RecordedRequest] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def urls(self) -> dict[str, str]:
        return {
            "ensembl": f"{self.base_url}/ensembl",
            "ensembl_grch37": f"{self.base_url}/ensembl37",
            "clinvar": f"{self.base_url}/clinvar",
            "gnomad": f"{self.base_url}/gnomad",
        }

    def route(self, path: str, *replies: Reply | Route) -> None:
        """Answer ``path`` with ``replies`` in turn; the last one repeats."""
        self.routes[path] = list(replies)

    def prepend(self, path: str, *replies: Reply | Route) -> None:
        """Put ``replies`` before the route's current answers (e.g. a 429 before the good answer)."""
        self.routes[path] = [*replies, *self.routes[path]]

    def answer(self, request: RecordedRequest) -> Reply:
        replies = self.routes.get(request.path)
        if replies is None:
            prefixes = [p for p in self.routes if p.endswith("/") and request.path.startswith(p)]
            replies = self.routes[max(prefixes, key=len)] if prefixes else None
        if not replies:
            return Reply(404, b'{"error":"not found"}', (("Content-Type", "application/json"),))
        reply = replies.pop(0) if len(replies) > 1 else replies[0]
        return reply(request) if callable(reply) else reply

    def __enter__(self) -> LocalSources:
        sources = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # keep test output quiet
                pass

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                request = RecordedRequest(self.command, parts.path, parts.query, dict(self.headers), body)
                sources.requests.append(request)
                reply = sources.answer(request)
                time.sleep(reply.delay_s)
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers:
                        self.send_header(name, value)
                    if reply.declare_length:
                        self.send_header("Content-Length", str(len(reply.body)))
                    self.send_header("Connection", "close")
                    self.end_headers()
                    self.wfile.write(reply.body if reply.cut_at is None else reply.body[: reply.cut_at])
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass
                self.close_connection = True

            do_GET = _serve
            do_POST = _serve

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def json_reply(document: object) -> Reply:
    return Reply(200, json.dumps(document).encode(), (("Content-Type", "application/json"),))


class _KeptOpen(io.BytesIO):
    def close(self) -> None:  # BgzfWriter closes its file object; keep the bytes readable
        pass


def bgzipped(text: str) -> bytes:
    """BGZF (blocked gzip, with the EOF block) like NCBI's ClinVar VCF."""
    buffer = _KeptOpen()
    writer = bgzf.BgzfWriter(fileobj=buffer)
    writer.write(text.encode())
    writer.close()
    return buffer.getvalue()


def sequence_reply(build: str) -> Route:
    def answer(request: RecordedRequest) -> Reply:
        region = request.path.rsplit("/", 1)[1]  # 9:START..END:1
        chrom, span, _strand = region.split(":")
        start, end = (int(x) for x in span.split(".."))
        rng = random.Random(f"{build}:{start}")
        seq = "".join(rng.choice("ACGT") for _ in range(end - start + 1))
        return json_reply(
            {"id": f"chromosome:{build}:{chrom}:{start}:{end}:1", "molecule": "dna", "query": region, "seq": seq}
        )

    return answer


def gnomad_reply(request: RecordedRequest) -> Reply:
    variables = json.loads(request.body)["variables"]
    document = json.loads((DATA / "gnomad_region.GRCh38.json").read_text())
    variants = document["data"]["region"]["variants"]
    inside = [v for v in variants if variables["start"] <= v["pos"] <= variables["stop"]]
    return json_reply({"data": {"region": {"variants": inside}}})


CLINVAR_GZ = bgzipped((DATA / "clinvar_mini.GRCh38.vcf").read_text())


def standard_routes(sources: LocalSources) -> LocalSources:
    """Good answers for every source and both builds."""
    for prefix, build in (("/ensembl", "GRCh38"), ("/ensembl37", "GRCh37")):
        sources.route(f"{prefix}/info/data", json_reply({"releases": [115]}))
        sources.route(
            f"{prefix}/lookup/id/ENSG00000119121",
            json_reply(json.loads((DATA / f"ensembl_lookup_TRPM6.{build}.json").read_text())),
        )
        sources.route(f"{prefix}/sequence/region/human/", sequence_reply(build))
    clinvar = Reply(200, CLINVAR_GZ, (("Content-Type", "application/x-gzip"),))
    sources.route("/clinvar/vcf_GRCh38/clinvar.vcf.gz", clinvar)
    sources.route("/clinvar/vcf_GRCh38/archive_2.0/2025/clinvar_20250105.vcf.gz", clinvar)
    sources.route("/gnomad", gnomad_reply)
    return sources
