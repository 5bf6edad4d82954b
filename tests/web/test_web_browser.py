"""Browser tests: Debian's chromium driven by Playwright against a live server (screenshots saved)."""

from __future__ import annotations

import re
from urllib.parse import quote

import httpx
import pytest
from web_fixtures import KHALFAN, KHALFAN_QUOTE, SABAH
from web_support import SCREENSHOTS, TOKEN

pytestmark = pytest.mark.browser


def shot(page, name: str, full: bool = False) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=full)


def test_article_highlights_side_list_click_and_speaker(live, page) -> None:
    page.goto(f"{live.url}/article/saudinewsnet-23425")
    assert page.get_attribute("html", "dir") == "rtl" and page.get_attribute("html", "lang") == "ar"
    text = page.locator("#text")
    assert text.evaluate("e => getComputedStyle(e).direction") == "rtl"
    # Every part of every statement is highlighted with its role.
    assert text.locator(".r-cue").count() == 5
    assert text.locator(".r-content.k-direct").count() >= 2
    assert text.locator(".r-content.k-mixed").count() >= 2
    assert text.locator(".r-content.k-indirect").count() >= 1
    assert text.locator(".r-speaker").count() == 3
    assert text.locator(".r-addressee").count() == 1
    assert text.locator(".r-source").count() == 1 and text.locator(".r-channel").count() == 1
    # The dateline is greyed (a caption/boilerplate span), not highlighted as a statement.
    cap = text.locator(".cap")
    assert cap.count() == 1 and cap.inner_text() == "سبق- وكالات:"
    assert cap.evaluate("e => getComputedStyle(e).color") == "rgb(92, 92, 92)"
    # Kinds differ without colour: the underline style.
    styles = {k: text.locator(f".r-content.k-{k}").first.evaluate("e => getComputedStyle(e).textDecorationStyle")
              for k in ("direct", "mixed", "indirect")}
    assert styles == {"direct": "solid", "mixed": "double", "indirect": "dashed"}
    # Side list: five statements in reading order, numbered as the badges in the text.
    items = page.locator("#atts > li")
    assert items.count() == 5
    assert [items.nth(i).get_attribute("data-a") for i in range(5)] == ["A1", "A2", "A3", "A4", "A5"]
    badges = text.locator(".badge").all_inner_texts()
    assert [b.split("·")[0] for b in badges] == ["1", "2", "3", "4", "5"]
    shot(page, "article.png")

    # Clicking a statement in the text opens its details: resolved speaker, channel, source chain, date.
    text.locator('.r-content[data-a="A2"]', has_text=KHALFAN_QUOTE).click()
    li = page.locator("#att-A2")
    assert "active" in (li.get_attribute("class") or "")
    assert li.locator("details").evaluate("d => d.open") is True
    details = li.locator("dl").inner_text()
    assert KHALFAN in details and "مجموعة من التغريدات" in details and "يمن برس" in details
    assert "2015-08-06" in details
    assert text.locator('.h.active[data-a~="A2"]').count() >= 3  # cue, speaker and content light up
    # The addressee of the fifth statement is resolved to the entity's full name.
    page.locator("#att-A5 summary").click()
    assert "حسن نصر الله" in page.locator("#att-A5 dl").inner_text()
    assert page.locator("#att-A5").get_attribute("class").endswith("active")

    # Follow the resolved speaker to the speaker page.
    li.locator("a.speaker-link").click()
    page.wait_for_url(re.compile(r"/speaker/"))
    assert KHALFAN in page.locator("h1").inner_text()
    assert page.locator("#timeline svg rect.bar").count() >= 1
    assert KHALFAN_QUOTE in page.locator("#speaker-statements").inner_text()
    outlets = page.locator("#outlets").inner_text()
    assert "Sabq" in outlets and "Okaz" in outlets
    assert "نائب رئيس شرطة دبي" in page.locator("main").inner_text()  # titles
    shot(page, "speaker.png")
    assert page.js_errors == []


def test_search_and_statement_provenance(live, page) -> None:
    page.goto(f"{live.url}/")
    assert page.locator("#latest li").count() > 0
    assert page.locator("#top-speakers li").count() > 0
    page.fill("#q", "سمعة نصر الله")
    page.press("#q", "Enter")
    page.wait_for_url(re.compile(r"/search\?"))
    results = page.locator("#results > li")
    assert results.count() >= 1
    assert KHALFAN_QUOTE in results.first.inner_text()
    shot(page, "search.png")
    # The quotation was carried by two outlets: one statement, two reports, first seen first.
    results.first.locator("blockquote a").click()
    page.wait_for_url(re.compile(r"/statement/"))
    assert KHALFAN_QUOTE in page.locator("#statement-content").inner_text()
    reports = page.locator("#reports > li")
    assert reports.count() == 2
    assert "Sabq" in reports.nth(0).inner_text() and "2015-08-06" in reports.nth(0).inner_text()
    assert "Okaz" in reports.nth(1).inner_text()
    shot(page, "statement.png")
    # The report link lands on the article with that statement selected.
    reports.nth(0).locator("a").click()
    page.wait_for_url(re.compile(r"/article/"))
    page.wait_for_selector("#atts > li.active")
    assert page.locator("#atts > li.active").get_attribute("data-a") == "A2"
    assert page.js_errors == []


def test_search_filters(live, page) -> None:
    page.goto(f"{live.url}/search?speaker={quote(SABAH)}&kind=direct")
    items = page.locator("#results > li")
    assert items.count() == 2
    page.goto(f"{live.url}/search?speaker={quote(SABAH)}&kind=direct&since=2015-08-05")
    assert page.locator("#results > li").count() == 0
    page.goto(f"{live.url}/")
    page.fill("#f-outlet", "Okaz")
    page.fill("#f-speaker", KHALFAN)
    page.locator("form.search button").click()
    page.wait_for_url(re.compile(r"/search\?"))
    assert page.locator("#results > li").count() == 1


def test_home_screenshot_and_english_toggle(live, page) -> None:
    page.goto(f"{live.url}/")
    shot(page, "home.png")
    page.locator("#lang-toggle").click()
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "en" and page.get_attribute("html", "dir") == "ltr"
    assert "Latest statements" in page.locator("main").inner_text()
    page.goto(f"{live.url}/speakers")  # the cookie keeps the choice
    assert page.get_attribute("html", "lang") == "en"
    # Article text stays right to left inside the English interface.
    page.goto(f"{live.url}/article/saudinewsnet-20264")
    assert page.locator("#text").evaluate("e => getComputedStyle(e).direction") == "rtl"
    page.goto(f"{live.url}/?lang=ar")
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.js_errors == []


ANALYSE_TEXT = ("الرياض - قال وزير الخارجية الأمريكي أنتوني بلينكن للصحفيين يوم الثلاثاء: "
                "\"نحن ملتزمون بالعمل مع شركائنا من أجل وقف إطلاق النار\".\n"
                "وأضاف بلينكن أن المحادثات ستستمر الأسبوع المقبل في القاهرة.")


def _articles(live) -> int:
    return int(httpx.get(f"{live.url}/api/stats").json()["articles"])


def test_analyse_shows_extraction_without_storing(live, page) -> None:
    before = _articles(live)
    page.goto(f"{live.url}/analyse")
    page.fill("#a-text", ANALYSE_TEXT)
    page.locator("#a-go").click()
    page.wait_for_selector("#analysis")
    n_side = page.locator("#analysis #atts > li").count()
    assert n_side >= 1
    assert page.locator("#analysis #text .r-cue").count() >= 1
    assert "بلينكن" in page.locator("#analysis #atts").inner_text()
    assert page.locator("#analysis #text").inner_text().startswith("الرياض")
    shot(page, "analyse.png")
    assert _articles(live) == before  # nothing stored

    # Asking to store with a wrong token is refused; with the token it is stored.
    page.check("#a-store")
    page.fill("#a-token", "wrong")
    page.locator("#a-go").click()
    assert "token" in page.locator("main").inner_text()
    assert _articles(live) == before
    page.go_back()
    page.check("#a-store")
    page.fill("#a-token", TOKEN)
    page.locator("#a-go").click()
    page.wait_for_selector("#stored")
    assert _articles(live) == before + 1
    page.locator("#stored a").click()
    page.wait_for_url(re.compile(r"/article/analyse-"))
    assert page.locator("#atts > li").count() == n_side
    assert page.js_errors == []


def test_network_graph(live, page) -> None:
    page.goto(f"{live.url}/network")
    page.wait_for_selector("#graph[data-ready]")
    n = int(page.get_attribute("#graph", "data-ready"))
    assert n > 5
    assert page.locator("#graph g.node").count() == n
    edges = page.locator("#graph line.edge")
    assert edges.count() > 0
    page.wait_for_timeout(1500)  # let the layout settle for the screenshot
    shot(page, "network.png")
    visible_before = page.locator("#graph line.edge.co-quoted:visible").count()
    assert visible_before > 0
    page.uncheck("#n-co")
    assert page.locator("#graph line.edge.co-quoted:visible").count() == 0
    # Filtering by name highlights matching speakers and dims the rest.
    page.fill("#n-filter", "خلفان")
    assert page.locator("#graph g.node.hit").count() >= 1
    assert page.locator("#graph g.node.dim").count() >= 1
    assert page.js_errors == []


def test_hostile_article_is_inert(live, page) -> None:
    resp = page.goto(f"{live.url}/article/hostile-1")
    csp = resp.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    # Hover and click over every highlight: no attacker code may ever run.
    for el in page.locator("#text .h").all():
        el.hover()
        el.click()
    page.locator("#atts summary").first.click()
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator("#text script, #text img, main img, [onerror], [onmouseover]").count() == 0
    shown = page.locator("#text").inner_text()
    assert "<script>window.__pwned = 'script';</script>" in shown  # shown as text
    assert "\u202e" not in shown and "\u2067" not in shown  # controls shown as labels, not obeyed
    assert page.locator("#text .ctl").count() == 4
    assert page.locator("h1").inner_text().startswith("عنوان <script>")
    # A javascript: URL in the article's metadata is not turned into a link.
    assert page.locator("a.orig").count() == 0
    assert page.js_errors == []
