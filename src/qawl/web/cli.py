"""`qawl serve` and `qawl demo`: run the web app on this machine."""

from __future__ import annotations

import os
import socket
from importlib import resources
from pathlib import Path
from typing import Annotated

import orjson
import typer

DEMO_PORT = 8765


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("demo")(demo)


def serve(
    db: Annotated[str | None, typer.Option("--db", help="SQLite file or postgresql:// URL (default: $QAWL_DB or "
                                                         "the user's data directory).")] = None,
    host: Annotated[str, typer.Option(help="Address to listen on. Keep 127.0.0.1 unless behind a proxy.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    token: Annotated[str | None, typer.Option(help="Write token (else $QAWL_TOKEN); without one the server "
                                                   "is read-only.")] = None,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes.")] = 1,
    max_body: Annotated[int, typer.Option("--max-body", min=1024, help="Largest request body in bytes.")] = 2_000_000,
    cache_ttl: Annotated[float, typer.Option("--cache-ttl", min=0, help="Seconds a rendered page may be reused "
                                                                        "(SQLite: also until the store changes); "
                                                                        "0 disables.")] = 60.0,
) -> None:
    """Serve the web app and JSON API (pages at /, API under /api, docs at /docs)."""
    _run(db, host, port, token, workers, max_body, cache_ttl)


def demo(
    port: Annotated[int | None, typer.Option(help=f"TCP port (default {DEMO_PORT}, or a free one if taken).")] = None,
    db: Annotated[str | None, typer.Option("--db", help="Store for the demo (default: demo.db in the user's "
                                                         "data directory).")] = None,
    serve_it: Annotated[bool, typer.Option("--serve/--no-serve", help="Start the server after ingesting.")] = True,
) -> None:
    """Ingest the bundled sample articles into a local store and open the web app on 127.0.0.1.

    With CI=true in the environment it checks that the app answers and exits instead of serving.
    """
    from qawl.store import open_store

    path = db or str(demo_db_path())
    if "://" not in path:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    docs = sample_articles()
    typer.echo(f"qawl demo: {len(docs)} sample articles (SaudiNewsNet, CC BY-NC-SA 4.0) → {path}")
    _upgrade_demo_store(path)
    store = open_store(path)
    try:
        summary = store.ingest(docs)
        store.reindex()  # a demo store made by an older qawl shows what this one extracts
        stats = _stats(store)
    finally:
        close = getattr(store, "close", None)
        if close:
            close()
    added = summary.get("added", "?") if isinstance(summary, dict) else "?"
    line = f"qawl demo: {added} new"
    if stats:
        line += (f"; the store holds {stats.get('articles', '?')} articles, {stats.get('statements', '?')} "
                 f"statements, {stats.get('speakers', '?')} speakers")
    typer.echo(line)
    if not serve_it:
        return
    chosen = port if port is not None else (DEMO_PORT if _free(DEMO_PORT) else _any_free_port())
    if os.environ.get("CI") == "true":
        _check_answers(path, chosen, docs[0]["id"])
        return
    _run(path, "127.0.0.1", chosen, None, 1, 2_000_000, 60.0)


def _check_answers(db: str, port: int, article_id: str) -> None:
    """CI: serve briefly on loopback, fetch the home page, an article page and the API, then stop."""
    import threading
    import time

    import httpx
    import uvicorn

    from qawl.web.app import create_app

    url = f"http://127.0.0.1:{port}"
    server = uvicorn.Server(uvicorn.Config(create_app(db, token=None), host="127.0.0.1", port=port,
                                           log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.time() + 30
        while not server.started:
            if time.time() > deadline or not thread.is_alive():
                raise typer.Exit(_fail(f"the demo server did not start on {url}"))
            time.sleep(0.05)
        for path in ("/", f"/article/{article_id}", "/api/stats"):
            r = httpx.get(url + path, timeout=30)
            if r.status_code != 200:
                raise typer.Exit(_fail(f"GET {url}{path} answered {r.status_code}"))
        typer.echo(f"qawl demo: the app answers at {url}/ (CI=true: checked, not serving)")
    finally:
        server.should_exit = True
        thread.join(10)


def _fail(msg: str) -> int:
    typer.echo(f"qawl demo: {msg}", err=True)
    return 1


def sample_articles() -> list[dict]:
    """The bundled demo articles (JSON Lines under qawl/data/samples)."""
    src = resources.files("qawl") / "data" / "samples" / "articles.jsonl"
    return [orjson.loads(line) for line in src.read_text(encoding="utf-8").splitlines() if line.strip()]


def _upgrade_demo_store(path: str) -> None:
    """The demo's store is qawl's own: move one made by an older qawl to the current schema."""
    from qawl.store.core import HOOKS
    from qawl.store.db import DB, current_version, migrate

    conn = DB(path)
    try:
        before = current_version(conn)
        if before:
            applied = migrate(conn, hooks=HOOKS)
            if applied:
                typer.echo(f"qawl demo: upgraded the demo store's schema {before} → {current_version(conn)}")
    finally:
        conn.close()


def demo_db_path() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "qawl" / "demo.db"


def _stats(store: object) -> dict:
    try:
        return dict(store.stats() or {})  # type: ignore[attr-defined]
    except Exception:  # decoration only
        return {}


def _free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _any_free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run(db: str | None, host: str, port: int, token: str | None, workers: int, max_body: int,
         cache_ttl: float) -> None:
    import uvicorn

    typer.echo(f"qawl: serving on http://{host}:{port}/  (API http://{host}:{port}/docs; Ctrl-C to stop)")
    if token is None and not os.environ.get("QAWL_TOKEN"):
        typer.echo("qawl: no write token: the server is read-only (set --token or QAWL_TOKEN to allow writing)")
    if workers > 1:
        # Worker processes build their own app from the environment.
        if db:
            os.environ["QAWL_DB"] = db
        if token:
            os.environ["QAWL_TOKEN"] = token
        os.environ["QAWL_MAX_BODY"] = str(max_body)
        os.environ["QAWL_WEB_CACHE_TTL"] = str(cache_ttl)
        from qawl.web import workers as multi

        if multi.supported() and port != 0:  # port 0: one shared socket, or each worker would get its own port
            # One SO_REUSEPORT socket per worker: the kernel balances connections between them.
            try:
                code = multi.run(workers, host, port, log_level="warning", access_log=False)
            except OSError as e:
                typer.echo(f"qawl: cannot listen on {host}:{port}: {e}", err=True)
                raise typer.Exit(1) from e
            if code:
                raise typer.Exit(code)
            return
        uvicorn.run("qawl.web.app:create_app_from_env", factory=True, host=host, port=port, workers=workers,
                    log_level="warning", access_log=False)
        return
    from qawl.web.app import create_app

    app = create_app(db, token=token, max_body=max_body, cache_ttl=cache_ttl, freeze_gc=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
