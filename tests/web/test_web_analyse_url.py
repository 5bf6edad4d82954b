"""Analyse by URL: the page is fetched with qawl.readers, and private addresses are refused by default."""

from __future__ import annotations

import functools
import http.server
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from qawl.web.app import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

PAGE = """<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>الوزير يتحدث عن المفاوضات</title>
<meta property="article:published_time" content="2015-08-05T10:00:00Z"></head>
<body><nav>الرئيسية | أخبار | رياضة</nav>
<article><h1>الوزير يتحدث عن المفاوضات</h1>
<p>قال وزير الخارجية عادل الجبير للصحفيين في الرياض يوم الأربعاء: "المفاوضات مع الشركاء ستستمر حتى نصل إلى اتفاق يحفظ أمن المنطقة".</p>
<p>وأضاف الجبير أن المملكة تدعم كل الجهود الدولية الرامية إلى وقف الحرب وإعادة الاستقرار، مشيرا إلى أن الاجتماع المقبل سيعقد في جدة خلال الشهر المقبل بمشاركة عدد من الوزراء.</p>
<p>وأكد المتحدث باسم الوزارة أن الوفد السعودي سيقدم مقترحات جديدة لحل الخلافات القائمة بين الأطراف.</p>
</article><footer>جميع الحقوق محفوظة</footer></body></html>"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root: Path = tmp_path_factory.mktemp("site")
    (root / "article.html").write_text(PAGE, encoding="utf-8")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *a, **k: None  # type: ignore[attr-defined]
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()


def test_analyse_url_fetches_and_extracts(site: str, tmp_path: Path) -> None:
    with TestClient(create_app(str(tmp_path / "a.db"), fetch_private=True)) as c:
        form = c.get("/analyse").text
        assert 'name="url"' in form
        r = c.post("/analyse", data={"url": f"{site}/article.html"})
        assert r.status_code == 200, r.text[:500]
        assert "المفاوضات مع الشركاء ستستمر" in r.text
        assert 'class="h r-cue' in r.text  # extracted and highlighted
        assert "جميع الحقوق محفوظة" not in r.text.split('id="analysis"')[1]  # boilerplate dropped by the reader
        assert c.get("/api/stats").json()["articles"] == 0  # not stored


def test_analyse_url_refuses_private_addresses(site: str, tmp_path: Path) -> None:
    with TestClient(create_app(str(tmp_path / "a.db"))) as c:
        r = c.post("/analyse", data={"url": f"{site}/article.html"})
        assert r.status_code == 422 and "private or loopback" in r.text
        r = c.post("/analyse", data={"url": "file:///etc/passwd"})
        assert r.status_code == 422 and "not an http(s) URL" in r.text
