"""Open a report in headless Chromium and record what a reader's browser would do with it.

The check drives Chromium over the DevTools protocol through a pipe (``--remote-debugging-pipe``:
JSON messages separated by NUL bytes on file descriptors 3 and 4), so it needs no driver binary, no
websocket library and no network port. Console messages, uncaught exceptions and every network
request are observed from the browser's own events, then a screenshot is taken and the verdict
and variant rows are read back from the DOM.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trpm6_hsh.errors import Trpm6Error
from trpm6_hsh.files import atomic_path, write_text_atomic

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
PAGE_WIDTH_PX = 1200
LOAD_TIMEOUT_S = 60.0
# A4 (210 mm) and Letter (8.5 in) minus the report's 12 mm side margins, in CSS pixels (96 per inch).
PRINT_WIDTHS_PX = {"A4": round((210 - 24) / 25.4 * 96), "Letter": round((8.5 * 25.4 - 24) / 25.4 * 96)}

READ_BACK_SCRIPT = """(() => {
  const text = (node) => node ? node.textContent.replace(/\\s+/g, ' ').trim() : null;
  const rows = Array.from(document.querySelectorAll('#variants tbody tr')).map(
    (row) => Array.from(row.cells).map((cell) => text(cell)));
  return JSON.stringify({
    verdict: document.querySelector('#verdict') ? document.querySelector('#verdict').dataset.verdict : null,
    verdict_text: text(document.querySelector('#verdict-text')),
    sample_id: text(document.querySelector('#sample-id')),
    variant_rows: rows,
    scripts: document.scripts.length,
    title: document.title,
  });
})()"""
OVERFLOW_SCRIPT = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


class BrowserError(Trpm6Error):
    """Chromium could not be started or did not answer."""


@dataclass(frozen=True)
class PageCheck:
    """What the browser saw while loading one report."""

    url: str
    console_errors: tuple[str, ...]
    network_requests: tuple[str, ...]
    verdict: str | None
    verdict_text: str | None
    sample_id: str | None
    variant_rows: tuple[tuple[str, ...], ...]
    scripts: int
    print_overflow_px: dict[str, int] = field(default_factory=dict)
    script_result: Any = None

    @property
    def clean(self) -> bool:
        return not self.console_errors and not self.network_requests and not any(self.print_overflow_px.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "console_errors": list(self.console_errors),
            "network_requests": list(self.network_requests),
            "verdict": self.verdict,
            "verdict_text": self.verdict_text,
            "sample_id": self.sample_id,
            "variant_rows": [list(row) for row in self.variant_rows],
            "scripts": self.scripts,
            "print_overflow_px": dict(self.print_overflow_px),
        }


def find_chromium() -> str | None:
    """Path of a Chromium/Chrome binary on PATH (or $CHROMIUM), or None."""
    explicit = os.environ.get("CHROMIUM")
    if explicit and shutil.which(explicit):
        return shutil.which(explicit)
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


class _DevTools:
    """A minimal DevTools-protocol client over Chromium's debugging pipe."""

    def __init__(self, process: subprocess.Popen, to_browser: int, from_browser: int):
        self.process = process
        self.to_browser = to_browser
        self.from_browser = from_browser
        self.next_id = 0
        self.buffer = b""
        self.events: list[dict[str, Any]] = []

    def _read_message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self.buffer:
            if time.monotonic() > deadline:
                raise BrowserError("Chromium did not answer in time")
            chunk = os.read(self.from_browser, 1 << 16)
            if not chunk:
                raise BrowserError("Chromium closed the debugging pipe (it may have crashed)")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def send(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        request: dict[str, Any] = {"id": self.next_id, "method": method, "params": params}
        if session:
            request["sessionId"] = session
        os.write(self.to_browser, json.dumps(request).encode() + b"\0")
        deadline = time.monotonic() + LOAD_TIMEOUT_S
        while True:
            message = self._read_message(deadline)
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise BrowserError(f"DevTools {method} failed: {message['error'].get('message')}")
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, method: str, session: str) -> None:
        deadline = time.monotonic() + LOAD_TIMEOUT_S
        if any(e.get("method") == method and e.get("sessionId") == session for e in self.events):
            return
        while True:
            message = self._read_message(deadline)
            self.events.append(message)
            if message.get("method") == method and message.get("sessionId") == session:
                return


@contextmanager
def _chromium(binary: str) -> Iterator[_DevTools]:
    profile = tempfile.mkdtemp(prefix="trpm6-chromium-")
    to_browser_read, to_browser_write = os.pipe()
    from_browser_read, from_browser_write = os.pipe()

    def wire_pipes() -> None:
        """In the child, before exec: the browser reads fd 3 and writes fd 4 (both inheritable)."""
        reading = fcntl.fcntl(to_browser_read, fcntl.F_DUPFD_CLOEXEC, 10)
        writing = fcntl.fcntl(from_browser_write, fcntl.F_DUPFD_CLOEXEC, 10)
        os.dup2(reading, 3)
        os.dup2(writing, 4)

    command = [
        binary,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-default-apps",
        "--no-first-run",
        "--no-default-browser-check",
        "--hide-scrollbars",
        "--mute-audio",
        "--remote-debugging-pipe",
        f"--user-data-dir={profile}",
        "about:blank",
    ]
    try:
        process = subprocess.Popen(
            command,
            close_fds=False,  # our other descriptors are close-on-exec already
            preexec_fn=wire_pipes,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    except OSError as error:
        raise BrowserError(f"cannot start {binary} ({error})") from error
    os.close(to_browser_read)
    os.close(from_browser_write)
    client = _DevTools(process, to_browser_write, from_browser_read)
    try:
        yield client
    finally:
        with suppress(BrowserError, OSError):
            client.send("Browser.close")
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        os.close(to_browser_write)
        os.close(from_browser_read)
        shutil.rmtree(profile, ignore_errors=True)


def _console_errors(events: list[dict[str, Any]]) -> list[str]:
    found = []
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            found.append(" ".join(str(arg.get("value", arg.get("description", ""))) for arg in params.get("args", [])))
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            found.append(details.get("exception", {}).get("description") or details.get("text", "exception"))
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            found.append(params["entry"].get("text", ""))
    return found


def _network_requests(events: list[dict[str, Any]], own_url: str) -> list[str]:
    urls = []
    for event in events:
        if event.get("method") == "Network.requestWillBeSent":
            url = event["params"]["request"]["url"]
            if url != own_url and not url.startswith("data:"):
                urls.append(url)
    return urls


def check_page(
    html: Path, screenshot: Path | None = None, *, binary: str | None = None, script: str | None = None
) -> PageCheck:
    """Load ``html`` in headless Chromium; return console errors, requests and what the DOM shows.

    ``script`` (a JavaScript expression) is evaluated after the checks, e.g. to click and read back.
    """
    binary = binary or find_chromium()
    if not binary:
        raise BrowserError("no Chromium found on PATH (install the Debian package `chromium`)")
    url = Path(html).resolve().as_uri()
    with _chromium(binary) as browser:
        target = browser.send("Target.createTarget", url="about:blank")["targetId"]
        session = browser.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            browser.send(f"{domain}.enable", session)
        browser.send(
            "Emulation.setDeviceMetricsOverride", session, width=PAGE_WIDTH_PX, height=1600, deviceScaleFactor=1,
            mobile=False,
        )  # fmt: skip
        browser.send("Page.navigate", session, url=url)
        browser.wait_for("Page.loadEventFired", session)
        found = json.loads(_evaluate(browser, session, READ_BACK_SCRIPT))
        if screenshot is not None:
            metrics = browser.send("Page.getLayoutMetrics", session)["cssContentSize"]
            shot = browser.send(
                "Page.captureScreenshot", session, format="png", captureBeyondViewport=True,
                clip={"x": 0, "y": 0, "width": PAGE_WIDTH_PX, "height": metrics["height"], "scale": 1},
            )  # fmt: skip
            with atomic_path(Path(screenshot)) as temporary:
                Path(temporary).write_bytes(base64.b64decode(shot["data"]))
        overflow = {}
        browser.send("Emulation.setEmulatedMedia", session, media="print")
        for paper, width in PRINT_WIDTHS_PX.items():
            browser.send(
                "Emulation.setDeviceMetricsOverride", session, width=width, height=1000, deviceScaleFactor=1,
                mobile=False,
            )  # fmt: skip
            overflow[paper] = int(_evaluate(browser, session, OVERFLOW_SCRIPT))
        extra = _evaluate(browser, session, script) if script else None
        events = list(browser.events)
    return PageCheck(
        url=url,
        console_errors=tuple(_console_errors(events)),
        network_requests=tuple(_network_requests(events, url)),
        verdict=found["verdict"],
        verdict_text=found["verdict_text"],
        sample_id=found["sample_id"],
        variant_rows=tuple(tuple(row) for row in found["variant_rows"]),
        scripts=found["scripts"],
        print_overflow_px=overflow,
        script_result=extra,
    )


def _evaluate(browser: _DevTools, session: str, expression: str) -> Any:
    result = browser.send("Runtime.evaluate", session, expression=expression, returnByValue=True)
    if "exceptionDetails" in result:
        raise BrowserError(f"page script failed: {result['exceptionDetails'].get('text')}")
    return result["result"]["value"]


def screenshot_report(html: Path, screenshot: Path, check_json: Path) -> None:
    """Screenshot one report and record the browser check; stop if the page is not clean."""
    check = check_page(html, screenshot)
    write_text_atomic(check_json, json.dumps(check.as_dict(), indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    problems = []
    if check.console_errors:
        problems.append(f"console errors: {'; '.join(check.console_errors)}")
    if check.network_requests:
        problems.append(f"network requests: {'; '.join(check.network_requests)}")
    for paper, pixels in check.print_overflow_px.items():
        if pixels:
            problems.append(f"{pixels}px wider than {paper} paper when printed")
    if check.verdict is None:
        problems.append("no verdict found in the page")
    if problems:
        raise Trpm6Error(f"{html}: the report does not load cleanly in Chromium: {' | '.join(problems)}")
