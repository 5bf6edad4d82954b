"""Fetching against a real local HTTP server: redirects, 404, slow and failing servers, robots.txt, rate limit."""

from __future__ import annotations

import time

import pytest
from pagegen import build_page
from readers_support import FIXTURES, Route

from qawl.readers import FetchError, RobotsDisallowed, fetch_url
from qawl.readers.fetch import Fetcher


def fast_fetcher(**kw) -> Fetcher:
    opts = {"timeout": 2.0, "retries": 2, "backoff": 0.05, "min_interval": 0.0}
    opts.update(kw)
    return Fetcher(**opts)


def test_article_page_user_agent_and_canonical(server, articles):
    page, exp = build_page(articles[1])
    server.routes["/news/1"] = Route(page.encode())
    with fast_fetcher() as f:
        doc = fetch_url(server.url("/news/1"), fetcher=f)
    assert doc["title"] == exp["title"] and doc["url"] == exp["url"] and doc["published"] == exp["published"]
    assert doc["captions"][0]["credit"] == exp["credit"]
    ua = server.hits("/news/1")[0].headers["user-agent"]
    assert ua.startswith("qawl/") and "+https://" in ua
    assert len(server.hits("/robots.txt")) == 1


def test_redirect_followed(server, articles):
    page, _ = build_page(articles[2])
    server.routes["/old-link"] = Route(status=301, headers={"Location": "/news/2"})
    server.routes["/news/2"] = Route(page.encode().replace(b'rel="canonical"', b'rel="x"')
                                     .replace(b'property="og:url"', b'property="x"')
                                     .replace(b'"mainEntityOfPage"', b'"x"'))
    with fast_fetcher() as f:
        doc = fetch_url(server.url("/old-link"), fetcher=f)
    assert doc["url"] == server.url("/news/2")  # no canonical link: the final URL after the redirect
    assert doc["fetched_from"] == server.url("/old-link")


def test_404_is_not_retried(server):
    with fast_fetcher(retries=3) as f, pytest.raises(FetchError, match="HTTP 404") as e:
        fetch_url(server.url("/gone"), fetcher=f)
    assert e.value.status == 404 and not e.value.transient
    assert len(server.hits("/gone")) == 1


def test_5xx_retried_with_backoff(server, articles):
    page, exp = build_page(articles[3])
    server.routes["/flaky"] = Route(page.encode(), statuses=[503, 502])
    sleeps: list[float] = []
    with Fetcher(timeout=2.0, retries=3, backoff=0.1, min_interval=0.0, sleep=sleeps.append) as f:
        doc = fetch_url(server.url("/flaky"), fetcher=f)
    assert doc["title"] == exp["title"]
    assert len(server.hits("/flaky")) == 3
    assert sleeps == [0.1, 0.2]  # exponential


def test_slow_response_times_out_then_retry_succeeds(server, articles):
    page, exp = build_page(articles[4])
    server.routes["/slow"] = Route(page.encode(), delays=[1.5])
    t0 = time.monotonic()
    with fast_fetcher(timeout=0.4, retries=2) as f:
        doc = fetch_url(server.url("/slow"), fetcher=f)
    assert doc["title"] == exp["title"]
    assert len(server.hits("/slow")) == 2
    assert time.monotonic() - t0 < 1.4  # we did not wait for the slow answer


def test_always_slow_gives_up_with_clear_error(server):
    server.routes["/very-slow"] = Route(b"<html></html>", delay=1.0)
    with fast_fetcher(timeout=0.3, retries=1) as f, pytest.raises(FetchError, match="after 2 attempt") as e:
        fetch_url(server.url("/very-slow"), fetcher=f)
    assert e.value.transient and "/very-slow" in str(e.value)


def test_connection_refused_is_transient():
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    with fast_fetcher(retries=1, respect_robots=False) as f, pytest.raises(FetchError) as e:
        f.get(f"http://127.0.0.1:{port}/x")
    assert e.value.transient


def test_robots_disallowed_path_is_never_requested(server, articles):
    page, _ = build_page(articles[5])
    server.routes["/private/report"] = Route(page.encode())
    server.routes["/news/5"] = Route(page.encode())
    with fast_fetcher() as f:
        with pytest.raises(RobotsDisallowed, match="robots.txt"):
            fetch_url(server.url("/private/report"), fetcher=f)
        fetch_url(server.url("/news/5"), fetcher=f)
    assert server.hits("/private/report") == []
    assert len(server.hits("/robots.txt")) == 1  # cached per host


def test_redirect_into_disallowed_path_is_refused(server, articles):
    page, _ = build_page(articles[5])
    server.routes["/r"] = Route(status=302, headers={"Location": "/private/x"})
    server.routes["/private/x"] = Route(page.encode())
    with fast_fetcher() as f, pytest.raises(RobotsDisallowed, match="redirected to"):
        fetch_url(server.url("/r"), fetcher=f)
    assert server.hits("/private/x") == []  # each hop is checked before it is requested


def test_redirect_chains_and_robots_redirect(server, articles):
    page, exp = build_page(articles[9])
    server.routes["/robots.txt"] = Route(status=301, headers={"Location": "/real-robots.txt"})
    server.routes["/real-robots.txt"] = Route(b"User-agent: qawl\nDisallow: /nope/\n", content_type="text/plain")
    server.routes["/a"] = Route(status=302, headers={"Location": "/b"})
    server.routes["/b"] = Route(status=307, headers={"Location": server.url("/c")})
    server.routes["/c"] = Route(page.encode())
    server.routes["/loop"] = Route(status=302, headers={"Location": "/loop"})
    server.routes["/nope/x"] = Route(page.encode())
    with fast_fetcher() as f:
        r = f.get(server.url("/a"))
        assert (r.url, r.redirects) == (server.url("/c"), [server.url("/a"), server.url("/b")])
        with pytest.raises(FetchError, match="more than 10 redirects"):
            f.get(server.url("/loop"))
        with pytest.raises(RobotsDisallowed):  # the rules came through the robots.txt redirect
            f.get(server.url("/nope/x"))
    assert len(server.hits("/loop")) == 11 and server.hits("/nope/x") == []


def test_per_host_rate_limit(server, articles):
    page, _ = build_page(articles[6])
    for i in range(3):
        server.routes[f"/n/{i}"] = Route(page.encode())
    with fast_fetcher(min_interval=0.3) as f:
        for i in range(3):
            fetch_url(server.url(f"/n/{i}"), fetcher=f)
    times = [server.hits(f"/n/{i}")[0].at for i in range(3)]
    # Sent 0.3 s apart; the server's clock sees scheduling jitter on a busy 2-core machine.
    assert all(b - a >= 0.2 for a, b in zip(times, times[1:], strict=False)), times
    assert times[-1] - times[0] >= 0.5


def test_windows_1256_over_http(server):
    raw = (FIXTURES / "cnn_windows1256.html").read_bytes().replace(b"charset=windows-1256", b"")
    server.routes["/cp1256"] = Route(raw, content_type="text/html; charset=windows-1256")
    with fast_fetcher() as f:
        doc = fetch_url(server.url("/cp1256"), fetcher=f)
    assert doc["encoding"] == "cp1256"
    assert "دونالد ترامب" in doc["text"]


def test_not_html_and_too_large(server):
    server.routes["/img.png"] = Route(b"\x89PNG\r\n\x1a\n" + bytes(200), content_type="image/png")
    server.routes["/big"] = Route(b"<html><body>" + b"x" * 200_000 + b"</body></html>")
    with fast_fetcher(max_bytes=100_000) as f:
        with pytest.raises(FetchError, match="not an HTML page"):
            fetch_url(server.url("/img.png"), fetcher=f)
        with pytest.raises(FetchError, match="exceeds"):
            fetch_url(server.url("/big"), fetcher=f)
        with pytest.raises(FetchError, match="not an http"):
            fetch_url("file:///etc/passwd", fetcher=f)


def test_robots_5xx_means_keep_out(server, articles):
    page, _ = build_page(articles[7])
    server.routes["/robots.txt"] = Route(b"oops", status=500, content_type="text/plain")
    server.routes["/news/7"] = Route(page.encode())
    with fast_fetcher(retries=0) as f, pytest.raises(FetchError, match=r"robots.txt unreachable \(HTTP 500\)") as e:
        fetch_url(server.url("/news/7"), fetcher=f)
    assert e.value.transient and not isinstance(e.value, RobotsDisallowed)  # "not now", retried later
    assert server.hits("/news/7") == []


def test_no_robots_txt_allows_everything(server, articles):
    page, _ = build_page(articles[7])
    del server.routes["/robots.txt"]
    server.routes["/private/ok"] = Route(page.encode())
    with fast_fetcher() as f:
        fetch_url(server.url("/private/ok"), fetcher=f)
    assert len(server.hits("/private/ok")) == 1


def test_block_private_refuses_loopback_even_behind_redirects(server, articles):
    page, _ = build_page(articles[8])
    server.routes["/p"] = Route(page.encode())
    with pytest.raises(FetchError, match="private or loopback"):
        fetch_url(server.url("/p"), block_private=True)
    with Fetcher(block_private=True, min_interval=0.0) as f, pytest.raises(FetchError, match="private or loopback"):
        f.get(server.url("/p"))
    assert server.hits("/p") == [] and server.hits("/robots.txt") == []
    with pytest.raises(FetchError, match="private or loopback"):
        Fetcher.check_public("http://10.1.2.3/x")
