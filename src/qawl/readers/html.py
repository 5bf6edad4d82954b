"""One HTML news page → one input document.

The body comes from trafilatura; everything trafilatura does not give us (or
gives poorly for Arabic outlets) is read here from the lxml tree first:
picture captions with their credits (removed from the tree so they can never
reach the body), title, publication date, outlet, authors and canonical URL.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import logging
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html
import regex

from qawl.encoding import DecodeError, decode_bytes
from qawl.normalize import fold
from qawl.readers.dates import _MONTH_ALT, date_from_url, parse_arabic_date, parse_date_value
from qawl.readers.errors import ReaderError
from qawl.readers.lang import detect_language

log = logging.getLogger(__name__)

MAX_HTML_BYTES = 20_000_000  # larger "pages" are archives or attacks, not articles
FAST = True  # try trafilatura's fast mode first (see _body_text)
FAST_MIN_CHARS = 400  # a fast-mode body shorter than this is redone with the fallbacks
_MAX_JSONLD_CHARS = 1_000_000

_META_CHARSET = re.compile(rb"""<meta[^>]{0,400}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.I)
_HTMLISH = re.compile(
    r"<\s*(?:!doctype\s+html|html|head|body|title|meta|p|div|article|section|span|a|h[1-6]|br|table|ul)[\s>/]",
    re.I,
)
_WS = re.compile(r"\s+")
# Characters XML/lxml cannot hold (C0 controls but tab/newline/CR, lone surrogates, U+FFFE/U+FFFF).
_UNSAFE_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# A start tag longer than this is hostile or generated (libxml2's attribute handling is quadratic).
_HUGE_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9:-]{0,30})\b[^<>]{10000,}>")

# Where to look for picture captions and credit lines (class/id substrings).
_CAPTION_CLASS = re.compile(r"caption|legend|image[-_]?desc|photo[-_]?desc", re.I)
_CREDIT_CLASS = re.compile(
    r"credit|(?:photo|image|img|pic|media)[-_]?(?:source|copyright|author|by)|copyright[-_]?(?:photo|image)", re.I
)
_PICTURE_WORD = re.compile(r"photo|image|img|pic|media|figure|foto|gallery", re.I)
# "مصدر الصورة، Getty Images", "Image source, Reuters", "حقوق الصورة: AFP", "تصوير: …", "© …"
_CREDIT_LABEL = re.compile(
    r"(?:مصدر\s+الصورة|حقوق\s+الصورة|المصدر\s*:\s*|صورة\s*:|الصورة\s*:|تصوير\s*:?|عدسة\s*:?"
    r"|image\s+source|image\s+credit|photo\s*(?:credit)?\s*:|credit\s*:|source\s*:|copyright|©|\(c\))"
    r"\s*[،,:\-–]?\s*",
    re.I,
)
_CAPTION_LABEL = re.compile(r"^\s*(?:التعليق\s+على\s+الصورة|شرح\s+الصورة|caption)\s*[،,:\-–]?\s*", re.I)
# Agencies that end a caption without any label: "… في الدوحة. رويترز" / "(Getty Images)".
_AGENCY_TAIL = re.compile(
    r"[\s.(\-–—|/]*\(?\s*(?P<credit>Getty\s+Images|Reuters|AFP(?:/Getty)?|EPA(?:-EFE)?|AP(?:\s+Photo)?|"
    r"Anadolu(?:\s+Agency)?|Shutterstock|رويترز|أ\s*ف\s*ب|ا\s*ف\s*ب|فرانس\s+برس|أسوشيتد\s+برس|"
    r"وكالة\s+الأناضول|الأناضول|غيتي|جيتي|إي\s*بي\s*إيه|د\s*ب\s*أ|واس|وام|قنا|سانا|بترا)\s*\)?\s*$"
)

_ARTICLE_TYPES = {
    "newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
    "backgroundnewsarticle", "reviewnewsarticle", "blogposting", "liveblogposting", "report", "webpage",
}
_DATE_METAS = (
    "article:published_time", "og:article:published_time", "article:published", "datepublished",
    "pubdate", "publishdate", "publish-date", "publish_date", "publication_date", "sailthru.date",
    "parsely-pub-date", "dc.date.issued", "dcterms.issued", "dc.date", "dcterms.date", "dcterms.created",
    "date", "article.published", "cxenseparse:recs:publishtime", "og:published_time", "citation_publication_date",
)
_AUTHOR_METAS = ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "byl")
_AUTHOR_PREFIX = re.compile(r"^\s*(?:بقلم|كتب(?:ت)?|كتبه|تقرير|إعداد|اعداد|by|written\s+by|author)\s*[:：\-–]?\s*", re.I)
_DATEISH = re.compile(r"date|time|publish|posted|dateline|timestamp|تاريخ", re.I)


def _norm(s: str | None) -> str:
    return _WS.sub(" ", s or "").strip()


def _charset_name(label: str | None) -> str | None:
    """Python codec name for an HTTP/meta charset label, or None if unknown."""
    if not label:
        return None
    try:
        return codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None


def sniff_meta_charset(data: bytes) -> str | None:
    m = _META_CHARSET.search(data[:4096])
    return _charset_name(m.group(1).decode("ascii", "replace")) if m else None


def decode_html(data: bytes, *, name: str, http_charset: str | None = None) -> tuple[str, str]:
    """Text and codec of an HTML byte string: HTTP charset, then meta charset, then detection."""
    declared = _charset_name(http_charset) or sniff_meta_charset(data)
    try:
        dec = decode_bytes(data, name, declared=declared)
    except DecodeError as e:
        raise ReaderError(str(e)) from e
    return dec.text, _charset_name(dec.encoding) or dec.encoding


def _classes(el: Any) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}"


def _text(el: Any) -> str:
    try:
        return _norm(el.text_content())
    except (ValueError, lxml.etree.LxmlError):
        return ""


# ---------------------------------------------------------------- captions


def _split_credit(text: str) -> tuple[str, str | None]:
    """Separate a credit ("مصدر الصورة، Getty Images", "… رويترز") from caption text."""
    text = _CAPTION_LABEL.sub("", text)
    m = _CREDIT_LABEL.search(text)
    if m:
        credit = _norm(text[m.end():]).strip("()[] ")
        before = _norm(text[: m.start()])
        if credit and len(credit) <= 80:
            return before.rstrip("|-–—/ "), credit
        if not credit and not before:  # a bare label ("مصدر الصورة،") with the credit elsewhere
            return "", None
    m = _AGENCY_TAIL.search(text)
    if m and m.start() > 0:
        return _norm(text[: m.start()]), _norm(m.group("credit"))
    if m:  # the whole text is an agency name: a bare credit line
        return "", _norm(m.group("credit"))
    return _norm(text), None


def _attached(el: Any, root: Any) -> bool:
    """Still in the document? (A dropped subtree keeps its lxml document, so getroottree() cannot tell.)"""
    top = el
    for anc in el.iterancestors():
        top = anc
    return top is root


def _near_image(el: Any) -> bool:
    parent = el.getparent()
    if parent is None:
        return False
    return any(True for _ in parent.iter("img", "picture", "video", "figure"))


def _drop(el: Any) -> None:
    """Remove ``el`` but keep its tail text (the next sentence of the article may live there)."""
    if el.getparent() is not None:
        el.drop_tree()


def extract_captions(tree: Any) -> list[dict[str, str | None]]:
    """Collect picture captions with their credits and remove them from ``tree``."""
    out: list[dict[str, str | None]] = []
    root = tree.getroottree().getroot()
    seen: set[tuple[str, str | None]] = set()

    def add(text: str, credit: str | None) -> None:
        key = (text, credit)
        if (text or credit) and key not in seen:
            seen.add(key)
            out.append({"text": text, "credit": credit})

    def credit_of(container: Any, skip: Any = None) -> tuple[str | None, list[Any]]:
        found: list[Any] = []
        credit = None
        for el in container.iter():
            if el is container or el is skip or not isinstance(el.tag, str):
                continue
            if _CREDIT_CLASS.search(_classes(el)):
                t = _text(el)
                if t and len(t) <= 120:
                    _, c = _split_credit(t)
                    credit = credit or c or _norm(_CREDIT_LABEL.sub("", t)) or None
                    found.append(el)
        return credit, found

    # 1. <figure>: figcaption text + any credit element inside the figure.
    for fig in list(tree.iter("figure")):
        caps = [c for c in fig.iter("figcaption")]
        credit, credit_els = credit_of(fig)
        for el in credit_els:
            _drop(el)
        texts = []
        for cap in caps:
            t, c = _split_credit(_text(cap))
            credit = credit or c
            if t:
                texts.append(t)
            _drop(cap)
        # Caption-like children that are not <figcaption> (BBC: <p> "التعليق على الصورة، …").
        for el in list(fig.iter()):
            if el is fig or not isinstance(el.tag, str) or not _attached(el, root):
                continue  # already removed with a dropped ancestor
            t = _text(el)
            if len(t) > 600:
                continue  # a block quote or embed wrapped in <figure>, not a caption
            if t and (_CAPTION_CLASS.search(_classes(el)) or _CAPTION_LABEL.match(t) or _CREDIT_LABEL.match(t)):
                ct, c = _split_credit(t)
                credit = credit or c
                if ct:
                    texts.append(ct)
                _drop(el)
        for img in list(fig.iter("img", "picture", "video", "source")):
            _drop(img)
        if texts:
            for t in texts:
                add(t, credit)
        elif credit:
            add("", credit)

    # 2. Caption and credit blocks outside figures (WordPress wp-caption, <p class="image-caption">).
    for el in list(tree.iter()):
        if not isinstance(el.tag, str) or el.tag in ("body", "html", "article", "main"):
            continue
        cls = _classes(el)
        if not cls.strip():
            continue
        is_cap = bool(_CAPTION_CLASS.search(cls))
        is_credit = bool(_CREDIT_CLASS.search(cls))
        if not (is_cap or is_credit) or not _attached(el, root):
            continue
        if is_credit and not is_cap and not _PICTURE_WORD.search(cls) and not _near_image(el):
            continue  # a bare "credits" block ("Writing by …; editing by …") is not a picture credit
        t = _text(el)
        if not t or len(t) > 600:  # a "caption" class on a large block is a layout accident, not a caption
            continue
        credit, credit_els = credit_of(el)
        ct, c = _split_credit(t)
        if is_credit and not is_cap:
            add("", credit or c or _norm(_CREDIT_LABEL.sub("", t)))
        else:
            for cel in credit_els:
                ct = _norm(ct.replace(_text(cel), ""))
            add(ct, credit or c)
        _drop(el)
    return out


# ---------------------------------------------------------------- metadata


def _jsonld_objects(tree: Any) -> list[dict[str, Any]]:
    objs: list[dict[str, Any]] = []

    def walk(x: Any, depth: int = 0) -> None:
        if depth > 6:
            return
        if isinstance(x, list):
            for y in x[:50]:
                walk(y, depth + 1)
        elif isinstance(x, dict):
            objs.append(x)
            if "@graph" in x:
                walk(x["@graph"], depth + 1)

    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        raw = (script.text or "").strip()
        if not raw or len(raw) > _MAX_JSONLD_CHARS:
            continue
        try:
            walk(json.loads(raw, strict=False))
        except (ValueError, RecursionError):
            continue
    return objs


def _types(obj: dict[str, Any]) -> set[str]:
    t = obj.get("@type")
    ts = t if isinstance(t, list) else [t]
    return {str(x).lower() for x in ts if x}


def _ld_article(objs: list[dict[str, Any]]) -> dict[str, Any]:
    arts = [o for o in objs if _types(o) & _ARTICLE_TYPES]
    arts.sort(key=lambda o: 0 if _types(o) - {"webpage"} else 1)  # NewsArticle before a bare WebPage
    return arts[0] if arts else {}


def _ld_name(x: Any) -> list[str]:
    if isinstance(x, str):
        return [x]
    if isinstance(x, dict):
        n = x.get("name")
        return [n] if isinstance(n, str) else []
    if isinstance(x, list):
        return [n for y in x[:20] for n in _ld_name(y)]
    return []


def _metas(tree: Any) -> dict[str, str]:
    metas: dict[str, str] = {}
    for m in tree.iter("meta"):
        content = m.get("content")
        if content is None:
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = (m.get(attr) or "").strip().lower()
            if key and key not in metas:
                metas[key] = content.strip()[:2000]
    return metas


def _clean_author(a: str) -> list[str]:
    a = _AUTHOR_PREFIX.sub("", _norm(a))
    if not a or a.startswith(("http://", "https://")) or len(a) > 100:
        return []
    parts = re.split(r"\s*(?:[،,;]|\band\b)\s*", a)
    return [p for p in (_norm(x) for x in parts) if p and len(p) > 1]


def _dedupe(xs: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for x in xs:
        seen.setdefault(x, None)
    return list(seen)


def _is_http(u: str | None) -> bool:
    return bool(u) and urlsplit(u).scheme in ("http", "https")  # type: ignore[arg-type]


def extract_metadata(tree: Any, url: str | None) -> dict[str, Any]:
    """Title, published (with its source), outlet, authors and canonical URL from ``tree``."""
    metas = _metas(tree)
    ld = _ld_article(_jsonld_objects(tree))

    # Canonical URL: <link rel=canonical>, og:url, JSON-LD url / mainEntityOfPage, then the URL we fetched.
    canonical = None
    cands: list[Any] = [
        lnk.get("href") for lnk in tree.iter("link") if "canonical" in (lnk.get("rel") or "").lower().split()
    ]
    cands += [metas.get("og:url"), ld.get("url")]
    mep = ld.get("mainEntityOfPage")
    cands.append(mep.get("@id") if isinstance(mep, dict) else mep)
    for c in cands:
        if isinstance(c, str) and c.strip():
            absu = urljoin(url or "", c.strip())
            if _is_http(absu):
                canonical = absu
                break

    # Outlet: og:site_name, JSON-LD publisher, application-name, then the host name.
    outlet = metas.get("og:site_name") or next(iter(_ld_name(ld.get("publisher"))), None) \
        or metas.get("application-name") or metas.get("al:android:app_name")
    if not outlet and (canonical or url):
        host = urlsplit(canonical or url or "").hostname or ""
        outlet = host.removeprefix("www.") or None
    outlet = _norm(outlet) or None

    # Title: og:title, JSON-LD headline, first <h1>, <title> (minus a " - Outlet" suffix).
    h1 = next((t for t in (_text(h) for h in tree.iter("h1")) if t), None)
    title_el = next((_text(t) for t in tree.iter("title")), None)
    title = None
    for cand in (metas.get("og:title"), ld.get("headline"), metas.get("twitter:title"), h1, title_el):
        if isinstance(cand, str) and _norm(cand):
            title = _norm(cand)
            break
    if title and outlet:
        for sep in (" - ", " | ", " – ", " — ", " :: "):
            for side in (f"{sep}{outlet}", f"{outlet}{sep}"):
                if title.endswith(side) and len(title) > len(side):
                    title = title[: -len(side)]
                elif title.startswith(side) and len(title) > len(side):
                    title = title[len(side):]

    # Publication date, best source first.
    published, source = None, None
    for key in _DATE_METAS:
        if d := parse_date_value(metas.get(key)):
            published, source = d, f"meta:{key}"
            break
    if not published:
        for key in ("datePublished", "dateCreated", "uploadDate"):
            v = ld.get(key)
            if isinstance(v, str) and (d := parse_date_value(v)):
                published, source = d, "json-ld"
                break
    if not published:
        times = [t for t in tree.iter("time") if t.get("datetime")]
        times.sort(key=lambda t: 0 if re.search(r"publish|pubdate|created",
                                                 f"{_classes(t)} {t.get('itemprop') or ''} "
                                                 f"{'pubdate' if t.get('pubdate') is not None else ''}",
                                                 re.I) else 1)
        for t in times:
            if d := parse_date_value(t.get("datetime")):
                published, source = d, "time"
                break
    if not published:
        for el in tree.iter():
            if not isinstance(el.tag, str) or el.tag in ("script", "style", "body", "html", "head"):
                continue
            if _DATEISH.search(_classes(el)):
                t = _text(el)
                if t and len(t) <= 200 and (d := parse_date_value(t)):
                    published, source = d, "page-date"
                    break
    if not published:
        # Short text nodes only (datelines, meta lists): a date inside a paragraph of prose is usually the
        # date of an event, not of the article. Joined with newlines so adjacent elements do not glue
        # "العنوان27 نوفمبر" together.
        nodes = tree.xpath("//body//text()[not(ancestor::script) and not(ancestor::style)]")
        page_text = "\n".join(t for t in (str(x).strip() for x in nodes[:20000]) if t and len(t) <= 150)
        if d := parse_arabic_date(page_text):
            published, source = d, "page-text"
    if not published and (d := date_from_url(canonical or url)):
        published, source = d, "url"

    # Authors: JSON-LD author, meta author tags, rel=author links, byline blocks.
    authors: list[str] = []
    for a in _ld_name(ld.get("author")):
        authors += _clean_author(a)
    if not authors:
        for key in _AUTHOR_METAS:
            if metas.get(key):
                authors += _clean_author(metas[key])
                if authors:
                    break
    if not authors:
        for el in tree.iter("a"):
            if "author" in (el.get("rel") or "").lower().split():
                authors += _clean_author(_text(el))
    if not authors:
        for el in tree.iter():
            if isinstance(el.tag, str) and re.search(r"byline|author", _classes(el), re.I):
                t = _text(el)
                if t and len(t) <= 80:
                    authors += _clean_author(t)
                    if authors:
                        break
    return {
        "title": title,
        "published": published,
        "published_from": source,
        "outlet": outlet,
        "authors": _dedupe(authors),
        "canonical": canonical,
    }


# ---------------------------------------------------------------- body


def _trafilatura(tree: Any, url: str | None, fast: bool) -> str:
    import trafilatura

    try:
        res = trafilatura.bare_extraction(
            tree, url=url, include_comments=False, include_tables=False, include_images=False,
            include_links=False, favor_precision=True, with_metadata=False, deduplicate=False, fast=fast,
        )
    except (ValueError, RecursionError, lxml.etree.LxmlError) as e:  # trafilatura raises on pathological trees
        log.debug("trafilatura failed on %s: %s", url, e)
        return ""
    return (getattr(res, "text", None) or "") if res is not None else ""


def _body_text(tree: Any, url: str | None) -> str:
    # Fast mode first (no readability/jusText comparison: ~1.4x faster, same bodies on ordinary news
    # pages); a thin result gets the full comparison.
    text = _trafilatura(tree, url, fast=True) if FAST else ""
    if len(text) < FAST_MIN_CHARS:
        text = _trafilatura(tree, url, fast=False) or text
    if len(text) < FAST_MIN_CHARS:
        # Short or odd pages (text in table cells, below trafilatura's size floor): the paragraphs of
        # <article> (else <body>) when they hold clearly more text.
        root = next(iter(tree.iter("article")), None)
        if root is None:
            root = tree.find(".//body")
        if root is None:
            root = tree
        paras = "\n".join(p for p in (_text(el) for el in root.iter("p")) if p)
        if len(paras) > 2 * len(text.strip()):
            text = paras
    return text


_DATE_WORDS = regex.compile(
    rf"{_MONTH_ALT}|\b(?:نشر|تم النشر|اخر تحديث|تحديث|تاريخ النشر|بتاريخ|في|الساعه|منذ|ص|م|gmt|utc|am|pm|مكه|"
    r"بتوقيت|غرينتش|السبت|الاحد|الاثنين|الثلاثاء|الاربعاء|الخميس|الجمعه|published|updated|on|at)\b"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?",
    regex.I,
)


def _is_date_line(line: str) -> bool:
    """A line that is only a date (with weekday, time, "نشر في" …): page furniture, not article text."""
    if len(line) > 80 or not (parse_arabic_date(line) or parse_date_value(line)):
        return False
    rest = _DATE_WORDS.sub(" ", fold(line).lower())
    rest = regex.sub(r"[\d:/.,،\-–|()+]+", " ", rest)
    return not rest.split()


def _clean_body(text: str, title: str | None, captions: list[dict[str, str | None]]) -> str:
    """Drop the headline line and any line that is a caption or credit trafilatura let through."""
    banned = set()
    for c in captions:
        for piece in (c.get("text"), c.get("credit")):
            if piece:
                banned.add(_norm(piece))
        if c.get("text") and c.get("credit"):
            banned.add(_norm(f"{c['text']} {c['credit']}"))
    lines = [ln.strip() for ln in text.replace("\r", "").split("\n")]
    out = []
    for i, ln in enumerate(lines):
        n = _norm(ln)
        if not n:
            continue
        if i == 0 and title and n == _norm(title):
            continue
        if n in banned or _norm(_CREDIT_LABEL.sub("", _CAPTION_LABEL.sub("", n))) in banned:
            continue
        if _is_date_line(n):  # a dateline the page template put in the article block
            continue
        out.append(ln)
    return "\n".join(out)


def parse_tree(text: str, name: str) -> Any:
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False)
    try:
        tree = lxml.html.document_fromstring(text, parser=parser)
    except (ValueError, lxml.etree.LxmlError) as e:
        raise ReaderError(f"{name}: cannot parse HTML: {e}") from e
    if tree is None:
        raise ReaderError(f"{name}: cannot parse HTML")
    return tree


def text_id(text: str) -> str:
    return "sha1-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:20]


def read_html(html: bytes | str, *, url: str | None = None, name: str | None = None,
              http_charset: str | None = None) -> dict[str, Any]:
    """Read one news page into an input document (see docs/readers.md for the fields).

    ``name`` labels the input in errors (a path or URL); ``http_charset`` is the
    charset of the HTTP Content-Type header, which wins over a meta charset.
    Raises ``ReaderError`` for empty, binary, non-HTML or text-less input.
    """
    name = name or url or "<html>"
    if isinstance(html, bytes):
        if not html.strip():
            raise ReaderError(f"{name}: empty input")
        if len(html) > MAX_HTML_BYTES:
            raise ReaderError(f"{name}: {len(html)} bytes is larger than the {MAX_HTML_BYTES}-byte page limit")
        if b"\x00" in html and html.count(b"\x00", 0, 65536) <= 10:
            html = html.replace(b"\x00", b"")  # a few stray NULs in a page are damage, not a binary file
        text, encoding = decode_html(html, name=name, http_charset=http_charset)
    elif isinstance(html, str):
        if not html.strip():
            raise ReaderError(f"{name}: empty input")
        if len(html) > MAX_HTML_BYTES:
            raise ReaderError(f"{name}: {len(html)} characters is larger than the page limit")
        text, encoding = html, None
    else:
        raise TypeError("html must be bytes or str")
    text = _UNSAFE_CHARS.sub("", text.lstrip("\ufeff"))
    if not _HTMLISH.search(text[:65536]):
        raise ReaderError(f"{name}: does not look like HTML (no HTML tags found)")
    # lxml refuses str input that carries an XML encoding declaration.
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    if len(text) > 10000:
        text = _HUGE_TAG.sub(r"<\1>", text)  # keep the element, drop its oversized attribute list
    tree = parse_tree(text, name)

    meta = extract_metadata(tree, url)
    captions = extract_captions(tree)
    body = _clean_body(_body_text(tree, url), meta["title"], captions)
    if len(body.split()) < 5:  # a menu word or two is what is left of pages without an article
        raise ReaderError(f"{name}: no article text found in the page")
    lang, conf = detect_language(body)
    doc_url = meta["canonical"] or (url if _is_http(url) else None)
    return {
        "id": doc_url or text_id(body),
        "text": body,
        "published": meta["published"],
        "lang": lang,
        "title": meta["title"],
        "url": doc_url,
        "outlet": meta["outlet"],
        "authors": meta["authors"],
        "encoding": encoding,
        "captions": captions,
        "published_from": meta["published_from"],
        "lang_confidence": round(conf, 3),
    }
