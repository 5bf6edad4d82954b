"""Polite HTTP fetching: timeouts, retries with backoff, robots.txt, per-host rate limit.

One ``Fetcher`` holds an httpx client, a robots.txt cache per host and the
time of the last request per host. It never retries a 4xx (a 404 will not
heal), retries 5xx / 429 / timeouts / connection errors with exponential
backoff, follows redirects, and stops reading a response past ``max_bytes``.
"""

from __future__ import annotations

import logging
import threading
import time
import urllib.robotparser
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from qawl.readers.errors import FetchError, RobotsDisallowed

log = logging.getLogger(__name__)

PROJECT_URL = "https://github.com/qawl-project/qawl"  # placeholder project page, not a real host we run


def user_agent() -> str:
    from qawl import __version__

    return f"qawl/{__version__} (+{PROJECT_URL}; Arabic news attribution research)"


ROBOTS_TOKEN = "qawl"  # the product token robots.txt rules are matched against
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
MAX_REDIRECTS = 10
HTML_TYPES = ("text/html", "application/xhtml+xml")


def charset_of(content_type: str) -> str | None:
    """The ``charset`` parameter of a Content-Type header value, if any."""
    for part in content_type.split(";")[1:]:
        k, _, v = part.partition("=")
        if k.strip().lower() == "charset" and v.strip():
            return v.strip().strip("\"'")
    return None


@dataclass(slots=True)
class Response:
    url: str  # final URL after redirects
    status: int
    headers: dict[str, str]
    content: bytes
    elapsed: float
    redirects: list[str] = field(default_factory=list)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        return charset_of(self.headers.get("content-type", ""))

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class Fetcher:
    """Fetch URLs politely. Thread-safe for the rate limiter and robots cache."""

    def __init__(
        self,
        *,
        timeout: float = 20.0,
        retries: int = 3,
        backoff: float = 1.0,
        max_backoff: float = 60.0,
        min_interval: float = 1.0,
        max_bytes: int = 10_000_000,
        respect_robots: bool = True,
        robots_ttl: float = 3600.0,
        user_agent_string: str | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Any = time.sleep,
        block_private: bool = False,
    ) -> None:
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.min_interval = min_interval
        self.max_bytes = max_bytes
        self.respect_robots = respect_robots
        self.robots_ttl = robots_ttl
        self.user_agent = user_agent_string or user_agent()
        self._sleep = sleep
        self.block_private = block_private
        hooks = {"request": [self._guard_request]} if block_private else {}
        self._client = httpx.Client(
            event_hooks=hooks,
            timeout=httpx.Timeout(timeout),
            follow_redirects=False,  # redirects are followed by hand: each hop is checked against robots.txt
            headers={"User-Agent": self.user_agent, "Accept-Language": "ar,en;q=0.8"},
            transport=transport,
        )
        self._lock = threading.Lock()
        self._last: dict[str, float] = {}
        self._robots: dict[str, tuple[float, urllib.robotparser.RobotFileParser | None]] = {}
        self._robots_trouble: dict[str, str] = {}  # host → why its robots.txt could not be read
        self.requests = 0  # every HTTP request sent, robots.txt included (tests and logs read it)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---------------------------------------------------------------- safety

    @staticmethod
    def check_public(url: str) -> None:
        """Raise ``FetchError`` unless every address of ``url``'s host is a global (public) one."""
        import ipaddress
        import socket

        host = urlsplit(url).hostname
        if not host:
            raise FetchError(f"{url}: no host", url=url)
        try:
            infos = socket.getaddrinfo(host, None)
        except OSError as e:
            raise FetchError(f"{url}: cannot resolve {host} ({e})", url=url, transient=True) from e
        for info in infos:
            if not ipaddress.ip_address(info[4][0]).is_global:
                raise FetchError(f"{url}: refusing to fetch from {host}, a private or loopback address", url=url)

    def _guard_request(self, request: httpx.Request) -> None:
        # Runs for every request httpx sends, redirect hops included (a public URL may redirect inward).
        self.check_public(str(request.url))

    # ---------------------------------------------------------------- politeness

    @staticmethod
    def _host(url: str) -> str:
        p = urlsplit(url)
        return f"{p.scheme}://{p.netloc}".lower()

    def _wait_turn(self, url: str, delay: float | None = None) -> None:
        """Sleep until ``min_interval`` (or the robots Crawl-delay) has passed since the host's last request."""
        host = self._host(url)
        interval = max(self.min_interval, delay or 0.0)
        with self._lock:
            now = time.monotonic()
            due = self._last.get(host, 0.0) + interval
            wait = max(0.0, due - now)
            self._last[host] = max(now, due)  # book the slot before sleeping so threads queue up
        if wait > 0:
            self._sleep(wait)

    def robots(self, url: str) -> urllib.robotparser.RobotFileParser | None:
        """The parsed robots.txt of ``url``'s host (cached), or None when every path is allowed."""
        host = self._host(url)
        with self._lock:
            cached = self._robots.get(host)
        if cached and time.monotonic() - cached[0] < self.robots_ttl:
            return cached[1]
        robots_url = urlunsplit((*urlsplit(host)[:2], "/robots.txt", "", ""))
        rp: urllib.robotparser.RobotFileParser | None = urllib.robotparser.RobotFileParser(robots_url)
        try:
            resp = self._request("GET", robots_url, headers={}, retries=1)
            for _ in range(5):  # RFC 9309: follow at least five redirects for robots.txt
                nxt = _redirect_target(resp, resp.url)
                if nxt is None:
                    break
                resp = self._request("GET", nxt, headers={}, retries=1)
            if resp.status == 200:
                rp.parse(resp.content.decode("utf-8", "replace").splitlines())  # type: ignore[union-attr]
            elif resp.status in (401, 403):
                rp.disallow_all = True  # type: ignore[union-attr]  # RFC 9309: access-restricted means keep out
            elif 400 <= resp.status < 500:
                rp = None  # no robots.txt: everything allowed
            else:
                rp.disallow_all = True  # type: ignore[union-attr]  # server error: assume disallowed for now
                with self._lock:
                    self._robots_trouble[host] = f"HTTP {resp.status}"
        except FetchError as e:
            log.warning("robots.txt of %s unreachable (%s); not fetching from it for now", host, e)
            rp.disallow_all = True  # type: ignore[union-attr]
            with self._lock:  # retry the robots.txt sooner than the normal TTL
                self._robots[host] = (time.monotonic() - self.robots_ttl + 60.0, rp)
                self._robots_trouble[host] = str(e).split(": ", 1)[-1]
            return rp
        with self._lock:
            self._robots[host] = (time.monotonic(), rp)
            if resp.status < 500:
                self._robots_trouble.pop(host, None)
        return rp

    def allowed(self, url: str) -> bool:
        if not self.respect_robots:
            return True
        rp = self.robots(url)
        return rp is None or rp.can_fetch(ROBOTS_TOKEN, url)

    def _crawl_delay(self, url: str) -> float | None:
        if not self.respect_robots:
            return None
        rp = self.robots(url)
        if rp is None:
            return None
        try:
            d = rp.crawl_delay(ROBOTS_TOKEN)
        except (AttributeError, ValueError):
            return None
        return float(d) if d else None

    # ---------------------------------------------------------------- requests

    def _request(self, method: str, url: str, *, headers: dict[str, str], retries: int | None = None,
                 crawl_delay: float | None = None) -> Response:
        attempts = (self.retries if retries is None else retries) + 1
        last_err = ""
        for attempt in range(attempts):
            if attempt:
                pause = min(self.max_backoff, self.backoff * 2 ** (attempt - 1))
                log.info("retrying %s in %.1fs (%s)", url, pause, last_err)
                self._sleep(pause)
            self._wait_turn(url, crawl_delay)
            t0 = time.monotonic()
            try:
                self.requests += 1
                with self._client.stream(method, url, headers=headers) as r:
                    declared = r.headers.get("content-length")
                    if declared and declared.isdigit() and int(declared) > self.max_bytes:
                        raise FetchError(f"{url}: response of {declared} bytes exceeds the {self.max_bytes}-byte limit",
                                         url=url, status=r.status_code)
                    chunks, size = [], 0
                    for chunk in r.iter_bytes():
                        size += len(chunk)
                        if size > self.max_bytes:
                            raise FetchError(f"{url}: response exceeds the {self.max_bytes}-byte limit",
                                             url=url, status=r.status_code)
                        chunks.append(chunk)
                    resp = Response(
                        url=str(r.url), status=r.status_code,
                        headers={k.lower(): v for k, v in r.headers.items()},
                        content=b"".join(chunks), elapsed=time.monotonic() - t0,
                    )
            except (httpx.TimeoutException, httpx.TransportError) as e:
                last_err = f"{type(e).__name__}: {e}" if str(e) else type(e).__name__
                if attempt + 1 < attempts:
                    continue
                raise FetchError(f"{url}: {last_err} after {attempts} attempt(s)", url=url, transient=True) from e
            except httpx.InvalidURL as e:
                raise FetchError(f"{url}: invalid URL ({e})", url=url) from e
            if resp.status in RETRY_STATUS and attempt + 1 < attempts:
                last_err = f"HTTP {resp.status}"
                ra = resp.headers.get("retry-after", "")
                if ra.isdigit():  # the server tells us how long; honour it within reason
                    self._sleep(min(float(ra), self.max_backoff))
                continue
            return resp
        raise AssertionError("unreachable")

    def get(self, url: str, *, etag: str | None = None, modified: str | None = None,
            accept: str | None = None) -> Response:
        """GET ``url`` (conditional when ``etag`` / ``modified`` are given). 304 is returned, not raised.

        Raises ``RobotsDisallowed`` when robots.txt forbids the URL and ``FetchError``
        for HTTP errors (status >= 400) and network failures that outlast the retries.
        """
        p = urlsplit(url)
        if p.scheme not in ("http", "https") or not p.netloc:
            raise FetchError(f"{url}: not an http(s) URL", url=url)
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if modified:
            headers["If-Modified-Since"] = modified
        if accept:
            headers["Accept"] = accept
        hops: list[str] = []
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            if self.block_private:
                self.check_public(current)  # before robots.txt, which would otherwise be fetched from the host
            self._check_robots(current, url, hops)
            resp = self._request("GET", current, headers=headers, crawl_delay=self._crawl_delay(current))
            nxt = _redirect_target(resp, current)
            if nxt is None:
                break
            hops.append(current)
            current = nxt
        else:
            raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects", url=url)
        resp.redirects = hops
        if resp.status >= 400:
            raise FetchError(f"{url}: HTTP {resp.status}", url=url, status=resp.status,
                             transient=resp.status in RETRY_STATUS)
        return resp

    def _check_robots(self, current: str, url: str, hops: list[str]) -> None:
        if self.allowed(current):
            return
        via = f" (redirected to {current})" if hops else ""
        trouble = self._robots_trouble.get(self._host(current))
        if trouble:  # RFC 9309: an unreachable robots.txt means "not now", not "never"
            raise FetchError(f"{url}{via}: robots.txt unreachable ({trouble}); not fetching from this host for now",
                             url=url, transient=True)
        raise RobotsDisallowed(f"{url}{via}: disallowed by robots.txt for {ROBOTS_TOKEN}", url=url)


def _redirect_target(resp: Response, current: str) -> str | None:
    """The absolute http(s) URL a 3xx response sends us to, or None when it is not a redirect."""
    if resp.status not in (301, 302, 303, 307, 308):
        return None
    loc = resp.headers.get("location", "").strip()
    if not loc:
        return None
    nxt = urljoin(current, loc)
    if urlsplit(nxt).scheme not in ("http", "https"):
        raise FetchError(f"{current}: redirect to a non-http(s) URL {nxt}", url=current, status=resp.status)
    return nxt


def fetch_url(url: str, *, fetcher: Fetcher | None = None, block_private: bool = False) -> dict[str, Any]:
    """Fetch one article page and read it into an input document (``read_html``).

    ``block_private`` (used when no ``fetcher`` is given) refuses hosts — including
    redirect targets — that resolve to loopback, private or reserved addresses:
    set it when the URL comes from an untrusted user (web app).
    """
    from qawl.readers.html import read_html

    own = fetcher is None
    f = fetcher or Fetcher(block_private=block_private)
    try:
        resp = f.get(url, accept="text/html,application/xhtml+xml;q=0.9,*/*;q=0.5")
    finally:
        if own:
            f.close()
    ctype = resp.content_type
    if ctype and not any(ctype.startswith(t) for t in HTML_TYPES):
        raise FetchError(f"{url}: not an HTML page (Content-Type {ctype})", url=url, status=resp.status)
    doc = read_html(resp.content, url=resp.url, name=url, http_charset=resp.charset)
    if resp.url != url:
        doc["fetched_from"] = url
    return doc
