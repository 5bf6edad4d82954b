"""WARC archives written here with warcio: HTML 200 responses come out, everything else is skipped and counted."""

from __future__ import annotations

import gzip
from io import BytesIO
from pathlib import Path

import pytest
from pagegen import build_page
from readers_support import FIXTURES
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from qawl.readers import ReaderError, read_path, read_warc


def _response(writer: WARCWriter, uri: str, body: bytes, *, status: str = "200 OK",
              ctype: str = "text/html; charset=utf-8", date: str = "2025-11-27T08:15:00Z") -> None:
    http = StatusAndHeaders(status, [("Content-Type", ctype), ("Content-Length", str(len(body)))],
                            protocol="HTTP/1.1")
    rec = writer.create_warc_record(uri, "response", payload=BytesIO(body), http_headers=http,
                                    warc_headers_dict={"WARC-Date": date})
    writer.write_record(rec)


def write_archive(path: Path, articles: list[dict], *, gz: bool) -> dict:
    """Three Arabic pages (one without a date), an English and a French page, a PNG, a PDF, a 404,
    a redirect, a revisit, a request and a warcinfo record."""
    exp: dict = {"urls": []}
    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=gz)
        w.write_record(w.create_warcinfo_record(path.name, {"software": "qawl tests"}))
        for i, a in enumerate(articles[:3]):
            page, e = build_page(a, host=f"https://site{i}.example")
            uri = f"https://site{i}.example/story/{i}"
            if i == 2:  # no date anywhere in the page: the WARC-Date is the fallback
                page = page.replace('<meta property="article:published_time"', '<meta property="x"')
                exp["undated"] = e["url"]
            _response(w, uri, page.encode())
            exp["urls"].append(e["url"])
        req = w.create_warc_record("https://site0.example/story/0", "request", payload=BytesIO(b"GET / HTTP/1.1\r\n\r\n"),
                                   warc_headers_dict={"WARC-Date": "2025-11-27T08:15:00Z"})
        w.write_record(req)
        _response(w, "https://en.example/a", (FIXTURES / "english.html").read_bytes())
        _response(w, "https://fr.example/a", (FIXTURES / "french.html").read_bytes())
        _response(w, "https://site0.example/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(300), ctype="image/png")
        _response(w, "https://site0.example/report.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + bytes(300),
                  ctype="application/pdf")
        _response(w, "https://site0.example/missing", b"<html><body>Not found</body></html>",
                  status="404 Not Found")
        _response(w, "https://site0.example/moved", b"", status="301 Moved Permanently")
        rev = w.create_revisit_record("https://site0.example/story/0", digest="sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                                      refers_to_uri="https://site0.example/story/0",
                                      refers_to_date="2025-11-26T08:15:00Z")
        w.write_record(rev)
    return exp


@pytest.mark.parametrize("gz", [True, False])
def test_warc_documents_and_skip_counts(tmp_path, articles, gz):
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    exp = write_archive(path, articles[10:], gz=gz)
    stats: dict = {}
    docs = list(read_warc(path, stats=stats))
    assert [d["url"] for d in docs] == exp["urls"] + ["https://en.example/a"]
    assert [d["lang"] for d in docs] == ["ar", "ar", "ar", "en"]
    assert stats == {"records": 12, "documents": 4, "not_response": 2, "revisit": 1, "non_200": 2,
                     "non_html": 2, "too_large": 0, "no_text": 0, "unsupported_language": 1, "failed": 0}
    by_url = {d["url"]: d for d in docs}
    undated = by_url[exp["undated"]]
    assert (undated["published"], undated["published_from"]) == ("2025-11-27", "warc-date")
    dated = by_url[exp["urls"][0]]
    assert dated["published"] == articles[10]["date"] and dated["published_from"].startswith("meta:")
    assert dated["captions"] and dated["captions"][0]["text"] not in dated["text"]
    assert all(d["warc_record_id"].startswith("<urn:uuid:") for d in docs)
    # The same archive through read_path (what `qawl ingest` calls): same skips by default, or every page.
    assert [d["url"] for d in read_path(path)] == [d["url"] for d in docs]
    all_docs = list(read_path(path, skip_unsupported=False))
    assert sorted(d["lang"] for d in all_docs) == ["ar", "ar", "ar", "en", "fr"]


def test_truncated_and_bogus_archives(tmp_path, articles):
    path = tmp_path / "full.warc.gz"
    write_archive(path, articles[10:], gz=True)
    data = path.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: len(data) // 2])
    got = []
    with pytest.raises(ReaderError, match="cut.warc.gz"):
        for d in read_warc(cut):
            got.append(d)
    assert got  # records before the damage were still read
    bogus = tmp_path / "bogus.warc"
    bogus.write_bytes(b"this is not a warc file\n" * 10)
    with pytest.raises(ReaderError, match="bogus.warc"):
        list(read_warc(bogus))
    gzbogus = tmp_path / "bogus2.warc.gz"
    gzbogus.write_bytes(gzip.compress(b"hello\n"))
    with pytest.raises(ReaderError, match="bogus2.warc.gz"):
        list(read_warc(gzbogus))
    with pytest.raises(ReaderError, match="cannot open"):
        list(read_warc(tmp_path / "nope.warc"))


def test_ingest_of_a_warc_counts_unsupported_languages(tmp_path, articles):
    """`qawl ingest` of a WARC stores the Arabic and English pages and reports the French one as skipped."""
    from typer.testing import CliRunner

    from qawl.cli import app
    from qawl.store import open_store

    warc = tmp_path / "crawl.warc.gz"
    write_archive(warc, articles, gz=True)
    db = tmp_path / "q.db"
    res = CliRunner().invoke(app, ["ingest", str(warc), "--db", str(db), "--quiet"])
    out = res.output + (res.stderr if res.stderr_bytes else "")
    assert "language not supported" in out
    with open_store(str(db)) as store:
        assert store.stats()["articles"] == 4  # three Arabic pages and the English one
