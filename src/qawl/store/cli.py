"""Store commands: ingest, reindex, search, speakers, speaker, export, db upgrade/status."""

from __future__ import annotations

import csv
import glob
import gzip
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

DbOpt = Annotated[str | None, typer.Option("--db", help="SQLite path, sqlite:///path or postgresql://… "
                                                        "(default: $QAWL_DB, else a file in the user data dir)")]
AliasOpt = Annotated[Path | None, typer.Option("--aliases", help="alias file (TSV: = merge, ! forbid); "
                                                                 "default $QAWL_ALIASES")]
DOC_SUFFIXES = (".txt", ".json", ".jsonl", ".ndjson", ".json.gz", ".jsonl.gz", ".ndjson.gz")
READER_SUFFIXES = (".html", ".htm", ".xhtml", ".warc", ".warc.gz")


def _err() -> Any:
    from rich.console import Console

    return Console(stderr=True)


def _out_console() -> Any:
    """stdout console; piped output is not cut at 80 columns."""
    from rich.console import Console

    c = Console()
    return c if c.is_terminal else Console(width=200)


def _open(db: str | None, aliases: Path | None = None) -> Any:
    from qawl.store import StoreError, open_store

    try:
        return open_store(db, aliases=str(aliases) if aliases else None)
    except (StoreError, ValueError, OSError) as e:
        _err().print(f"[red]error:[/red] {e}")
        raise typer.Exit(2) from None


# -- inputs ---------------------------------------------------------------------------

def expand_paths(paths: list[str]) -> tuple[list[Path], list[str]]:
    """Files for PATH arguments (files, directories walked recursively, globs); also the missing ones."""
    files: list[Path] = []
    missing: list[str] = []
    for p in paths:
        if p == "-":
            files.append(Path("-"))
            continue
        matches = sorted(glob.glob(p, recursive=True)) if glob.has_magic(p) else [p]
        if not matches:
            missing.append(p)
        for m in matches:
            mp = Path(m)
            if mp.is_dir():
                files += sorted(f for f in mp.rglob("*") if f.is_file()
                                and f.name.lower().endswith(DOC_SUFFIXES + READER_SUFFIXES))
            elif mp.exists():
                files.append(mp)
            else:
                missing.append(m)
    return list(dict.fromkeys(files)), missing


def count_docs(path: Path) -> int:
    """Quick estimate of the number of documents in one file (for the progress bar's ETA)."""
    name = path.name.lower()
    if not path.is_file():  # a pipe or FIFO can be read only once: no estimate
        return 0
    try:
        if name.endswith((".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")):
            opener = gzip.open if name.endswith(".gz") else open
            with opener(path, "rb") as f:  # type: ignore[operator]
                return sum(1 for line in f if line.strip())
    except (OSError, EOFError, ValueError):
        return 0
    return 1


def iter_file(path: Path, on_error: Any) -> Iterator[dict[str, Any]]:
    """Documents of one input file; bad records go to ``on_error(message)`` and are skipped."""
    name = path.name.lower()
    if name.endswith(READER_SUFFIXES):
        try:
            from qawl import readers
        except ImportError:
            readers = None  # type: ignore[assignment]
        read_path = getattr(readers, "read_path", None) if readers else None
        if read_path is None:
            on_error(f"{path}: HTML/WARC input needs qawl.readers.read_path, which is not available; skipped")
            return
        stats: dict[str, int] = {}
        try:
            yield from read_path(path, stats=stats)
        except Exception as e:  # a reader error names the file; the rest of the ingest goes on
            on_error(f"{path}: {e}")
        skipped = stats.get("unsupported_language", 0)
        if skipped:  # skipped and counted, never mis-extracted
            on_error(f"{path}: {skipped} document(s) skipped: language not supported (Arabic and English are)")
        return
    from qawl.inputs import InputError, iter_documents

    try:
        yield from iter_documents(path, skip_bad=True, on_error=lambda e: on_error(str(e)))
    except InputError as e:
        on_error(str(e))


# -- commands ---------------------------------------------------------------------------

def ingest(
    paths: Annotated[list[str], typer.Argument(help="files, directories or globs (.txt .json .jsonl[.gz]; "
                                                    ".html .warc[.gz] through the readers)")],
    db: DbOpt = None,
    aliases: AliasOpt = None,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="articles per transaction")] = 200,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="no progress bar")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="print the summary as JSON on stdout")] = False,
    workers: Annotated[int, typer.Option("--workers", "-j", min=0, help="extraction processes, beside the one "
                                                                       "writer (default 0: one per CPU; 1: "
                                                                       "extract in the writer)")] = 0,
) -> None:
    """Extract and store articles. Idempotent and resumable: each batch commits whole; rerun to continue."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from qawl.store.core import SOURCE_FILE

    console = _err()
    files, missing = expand_paths(paths)
    for m in missing:
        console.print(f"[red]error:[/red] {m}: no such file or directory")
    if not files:
        raise typer.Exit(2)
    store = _open(db, aliases)
    input_errors: list[str] = []

    def on_error(msg: str) -> None:
        input_errors.append(msg)
        console.print(f"[yellow]skipped:[/yellow] {msg}")

    # The total is for the progress bar only: with --quiet the input is not read twice.
    total = 0 if quiet else sum(count_docs(f) for f in files if str(f) != "-")
    summary = {"added": 0, "unchanged": 0, "updated": 0, "failed": 0, "errors": []}
    columns = [TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
               TextColumn("{task.fields[rate]} art/s"), TimeElapsedColumn(), TextColumn("ETA"),
               TimeRemainingColumn()]
    interrupted = False
    with Progress(*columns, console=console, disable=quiet, transient=False) as prog:
        task = prog.add_task("ingest", total=total or None, rate="-")

        def advance(n: int) -> None:
            prog.advance(task, n)
            t = prog.tasks[0]
            if t.elapsed:
                prog.update(task, rate=f"{t.completed / t.elapsed:.0f}")

        def docs() -> Iterator[dict[str, Any]]:
            # One stream over all files (batches span files; one pool of extraction processes), each
            # document marked with its file for error reports.
            for f in files:
                for d in iter_file(f, on_error):
                    if isinstance(d, dict):
                        d[SOURCE_FILE] = str(f)
                    yield d

        try:
            res = store.ingest(docs(), batch_size=batch_size, progress=advance, workers=workers)
            for k in ("added", "unchanged", "updated", "failed"):
                summary[k] += res[k]
            summary["errors"] += res["errors"]
        except KeyboardInterrupt as e:
            interrupted = True
            part = getattr(e, "qawl_summary", None) or {}
            for k in ("added", "unchanged", "updated", "failed"):
                summary[k] += part.get(k, 0)
    store.close()
    summary["failed"] += len(input_errors)
    summary["errors"] += [{"error": m} for m in input_errors]
    for e in summary["errors"]:
        if "file" in e:
            console.print(f"[red]failed:[/red] {e['file']}: {e.get('id')}: {e['error']}")
    if as_json:
        typer.echo(json.dumps(summary, ensure_ascii=False))
    console.print(f"added {summary['added']}, unchanged {summary['unchanged']}, updated {summary['updated']}, "
                  f"failed {summary['failed']}" + (" — interrupted; rerun the same command to resume"
                                                   if interrupted else ""), soft_wrap=True)
    if interrupted:
        raise typer.Exit(130)


def reindex(
    db: DbOpt = None,
    aliases: AliasOpt = None,
    force: Annotated[bool, typer.Option("--force", help="re-extract every article")] = False,
    identity_only: Annotated[bool, typer.Option("--identity", help="only recompute speakers (e.g. after "
                                                                    "editing the alias file)")] = False,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1)] = 200,
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
) -> None:
    """Re-extract articles stored by another extractor version (or all with --force)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    console = _err()
    store = _open(db, aliases)
    if identity_only:
        n = store.recluster_all()
        store.close()
        console.print(f"speakers recomputed: {n}")
        return
    total = int(store.db.scalar("SELECT count(*) FROM articles")) if force else store.pending_reindex()
    with Progress(TextColumn("[bold]reindex"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=console, disable=quiet) as prog:
        task = prog.add_task("reindex", total=total)
        res = store.reindex(batch_size=batch_size, force=force, progress=lambda n: prog.advance(task, n))
    store.close()
    for e in res["errors"]:
        console.print(f"[red]failed:[/red] {e['id']}: {e['error']}")
    console.print(f"reindexed {res['reindexed']}, failed {res['failed']}")


def _emit(rows: list[dict[str, Any]], fmt: str, cols: list[str], title: str) -> None:
    if fmt == "json":
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=1))
    elif fmt == "csv":
        w = csv.DictWriter(sys.stdout, fieldnames=cols, extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow({k: (json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v)
                        for k, v in r.items()})
    else:
        from rich.table import Table

        t = Table(title=title)
        for c in cols:
            t.add_column(c, overflow="fold")
        for r in rows:
            t.add_row(*["" if r.get(c) is None else (", ".join(map(str, r[c])) if isinstance(r.get(c), list)
                                                     else str(r[c])) for c in cols])
        _out_console().print(t)


FmtOpt = Annotated[str, typer.Option("--format", "-f", help="table | json | csv")]


def _check_fmt(fmt: str) -> None:
    if fmt not in ("table", "json", "csv"):
        _err().print(f"[red]error:[/red] unknown format {fmt!r} (table, json or csv)")
        raise typer.Exit(2)


def search(
    text: Annotated[str | None, typer.Argument(help="words to find in statements (Arabic-normalised)")] = None,
    speaker: Annotated[str | None, typer.Option("--speaker", "-s")] = None,
    outlet: Annotated[str | None, typer.Option("--outlet", "-o")] = None,
    kind: Annotated[str | None, typer.Option("--kind", "-k", help="direct | indirect | mixed | according")] = None,
    since: Annotated[str | None, typer.Option("--since", help="YYYY-MM-DD")] = None,
    until: Annotated[str | None, typer.Option("--until", help="YYYY-MM-DD")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1)] = 20,
    offset: Annotated[int, typer.Option("--offset", min=0)] = 0,
    fmt: FmtOpt = "table",
    db: DbOpt = None,
) -> None:
    """Ranked full-text search over stored statements."""
    _check_fmt(fmt)
    if kind and kind not in ("direct", "indirect", "mixed", "according"):
        _err().print(f"[red]error:[/red] unknown kind {kind!r}")
        raise typer.Exit(2)
    with _open(db) as store:
        hits = store.search(text, speaker=speaker, outlet=outlet, kind=kind, since=since, until=until,
                            limit=limit, offset=offset)
    cols = ["statement_id", "attribution_id", "article_id", "kind", "speaker_id", "speaker_name", "cue", "content",
            "outlet", "published", "title", "url", "addressee", "channel", "source", "time", "score"]
    if fmt == "table":
        for h in hits:
            h["score"] = round(h["score"], 3)
        cols = ["published", "outlet", "speaker_name", "kind", "content", "score"]
    _emit(hits, fmt, cols, f"{len(hits)} statements")


def speakers(
    top: Annotated[int, typer.Option("--top", "-n", min=1)] = 50,
    query: Annotated[str | None, typer.Option("--name", help="only speakers matching this name")] = None,
    fmt: FmtOpt = "table",
    db: DbOpt = None,
) -> None:
    """Most quoted people and organisations, with outlets, dates, titles and aliases."""
    _check_fmt(fmt)
    with _open(db) as store:
        rows = store.speakers(top=top, query=query)
    cols = ["speaker_id", "name", "type", "statements", "articles", "outlets", "first", "last", "titles", "aliases"]
    if fmt == "table":
        cols = ["name", "type", "statements", "articles", "first", "last", "titles", "aliases"]
    _emit(rows, fmt, cols, "speakers")


def speaker(
    name: Annotated[str, typer.Argument(help="a name as written in any article, or a speaker id")],
    limit: Annotated[int, typer.Option("--limit", "-n", min=1)] = 50,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table | json")] = "table",
    db: DbOpt = None,
) -> None:
    """One speaker: statements across articles, outlets, addressees, titles and aliases."""
    with _open(db) as store:
        s = store.speaker(name, limit=limit)
    if s is None:
        _err().print(f"[red]no speaker matches[/red] {name!r}")
        raise typer.Exit(1)
    if fmt == "json":
        typer.echo(json.dumps(s, ensure_ascii=False, indent=1))
        return
    c = _out_console()
    c.print(f"[bold]{s['name']}[/bold] ({s['type']}, id {s['speaker_id']}) — {s['statement_count']} statements "
            f"in {s['articles']} articles, {s['first']} … {s['last']}")
    for label, key in (("titles", "titles"), ("aliases", "aliases"), ("outlets", "outlets")):
        if s[key]:
            c.print(f"{label}: " + "، ".join(s[key]))
    if s["addressees"]:
        c.print("addressees: " + "، ".join(f"{a['name']} ({a['count']})" for a in s["addressees"]))
    _emit(s["statements"], "table", ["published", "outlet", "kind", "content"], "statements")


def export(
    fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl | csv | parquet")] = "jsonl",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="file (default stdout; "
                                                                       "required for parquet)")] = None,
    db: DbOpt = None,
) -> None:
    """Export every statement report with speaker, statement id, article metadata and spans."""
    if fmt not in ("jsonl", "csv", "parquet"):
        _err().print(f"[red]error:[/red] unknown format {fmt!r} (jsonl, csv or parquet)")
        raise typer.Exit(2)
    if fmt == "parquet" and output is None:
        _err().print("[red]error:[/red] parquet needs --output FILE")
        raise typer.Exit(2)
    n = 0
    with _open(db) as store:
        rows = store.iter_export()
        if fmt == "parquet":
            n = _write_parquet(rows, output)  # type: ignore[arg-type]
        else:
            out = open(output, "w", encoding="utf-8", newline="") if output else sys.stdout  # noqa: SIM115
            try:
                writer = None
                for r in rows:
                    n += 1
                    if fmt == "jsonl":
                        out.write(json.dumps(r, ensure_ascii=False) + "\n")
                    else:
                        flat = {k: (json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v)
                                for k, v in r.items()}
                        if writer is None:
                            writer = csv.DictWriter(out, fieldnames=list(flat))
                            writer.writeheader()
                        writer.writerow(flat)
            finally:
                if output:
                    out.close()
    _err().print(f"exported {n} statements")


EXPORT_COLUMNS = ["statement_id", "attribution_id", "article_id", "article_doc_id", "kind", "content", "cue",
                  "cue_lemma", "speaker_id", "speaker_name", "speaker_text", "outlet", "published", "title", "url",
                  "lang", "addressee", "channel", "source", "time", "confidence", "extractor_version"]


def _write_parquet(rows: Iterator[dict[str, Any]], output: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    span = pa.list_(pa.int64())
    fields = [pa.field(c, pa.int64() if c in ("statement_id", "attribution_id", "article_id") else
                       pa.float64() if c == "confidence" else pa.string()) for c in EXPORT_COLUMNS]
    fields += [pa.field("content_span", span), pa.field("cue_span", span), pa.field("speaker_span", span),
               pa.field("attribution", pa.string())]
    schema = pa.schema(fields)
    n = 0
    with pq.ParquetWriter(str(output), schema) as w:
        buf: list[dict[str, Any]] = []

        def flush() -> None:
            if buf:
                w.write_table(pa.Table.from_pylist(buf, schema=schema))
                buf.clear()

        for r in rows:
            rec = {c: r.get(c) for c in EXPORT_COLUMNS}
            for c in ("speaker_id", "article_doc_id"):
                rec[c] = None if rec[c] is None else str(rec[c])
            rec.update(content_span=r.get("content_span"), cue_span=r.get("cue_span"),
                       speaker_span=r.get("speaker_span"), attribution=json.dumps(r["attribution"], ensure_ascii=False))
            buf.append(rec)
            n += 1
            if len(buf) >= 5000:
                flush()
        flush()
    return n


db_app = typer.Typer(help="Database schema: status and upgrade.", no_args_is_help=True)


@db_app.command("status")
def db_status(db: DbOpt = None) -> None:
    """Schema version, backend and counts."""
    from qawl.store import latest_version
    from qawl.store.db import current_version

    conn = _raw(db)
    ver = current_version(conn)
    latest = latest_version(conn.dialect)
    where = conn.target if conn.dialect == "sqlite" else "PostgreSQL"
    conn.close()
    typer.echo(f"backend: {conn.dialect} ({where})")
    typer.echo(f"schema version: {ver} (this qawl: {latest})" + ("; run `qawl db upgrade`" if 0 < ver < latest else ""))
    if ver == latest:
        with _open(db) as store:
            st = store.stats()
        for k in ("articles", "reports", "statements", "speakers", "outlets", "pending_reindex", "db_bytes"):
            if k in st:
                typer.echo(f"{k}: {st[k]}")


def _raw(db: str | None) -> Any:
    from qawl.store import StoreError
    from qawl.store.db import DB

    try:
        return DB(db)
    except StoreError as e:
        _err().print(f"[red]error:[/red] {e}")
        raise typer.Exit(2) from None


@db_app.command("upgrade")
def db_upgrade(db: DbOpt = None,
               to: Annotated[int | None, typer.Option("--to", help="stop at this schema version")] = None) -> None:
    """Move the database to the newest schema (each step in one transaction; nothing is lost)."""
    from qawl.store.core import HOOKS
    from qawl.store.db import current_version, migrate

    conn = _raw(db)
    before = current_version(conn)
    try:
        applied = migrate(conn, target=to, hooks=HOOKS)
    except Exception as e:
        conn.close()
        _err().print(f"[red]upgrade failed, database left at version {before}:[/red] {e}")
        raise typer.Exit(1) from None
    after = current_version(conn)
    conn.close()
    if applied:
        typer.echo(f"upgraded schema {before} → {after} (applied {', '.join(map(str, applied))})")
    else:
        typer.echo(f"schema already at version {after}")


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest)
    app.command("reindex")(reindex)
    app.command("search")(search)
    app.command("speakers")(speakers)
    app.command("speaker")(speaker)
    app.command("export")(export)
    app.add_typer(db_app, name="db")

