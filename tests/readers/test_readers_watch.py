"""Feeds and `qawl watch` against a local server: new items between polls, ETag / Last-Modified,
network errors, and restarts (separate processes sharing one state file) without duplicates."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from email.utils import formatdate
from html import escape
from pathlib import Path

import pytest
from pagegen import build_page
from readers_support import FIXTURES, Route

from qawl.readers import ReaderError, parse_feed
from qawl.readers.feeds import Watcher, WatchState, parse_interval
from qawl.readers.fetch import Fetcher

SRC = Path(__file__).resolve().parents[2] / "src"


def rss(items: list[tuple[str, str, str]], base: str) -> bytes:
    """RSS 2.0 with (guid, path, title) items."""
    body = "".join(
        f"<item><guid isPermaLink=\"false\">{g}</guid><link>{base}{p}</link><title>{escape(t)}</title>"
        f"<pubDate>Thu, 27 Nov 2025 08:00:00 GMT</pubDate><description>{escape(t)}</description></item>"
        for g, p, t in items)
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>أخبار</title>'
            f"<link>{base}/</link><description>آخر الأخبار</description>{body}</channel></rss>").encode()


def fetcher(**kw) -> Fetcher:
    opts = {"timeout": 2.0, "retries": 1, "backoff": 0.05, "min_interval": 0.0}
    opts.update(kw)
    return Fetcher(**opts)


def serve_articles(server, articles, n: int) -> list[dict]:
    exps = []
    for i in range(n):
        page, exp = build_page(articles[20 + i], host=server.base)
        server.routes[f"/a/{i}"] = Route(page.encode())
        exps.append(exp)
    return exps


def test_parse_rss_and_atom():
    feed = parse_feed(rss([("g1", "/a/1", "خبر أول"), ("g2", "/a/2", "خبر ثان")], "http://x.test"))
    assert feed["title"] == "أخبار" and feed["version"] == "rss20"
    assert [(e["id"], e["url"], e["published"]) for e in feed["entries"]] == [
        ("g1", "http://x.test/a/1", "2025-11-27"), ("g2", "http://x.test/a/2", "2025-11-27")]
    atom = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
    <title>Atom news</title><id>urn:feed</id><updated>2025-11-27T10:00:00Z</updated>
    <entry><id>urn:e1</id><title>One</title><link href="http://x.test/e1"/><updated>2025-11-26T10:00:00Z</updated></entry>
    </feed>"""
    feed = parse_feed(atom)
    assert feed["version"] == "atom10"
    assert feed["entries"] == [{"id": "urn:e1", "url": "http://x.test/e1", "title": "One",
                                "published": "2025-11-26", "summary": None}]
    with pytest.raises(ReaderError, match="not an RSS or Atom feed"):
        parse_feed(b"<html><body>hello</body></html>", url="http://x.test/feed")
    with pytest.raises(ReaderError, match="empty"):
        parse_feed(b"", url="http://x.test/feed")


def test_interval_parsing():
    assert parse_interval("10m") == 600 and parse_interval("30s") == 30 and parse_interval("2h") == 7200
    assert parse_interval("0.5") == 0.5
    with pytest.raises(ValueError):
        parse_interval("soon")


def test_feed_changes_between_polls_then_304(server, articles, tmp_path):
    exps = serve_articles(server, articles, 3)
    server.routes["/en"] = Route((FIXTURES / "english.html").read_bytes())
    server.routes["/fr"] = Route((FIXTURES / "french.html").read_bytes())
    items = [("g0", "/a/0", "a0"), ("g1", "/a/1", "a1"), ("g404", "/gone", "gone"),
             ("gpriv", "/private/p", "private"), ("gen", "/en", "english"), ("gfr", "/fr", "french")]
    server.routes["/feed.xml"] = Route(rss(items, server.base), content_type="application/rss+xml", etag=True)
    got: list[dict] = []
    state = WatchState(tmp_path / "state.json")
    with fetcher() as f:
        w = Watcher([server.url("/feed.xml")], state=state, sink=got.extend, fetcher=f)
        r1 = w.poll_once()
        assert (r1.new_entries, r1.ingested, r1.failed, r1.skipped_language) == (6, 3, 2, 1)
        assert sorted(d["url"] for d in got) == sorted([exps[0]["url"], exps[1]["url"], server.url("/en")])
        assert server.hits("/private/p") == []  # robots.txt
        # Second poll: one new item appears (a new ETag); only that page is fetched.
        server.routes["/feed.xml"] = Route(rss([("g2", "/a/2", "a2"), *items], server.base),
                                           content_type="application/rss+xml", etag=True)
        r2 = w.poll_once()
        assert (r2.new_entries, r2.ingested, r2.not_modified) == (1, 1, 0)
        assert got[-1]["url"] == exps[2]["url"] and got[-1]["feed"] == server.url("/feed.xml")
        assert len(server.hits("/a/0")) == 1 and len(server.hits("/gone")) == 1  # nothing fetched twice
        # Third poll: unchanged feed → we send If-None-Match and get 304.
        r3 = w.poll_once()
        assert (r3.not_modified, r3.new_entries) == (1, 0)
        feed_hits = server.hits("/feed.xml")
        assert len(feed_hits) == 3
        assert "if-none-match" not in feed_hits[0].headers
        assert feed_hits[2].headers["if-none-match"] == json.loads(state.path.read_text())["feeds"][
            server.url("/feed.xml")]["etag"]
    assert len(got) == 4 and len({d["id"] for d in got}) == 4


def test_last_modified_and_transient_failures(server, articles, tmp_path):
    exps = serve_articles(server, articles, 2)
    stamp = formatdate(1764230400, usegmt=True)
    body = rss([("g0", "/a/0", "a0"), ("g1", "/a/1", "a1")], server.base)

    def feed_route(handler) -> Route:
        if handler.headers.get("If-Modified-Since") == stamp:
            return Route(b"", status=304, content_type="application/rss+xml")
        return Route(body, content_type="application/rss+xml", headers={"Last-Modified": stamp})

    server.routes["/lm.xml"] = feed_route
    server.routes["/a/1"] = Route(server.routes["/a/1"].body, statuses=[503, 503])  # down for this poll
    got: list[dict] = []
    with fetcher(retries=1) as f:
        w = Watcher([server.url("/lm.xml")], state=WatchState(tmp_path / "s.json"), sink=got.extend, fetcher=f)
        r1 = w.poll_once()
        assert (r1.ingested, r1.retry_later) == (1, 1)
        # The page that failed is not marked seen, and the validators were dropped so the feed comes back whole.
        r2 = w.poll_once()
        assert (r2.ingested, r2.not_modified) == (1, 0)
        assert [d["url"] for d in got] == [exps[0]["url"], exps[1]["url"]]
        r3 = w.poll_once()
        assert r3.not_modified == 1
    hits = server.hits("/lm.xml")
    assert "if-modified-since" not in hits[1].headers and hits[2].headers["if-modified-since"] == stamp


def test_network_errors_do_not_stop_the_watch(server, articles, tmp_path):
    import socket

    serve_articles(server, articles, 1)
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    dead = f"http://127.0.0.1:{s.getsockname()[1]}/feed.xml"
    s.close()
    server.routes["/broken.xml"] = Route(b"<html>not a feed</html>", content_type="text/html")
    server.routes["/ok.xml"] = Route(rss([("g0", "/a/0", "a0")], server.base), content_type="application/rss+xml",
                                     statuses=[500, 500])
    got: list[dict] = []
    with fetcher(retries=1) as f:
        w = Watcher([dead, server.url("/broken.xml"), server.url("/ok.xml")],
                    state=WatchState(tmp_path / "s.json"), sink=got.extend, fetcher=f)
        r1 = w.poll_once()
        assert r1.feed_errors == 3 and got == []
        r2 = w.poll_once()  # the third feed recovered
        assert r2.feed_errors == 2 and r2.ingested == 1
    st = json.loads((tmp_path / "s.json").read_text())["feeds"]
    assert "not an RSS or Atom feed" in st[server.url("/broken.xml")]["last_error"]
    assert st[dead]["last_error"]


def test_sink_failure_leaves_entries_unseen(server, articles, tmp_path):
    serve_articles(server, articles, 1)
    server.routes["/f.xml"] = Route(rss([("g0", "/a/0", "a0")], server.base), content_type="application/rss+xml",
                                    etag=True)
    calls = []

    def flaky_sink(docs):
        calls.append(len(docs))
        if len(calls) == 1:
            raise RuntimeError("database is locked")

    with fetcher() as f:
        w = Watcher([server.url("/f.xml")], state=WatchState(tmp_path / "s.json"), sink=flaky_sink, fetcher=f)
        assert w.poll_once().feed_errors == 1
        assert w.poll_once().ingested == 1  # no 304: the ETag was not kept after the failure
    assert calls == [1, 1]


def test_state_file_is_checked(tmp_path):
    p = tmp_path / "state.json"
    p.write_text("{not json")
    with pytest.raises(ReaderError, match="state.json"):
        WatchState(p)


def _watch(args: list[str], env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(SRC), **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "qawl.cli", "watch", *args], capture_output=True, text=True,
                          env=env, timeout=120)


def test_restart_gives_no_duplicates(server, articles, tmp_path):
    """Two separate `qawl watch` processes with one state file: the second adds only the new item."""
    exps = serve_articles(server, articles, 3)
    items = [("g0", "/a/0", "a0"), ("g1", "/a/1", "a1")]
    server.routes["/feed.xml"] = Route(rss(items, server.base), content_type="application/rss+xml")  # no ETag
    state, out = tmp_path / "watch.json", tmp_path / "new.jsonl"
    common = [server.url("/feed.xml"), "--state", str(state), "--out", str(out), "--rate", "0", "--timeout", "3"]
    r1 = _watch([*common, "--once"])
    assert r1.returncode == 0, r1.stderr
    server.routes["/feed.xml"] = Route(rss([("g2", "/a/2", "a2"), *items], server.base),
                                       content_type="application/rss+xml")
    r2 = _watch([*common, "--max-polls", "2", "--every", "0.2s"])
    assert r2.returncode == 0, r2.stderr
    docs = [json.loads(x) for x in out.read_text("utf-8").splitlines()]
    assert [d["url"] for d in docs] == [exps[0]["url"], exps[1]["url"], exps[2]["url"]]
    assert len(server.hits("/a/0")) == 1
    polls = [json.loads(x) for x in r2.stderr.splitlines() if x.startswith("{")]
    assert [p["ingested"] for p in polls] == [1, 0]


def test_restart_into_store_gives_no_duplicates(server, articles, tmp_path):
    """Same, ingesting into a real SQLite store; the state file location comes from $QAWL_WATCH_STATE."""
    from qawl.store import open_store

    exps = serve_articles(server, articles, 2)
    server.routes["/feed.xml"] = Route(rss([("g0", "/a/0", "a0")], server.base), content_type="application/rss+xml")
    db = tmp_path / "qawl.db"
    env = {"QAWL_WATCH_STATE": str(tmp_path / "st.json")}
    common = [server.url("/feed.xml"), "--db", str(db), "--rate", "0", "--once"]
    assert _watch(common, env).returncode == 0
    server.routes["/feed.xml"] = Route(rss([("g1", "/a/1", "a1"), ("g0", "/a/0", "a0")], server.base),
                                       content_type="application/rss+xml")
    (tmp_path / "st.json").unlink()  # even with the state lost, the store's idempotency prevents duplicates
    r = _watch(common, env)
    assert r.returncode == 0, r.stderr
    with open_store(str(db)) as st:
        arts = st.articles(limit=10)
    assert sorted(a["url"] for a in arts) == sorted(e["url"] for e in exps)


def test_watch_once_on_dead_feed_exits_nonzero(tmp_path):
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    dead = f"http://127.0.0.1:{s.getsockname()[1]}/feed.xml"
    s.close()
    from typer.testing import CliRunner

    from qawl.cli import app

    r = CliRunner().invoke(app, ["watch", dead, "--once", "--out", str(tmp_path / "o.jsonl"), "--state",
                                 str(tmp_path / "s.json"), "--retries", "0", "--timeout", "1"])
    assert r.exit_code == 1 and "every feed failed" in r.stderr and "robots.txt unreachable (Connect" in r.stderr
    assert json.loads((tmp_path / "s.json").read_text())["feeds"][dead]["last_error"]
    r = CliRunner().invoke(app, ["watch", dead, "--every", "often", "--out", str(tmp_path / "o.jsonl")])
    assert r.exit_code == 2 and "bad interval" in r.output
