"""`qawl fetch` end to end against the local server: --docs, --print (qawl/1), --db (real SQLite store)."""

from __future__ import annotations

import json

from pagegen import build_page
from readers_support import FIXTURES, Route
from typer.testing import CliRunner

from qawl.cli import app


def test_fetch_docs_print_and_store(server, articles, tmp_path):
    page, exp = build_page(articles[30], host=server.base)
    server.routes["/a"] = Route(page.encode())
    server.routes["/fr"] = Route((FIXTURES / "french.html").read_bytes())
    runner = CliRunner()
    args = ["--rate", "0", "--timeout", "3", "--retries", "0"]

    r = runner.invoke(app, ["fetch", server.url("/a"), server.url("/fr"), server.url("/missing"), "--docs", *args])
    assert r.exit_code == 0, r.output
    docs = [json.loads(x) for x in r.stdout.splitlines()]
    assert len(docs) == 1 and docs[0]["url"] == exp["url"] and docs[0]["captions"][0]["credit"] == exp["credit"]
    assert "HTTP 404" in r.stderr and "language 'fr'" in r.stderr
    assert json.loads(r.stderr.strip().splitlines()[-1]) == {"fetched": 1, "failed": 1, "skipped_language": 1}

    r = runner.invoke(app, ["fetch", server.url("/a"), "--print", *args])
    assert r.exit_code == 0, r.output
    q = json.loads(r.stdout.splitlines()[0])
    assert q["schema"] == "qawl/1" and q["id"] == exp["url"] and q["published"] == exp["published"]
    assert q["title"] == exp["title"] and q["figure_captions"][0]["text"] == exp["caption"]
    assert q["text"] == docs[0]["text"]

    db = tmp_path / "q.db"
    for _ in range(2):  # fetching the same page twice stores it once
        r = runner.invoke(app, ["fetch", server.url("/a"), "--db", str(db), *args])
        assert r.exit_code == 0, r.output
    from qawl.store import open_store

    with open_store(str(db)) as st:
        assert [a["url"] for a in st.articles(limit=5)] == [exp["url"]]


def test_fetch_all_failed_exits_nonzero(server):
    r = CliRunner().invoke(app, ["fetch", server.url("/nothing"), "--docs", "--rate", "0", "--retries", "0"])
    assert r.exit_code == 1 and "HTTP 404" in r.stderr
