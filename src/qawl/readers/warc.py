"""WARC / WARC.gz archives (CC-NEWS style): HTML 200 responses become documents.

Everything else is skipped and counted in ``stats``: records that are not
responses (request, metadata, warcinfo), revisits, non-200 statuses, non-HTML
payloads, pages without article text, and — unless told otherwise — pages in
a language qawl does not extract.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from qawl.readers.errors import ReaderError
from qawl.readers.fetch import HTML_TYPES, charset_of
from qawl.readers.html import MAX_HTML_BYTES, read_html
from qawl.readers.lang import SUPPORTED_LANGS

log = logging.getLogger(__name__)

STAT_KEYS = ("records", "documents", "not_response", "revisit", "non_200", "non_html", "too_large",
             "no_text", "unsupported_language", "failed")


def _count(stats: dict[str, Any] | None, key: str, n: int = 1) -> None:
    if stats is not None:
        stats[key] = stats.get(key, 0) + n


class _GzipWatch:
    """File proxy that inflates what warcio reads a second time, only to notice a last gzip member cut short.

    warcio stops quietly at a truncated member; a CC-NEWS download that broke off must not pass for
    a complete archive.
    """

    def __init__(self, fh: Any) -> None:
        self._fh = fh
        self._d = zlib.decompressobj(zlib.MAX_WBITS | 16)
        self._fed = False

    def read(self, n: int = -1) -> bytes:
        data = self._fh.read(n)
        self._feed(data)
        return data

    def _feed(self, data: bytes) -> None:
        while data:
            if self._d.eof:  # the previous member ended: the next one starts here
                self._d = zlib.decompressobj(zlib.MAX_WBITS | 16)
            self._fed = True
            try:
                self._d.decompress(data)  # output discarded; warcio has its own copy
            except zlib.error:
                return  # damaged data: warcio reports it itself
            if not self._d.eof:
                return
            data = self._d.unused_data

    @property
    def complete(self) -> bool:
        return self._d.eof or not self._fed

    def __getattr__(self, name: str) -> Any:
        return getattr(self._fh, name)


def _check_complete(rec: Any, path: Path, n: int) -> None:
    """Raise when the record held fewer bytes than its Content-Length (an archive cut short)."""
    raw = rec.raw_stream
    try:
        while raw.read(1 << 16):
            pass
    except (OSError, EOFError, zlib.error, ValueError) as e:
        raise ReaderError(f"{path}: record {n} is damaged ({e})") from e
    if getattr(raw, "limit", 0) > 0:
        uri = rec.rec_headers.get_header("WARC-Target-URI") or ""
        raise ReaderError(f"{path}: WARC file truncated inside record {n} {uri}".rstrip())


def _record_document(rec: Any, path: Path, n: int, stats: dict[str, Any] | None) -> dict[str, Any] | None:
    """The document of one record, or None (counted in ``stats``) when the record is not an HTML page."""
    rtype = rec.rec_type
    if rtype == "revisit":
        _count(stats, "revisit")
        return None
    if rtype != "response":
        _count(stats, "not_response")
        return None
    uri = rec.rec_headers.get_header("WARC-Target-URI")
    if rec.http_headers is None:  # a response record without HTTP (e.g. dns:) carries no page
        _count(stats, "non_html")
        return None
    if rec.http_headers.get_statuscode() != "200":
        _count(stats, "non_200")
        return None
    ctype = (rec.http_headers.get_header("Content-Type") or "").lower()
    mime = ctype.split(";")[0].strip()
    if mime and not any(mime.startswith(t) for t in HTML_TYPES):
        _count(stats, "non_html")
        return None
    try:
        body = rec.content_stream().read(MAX_HTML_BYTES + 1)
    except (OSError, EOFError, zlib.error, ValueError) as e:
        raise ReaderError(f"{path}: record {n} ({uri}) is damaged ({e})") from e
    if len(body) > MAX_HTML_BYTES:
        _count(stats, "too_large")
        return None
    try:
        doc = read_html(body, url=uri, name=f"{path} record {n} ({uri})", http_charset=charset_of(ctype))
    except ReaderError as e:
        msg = str(e)
        key = "no_text" if "no article text" in msg else (
            "non_html" if "does not look like HTML" in msg or "binary" in msg else "failed")
        _count(stats, key)
        log.info("%s", msg)
        return None
    if not doc["published"]:
        wdate = rec.rec_headers.get_header("WARC-Date") or ""
        if len(wdate) >= 10:  # crawl date: the best we have, marked as such
            doc["published"], doc["published_from"] = wdate[:10], "warc-date"
    doc["warc_record_id"] = rec.rec_headers.get_header("WARC-Record-ID")
    if not doc.get("url") and uri:
        doc["url"] = uri
        if doc["id"].startswith("sha1-"):
            doc["id"] = uri
    return doc


def read_warc(path: str | Path, *, stats: dict[str, Any] | None = None,
              skip_unsupported: bool = True) -> Iterator[dict[str, Any]]:
    """Yield one document per HTML 200 response record of a WARC / WARC.gz file.

    ``stats`` (a dict you pass in) receives counts: records, documents, revisit,
    non_200, non_html, not_response, too_large, no_text, unsupported_language,
    failed. With ``skip_unsupported=False`` pages in other languages are yielded
    (with their ``lang``) instead of being skipped.
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    path = Path(path)
    if stats is not None:
        for k in STAT_KEYS:
            stats.setdefault(k, 0)
    try:
        fh = open(path, "rb")  # noqa: SIM115 — closed in finally; the generator may stop early
    except OSError as e:
        raise ReaderError(f"{path}: cannot open WARC file ({e.strerror or e})") from e
    n = 0
    is_warc_name = ".warc" in path.name.lower()
    try:
        try:
            head = fh.read(4096)
            fh.seek(0)
            watch = _GzipWatch(fh) if head[:2] == b"\x1f\x8b" else None
            if is_warc_name:
                # warcio takes any text for ARC header lines; a .warc file must open with a WARC record
                try:
                    first = zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(head) if watch else head
                except zlib.error:
                    first = b""
                if head and not first.lstrip(b"\r\n").startswith(b"WARC/"):
                    raise ReaderError(f"{path}: not a WARC file (it does not start with a WARC record)")
            records = iter(ArchiveIterator(watch or fh, arc2warc=True))
        except ArchiveLoadFailed as e:
            raise ReaderError(f"{path}: not a valid WARC/ARC file ({e})") from e
        while True:
            try:
                rec = next(records)
            except StopIteration:
                if watch is not None:
                    watch.read()  # drain: the tail decides whether the last member was whole
                    if not watch.complete:
                        raise ReaderError(f"{path}: WARC file truncated (last gzip member incomplete "
                                          f"after record {n})") from None
                if n == 0 and path.stat().st_size > 0:
                    raise ReaderError(f"{path}: no WARC records found (not a WARC file?)") from None
                break
            except ArchiveLoadFailed as e:
                raise ReaderError(f"{path}: not a valid WARC/ARC file ({e})") from e
            except (OSError, EOFError, zlib.error, ValueError, AttributeError) as e:
                # warcio trips over a record cut short (partial download): say where, keep what was read
                raise ReaderError(f"{path}: WARC file truncated or damaged after record {n} ({e})") from e
            n += 1
            _count(stats, "records")
            doc = _record_document(rec, path, n, stats)
            _check_complete(rec, path, n)
            if doc is None:
                continue
            if doc["lang"] not in SUPPORTED_LANGS and skip_unsupported:
                _count(stats, "unsupported_language")
                continue
            _count(stats, "documents")
            yield doc
    finally:
        fh.close()
