"""The qawl web application: server-rendered Arabic-first pages and a JSON API.

``create_app(store_url=None, token=None, max_body=2_000_000)`` builds the FastAPI app.
Pages are Jinja2 templates rendered on the server (right to left, autoescaped). The markup
built in Python for speed — the highlighted article text, the statement list, the article
header and lists of search results, in ``qawl.web.render`` — escapes every value the way the
templates do. Writing (``POST /api/ingest``, storing from Analyse) needs the token
(``--token`` or ``QAWL_TOKEN``); without one the server is read-only.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import gc
import hashlib
import hmac
import os
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator
from importlib import resources
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

import orjson
from fastapi import Body, FastAPI, Form, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from qawl.web import i18n, render
from qawl.web.cache import ResponseCache, sqlite_signature
from qawl.web.security import BodyLimit, SecurityHeaders

DEFAULT_MAX_BODY = 2_000_000
MAX_TEXT = 1_000_000  # characters accepted by extract/analyse (the body limit also applies)
DATE_RE = r"^\d{4}-\d{2}-\d{2}$"
KIND_RE = r"^(direct|indirect|mixed|according)$"
HERE = Path(__file__).resolve().parent
VARY_COOKIE = {"vary": "Cookie"}
_MARK = "\x00"  # around the names of the parts of a page shell (see shell_page); never in a template


class JSON(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, default=str, option=orjson.OPT_NON_STR_KEYS)


class ExtractIn(BaseModel):
    text: str = Field(..., max_length=MAX_TEXT, description="Article text (plain).")
    published: str | None = Field(None, pattern=DATE_RE, description="Publication date, YYYY-MM-DD.")
    lang: str | None = Field(None, pattern=r"^[a-z]{2,3}$")
    id: str | None = Field(None, max_length=500)


class DocIn(ExtractIn):
    title: str | None = Field(None, max_length=2000)
    url: str | None = Field(None, max_length=4000)
    outlet: str | None = Field(None, max_length=500)


class IngestIn(BaseModel):
    documents: list[DocIn] = Field(..., min_length=1, max_length=1000)


class StoreUnavailable(RuntimeError):
    pass


class _LRU:
    """A small thread-safe LRU for rendered article bodies (highlighting is the costly part)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.data: OrderedDict[Any, Any] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Any) -> Any:
        with self.lock:
            v = self.data.get(key)
            if v is not None:
                self.data.move_to_end(key)
            return v

    def put(self, key: Any, value: Any) -> None:
        with self.lock:
            self.data[key] = value
            self.data.move_to_end(key)
            while len(self.data) > self.size:
                self.data.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.data.clear()


def _clean(s: str | None) -> str | None:
    """Query strings reach SQL: drop NULs (PostgreSQL refuses them) and surrounding blanks."""
    if s is None:
        return None
    s = s.replace("\x00", "").strip()
    return s or None


def _page_links(request: Request, n: int, limit: int, offset: int) -> dict[str, str | None]:
    def at(off: int) -> str:
        params = dict(request.query_params)
        params["offset"] = str(off)
        params["limit"] = str(limit)
        return f"{request.url.path}?{urlencode(params)}"

    return {
        "next": at(offset + limit) if n >= limit else None,
        "prev": at(max(0, offset - limit)) if offset > 0 else None,
    }


def create_app(store_url: str | None = None, token: str | None = None, max_body: int = DEFAULT_MAX_BODY,
               store: Any = None, cache_ttl: float = 60.0, fetch_private: bool = False,
               freeze_gc: bool = False) -> FastAPI:
    """Build the app. ``store`` (an opened store) overrides ``store_url``; the store opens lazily.

    ``cache_ttl``: seconds a rendered GET response may be reused (0 disables; see ``qawl.web.cache``).
    ``fetch_private``: let Analyse fetch URLs on loopback/private addresses (off: no SSRF into the LAN).
    ``freeze_gc``: for a server process (``qawl serve``): at startup, move everything loaded so far out
    of the garbage collector's reach (``gc.freeze``), so its periodic full collections no longer walk
    tens of thousands of long-lived objects (framework, templates, data) — a pause of tens of
    milliseconds for every request in flight.
    """
    token = token if token is not None else (os.environ.get("QAWL_TOKEN") or None)
    state: dict[str, Any] = {"store": store}
    store_lock = threading.Lock()
    cache = _LRU(1024)
    # Extraction is CPU-bound Python: running many at once under the GIL only stretches every request.
    # A FIFO semaphore keeps them one or two at a time, so the queue is fair and the tail short.
    extract_slots = asyncio.Semaphore(2)
    response_caches: list[ResponseCache] = []

    def clear_caches() -> None:
        cache.clear()
        for c in response_caches:
            c.clear()

    def get_store() -> Any:
        if state["store"] is None:
            with store_lock:
                if state["store"] is None:
                    try:
                        from qawl.store import open_store
                    except ImportError as e:  # the store package is optional for Analyse
                        raise StoreUnavailable(f"the statement store is not available: {e}") from e
                    state["store"] = open_store(store_url)
        return state["store"]

    app = FastAPI(
        title="qawl API",
        version=_version(),
        description="Who said what, to whom, when and according to whom, in Arabic news. "
                    "Lists take `limit` and `offset` and return `next` links.",
        docs_url=None, redoc_url=None,  # Swagger/ReDoc load from a CDN; /docs is served offline instead
        default_response_class=JSON,
        lifespan=_frozen_gc if freeze_gc else None,
    )
    app.state.get_store = get_store
    app.state.cache = cache

    env = Environment(
        loader=FileSystemLoader(str(_templates_dir())),
        autoescape=select_autoescape(default=True, default_for_string=True),
        finalize=render.plain,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # templates are package files: no stat() of each one on every request
    )
    env.filters["q"] = lambda s: render.quote_path(str(s))
    env.filters["short"] = lambda s, n=160: (s if len(s or "") <= n else (s or "")[: n - 1] + "…")
    env.filters["day"] = lambda s: str(s)[:10] if s else ""
    static_v = _static_version()
    for name in env.list_templates(filter_func=lambda n: n.endswith(".html")):
        env.get_template(name)  # compile every template now, not on a first request
    # Per interface language, computed once: the colour legend and the statement list's labels.
    macros = env.get_template("_macros.html").module
    legend_html = {lang: Markup(str(macros.legend(i18n.translator(lang)))) for lang in i18n.LANGS}  # type: ignore[attr-defined]
    reading_labels = {lang: render.reading_labels(i18n.translator(lang)) for lang in i18n.LANGS}
    original_label = {lang: i18n.translator(lang)("original") for lang in i18n.LANGS}
    badge_labels = {lang: {f"k_{k}": i18n.translator(lang)(f"k_{k}") for k in render.KINDS} for lang in i18n.LANGS}
    # Statement lists (search results, latest statements, a speaker's statements), built in Python.
    env.globals["hits_list"] = lambda items, lang, show_speaker=True: render.hits(
        items or [], reading_labels.get(lang, reading_labels[i18n.DEFAULT_LANG]), show_speaker)

    def lang_of(request: Request) -> str:
        return i18n.pick_lang(request.query_params.get("lang"), request.cookies.get("lang"))

    def page(request: Request, name: str, ctx: dict[str, Any], status: int = 200) -> HTMLResponse:
        lang = lang_of(request)
        t = i18n.translator(lang)
        params = dict(request.query_params)
        params["lang"] = "en" if lang == "ar" else "ar"
        path = _url_path(request.scope)
        base = {
            "request": request, "lang": lang, "dir": "rtl" if lang == "ar" else "ltr", "t": t,
            "switch_url": f"{path}?{urlencode(params)}", "static_v": static_v,
            "path": path, "read_only": token is None, "legend_html": legend_html[lang],
        }
        base.update(ctx)
        return html_response(request, env.get_template(name).render(base), lang, status)

    # Page shells: a template whose varying parts are only a title and the main content (the article
    # page) is rendered once per interface language with markers in their place, and filled in per
    # request — the rest of the page (head, navigation, footer) is the same for every article.
    shells: dict[tuple[str, str], list[str]] = {}

    def shell_page(request: Request, lang: str, name: str, section: str, title: Any, main: Markup) -> HTMLResponse:
        parts = shells.get((name, lang))
        if parts is None:
            marks = {k: Markup(f"{_MARK}{k}{_MARK}") for k in ("title", "switch", "main")}
            html = env.get_template(name).render({
                "lang": lang, "dir": "rtl" if lang == "ar" else "ltr", "t": i18n.translator(lang),
                "switch_url": marks["switch"], "static_v": static_v, "path": section, "read_only": token is None,
                "title": marks["title"], "main": marks["main"]})
            parts = html.split(_MARK)
            if len(parts) % 2 != 1 or not set(parts[1::2]) <= set(marks):
                raise RuntimeError(f"{name}: a page shell needs its markers, once each, and no other NUL")
            shells[(name, lang)] = parts
        params = dict(request.query_params)
        params["lang"] = "en" if lang == "ar" else "ar"
        fill = {"title": render.html_value(title), "main": str(main),
                "switch": render.html_value(f"{_url_path(request.scope)}?{urlencode(params)}")}
        html = "".join([fill[p] if i % 2 else p for i, p in enumerate(parts)])
        return html_response(request, html, lang)

    def html_response(request: Request, html: str, lang: str, status: int = 200) -> HTMLResponse:
        # Vary: the interface language comes from a cookie.
        resp = HTMLResponse(html, status_code=status, headers=VARY_COOKIE)
        if request.query_params.get("lang") in i18n.LANGS:
            resp.set_cookie("lang", lang, max_age=365 * 86400, samesite="lax", httponly=True)
        return resp

    def check_token(given: str | None) -> None:
        if token is None:
            raise HTTPException(403, "this server is read-only: start it with --token or QAWL_TOKEN "
                                     "set to allow writing")
        if not given or not hmac.compare_digest(given.encode(), token.encode()):
            raise HTTPException(403, "a valid write token is required (Authorization: Bearer <token> "
                                     "or the form's token field)")

    def bearer(request: Request) -> str | None:
        h = request.headers.get("authorization", "")
        if h.lower().startswith("bearer "):
            return h[7:].strip()
        return None

    # ------------------------------------------------------------------ errors
    def wants_html(request: Request) -> bool:
        return not request.url.path.startswith("/api/") and request.url.path != "/openapi.json"

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if wants_html(request):
            return page(request, "error.html", {"status": exc.status_code, "message": str(exc.detail)},
                        status=exc.status_code)
        return JSON({"detail": exc.detail}, status_code=exc.status_code)

    @app.exception_handler(StoreUnavailable)
    async def no_store(request: Request, exc: StoreUnavailable) -> Response:
        if wants_html(request):
            return page(request, "error.html", {"status": 503, "message": str(exc)}, status=503)
        return JSON({"detail": str(exc)}, status_code=503)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg"), "type": e.get("type")}
                  for e in exc.errors()]
        if wants_html(request):
            msg = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors)
            return page(request, "error.html", {"status": 422, "message": msg}, status=422)
        return JSON({"detail": errors}, status_code=422)

    def store_call(fn: Any, *args: Any, **kw: Any) -> Any:
        """Call the store; a ValueError (bad query for the backend) becomes a 400, not a 500."""
        try:
            return fn(*args, **kw)
        except ValueError as e:
            raise HTTPException(400, f"bad request: {e}") from e

    # ------------------------------------------------------------------ pages
    @app.get("/", include_in_schema=False)
    async def home(request: Request) -> HTMLResponse:
        st = get_store()
        return page(request, "home.html", {
            "latest": store_call(st.latest_statements, 12),
            "speakers": store_call(st.speakers, top=15),
            "stats": _safe_stats(st),
            "form": {},
        })

    @app.get("/search", include_in_schema=False)
    async def search_page(
        request: Request,
        q: Annotated[str | None, Query(max_length=500)] = None,
        speaker: Annotated[str | None, Query(max_length=300)] = None,
        outlet: Annotated[str | None, Query(max_length=300)] = None,
        kind: Annotated[str | None, Query(max_length=20)] = None,
        since: Annotated[str | None, Query(max_length=10)] = None,
        until: Annotated[str | None, Query(max_length=10)] = None,
        limit: Annotated[int, Query(ge=1, le=100)] = 20,
        offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
    ) -> HTMLResponse:
        form = {"q": q or "", "speaker": speaker or "", "outlet": outlet or "", "kind": kind or "",
                "since": since or "", "until": until or ""}
        kind_v = kind if kind in render.KINDS else None
        hits = store_call(get_store().search, _clean(q), speaker=_clean(speaker), outlet=_clean(outlet),
                          kind=kind_v, since=_date_or_none(since), until=_date_or_none(until),
                          limit=limit, offset=offset)
        return page(request, "search.html", {"hits": hits, "form": form,
                                             **_page_links(request, len(hits), limit, offset)})

    async def article_page(request: Request) -> HTMLResponse:
        article_id: str = request.path_params["article_id"]
        art = store_call(get_store().article, _article_key(article_id))
        if not art:
            raise HTTPException(404, f"no article with id {article_id!r}")
        lang = lang_of(request)
        ex = art.get("extraction") or {"text": art.get("text") or "", "attributions": []}
        if not ex.get("text"):
            ex = dict(ex, text=art.get("text") or "")
        key = (art.get("article_id"), art.get("extractor_version"), len(ex["text"]),
               len(ex.get("attributions") or []), lang)
        body = cache.get(key)
        if body is None:
            hl = render.highlight(ex, badge_labels[lang])
            links = _links_for(_article_refs(get_store(), art))
            for it in hl.items:
                it.links = links.get(it.aid, {})
            # The reading view (text + statement list) depends only on the key: render it once.
            body = render.reading(hl, reading_labels[lang], art.get("published"))
            cache.put(key, body)
        main = render.article_head(art, original_label[lang]) + legend_html[lang] + body
        return shell_page(request, lang, "article.html", "/article/", art.get("title") or art.get("article_id"), main)

    # A plain Starlette route: the only parameter is a path string, and FastAPI's per-request
    # parameter machinery (dependency solving, validation) cost about as much as the rest of the
    # page. Errors go through the same handlers as every other page.
    app.router.add_route("/article/{article_id}", article_page, methods=["GET"], include_in_schema=False)

    @app.get("/articles", include_in_schema=False)
    async def articles_page(request: Request, limit: Annotated[int, Query(ge=1, le=100)] = 30,
                            offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> HTMLResponse:
        arts = store_call(get_store().articles, limit, offset)
        return page(request, "articles.html", {"articles": arts, **_page_links(request, len(arts), limit, offset)})

    @app.get("/speakers", include_in_schema=False)
    async def speakers_page(request: Request, q: Annotated[str | None, Query(max_length=300)] = None,
                            limit: Annotated[int, Query(ge=1, le=200)] = 50,
                            offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> HTMLResponse:
        sp = store_call(get_store().speakers, top=limit, offset=offset, query=_clean(q))
        return page(request, "speakers.html", {"speakers": sp, "q": q or "",
                                               **_page_links(request, len(sp), limit, offset)})

    @app.get("/speaker/{key}", include_in_schema=False)
    async def speaker_page(request: Request, key: str) -> HTMLResponse:
        sp = store_call(get_store().speaker, _speaker_key(key))
        if not sp:
            raise HTTPException(404, f"no speaker {key!r}")
        return page(request, "speaker.html", {"sp": sp, "chart": render.timeline(sp.get("weekly") or [])})

    @app.get("/statement/{statement_id}", include_in_schema=False)
    async def statement_page(request: Request, statement_id: str) -> HTMLResponse:
        st = store_call(get_store().statement, _statement_key(statement_id))
        if not st:
            raise HTTPException(404, f"no statement {statement_id!r}")
        reports = sorted(st.get("reports") or [], key=lambda r: (str(r.get("published") or "9999"),))
        return page(request, "statement.html", {"st": st, "reports": reports})

    @app.get("/analyse", include_in_schema=False)
    async def analyse_form(request: Request) -> HTMLResponse:
        return page(request, "analyse.html", {"form": {}, "hl": None, "can_fetch": _can_fetch()})

    @app.post("/analyse", include_in_schema=False)
    async def analyse(
        request: Request,
        text: Annotated[str, Form(max_length=MAX_TEXT)] = "",
        url: Annotated[str, Form(max_length=4000)] = "",
        title: Annotated[str, Form(max_length=2000)] = "",
        published: Annotated[str, Form(max_length=10)] = "",
        store_it: Annotated[str, Form()] = "",
        token_field: Annotated[str, Form(alias="token")] = "",
    ) -> HTMLResponse:
        lang = lang_of(request)
        form = {"text": text, "url": url, "title": title, "published": published, "store_it": bool(store_it)}
        meta: dict[str, Any] = {}
        if not text.strip() and url.strip():
            text, meta = await run_in_threadpool(_fetch, url.strip(), fetch_private)
            form["text"] = text
            form["title"] = title or str(meta.get("title") or "")
            published = published or str(meta.get("published") or "")
        if not text.strip():
            raise HTTPException(422, "paste a text to analyse (or give a URL)")
        pub = published if _date_or_none(published) else None
        stored = None
        if store_it:
            check_token(token_field or bearer(request))
        async with extract_slots:
            doc = await run_in_threadpool(_extract, text, pub)
        ex = doc.to_dict()
        hl = render.highlight(ex, badge_labels[lang])
        if store_it:
            d = {"id": None, "text": text, "published": pub, "lang": "ar",
                 "title": title or meta.get("title"), "url": url or meta.get("url"),
                 "outlet": meta.get("outlet")}
            d["id"] = "analyse-" + hashlib.sha256(text.encode()).hexdigest()[:16]
            summary = store_call(get_store().ingest, [d])
            clear_caches()
            stored = {"summary": summary, "id": d["id"]}
        return page(request, "analyse.html", {"form": form, "hl": hl, "ex": ex, "stored": stored,
                                              "reading_html": render.reading(hl, reading_labels[lang], form["published"]),
                                              "can_fetch": _can_fetch()})

    @app.get("/network", include_in_schema=False)
    async def network_page(request: Request, speaker: Annotated[str | None, Query(max_length=300)] = None,
                           limit: Annotated[int, Query(ge=5, le=500)] = 80) -> HTMLResponse:
        net = store_call(get_store().network, limit=limit, speaker=_clean(speaker))
        names = {n["id"]: n.get("name") for n in net.get("nodes", [])}
        edges = sorted(net.get("edges", []), key=lambda e: -int(e.get("weight") or 0))[:60]
        return page(request, "network.html", {"net": net, "names": names, "edges": edges,
                                              "speaker": speaker or "", "limit": limit})

    @app.get("/docs", include_in_schema=False)
    async def docs_page(request: Request) -> HTMLResponse:
        schema = app.openapi()
        ops = []
        for path, methods in schema.get("paths", {}).items():
            for method, op in methods.items():
                params = [{"name": p.get("name"), "in": p.get("in"), "required": p.get("required", False),
                           "schema": _schema_str(p.get("schema") or {}), "description": p.get("description")}
                          for p in op.get("parameters", [])]
                body = None
                fields: list[dict[str, Any]] = []
                rb = op.get("requestBody")
                if rb:
                    ref = (rb.get("content", {}).get("application/json", {}).get("schema") or {}).get("$ref")
                    body = ref.rsplit("/", 1)[-1] if ref else "JSON"
                    comp = schema.get("components", {}).get("schemas", {}).get(body, {})
                    req = set(comp.get("required", []))
                    for name, prop in (comp.get("properties") or {}).items():
                        sub = prop.get("items", {}).get("$ref") if prop.get("type") == "array" else None
                        typ = f"array of {sub.rsplit('/', 1)[-1]}" if sub else _schema_str(prop)
                        fields.append({"name": name, "schema": typ, "required": name in req,
                                       "description": prop.get("description")})
                ops.append({"method": method.upper(), "path": path, "summary": op.get("summary"),
                            "description": op.get("description"), "params": params, "body": body,
                            "fields": fields})
        return page(request, "docs.html", {"ops": ops, "schema": schema})

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> JSON:
        return JSON({"ok": True})

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> RedirectResponse:
        return RedirectResponse(f"/static/favicon.svg?v={static_v}", status_code=301)

    # ------------------------------------------------------------------ API
    @app.get("/api/stats", summary="Store statistics", tags=["store"])
    async def api_stats() -> JSON:
        return JSON(_safe_stats(get_store()))

    @app.get("/api/articles", summary="List articles", tags=["articles"])
    async def api_articles(request: Request, limit: Annotated[int, Query(ge=1, le=200)] = 20,
                           offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> JSON:
        items = store_call(get_store().articles, limit, offset)
        return JSON({"items": items, "limit": limit, "offset": offset,
                     **_page_links(request, len(items), limit, offset)})

    @app.get("/api/articles/{article_id}", summary="One article with its qawl/1 extraction", tags=["articles"])
    async def api_article(article_id: str) -> JSON:
        art = store_call(get_store().article, _article_key(article_id))
        if not art:
            raise HTTPException(404, f"no article with id {article_id!r}")
        return JSON(art)

    @app.get("/api/statements", summary="Latest statements", tags=["statements"])
    async def api_statements(request: Request, limit: Annotated[int, Query(ge=1, le=200)] = 20,
                             offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> JSON:
        items = store_call(get_store().search, None, limit=limit, offset=offset)
        return JSON({"items": items, "limit": limit, "offset": offset,
                     **_page_links(request, len(items), limit, offset)})

    @app.get("/api/statements/{statement_id}", summary="One statement and every report of it (provenance)",
             tags=["statements"])
    async def api_statement(statement_id: str) -> JSON:
        st = store_call(get_store().statement, _statement_key(statement_id))
        if not st:
            raise HTTPException(404, f"no statement {statement_id!r}")
        return JSON(st)

    @app.get("/api/speakers", summary="Speakers by number of statements", tags=["speakers"])
    async def api_speakers(request: Request, q: Annotated[str | None, Query(max_length=300)] = None,
                           limit: Annotated[int, Query(ge=1, le=200)] = 50,
                           offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> JSON:
        items = store_call(get_store().speakers, top=limit, offset=offset, query=_clean(q))
        return JSON({"items": items, "limit": limit, "offset": offset,
                     **_page_links(request, len(items), limit, offset)})

    @app.get("/api/speakers/{key}", summary="One speaker (id or name): statements, addressees, weekly counts",
             tags=["speakers"])
    async def api_speaker(key: str) -> JSON:
        sp = store_call(get_store().speaker, _speaker_key(key))
        if not sp:
            raise HTTPException(404, f"no speaker {key!r}")
        return JSON(sp)

    @app.get("/api/search", summary="Full-text search over statements", tags=["statements"])
    async def api_search(
        request: Request,
        q: Annotated[str | None, Query(max_length=500, description="Words to find in statement content")] = None,
        speaker: Annotated[str | None, Query(max_length=300)] = None,
        outlet: Annotated[str | None, Query(max_length=300)] = None,
        kind: Annotated[str | None, Query(pattern=KIND_RE)] = None,
        since: Annotated[str | None, Query(pattern=DATE_RE)] = None,
        until: Annotated[str | None, Query(pattern=DATE_RE)] = None,
        limit: Annotated[int, Query(ge=1, le=200)] = 20,
        offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
    ) -> JSON:
        for name, v in (("since", since), ("until", until)):
            if v and _date_or_none(v) is None:
                raise HTTPException(422, f"{name}: not a valid date {v!r}")
        items = store_call(get_store().search, _clean(q), speaker=_clean(speaker), outlet=_clean(outlet),
                           kind=kind, since=since, until=until, limit=limit, offset=offset)
        return JSON({"items": items, "limit": limit, "offset": offset,
                     **_page_links(request, len(items), limit, offset)})

    @app.get("/api/network", summary="Speaker graph: addresses and co-quoted edges", tags=["speakers"])
    async def api_network(speaker: Annotated[str | None, Query(max_length=300)] = None,
                          limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> JSON:
        return JSON(store_call(get_store().network, limit=limit, speaker=_clean(speaker)))

    @app.post("/api/extract", summary="Extract attributions from a text (nothing stored) → qawl/1",
              tags=["extract"])
    async def api_extract(body: ExtractIn) -> JSON:
        async with extract_slots:
            doc = await run_in_threadpool(_extract, body.text, body.published, body.lang, body.id)
        return JSON(doc.to_dict())

    @app.post("/api/ingest", summary="Store documents (needs the write token)", tags=["store"],
              responses={403: {"description": "no token configured, or a wrong/missing token"}})
    async def api_ingest(request: Request, body: Annotated[IngestIn, Body()]) -> JSON:
        check_token(bearer(request))
        docs = [d.model_dump() for d in body.documents]
        for d in docs:
            d["lang"] = d.get("lang") or "ar"
        summary = await run_in_threadpool(store_call, get_store().ingest, docs)
        clear_caches()
        return JSON(summary)

    app.mount("/static", StaticFiles(directory=str(_static_dir())), name="static")
    # The last added runs first: headers on everything, then the body limit, then the cache.
    if cache_ttl and cache_ttl > 0:
        app.add_middleware(ResponseCache, signature=_store_signature(store_url, store), ttl=cache_ttl,  # type: ignore[arg-type]
                           registry=response_caches)
    app.add_middleware(BodyLimit, limit=max_body)  # type: ignore[arg-type]
    app.add_middleware(SecurityHeaders)  # type: ignore[arg-type]
    return app


# ---------------------------------------------------------------------- helpers
@contextlib.asynccontextmanager
async def _frozen_gc(app: FastAPI) -> AsyncIterator[None]:
    gc.collect()
    gc.freeze()
    yield


def _version() -> str:
    from qawl import __version__

    return __version__


def _templates_dir() -> Path:
    return Path(str(resources.files("qawl.web") / "templates"))


def _static_dir() -> Path:
    return Path(str(resources.files("qawl.web") / "static"))


def _static_version() -> str:
    h = hashlib.sha256()
    for p in sorted(_static_dir().iterdir()):
        if p.is_file():
            h.update(p.read_bytes())
    return h.hexdigest()[:10]


def _store_signature(store_url: str | None, store: Any) -> Any:
    """What tells the cache the store changed: the SQLite files' size and mtime (None: TTL only)."""
    db = getattr(store, "db", None)
    if db is not None:
        dialect, target = getattr(db, "dialect", ""), getattr(db, "target", "")
    else:
        try:
            from qawl.store import resolve_url
        except ImportError:
            return None
        dialect, target = resolve_url(store_url)
    if dialect == "sqlite" and target and target != ":memory:":
        return sqlite_signature(str(Path(target).expanduser()))
    return None


def _extract(text: str, published: str | None = None, lang: str | None = None, id: str | None = None) -> Any:
    from qawl import extract

    try:
        return extract(text, published=published, lang=lang, id=id)
    except (ValueError, TypeError) as e:
        raise HTTPException(400, f"cannot extract from this text: {e}") from e


def _can_fetch() -> bool:
    try:
        from qawl.readers import fetch_url  # noqa: F401
    except ImportError:
        return False
    return True


def _public_host(url: str) -> None:
    """Refuse URLs whose host resolves to a loopback, private, link-local or reserved address."""
    import ipaddress
    import socket
    from urllib.parse import urlsplit

    host = urlsplit(url).hostname
    if not host:
        raise HTTPException(422, f"no host in URL {url!r}")
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError as e:
        raise HTTPException(502, f"cannot resolve {host}: {e}") from e
    for info in infos:
        ip = ipaddress.ip_address(info[4][0])
        if not ip.is_global:
            raise HTTPException(422, f"refusing to fetch {url}: {host} is a private or loopback address")


def _fetch(url: str, allow_private: bool = False) -> tuple[str, dict[str, Any]]:
    if not url.startswith(("http://", "https://")):
        raise HTTPException(422, f"not an http(s) URL: {url!r}")
    if not allow_private:
        _public_host(url)
    try:
        from qawl.readers import fetch_url
    except ImportError as e:
        raise HTTPException(501, "fetching URLs needs the readers module, which is not installed") from e
    try:
        res = fetch_url(url)
    except Exception as e:  # network/parse failures are the user's input problem, not a server fault
        raise HTTPException(502, f"could not fetch {url}: {e}") from e
    if isinstance(res, dict):
        return str(res.get("text") or ""), res
    text = getattr(res, "text", "") or ""
    meta = dict(getattr(res, "meta", {}) or {})
    meta.setdefault("url", url)
    return str(text), meta


def _url_path(scope: Any) -> str:
    """``request.url.path`` without building and parsing the whole URL (same escaping as Starlette)."""
    path = scope["path"].replace("?", "%3F").replace("#", "%23").replace("\\", "%5C")
    # "//host/…" would make links built from the path (the language switch) point to another site.
    return "/" + path.lstrip("/") if path.startswith("//") else path


def _date_or_none(s: str | None) -> str | None:
    if not s:
        return None
    try:
        return dt.date.fromisoformat(s.strip()).isoformat()
    except ValueError:
        return None


_MAX_ID = 2**63 - 1  # SQLite/PostgreSQL integer range: larger numbers cannot name a row


def _int_or_str(s: str) -> int | str:
    return int(s) if s.isascii() and s.isdigit() else s


def _statement_key(s: str) -> int:
    """A statement id (an integer); anything else names no statement."""
    v = _int_or_str(s.strip())
    if not isinstance(v, int) or v > _MAX_ID:
        raise HTTPException(404, f"no statement {s!r}")
    return v


def _article_key(s: str) -> str:
    """Article ids are the input id or the row number; numbers past the integer range name nothing."""
    if s.isascii() and s.isdigit() and int(s) > _MAX_ID:
        raise HTTPException(404, f"no article with id {s!r}")
    return s


def _speaker_key(s: str) -> str:
    # Speaker ids are strings (slugs); never turn them into numbers.
    return s.replace("\x00", "").strip()


def _safe_stats(st: Any) -> dict[str, Any]:
    try:
        return dict(st.stats() or {})
    except Exception:  # stats are decoration on the home page; never fail the page for them
        return {}


def _article_refs(st: Any, art: dict[str, Any]) -> list[dict[str, Any]]:
    """Stored rows of an article's attributions: (qawl/1 id, row id, statement id, speaker id)."""
    if art.get("statements") is not None:
        return list(art["statements"])
    fn = getattr(st, "article_statements", None)
    if fn is not None:
        return list(fn(art["article_id"]))
    db = getattr(st, "db", None)
    if db is None:
        return []
    # The store has no public call for this yet; read its attributions table (read-only).
    try:
        with db.lock:
            return db.query(
                "SELECT a.local_id AS aid, a.attribution_id, a.statement_id, f.speaker_id FROM attributions a "
                "LEFT JOIN forms f ON f.form_id = a.form_id WHERE a.article_id = ?", (int(art["article_id"]),))
    except Exception:  # links are an extra; the page renders without them
        return []


def _links_for(refs: list[dict[str, Any]]) -> dict[str, dict[str, str]]:
    """Per qawl/1 attribution id: its stored row id and links to its statement and speaker pages."""
    out: dict[str, dict[str, str]] = {}
    for s in refs:
        aid = s.get("aid") or s.get("local_id")
        if not aid:
            continue
        links = {}
        if s.get("attribution_id") is not None:
            links["ref"] = str(s["attribution_id"])
        if s.get("statement_id") is not None:
            links["statement"] = f"/statement/{render.quote_path(str(s['statement_id']))}"
        if s.get("speaker_id") is not None:
            links["speaker"] = f"/speaker/{render.quote_path(str(s['speaker_id']))}"
        out[str(aid)] = links
    return out


def _schema_str(s: dict[str, Any]) -> str:
    if "anyOf" in s:
        return " | ".join(_schema_str(x) for x in s["anyOf"])
    parts = [str(s.get("type", ""))]
    for k in ("minimum", "maximum", "maxLength", "pattern", "default"):
        if k in s:
            parts.append(f"{k}={s[k]}")
    return " ".join(p for p in parts if p)


def create_app_from_env() -> FastAPI:
    """Factory for uvicorn worker processes: settings from QAWL_DB, QAWL_TOKEN, QAWL_MAX_BODY."""
    return create_app(os.environ.get("QAWL_DB") or None, token=os.environ.get("QAWL_TOKEN") or None,
                      max_body=int(os.environ.get("QAWL_MAX_BODY") or DEFAULT_MAX_BODY),
                      cache_ttl=float(os.environ.get("QAWL_WEB_CACHE_TTL") or 60), freeze_gc=True)
