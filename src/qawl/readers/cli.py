"""`qawl fetch` and `qawl watch`: live pages and feeds into the store (or to stdout / a JSONL file)."""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

log = logging.getLogger("qawl.readers")


def _setup_logging(verbose: bool) -> None:
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, stream=sys.stderr,
                            format="%(asctime)s %(levelname)s %(message)s")
    # httpx logs every request at INFO; keep that for --verbose only.
    logging.getLogger("httpx").setLevel(logging.INFO if verbose else logging.WARNING)


def _store_sink(db: str | None):
    """``open_store(db).ingest`` from the store area, with a clear error when it is missing."""
    try:
        from qawl.store import open_store  # type: ignore[attr-defined]
    except ImportError as e:
        raise typer.BadParameter("the store is not available in this build; use --print/--docs or --out FILE") from e
    store = open_store(db)

    def sink(docs: list[dict[str, Any]]) -> Any:
        return store.ingest(docs)

    return store, sink


def _jsonl_sink(path: Path):
    def sink(docs: list[dict[str, Any]]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs)
        with open(path, "a", encoding="utf-8") as f:  # one write per batch, synced before state moves on
            f.write(data)
            f.flush()
            os.fsync(f.fileno())

    return sink


def _fetcher(timeout: float, retries: int, rate: float):
    from qawl.readers.fetch import Fetcher

    return Fetcher(timeout=timeout, retries=retries, min_interval=rate)


# Options shared by `fetch` and `watch`.
TimeoutOpt = Annotated[float, typer.Option(help="Seconds before a request times out.")]
RetriesOpt = Annotated[int, typer.Option(help="Retries on 5xx, timeouts and connection errors.")]
RateOpt = Annotated[float, typer.Option(help="Minimum seconds between two requests to one host.")]
VerboseOpt = Annotated[bool, typer.Option("--verbose", "-v", help="Log each request.")]


def fetch(
    urls: Annotated[list[str], typer.Argument(help="Article URLs to fetch.", show_default=False)],
    db: Annotated[str | None, typer.Option("--db", help="Store to ingest into (path or postgresql:// URL); "
                                                        "default: the store's default database.")] = None,
    print_: Annotated[bool, typer.Option("--print", help="Print the qawl/1 extraction of each page as JSON "
                                                         "Lines instead of ingesting.")] = False,
    docs: Annotated[bool, typer.Option("--docs", help="Print the input documents as JSON Lines (for "
                                                      "`qawl extract` / `qawl ingest`) instead of ingesting.")] = False,
    timeout: TimeoutOpt = 20.0,
    retries: RetriesOpt = 3,
    rate: RateOpt = 1.0,
    verbose: VerboseOpt = False,
) -> None:
    """Fetch article pages (robots.txt respected), extract their text and ingest them."""
    from qawl.readers import extract_kwargs, is_supported
    from qawl.readers.errors import ReaderError
    from qawl.readers.fetch import fetch_url

    _setup_logging(verbose)
    got: list[dict[str, Any]] = []
    failed = skipped = 0
    with _fetcher(timeout, retries, rate) as f:
        for url in urls:
            try:
                doc = fetch_url(url, fetcher=f)
            except ReaderError as e:
                failed += 1
                typer.echo(f"error: {e}", err=True)
                continue
            if not is_supported(doc["lang"]):
                skipped += 1
                typer.echo(f"skipped: {url}: language {doc['lang']!r} is not supported (ar, en)", err=True)
                continue
            if print_:
                import qawl

                try:
                    out = qawl.extract(**extract_kwargs(doc)).to_dict()
                except Exception as e:  # one page the extractor chokes on must not stop the others
                    failed += 1
                    typer.echo(f"error: {url}: extraction failed: {type(e).__name__}: {e}", err=True)
                    continue
                typer.echo(json.dumps(out, ensure_ascii=False))
            elif docs:
                typer.echo(json.dumps(doc, ensure_ascii=False))
            got.append(doc)
    summary: dict[str, Any] = {"fetched": len(got), "failed": failed, "skipped_language": skipped}
    if got and not (print_ or docs):
        store, sink = _store_sink(db)
        try:
            summary["ingest"] = sink(got)
        finally:
            close = getattr(store, "close", None)
            if callable(close):
                close()
    typer.echo(json.dumps(summary, ensure_ascii=False, default=str), err=True)
    if failed and not got:
        raise typer.Exit(1)


def watch(
    feeds: Annotated[list[str], typer.Argument(help="RSS or Atom feed URLs.", show_default=False)],
    every: Annotated[str, typer.Option(help="Poll interval: 30s, 10m, 1h.")] = "10m",
    db: Annotated[str | None, typer.Option("--db", help="Store to ingest into (path or postgresql:// URL).")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Append new documents to this JSON Lines file "
                                                           "instead of ingesting them.")] = None,
    state: Annotated[Path | None, typer.Option("--state", help="Watch state file (ETag, Last-Modified, seen "
                                                               "entries); default $QAWL_WATCH_STATE or "
                                                               "~/.local/state/qawl/watch.json.")] = None,
    once: Annotated[bool, typer.Option("--once", help="Poll each feed once and exit.")] = False,
    max_polls: Annotated[int | None, typer.Option("--max-polls", help="Stop after N polls.")] = None,
    timeout: TimeoutOpt = 20.0,
    retries: RetriesOpt = 3,
    rate: RateOpt = 1.0,
    verbose: VerboseOpt = False,
) -> None:
    """Poll feeds, fetch new articles and ingest them; restarts resume without duplicates."""
    from qawl.readers.errors import ReaderError
    from qawl.readers.feeds import Watcher, WatchState, default_state_path, parse_interval

    _setup_logging(verbose)
    try:
        interval = parse_interval(every)
    except ValueError as e:
        raise typer.BadParameter(str(e), param_hint="--every") from e
    if once:
        max_polls = 1
    if max_polls is not None and max_polls < 1:
        raise typer.BadParameter("must be at least 1", param_hint="--max-polls")
    state_path = state or default_state_path()
    try:
        st = WatchState(state_path)
    except ReaderError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(2) from e
    store = None
    if out is not None:
        sink = _jsonl_sink(out)
    else:
        store, sink = _store_sink(db)

    def on_poll(n: int, rep: Any) -> None:
        d = rep.as_dict()
        errors = d.pop("errors")
        typer.echo(json.dumps({"poll": n, **d}, ensure_ascii=False), err=True)
        for e in errors[:20]:
            typer.echo(f"  {e}", err=True)

    with _fetcher(timeout, retries, rate) as f:
        w = Watcher(feeds, state=st, sink=sink, fetcher=f)
        total = None
        try:
            total = w.run(every=interval, max_polls=max_polls, on_poll=on_poll)
        except KeyboardInterrupt:
            typer.echo("stopped; state saved in " + str(state_path), err=True)
        finally:
            close = getattr(store, "close", None)
            if callable(close):
                close()
    if total is not None and total.feeds and total.feed_errors >= total.feeds:
        typer.echo("error: every feed failed on every poll", err=True)
        raise typer.Exit(1)  # a bounded run (--once / --max-polls) that got nothing at all


def register(app: typer.Typer) -> None:
    app.command("fetch")(fetch)
    app.command("watch")(watch)
