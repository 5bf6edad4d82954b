"""Real-looking news pages around real corpus texts (shared by the tests and benchmarks/readers_bench.py).

Each page wraps one article of /work/shared/corpus/bench.jsonl.gz in the
furniture real outlets have: navigation, breadcrumbs, share buttons, a
figure with caption and credit in the middle of the text, related links,
newsletter box, footer, scripts, JSON-LD and Open Graph metadata. What the
reader must keep out of the body is returned next to the HTML.
"""

from __future__ import annotations

import gzip
import html
import json
from pathlib import Path

CORPUS = Path("/work/shared/corpus/bench.jsonl.gz")

NAV = ["الرئيسية", "سياسة", "اقتصاد", "رياضة", "ثقافة وفنون", "منوعات", "فيديو"]
RELATED = [
    "ارتفاع أسعار النفط مع تراجع المخزونات الأمريكية",
    "منتخب الشباب يتأهل إلى الدور النهائي من البطولة العربية",
    "افتتاح معرض الكتاب الدولي بمشاركة أكثر من ستين دار نشر",
]
FOOTER = "جميع الحقوق محفوظة لشبكة الأخبار العربية ٢٠٢٥ — سياسة الخصوصية — اتصل بنا"
SHARE = "شارك الخبر عبر فيسبوك تويتر واتساب"
NEWSLETTER = "اشترك في النشرة البريدية اليومية لتصلك أهم الأخبار"
CAPTIONS = [
    ("جانب من الاجتماع الذي عقد في العاصمة يوم الخميس", "Getty Images"),
    ("مشاركون في المؤتمر الصحفي عقب انتهاء الجلسة الختامية", "رويترز"),
    ("صورة أرشيفية لمبنى الوزارة وسط المدينة", "أ ف ب"),
]
AR_MONTHS = ["يناير/ كانون الثاني", "فبراير/ شباط", "مارس/ آذار", "أبريل/ نيسان", "مايو/ أيار",
             "يونيو/ حزيران", "يوليو/ تموز", "أغسطس/ آب", "سبتمبر/ أيلول", "أكتوبر/ تشرين الأول",
             "نوفمبر/ تشرين الثاني", "ديسمبر/ كانون الأول"]
DATE_STYLES = ("meta", "jsonld", "time", "arabic")


def load_articles(n: int, *, min_paras: int = 2, skip: int = 0) -> list[dict]:
    """The first ``n`` corpus articles with a date and at least ``min_paras`` paragraphs."""
    out = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        for line in f:
            a = json.loads(line)
            paras = [p.strip() for p in a["text"].split("\n") if len(p.strip()) >= 40]
            if not a.get("date") or len(paras) < min_paras:
                continue
            if skip:
                skip -= 1
                continue
            out.append(a)
            if len(out) >= n:
                break
    return out


def paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in text.split("\n") if p.strip()]


def arabic_date(iso: str) -> str:
    y, m, d = (int(x) for x in iso.split("-"))
    return f"{d} {AR_MONTHS[m - 1]} {y}"


def build_page(a: dict, *, date_style: str = "meta", author: str = "سارة المحمد", caption_index: int = 0,
               site: str = "شبكة الأخبار العربية", host: str = "https://news.example.org",
               charset: str = "utf-8") -> tuple[str, dict]:
    """HTML for article ``a`` and what a reader should get out of it.

    ``date_style`` says where the publication date is given: "meta"
    (article:published_time), "jsonld" (datePublished), "time" (<time datetime>)
    or "arabic" (only as "27 نوفمبر/ تشرين الثاني 2025" in the page text).
    """
    e = html.escape
    paras = paragraphs(a["text"])
    cap, credit = CAPTIONS[caption_index % len(CAPTIONS)]
    url = f"{host}/news/{abs(hash(a['id'])) % 10**8}"
    title = " ".join(a["title"].split())
    meta_date = f'<meta property="article:published_time" content="{a["date"]}T09:30:00+03:00">' \
        if date_style == "meta" else ""
    ld: dict = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
                "author": [{"@type": "Person", "name": author}],
                "publisher": {"@type": "Organization", "name": site,
                              "logo": {"@type": "ImageObject", "url": f"{host}/logo.png"}},
                "mainEntityOfPage": {"@type": "WebPage", "@id": url}}
    if date_style == "jsonld":
        ld["datePublished"] = f"{a['date']}T09:30:00Z"
    if date_style == "time":
        dateline = f'<time class="published" datetime="{a["date"]}T09:30:00+03:00">{e(arabic_date(a["date"]))}</time>'
    elif date_style == "arabic":
        dateline = f'<div class="post-meta">{e(arabic_date(a["date"]))}</div>'
    else:
        dateline = '<span class="updated">آخر تحديث: منذ ساعتين</span>'
    mid = max(1, len(paras) // 2)
    body_html = "\n".join(f"<p>{e(p)}</p>" for p in paras[:mid])
    body_html += (
        f'\n<figure class="article-image"><img src="{host}/img/{caption_index}.jpg" alt="{e(cap)}" width="800">'
        f'<figcaption>{e(cap)} <span class="credit">{e(credit)}</span></figcaption></figure>\n'
    )
    body_html += "\n".join(f"<p>{e(p)}</p>" for p in paras[mid:])
    page = f"""<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
<meta charset="{charset}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)} | {e(site)}</title>
<meta property="og:title" content="{e(title)}">
<meta property="og:site_name" content="{e(site)}">
<meta property="og:type" content="article">
<meta property="og:url" content="{url}">
{meta_date}
<link rel="canonical" href="{url}">
<link rel="stylesheet" href="/static/site.css">
<script>window.dataLayer = window.dataLayer || []; function gtag(){{dataLayer.push(arguments);}} gtag('js', new Date());</script>
<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>
</head>
<body class="article-page">
<header class="site-header"><a class="logo" href="/">{e(site)}</a>
<nav class="main-nav"><ul>{''.join(f'<li><a href="/section/{i}">{e(n)}</a></li>' for i, n in enumerate(NAV))}</ul></nav>
</header>
<div class="breadcrumb"><a href="/">الرئيسية</a> › <a href="/section/1">سياسة</a></div>
<main>
<article class="story">
<h1 class="headline">{e(title)}</h1>
<div class="byline">بقلم <a rel="author" href="/author/1">{e(author)}</a> {dateline}</div>
<div class="share-buttons"><a href="#">{SHARE}</a></div>
<div class="article-body">
{body_html}
</div>
<div class="tags"><a href="/tag/1">سياسة</a> <a href="/tag/2">الشرق الأوسط</a></div>
</article>
<aside class="related"><h3>اقرأ أيضا</h3><ul>{''.join(f'<li><a href="/news/r{i}">{e(r)}</a></li>' for i, r in enumerate(RELATED))}</ul></aside>
<div class="newsletter">{NEWSLETTER}<form><input type="email"><button>اشترك</button></form></div>
</main>
<footer class="site-footer"><p>{FOOTER}</p></footer>
<script src="/static/app.js"></script>
</body>
</html>
"""
    expected = {"title": title, "published": a["date"], "outlet": site, "authors": [author], "url": url,
                "paragraphs": paras, "caption": cap, "credit": credit,
                "furniture": NAV[1:] + RELATED + [FOOTER, SHARE, NEWSLETTER]}
    return page, expected


def build_div_page(a: dict, *, host: str = "https://www.sky.example") -> tuple[str, dict]:
    """A second, older layout: no <article>/<figure>, an inline "اقرأ أيضا" link box inside the body,
    a <div class="caption"> with a photographer credit, itemprop date, Sky-News-like chrome."""
    e = html.escape
    paras = paragraphs(a["text"])
    mid = max(1, len(paras) // 2)
    site = "سكاي نيوز عربية"
    title = " ".join(a["title"].split())
    read_also = "وزير الخارجية يلتقي نظيره الفرنسي في باريس لبحث الأزمة"
    cap, credit = "الوزير خلال المؤتمر الصحفي في العاصمة", "أحمد حسن"
    body = "".join(f"<p>{e(p)}</p>" for p in paras[:mid])
    body += f'<div class="read-also"><strong>اقرأ أيضا:</strong> <a href="/n/9">{read_also}</a></div>'
    body += (f'<div class="image-wrapper"><img src="x.jpg"><div class="caption">{cap}'
             f'<span class="photo-credit">تصوير: {credit}</span></div></div>')
    body += "".join(f"<p>{e(p)}</p>" for p in paras[mid:])
    page = f"""<html><head><meta charset="utf-8"><title>{e(title)} | {site}</title>
<meta property="og:site_name" content="{site}"><meta name="author" content="أبوظبي - {site}">
<meta itemprop="datePublished" content="{a['date']}T10:00:00+04:00"></head><body>
<div id="header"><ul class="menu"><li><a href="/">الرئيسية</a></li><li><a href="/world">العالم</a></li></ul></div>
<div id="content"><div class="main-col"><h1>{e(title)}</h1><div class="date">{a['date']}</div>
<div class="story-body">{body}</div>
<div class="social">شارك على فيسبوك - تويتر</div>
<div class="tags">الوسوم: <a>سياسة</a></div></div>
<div class="sidebar"><h3>الأكثر مشاهدة</h3><ul><li><a>مباراة نارية بين الفريقين في الدوري الإسباني مساء اليوم</a></li></ul>
</div></div><div id="footer">© {site} 2025</div></body></html>"""
    expected = {"title": title, "published": a["date"], "outlet": site, "authors": [f"أبوظبي - {site}"],
                "paragraphs": paras, "caption": cap, "credit": credit,
                "furniture": [read_also, "اقرأ أيضا", "الأكثر مشاهدة", "مباراة نارية", "شارك على فيسبوك", "الوسوم"]}
    return page, expected
