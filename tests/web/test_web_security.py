"""Hostile text rendered inert, write token, body-size limit, headers, API behaviour (in-process)."""

from __future__ import annotations

import re
import socket
import warnings
from collections.abc import Iterator

import httpx
import pytest
from web_hostile import hostile_text
from web_support import TOKEN

from qawl.web.app import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


@pytest.fixture(scope="module")
def client(store_path: str) -> Iterator[TestClient]:
    with TestClient(create_app(store_path, token=TOKEN)) as c:
        yield c


@pytest.fixture()
def fresh(tmp_path) -> Iterator[TestClient]:
    """A server on an empty store of its own, with a token."""
    with TestClient(create_app(str(tmp_path / "w.db"), token=TOKEN, max_body=50_000)) as c:
        yield c


def test_hostile_article_html_is_escaped(client: TestClient) -> None:
    html = client.get("/article/hostile-1").text
    for raw in ("<script>window", "<img src=x", "onerror=\"", "\" onmouseover=\"", "<img src"):
        assert raw not in html
    assert "&lt;script&gt;window.__pwned" in html
    assert "&lt;img src=x onerror=&#34;window.__pwned" in html
    for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069":
        assert c not in html
    assert 'title="U+202E">RLO</span>' in html
    assert 'href="javascript:' not in html


def test_hostile_text_in_lists_and_search(client: TestClient) -> None:
    html = client.get("/search", params={"q": "المملكة ترحب بالحوار"}).text
    assert "&lt;script&gt;" in html and "<script>window" not in html
    html = client.get("/articles", params={"limit": 100}).text
    assert "عنوان &lt;script&gt;" in html and "<script>window" not in html
    # A search for the attack itself is echoed back escaped in the form.
    html = client.get("/search", params={"q": "\"><script>alert(1)</script>\u202e"}).text
    assert "<script>alert(1)" not in html and "\u202e" not in html
    assert 'value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;[RLO]"' in html


def test_security_headers_everywhere(client: TestClient) -> None:
    for path in ("/", "/article/hostile-1", "/api/stats", "/static/app.css", "/nope", "/api/articles/nope"):
        r = client.get(path)
        csp = r.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert r.headers["x-content-type-options"] == "nosniff"
    # No inline script or style in any page (the CSP would block them anyway).
    for path in ("/", "/article/saudinewsnet-23425", "/network", "/analyse", "/docs"):
        html = client.get(path).text
        assert "<script>" not in html and "<style" not in html and " style=" not in html
        assert re.search(r"<[^>]+\son[a-z]+\s*=", html) is None  # no event-handler attributes


def test_read_only_without_token(store_path: str) -> None:
    with TestClient(create_app(store_path, token=None)) as c:
        r = c.post("/api/ingest", json={"documents": [{"id": "x", "text": "قال الوزير إن الوضع جيد"}]},
                   headers={"Authorization": "Bearer anything"})
        assert r.status_code == 403 and "read-only" in r.json()["detail"]
        r = c.post("/analyse", data={"text": "قال الوزير إن الوضع جيد", "store_it": "1", "token": "x"})
        assert r.status_code == 403 and "read-only" in r.text
        assert c.get("/api/articles/x").status_code == 404


def test_token_required_for_writing(fresh: TestClient) -> None:
    doc = {"id": "tok-1", "text": "وقال المتحدث باسم الوزارة إن \"الاجتماع سيعقد غدا\".", "outlet": "Okaz",
           "published": "2015-08-05"}
    assert fresh.post("/api/ingest", json={"documents": [doc]}).status_code == 403
    r = fresh.post("/api/ingest", json={"documents": [doc]}, headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 403 and "token" in r.json()["detail"]
    assert fresh.get("/api/articles/tok-1").status_code == 404
    r = fresh.post("/api/ingest", json={"documents": [doc]}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 200 and r.json()["added"] == 1
    art = fresh.get("/api/articles/tok-1").json()
    assert art["text"] == doc["text"] and art["outlet"] == "Okaz"
    assert art["extraction"]["schema"] == "qawl/1"
    r = fresh.post("/api/ingest", json={"documents": [doc]}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.json()["added"] == 0 and r.json()["unchanged"] == 1  # idempotent
    # Analyse + store: the token as a form field.
    r = fresh.post("/analyse", data={"text": hostile_text(), "store_it": "1", "token": "nope"})
    assert r.status_code == 403
    r = fresh.post("/analyse", data={"text": hostile_text(), "store_it": "1", "token": TOKEN})
    assert r.status_code == 200 and 'id="stored"' in r.text
    assert fresh.get("/api/stats").json()["articles"] == 2


def test_body_limit_413(fresh: TestClient) -> None:
    big = {"text": "قال " * 20_000}
    r = fresh.post("/api/extract", json=big)
    assert r.status_code == 413
    assert "too large" in r.json()["detail"] and "50000 bytes" in r.json()["detail"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit counts streamed bytes
        yield b'{"text": "'
        for _ in range(100):
            yield "قال الوزير ".encode() * 100
        yield b'"}'

    r = fresh.post("/api/extract", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413
    r = fresh.post("/analyse", data={"text": "قال " * 20_000})
    assert r.status_code == 413
    # Under the limit it works.
    r = fresh.post("/api/extract", json={"text": "قال الوزير: \"سنبدأ غدا\"."})
    assert r.status_code == 200 and r.json()["schema"] == "qawl/1"


def test_body_limit_over_real_http(live) -> None:
    """Against the live uvicorn server: a chunked upload larger than 2 MB is cut off with 413."""
    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(300):
            yield b"a" * 10_000
        yield b'"}'

    r = httpx.post(f"{live.url}/api/extract", content=chunks(), headers={"content-type": "application/json"},
                   timeout=30)
    assert r.status_code == 413
    # A declared Content-Length over the limit is refused before any body byte is read.
    with socket.create_connection(("127.0.0.1", live.port), timeout=10) as s:
        s.sendall(b"POST /api/extract HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                  b"Content-Length: 9999999999\r\n\r\n")
        head = s.recv(4096).decode("latin-1")
    assert head.startswith("HTTP/1.1 413") and "too large" in head


def test_extract_api_returns_qawl1_with_true_offsets(client: TestClient) -> None:
    text = "وقال وزير الخارجية فيصل بن فرحان للصحفيين: \"المملكة تدعم الحل السياسي في اليمن\"."
    r = client.post("/api/extract", json={"text": text, "published": "2015-08-05"})
    d = r.json()
    assert d["schema"] == "qawl/1" and d["text"] == text and d["published"] == "2015-08-05"
    for a in d["attributions"]:
        s, e = a["content"]["span"]
        assert text[s:e] == a["content"]["text"]
    assert client.post("/api/extract", json={"text": text, "published": "05/08/2015"}).status_code == 422
    assert client.post("/api/extract", json={"nope": 1}).status_code == 422
    assert client.post("/api/extract", content=b"{not json", headers={"content-type": "application/json"}
                       ).status_code == 422


def test_pagination_next_links(client: TestClient) -> None:
    first = client.get("/api/articles", params={"limit": 10}).json()
    assert len(first["items"]) == 10 and first["next"] and first["prev"] is None
    second = client.get(first["next"]).json()
    assert second["offset"] == 10 and second["prev"]
    assert {a["article_id"] for a in first["items"]}.isdisjoint(a["article_id"] for a in second["items"])
    total = client.get("/api/stats").json()["articles"]
    last = client.get("/api/articles", params={"limit": 10, "offset": total - 3}).json()
    assert len(last["items"]) == 3 and last["next"] is None
    sp = client.get("/api/speakers", params={"limit": 2}).json()
    assert len(sp["items"]) == 2 and sp["next"]
    assert sp["items"][0]["statements"] >= sp["items"][1]["statements"]


def test_api_filters_and_errors(client: TestClient) -> None:
    hits = client.get("/api/search", params={"q": "سمعة نصر الله"}).json()["items"]
    assert hits and all("سمعة" in h["content"] for h in hits)
    assert {h["outlet"] for h in hits} == {"Sabq", "Okaz"}
    only = client.get("/api/search", params={"q": "سمعة نصر الله", "outlet": "Okaz"}).json()["items"]
    assert [h["outlet"] for h in only] == ["Okaz"]
    st = client.get(f"/api/statements/{hits[0]['statement_id']}").json()
    assert [r["outlet"] for r in st["reports"]] == ["Sabq", "Okaz"]
    assert client.get("/api/search", params={"since": "2015-13-45"}).status_code == 422
    assert client.get("/api/search", params={"kind": "shouted"}).status_code == 422
    assert client.get("/api/articles", params={"limit": 0}).status_code == 422
    assert client.get("/api/articles/does-not-exist").status_code == 404
    assert client.get("/api/speakers/nobody-at-all-xyz").status_code == 404
    r = client.get("/article/does-not-exist")
    assert r.status_code == 404 and 'dir="rtl"' in r.text and "does-not-exist" in r.text
    assert client.get("/statement/abc").status_code == 404


def test_offline_docs(client: TestClient) -> None:
    html = client.get("/docs").text
    for path in ("/api/articles", "/api/statements/{statement_id}", "/api/speakers", "/api/search",
                 "/api/extract", "/api/ingest"):
        assert f"<code>{path}</code>" in html
    assert "cdn" not in html.lower() and "http://" not in html and "https://" not in html
    schema = client.get("/openapi.json").json()
    assert schema["openapi"].startswith("3.") and "/api/search" in schema["paths"]


def test_response_cache_sees_writes_from_other_processes(tmp_path) -> None:
    """A page cached by the server is not served stale after another process ingests into the store."""
    from web_fixtures import annotated

    from qawl.store import open_store

    db = str(tmp_path / "c.db")
    with TestClient(create_app(db, token=None)) as c:
        assert c.get("/api/stats").json()["articles"] == 0
        first = c.get("/api/stats")
        assert first.json()["articles"] == 0 and "content-security-policy" in first.headers  # cached copy
        assert c.get("/search", params={"q": "سمعة"}).text.count('class="hit"') == 0
        with open_store(db) as st:  # as `qawl ingest` in another process would
            st.add_extracted(annotated()[:1])
        assert c.get("/api/stats").json()["articles"] == 1
        assert c.get("/search", params={"q": "سمعة"}).text.count('class="hit"') == 1


@pytest.mark.parametrize("path", [
    "/api/speakers/123", "/speaker/123", "/api/statements/99999999999999999999", "/statement/-1",
    "/api/articles/99999999999999999999999", "/article/99999999999999999999999", "/api/articles/0",
    "/speaker/%00", "/api/speakers/%20", "/statement/%D9%A1%D9%A2",
])
def test_odd_ids_are_404_not_500(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("q", ['"""', "AND OR NOT", "*", "NEAR(a b)", "%%", "a\x00b", "'; DROP TABLE articles; --",
                               "\u202e", "ال", "و"])
def test_odd_queries_never_fail(client: TestClient, q: str) -> None:
    for path in ("/api/search", "/search"):
        assert client.get(path, params={"q": q}).status_code == 200
    for path in ("/api/speakers", "/speakers"):
        assert client.get(path, params={"q": q}).status_code == 200
    assert client.get("/api/search", params={"speaker": q}).status_code == 200
    assert client.get("/network", params={"speaker": q}).status_code == 200


def test_language_switch_never_points_off_site(client: TestClient) -> None:
    """The language switch repeats the path: a path of "//host/…" must not become a link to that host."""
    r = client.get("/%2Fevil.example/x")
    assert r.status_code == 404
    assert 'href="//evil' not in r.text
    assert 'href="/evil.example/x?lang=en"' in r.text
    # An article page: the switch keeps the path and the query, and flips the language.
    r = client.get("/article/hostile-1", params={"lang": "ar"})
    assert 'id="lang-toggle"' in r.text and 'href="/article/hostile-1?lang=en"' in r.text
    r = client.get("/article/hostile-1", params={"lang": "en"})
    assert '<html lang="en" dir="ltr">' in r.text and 'href="/article/hostile-1?lang=ar"' in r.text
    assert '<article class="text" lang="ar" dir="rtl" id="text">' in r.text  # the article stays RTL
    assert ">Statements in reading order <" in r.text and ">1·indirect</sup>" in r.text
