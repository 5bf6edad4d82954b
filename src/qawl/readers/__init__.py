"""Readers: HTML pages, RSS/Atom feeds, WARC archives and live URLs → input documents.

An input document is a dict with ``id`` (canonical URL or a text hash), ``text``
(main body, captions excluded), ``published`` (YYYY-MM-DD or None), ``lang``,
``title``, ``url``, ``outlet``, ``authors``, ``encoding`` and ``captions``
(``[{"text", "credit"}]``), plus ``published_from`` and ``lang_confidence``.
See docs/readers.md.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from qawl.readers.errors import FetchError, ReaderError, RobotsDisallowed
from qawl.readers.lang import SUPPORTED_LANGS, detect_language, is_supported

log = logging.getLogger(__name__)

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")

__all__ = [
    "SUPPORTED_LANGS", "FetchError", "ReaderError", "RobotsDisallowed", "detect_language", "fetch_url",
    "is_supported", "parse_feed", "read_html", "read_path", "read_warc", "handles", "extract_kwargs",
]


def read_html(html: bytes | str, *, url: str | None = None, name: str | None = None,
              http_charset: str | None = None) -> dict[str, Any]:
    from qawl.readers.html import read_html as _read_html

    return _read_html(html, url=url, name=name, http_charset=http_charset)


read_html.__doc__ = "One HTML page → one input document (see qawl.readers.html.read_html)."


def read_warc(path: str | Path, *, stats: dict[str, Any] | None = None,
              skip_unsupported: bool = True) -> Iterator[dict[str, Any]]:
    """HTML 200 responses of a WARC/WARC.gz → documents; skipped records counted in ``stats``."""
    from qawl.readers.warc import read_warc as _read_warc

    return _read_warc(path, stats=stats, skip_unsupported=skip_unsupported)


def parse_feed(data: bytes | str, *, url: str | None = None) -> dict[str, Any]:
    """RSS/Atom → ``{"title", "link", "entries": [{"id", "url", "title", "published", "summary"}]}``."""
    from qawl.readers.feeds import parse_feed as _parse_feed

    return _parse_feed(data, url=url)


def fetch_url(url: str, *, fetcher: Any = None, block_private: bool = False) -> dict[str, Any]:
    """Fetch one page politely (robots.txt, rate limit, retries) and read it into a document.

    ``block_private=True`` refuses loopback/private/reserved hosts, redirect targets included.
    """
    from qawl.readers.fetch import fetch_url as _fetch_url

    return _fetch_url(url, fetcher=fetcher, block_private=block_private)


def handles(path: str | Path) -> bool:
    """True for paths ``read_path`` reads: .html/.htm/.xhtml files and .warc(.gz)/.arc(.gz) archives."""
    n = str(path).lower()
    return n.endswith(HTML_SUFFIXES) or n.endswith(WARC_SUFFIXES)


def _count(stats: dict[str, Any] | None, key: str, n: int = 1) -> None:
    if stats is not None:
        stats[key] = stats.get(key, 0) + n


def read_path(path: str | Path, *, stats: dict[str, Any] | None = None, skip_unsupported: bool = True,
              errors: str = "raise") -> Iterator[dict[str, Any]]:
    """Documents from an HTML file, a directory (recursively: its HTML and WARC files) or a WARC file.

    Every document carries ``lang``. Pages in a language qawl does not extract
    (not in ``SUPPORTED_LANGS``) are dropped here and counted in
    ``stats["unsupported_language"]`` (pass a dict to see the counts); with
    ``skip_unsupported=False`` they are yielded and the caller decides
    (``is_supported(doc["lang"])``). Unreadable input raises ``ReaderError``
    naming it; with ``errors="skip"`` the error is logged, counted in
    ``stats["failed"]`` (messages in ``stats["errors"]``) and reading goes on.
    """
    if errors not in ("raise", "skip"):
        raise ValueError("errors must be 'raise' or 'skip'")
    p = Path(path)
    if p.is_dir():
        files = sorted(f for f in p.rglob("*") if f.is_file() and handles(f))
        if not files:
            raise ReaderError(f"{p}: no .html/.htm/.warc(.gz) files in this directory")
        for f in files:
            yield from read_path(f, stats=stats, skip_unsupported=skip_unsupported, errors=errors)
        return
    if not p.exists():
        raise ReaderError(f"{p}: no such file or directory")
    name = p.name.lower()
    try:
        if name.endswith(WARC_SUFFIXES):
            yield from read_warc(p, stats=stats, skip_unsupported=skip_unsupported)
            return
        if not name.endswith(HTML_SUFFIXES):
            raise ReaderError(f"{p}: not an HTML or WARC file (expected .html, .htm, .warc or .warc.gz)")
        try:
            data = p.read_bytes()
        except OSError as e:
            raise ReaderError(f"{p}: cannot read ({e.strerror or e})") from e
        doc = read_html(data, name=str(p))
        doc["path"] = str(p)
        if skip_unsupported and not is_supported(doc["lang"]):
            _count(stats, "unsupported_language")
            return
        _count(stats, "documents")
        yield doc
    except ReaderError as e:
        if errors == "raise":
            raise
        log.warning("%s", e)
        _count(stats, "failed")
        if stats is not None:
            stats.setdefault("errors", []).append(str(e))


def extract_kwargs(doc: dict[str, Any]) -> dict[str, Any]:
    """Arguments for ``qawl.extract`` from an input document (metadata goes into ``meta``).

    The picture captions go to ``meta["figure_captions"]``: in `qawl/1`,
    ``captions`` are spans of the text, and these captions are not in the text.
    """
    skip = {"text", "published", "lang", "id", "captions"}
    meta = {k: v for k, v in doc.items() if k not in skip and v not in (None, [], "")}
    if doc.get("captions"):
        meta["figure_captions"] = doc["captions"]
    return {"text": doc["text"], "published": doc.get("published"), "lang": doc.get("lang"),
            "id": doc.get("id"), "meta": meta}
