"""HTTP for reference data: timeouts, retries with backoff that honour Retry-After, clear errors.

One client for every source, so every request is bounded in time, retried the same way and logged
for the provenance file. It only ever sends what the caller passes (public identifiers and locus
coordinates); it adds nothing about the machine or the user but a fixed User-Agent.
"""

from __future__ import annotations

import email.utils
import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import urlsplit

import requests

from trpm6_hsh import __version__
from trpm6_hsh.errors import Trpm6Error

log = logging.getLogger(__name__)

RETRYABLE_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})
USER_AGENT = f"trpm6-hsh/{__version__} (reference-data fetch)"
OFFLINE_FIX = (
    "the workflow itself runs offline from the shipped resources; to fill a cache, run "
    "`trpm6-hsh resources fetch-...` on a machine with internet access and point resources.cache at it"
)

T = TypeVar("T")


class FetchError(Trpm6Error):
    """A source could not deliver what was asked: names the URL, the problem and what to do."""

    def __init__(self, url: str, problem: str, fix: str) -> None:
        self.url, self.problem, self.fix = url, problem, fix
        super().__init__(f"{url}: {problem}. Fix: {fix}")


class OfflineError(FetchError):
    """Network access is forbidden (``offline: true``) or the machine cannot reach the source."""


class TruncatedResponse(Exception):
    """Raised by a response consumer when the body ended early; the request is retried."""


@dataclass(frozen=True)
class RetryPolicy:
    """How long to wait for a server and how often to try again (tests pass tiny values)."""

    attempts: int = 5
    backoff_s: float = 2.0
    max_wait_s: float = 120.0
    timeout_s: float = 60.0

    def backoff(self, attempt: int) -> float:
        """Exponential backoff after failed attempt number ``attempt`` (1-based), capped."""
        return min(self.max_wait_s, self.backoff_s * 2 ** (attempt - 1))


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds a server asks us to wait: ``Retry-After`` as delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _is_name_resolution_failure(error: BaseException) -> bool:
    """True when the host name could not be resolved: the machine is offline (no point retrying)."""
    text = repr(error)
    return any(marker in text for marker in ("NameResolutionError", "Name or service not known", "getaddrinfo"))


@dataclass
class HttpClient:
    """GET/POST with retries. ``allow_network=False`` refuses every request before a socket opens."""

    policy: RetryPolicy = field(default_factory=RetryPolicy)
    allow_network: bool = True
    sleep: Callable[[float], None] = time.sleep
    session: requests.Session = field(default_factory=requests.Session)
    requested: list[str] = field(default_factory=list)

    def get_json(self, url: str, params: Mapping[str, Any] | None = None) -> Any:
        return self.request("GET", url, params=params, headers={"Accept": "application/json"}, consume=_json_body)

    def post_json(self, url: str, payload: Mapping[str, Any]) -> Any:
        return self.request("POST", url, json_body=payload, headers={"Accept": "application/json"}, consume=_json_body)

    def request(
        self,
        method: str,
        url: str,
        *,
        consume: Callable[[requests.Response], T],
        params: Mapping[str, Any] | None = None,
        json_body: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> T:
        """Send the request, retrying transient failures; ``consume`` reads the (streamed) response.

        Retried: connection failures, timeouts, bodies cut short, and HTTP 408/425/429/5xx (waiting
        as long as ``Retry-After`` asks, when it asks no more than ``policy.max_wait_s``).
        """
        if not self.allow_network:
            raise OfflineError(url, "network access is forbidden (offline: true)", OFFLINE_FIX)
        host = urlsplit(url).netloc or url
        last_problem = "no attempt made"
        for attempt in range(1, self.policy.attempts + 1):
            wait: float | None = None
            try:
                with self.session.request(
                    method,
                    url,
                    params=params,
                    json=json_body,
                    headers={"User-Agent": USER_AGENT, **(headers or {})},
                    timeout=self.policy.timeout_s,
                    stream=True,
                ) as response:
                    self.requested.append(response.url)
                    status = response.status_code
                    if status in RETRYABLE_STATUS:
                        last_problem = f"HTTP {status} {response.reason or ''}".strip()
                        wait = self._server_wait(url, response, last_problem)
                    elif status >= 400:
                        raise FetchError(
                            url,
                            f"HTTP {status} {response.reason or ''}: {_snippet(response)}".strip(),
                            "check the release/build asked for and the configured base URL",
                        )
                    else:
                        return consume(response)
            except requests.Timeout:
                last_problem = f"no answer within {self.policy.timeout_s:g} s"
            except requests.ConnectionError as error:
                if _is_name_resolution_failure(error):
                    raise OfflineError(
                        url, f"cannot resolve {host}: this machine seems to be offline", OFFLINE_FIX
                    ) from None
                last_problem = f"connection failed or was cut ({type(error).__name__})"
            except (requests.exceptions.ChunkedEncodingError, TruncatedResponse) as error:
                last_problem = f"the response was cut short ({error})"
            if attempt < self.policy.attempts:
                delay = wait if wait is not None else self.policy.backoff(attempt)
                log.warning("%s %s: %s; retrying in %.3g s (attempt %d of %d)", method, url, last_problem,
                            delay, attempt + 1, self.policy.attempts)
                self.sleep(delay)
        raise FetchError(
            url,
            f"gave up after {self.policy.attempts} attempts; last problem: {last_problem}",
            f"check that {host} is reachable from this machine and try again later",
        )

    def _server_wait(self, url: str, response: requests.Response, problem: str) -> float | None:
        asked = retry_after_seconds(response.headers.get("Retry-After"))
        if asked is not None and asked > self.policy.max_wait_s:
            raise FetchError(
                url,
                f"{problem}: the server asks to wait {asked:g} s (Retry-After), more than {self.policy.max_wait_s:g} s",
                "try again later",
            )
        return asked


def _snippet(response: requests.Response, limit: int = 200) -> str:
    try:
        text = response.text
    except (requests.RequestException, UnicodeDecodeError):
        return ""
    return " ".join(text.split())[:limit]


def _body(response: requests.Response) -> bytes:
    """The whole body; a body shorter than its Content-Length is a truncated response."""
    content = response.content
    declared = response.headers.get("Content-Length")
    identity = not response.headers.get("Content-Encoding")
    if identity and declared and declared.isdigit() and len(content) < int(declared):
        raise TruncatedResponse(f"{len(content)} of {declared} bytes")
    return content


def _json_body(response: requests.Response) -> Any:
    body = _body(response)
    try:
        return json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise FetchError(
            response.url,
            f"the answer is not valid JSON ({error.__class__.__name__}: {error})",
            "the service may have changed or be failing; try again later, nothing was written",
        ) from None
