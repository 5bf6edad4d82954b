"""WARC / WARC.gz archives (CC-NEWS style): HTML 200 responses become documents.

Everything else is skipped and counted in ``stats``: records that are not
responses (request, metadata, warcinfo), revisits, non-200 statuses, non-HTML
payloads, pages without article text, and — unless told otherwise — pages in
a language qawl does not extract.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from qawl.readers.errors import ReaderError
from qawl.readers.fetch import HTML_TYPES
from qawl.readers.html import MAX_HTML_BYTES, read_html
from qawl.readers.lang import SUPPORTED_LANGS

log = logging.getLogger(__name__)

STAT_KEYS = ("records", "documents", "not_response", "revisit", "non_200", "non_html", "too_large",
             "no_text", "unsupported_language", "failed")


def _count(stats: dict[str, Any] | None, key: str, n: int = 1) -> None:
    if stats is not None:
        stats[key] = stats.get(key, 0) + n


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        k, _, v = part.partition("=")
        if k.strip().lower() == "charset" and v.strip():
            return v.strip().strip("\"'")
    return None


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
    try:
        try:
            for rec in ArchiveIterator(fh, arc2warc=True):
                n += 1
                _count(stats, "records")
                rtype = rec.rec_type
                if rtype == "revisit":
                    _count(stats, "revisit")
                    continue
                if rtype != "response":
                    _count(stats, "not_response")
                    continue
                uri = rec.rec_headers.get_header("WARC-Target-URI")
                if rec.http_headers is None:  # a response record without HTTP (e.g. dns:) carries no page
                    _count(stats, "non_html")
                    continue
                status = rec.http_headers.get_statuscode()
                if status != "200":
                    _count(stats, "non_200")
                    continue
                ctype = (rec.http_headers.get_header("Content-Type") or "").lower()
                mime = ctype.split(";")[0].strip()
                if mime and not any(mime.startswith(t) for t in HTML_TYPES):
                    _count(stats, "non_html")
                    continue
                body = rec.content_stream().read(MAX_HTML_BYTES + 1)
                if len(body) > MAX_HTML_BYTES:
                    _count(stats, "too_large")
                    continue
                name = f"{path} record {n} ({uri})"
                try:
                    doc = read_html(body, url=uri, name=name, http_charset=_charset(ctype))
                except ReaderError as e:
                    key = "no_text" if "no article text" in str(e) else (
                        "non_html" if "does not look like HTML" in str(e) or "binary" in str(e) else "failed")
                    _count(stats, key)
                    log.info("%s", e)
                    continue
                if doc["lang"] not in SUPPORTED_LANGS and skip_unsupported:
                    _count(stats, "unsupported_language")
                    continue
                if not doc["published"]:
                    wdate = rec.rec_headers.get_header("WARC-Date") or ""
                    if len(wdate) >= 10:  # crawl date: the best we have, marked as such
                        doc["published"], doc["published_from"] = wdate[:10], "warc-date"
                doc["warc_record_id"] = rec.rec_headers.get_header("WARC-Record-ID")
                if not doc.get("url") and uri:
                    doc["url"] = uri
                    if doc["id"].startswith("sha1-"):
                        doc["id"] = uri
                _count(stats, "documents")
                yield doc
        except ArchiveLoadFailed as e:
            raise ReaderError(f"{path}: not a valid WARC/ARC file ({e})") from e
        except (OSError, EOFError) as e:  # truncated gzip member at the end of a partial download
            raise ReaderError(f"{path}: WARC file truncated or unreadable after record {n} ({e})") from e
    finally:
        fh.close()
