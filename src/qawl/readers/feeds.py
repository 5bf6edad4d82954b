"""RSS / Atom feeds: parse them, and watch them for new articles.

``Watcher.poll_once`` sends a conditional GET per feed (If-None-Match /
If-Modified-Since from the last answer), fetches the article page of every
entry not seen before, and hands the documents to a sink (the store's
``ingest``). Feed state — ETag, Last-Modified, seen entry ids — lives in a JSON
state file replaced atomically after every feed, so a restart neither repeats
nor loses work. An entry is marked seen only after its document reached the
sink (or failed for good: 404, robots.txt, unsupported language), so a crash
between the two repeats an ingest, which the store absorbs (it is idempotent).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qawl.readers.errors import FetchError, ReaderError, RobotsDisallowed
from qawl.readers.fetch import Fetcher, fetch_url
from qawl.readers.lang import SUPPORTED_LANGS

log = logging.getLogger(__name__)

MAX_SEEN_PER_FEED = 5000  # ids older than this many entries fall off (feeds carry the last few dozen)
FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"


def _date(parsed: Any) -> str | None:
    if not parsed:
        return None
    try:
        return time.strftime("%Y-%m-%d", parsed)
    except (TypeError, ValueError):
        return None


def parse_feed(data: bytes | str, *, url: str | None = None) -> dict[str, Any]:
    """Parse RSS/Atom into ``{"title", "link", "entries": [{"id", "url", "title", "published", "summary"}]}``.

    Raises ``ReaderError`` when the data is not a feed at all.
    """
    import feedparser

    name = url or "<feed>"
    if not data or not (data.strip() if isinstance(data, bytes | str) else data):
        raise ReaderError(f"{name}: empty feed")
    parsed = feedparser.parse(data, response_headers={"content-location": url} if url else None)
    if not parsed.get("version") and not parsed.entries:
        why = parsed.get("bozo_exception")
        raise ReaderError(f"{name}: not an RSS or Atom feed" + (f" ({why})" if why else ""))
    entries = []
    for e in parsed.entries:
        link = e.get("link")
        if not link:
            for lnk in e.get("links", []):
                if lnk.get("rel", "alternate") == "alternate" and lnk.get("href"):
                    link = lnk["href"]
                    break
        eid = e.get("id") or link or hashlib.sha1(
            json.dumps([e.get("title"), e.get("summary")], ensure_ascii=False).encode()).hexdigest()
        entries.append({
            "id": eid,
            "url": link,
            "title": e.get("title"),
            "published": _date(e.get("published_parsed") or e.get("updated_parsed")),
            "summary": e.get("summary"),
        })
    feed = parsed.get("feed", {})
    return {"title": feed.get("title"), "link": feed.get("link"), "entries": entries,
            "version": parsed.get("version") or None}


# ---------------------------------------------------------------- state


def default_state_path() -> Path:
    """``$QAWL_WATCH_STATE``, else ``$XDG_STATE_HOME/qawl/watch.json`` (``~/.local/state/qawl/watch.json``)."""
    env = os.environ.get("QAWL_WATCH_STATE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return Path(base) / "qawl" / "watch.json"


@dataclass
class FeedState:
    etag: str | None = None
    modified: str | None = None
    seen: list[str] = field(default_factory=list)  # entry ids in the order first seen
    last_poll: str | None = None
    last_status: int | None = None
    last_error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"etag": self.etag, "modified": self.modified, "seen": self.seen, "last_poll": self.last_poll,
                "last_status": self.last_status, "last_error": self.last_error}


class WatchState:
    """Per-feed state persisted as JSON; each save replaces the file atomically (write, fsync, rename)."""

    VERSION = 1

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.feeds: dict[str, FeedState] = {}
        self._seen_sets: dict[str, set[str]] = {}
        if self.path.exists():
            try:
                raw = json.loads(self.path.read_text("utf-8"))
            except (OSError, ValueError) as e:
                raise ReaderError(f"{self.path}: unreadable watch state file ({e}); move it away to start afresh") from e
            for url, st in (raw.get("feeds") or {}).items():
                self.feeds[url] = FeedState(
                    etag=st.get("etag"), modified=st.get("modified"), seen=list(st.get("seen") or []),
                    last_poll=st.get("last_poll"), last_status=st.get("last_status"),
                    last_error=st.get("last_error"),
                )

    def feed(self, url: str) -> FeedState:
        return self.feeds.setdefault(url, FeedState())

    def is_seen(self, url: str, entry_id: str) -> bool:
        s = self._seen_sets.get(url)
        if s is None:
            s = self._seen_sets[url] = set(self.feed(url).seen)
        return entry_id in s

    def mark_seen(self, url: str, entry_id: str) -> None:
        if self.is_seen(url, entry_id):
            return
        st = self.feed(url)
        st.seen.append(entry_id)
        self._seen_sets[url].add(entry_id)
        if len(st.seen) > MAX_SEEN_PER_FEED:
            drop = st.seen[: len(st.seen) - MAX_SEEN_PER_FEED]
            st.seen = st.seen[len(drop):]
            self._seen_sets[url].difference_update(drop)

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = json.dumps({"version": self.VERSION, "feeds": {u: s.to_dict() for u, s in self.feeds.items()}},
                          ensure_ascii=False, indent=1)
        fd, tmp = tempfile.mkstemp(prefix=".watch-", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise


# ---------------------------------------------------------------- watcher


@dataclass
class PollReport:
    feeds: int = 0
    not_modified: int = 0
    feed_errors: int = 0
    new_entries: int = 0
    ingested: int = 0
    skipped_language: int = 0
    failed: int = 0  # article pages that failed for good (404, robots, not HTML …)
    retry_later: int = 0  # transient failures: left unseen, tried again next poll
    errors: list[str] = field(default_factory=list)

    def add(self, other: PollReport) -> None:
        for k in ("feeds", "not_modified", "feed_errors", "new_entries", "ingested", "skipped_language",
                  "failed", "retry_later"):
            setattr(self, k, getattr(self, k) + getattr(other, k))
        self.errors += other.errors

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("feeds", "not_modified", "feed_errors", "new_entries", "ingested",
                                               "skipped_language", "failed", "retry_later", "errors")}


Sink = Callable[[list[dict[str, Any]]], Any]


class Watcher:
    """Poll feeds, fetch new articles, hand them to ``sink`` (a list of documents per feed)."""

    def __init__(self, feeds: Iterable[str], *, state: WatchState, sink: Sink, fetcher: Fetcher) -> None:
        self.feeds = list(dict.fromkeys(feeds))
        self.state = state
        self.sink = sink
        self.fetcher = fetcher

    def poll_feed(self, feed_url: str) -> PollReport:
        rep = PollReport(feeds=1)
        st = self.state.feed(feed_url)
        st.last_poll = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        try:
            resp = self.fetcher.get(feed_url, etag=st.etag, modified=st.modified, accept=FEED_ACCEPT)
        except FetchError as e:
            st.last_error, st.last_status = str(e), e.status
            rep.feed_errors += 1
            rep.errors.append(str(e))
            log.warning("feed %s: %s", feed_url, e)
            self.state.save()
            return rep
        st.last_status, st.last_error = resp.status, None
        if resp.not_modified:
            rep.not_modified += 1
            self.state.save()
            return rep
        try:
            feed = parse_feed(resp.content, url=resp.url)
        except ReaderError as e:
            st.last_error = str(e)
            rep.feed_errors += 1
            rep.errors.append(str(e))
            log.warning("%s", e)
            self.state.save()
            return rep
        docs: list[dict[str, Any]] = []
        done: list[str] = []
        for entry in feed["entries"]:
            eid = entry["id"]
            if self.state.is_seen(feed_url, eid):
                continue
            rep.new_entries += 1
            if not entry["url"]:
                rep.failed += 1
                done.append(eid)
                continue
            try:
                doc = fetch_url(entry["url"], fetcher=self.fetcher)
            except FetchError as e:
                rep.errors.append(str(e))
                if e.transient and not isinstance(e, RobotsDisallowed):
                    rep.retry_later += 1  # stays unseen: tried again on the next poll
                else:
                    rep.failed += 1
                    done.append(eid)
                log.warning("entry %s: %s", entry["url"], e)
                continue
            except ReaderError as e:
                rep.failed += 1
                rep.errors.append(str(e))
                done.append(eid)
                log.warning("entry %s: %s", entry["url"], e)
                continue
            if doc["lang"] not in SUPPORTED_LANGS:
                rep.skipped_language += 1
                done.append(eid)
                continue
            doc.setdefault("published", None)
            if not doc["published"] and entry["published"]:
                doc["published"], doc["published_from"] = entry["published"], "feed"
            if not doc.get("title") and entry["title"]:
                doc["title"] = entry["title"]
            doc["feed"] = feed_url
            docs.append(doc)
            done.append(eid)
        if docs:
            self.sink(docs)  # raises → nothing marked seen, the next poll repeats the work
            rep.ingested += len(docs)
        for eid in done:
            self.state.mark_seen(feed_url, eid)
        # Validators are kept only once the entries are safely handled; otherwise a 304 would hide them.
        st.etag = resp.headers.get("etag") or None
        st.modified = resp.headers.get("last-modified") or None
        if rep.retry_later:
            st.etag = st.modified = None  # force a full fetch next time so the unseen entries come back
        self.state.save()
        return rep

    def poll_once(self) -> PollReport:
        total = PollReport()
        for url in self.feeds:
            try:
                total.add(self.poll_feed(url))
            except Exception as e:  # a broken sink or a bug on one feed must not stop the others
                log.exception("feed %s: unexpected error", url)
                total.feed_errors += 1
                total.errors.append(f"{url}: {type(e).__name__}: {e}")
        return total

    def run(self, *, every: float, max_polls: int | None = None, on_poll: Callable[[int, PollReport], Any] | None = None,
            sleep: Callable[[float], Any] = time.sleep) -> PollReport:
        total = PollReport()
        n = 0
        while True:
            started = time.monotonic()
            rep = self.poll_once()
            n += 1
            total.add(rep)
            if on_poll:
                on_poll(n, rep)
            if max_polls is not None and n >= max_polls:
                return total
            sleep(max(0.0, every - (time.monotonic() - started)))


def parse_interval(text: str) -> float:
    """``90`` / ``30s`` / ``10m`` / ``2h`` / ``1d`` → seconds."""
    t = text.strip().lower()
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    try:
        value = float(t[:-1]) * units[t[-1]] if t and t[-1] in units else float(t)
    except ValueError as e:
        raise ValueError(f"bad interval {text!r}: use e.g. 30s, 10m, 1h") from e
    if value <= 0:
        raise ValueError(f"bad interval {text!r}: must be positive")
    return value
