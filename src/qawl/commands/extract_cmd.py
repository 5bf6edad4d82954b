"""`qawl extract FILE|-`: attributions of one article or of a JSON Lines batch, as `qawl/1`."""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import orjson
import regex
import typer

EXIT_OK = 0
EXIT_SKIPPED = 1
EXIT_USAGE = 2
EXIT_INPUT = 3
EXIT_OUTPUT = 4
EXIT_EXTRACTOR = 5

EXIT_CODES_HELP = (
    "Exit codes: 0 ok; 1 some documents skipped (--skip-bad); 2 usage error; "
    "3 input error (missing, unreadable, binary, undecodable file, invalid JSONL line, truncated gzip); "
    "4 the output cannot be written; 5 the extractor failed on a document."
)

_DATE_RE = regex.compile(r"^\d{4}-\d{2}-\d{2}$")


class CommandError(Exception):
    """A failure reported as one line on stderr with an exit code (never a traceback)."""

    def __init__(self, message: str, code: int):
        super().__init__(message)
        self.code = code


def err(message: str) -> None:
    typer.echo(message, err=True)


def validate_date(value: str | None) -> str | None:
    """Typer callback: YYYY-MM-DD and a real calendar date."""
    if value is None:
        return None
    if not _DATE_RE.match(value):
        raise typer.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD")
    try:
        dt.date.fromisoformat(value)
    except ValueError as e:
        raise typer.BadParameter(f"{value!r} is not a valid date ({e})") from None
    return value


# ---------------------------------------------------------------------------
# atomic output


@contextlib.contextmanager
def atomic_output(path: Path | None) -> Iterator[IO[bytes]]:
    """Binary stream to ``path`` written via a temp file and renamed at the end (stdout when None).

    On any exception the temp file is removed and an existing ``path`` is left untouched.
    A name ending in .gz is gzip-compressed.
    """
    if path is None:
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    parent = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise CommandError(f"{path}: is a directory", EXIT_OUTPUT)
    if not parent.is_dir():
        raise CommandError(f"{path}: cannot write, directory {parent} does not exist", EXIT_OUTPUT)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    except OSError as e:
        raise CommandError(f"{path}: cannot write ({e.strerror or e})", EXIT_OUTPUT) from None
    raw = os.fdopen(fd, "wb")
    stream: IO[bytes] = gzip.GzipFile(fileobj=raw, mode="wb") if path.name.endswith(".gz") else raw  # type: ignore[assignment]
    try:
        yield stream
        if stream is not raw:
            stream.close()
        raw.flush()
        os.fsync(raw.fileno())
        raw.close()
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            raw.close()
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


# ---------------------------------------------------------------------------
# right-to-left display

_LTR_RUN = regex.compile(r"[\p{Latin}\d](?:[\p{Latin}\d .,:/%+-]*[\p{Latin}\d])?")
_MIRROR = str.maketrans("()[]{}«»<>", ")(][}{»«><")


def visual_rtl(line: str) -> str:
    """Reorder one right-to-left line for a terminal that does no bidi of its own.

    A simple visual reordering: the line is reversed with brackets mirrored, and Latin/digit
    runs are put back left to right. No shaping (the terminal draws letter forms).
    """
    rev = line[::-1].translate(_MIRROR)
    return _LTR_RUN.sub(lambda m: m.group(0)[::-1].translate(_MIRROR), rev)


def rtl_cell(text: str, width: int, bidi: bool) -> str:
    """Cell text; with ``bidi`` wrapped at ``width`` first, then each line reordered."""
    if not bidi or not text:
        return text
    import textwrap

    return "\n".join(visual_rtl(line) for line in textwrap.wrap(text, width) or [""])


# ---------------------------------------------------------------------------
# the view


def _speaker(sp: dict[str, Any] | None) -> str:
    if not sp:
        return "—"
    name, text = sp.get("name"), sp.get("text")
    if name and text and text not in name:
        return f"{name} ({text})"
    return name or text or "—"


def render_view(console: Any, doc: dict[str, Any], *, bidi: bool = False) -> None:
    """A table of one document's attributions for a person to read."""
    from rich.table import Table
    from rich.text import Text

    atts = doc.get("attributions") or []
    n = len(atts)
    title = f"{doc.get('id') or 'document'} — {n} attribution{'s' if n != 1 else ''}"
    if not atts:
        console.print(Text(title, style="bold"))
        console.print(Text("  (no attributions found)", style="dim"))
        return
    extra = [k for k in ("addressee", "channel", "time") if any(a.get(k) for a in atts)]
    width = max(console.width, 60)
    content_w = max(24, width - 22 - 12 * len(extra) - 30)
    table = Table(title=title, title_justify="left", show_lines=True, expand=False)
    table.add_column("#", justify="right", style="dim", no_wrap=True)
    table.add_column("speaker", justify="right", style="bold cyan", max_width=22)
    table.add_column("cue", justify="right", style="yellow", max_width=12)
    table.add_column("kind", no_wrap=True, style="magenta")
    table.add_column("content", justify="right", width=content_w if bidi else None, max_width=content_w)
    for k in extra:
        table.add_column(k, justify="right", max_width=16)
    for i, a in enumerate(atts, 1):
        cells = [
            str(i),
            rtl_cell(_speaker(a.get("speaker")), 20, bidi),
            rtl_cell((a.get("cue") or {}).get("text") or "", 12, bidi),
            a.get("kind") or "",
            rtl_cell((a.get("content") or {}).get("text") or "", content_w - 2, bidi),
        ]
        for k in extra:
            part = a.get(k) or {}
            t = part.get("text") or ""
            if k == "time" and part.get("value"):
                t = f"{t} ({part['value']})" if t else part["value"]
            cells.append(rtl_cell(t, 14, bidi))
        table.add_row(*(Text(c) for c in cells))  # Text: brackets in news text are not Rich markup
    console.print(table)


# ---------------------------------------------------------------------------
# the command


def _progress(reader: Any, enabled: bool):
    """A Rich progress bar on stderr over the bytes of the input (a no-op when disabled)."""
    if not enabled:
        return contextlib.nullcontext(None)
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    return Progress(
        TextColumn("[bold]extract[/]"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
        TextColumn("{task.fields[docs]} docs"), TimeElapsedColumn(), TimeRemainingColumn(),
        console=Console(stderr=True), transient=True,
    )


def extract_command(
    file: str = typer.Argument(..., metavar="FILE|-",
                               help="A .txt article, a .jsonl/.jsonl.gz/.json batch, or - for stdin."),
    output: Path | None = typer.Option(None, "-o", "--output",
                                       help="Write here (atomically; .gz compresses) instead of stdout."),
    jsonl: bool = typer.Option(False, "--jsonl", help="JSON Lines output (automatic for JSONL/JSON list input)."),
    input_format: str = typer.Option("auto", "--format", help="Input format: auto (by extension), txt, jsonl, json."),
    pretty: bool = typer.Option(False, "--pretty", help="Indent the JSON of a single document."),
    published: str | None = typer.Option(None, "--published", callback=validate_date, metavar="YYYY-MM-DD",
                                         help="Publication date for a text file (JSONL: for documents without one)."),
    lang: str | None = typer.Option(None, "--lang", help="Language code of a text file (default: ar)."),
    doc_id: str | None = typer.Option(None, "--id", help="Document id for a text file (default: file stem)."),
    view: bool = typer.Option(False, "--view", help="Print a table for a person instead of JSON (JSON still goes to -o)."),
    bidi: bool = typer.Option(False, "--bidi", help="With --view: reorder Arabic for terminals without bidi support."),
    skip_bad: bool = typer.Option(False, "--skip-bad", help="Skip invalid JSONL lines, report how many (exit 1)."),
    progress: bool | None = typer.Option(None, "--progress/--no-progress",
                                         help="Progress bar on stderr (default: when stderr is a terminal)."),
) -> None:
    """Extract who said what from an article (.txt) or a batch (JSON Lines), as qawl/1 JSON."""
    from qawl.inputs import FORMATS

    if input_format not in FORMATS:
        raise typer.BadParameter(f"{input_format!r} is not one of {', '.join(FORMATS)}", param_hint="--format")
    if pretty and jsonl:
        raise typer.BadParameter("--pretty is for a single document; JSON Lines has one object per line",
                                 param_hint="--pretty")
    if output is not None and str(output) == "-":
        output = None
    try:
        code = _run(file, output=output, jsonl=jsonl, fmt=input_format, pretty=pretty, published=published,
                    lang=lang, doc_id=doc_id, view=view, bidi=bidi, skip_bad=skip_bad, progress=progress)
    except CommandError as e:
        err(f"qawl extract: {e}")
        raise typer.Exit(e.code) from None
    except BrokenPipeError:
        # `qawl extract big.jsonl | head`: the reader went away; not an error of ours.
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        raise typer.Exit(EXIT_OK) from None
    raise typer.Exit(code)


def _run(file: str, *, output: Path | None, jsonl: bool, fmt: str, pretty: bool, published: str | None,
         lang: str | None, doc_id: str | None, view: bool, bidi: bool, skip_bad: bool,
         progress: bool | None) -> int:
    from qawl import extract
    from qawl.inputs import DocumentReader, InputError

    shown_errors = 0

    def on_error(e: InputError) -> None:
        nonlocal shown_errors
        shown_errors += 1
        if shown_errors <= 10:
            err(f"qawl extract: skipped {e}")

    reader = DocumentReader(file, skip_bad=skip_bad, on_error=on_error, fmt=fmt)  # type: ignore[arg-type]
    single_file_doc = reader.fmt == "txt"
    console = None
    if view:
        from rich.console import Console

        console = Console()
    show_progress = progress if progress is not None else (sys.stderr.isatty() and not single_file_doc)
    n_docs = n_atts = extractor_failed = 0
    docs = iter(reader)

    def next_doc() -> dict[str, Any] | None:
        try:
            return next(docs)
        except StopIteration:
            return None
        except InputError as e:
            raise CommandError(str(e), EXIT_INPUT) from None

    first = next_doc()
    multi = bool(reader.multi) or jsonl
    if pretty and multi:
        raise CommandError("--pretty is for a single document; this input gives JSON Lines "
                           "(one object per line)", EXIT_USAGE)
    write_json = output is not None or not view
    with (atomic_output(output) if write_json else contextlib.nullcontext(None)) as out, \
            _progress(reader, show_progress and multi) as bar:
        task = bar.add_task("extract", total=reader.progress()[1], docs=0) if bar is not None else None
        doc = first
        while doc is not None:
            if not multi:
                doc["id"] = doc_id or doc["id"]
                doc["lang"] = lang or doc["lang"]
            doc["published"] = doc["published"] or published
            meta = {k: doc[k] for k in ("title", "url", "outlet") if doc.get(k) is not None}
            try:
                result = extract(doc["text"], published=doc["published"], lang=doc["lang"] or lang,
                                 id=doc["id"], meta=meta).to_dict()
            except Exception as e:  # the extractor's bug, not bad input: name the document, no traceback
                if os.environ.get("QAWL_DEBUG"):
                    raise
                msg = f"{reader.name}: document {doc['id']!r}: extractor failed: {type(e).__name__}: {e}"
                if not skip_bad:
                    raise CommandError(msg, EXIT_EXTRACTOR) from None
                extractor_failed += 1
                err(f"qawl extract: skipped {msg}")
                doc = next_doc()
                continue
            n_docs += 1
            n_atts += len(result["attributions"])
            if out is not None:
                if multi:
                    out.write(orjson.dumps(result) + b"\n")
                else:
                    opt = orjson.OPT_INDENT_2 if pretty else 0
                    out.write(orjson.dumps(result, option=opt) + b"\n")
            if console is not None:
                render_view(console, result, bidi=bidi)
            if bar is not None:
                bar.update(task, completed=reader.progress()[0], docs=n_docs)
            doc = next_doc()
    skipped = reader.skipped + extractor_failed
    if shown_errors > 10:
        err(f"qawl extract: … and {shown_errors - 10} more invalid records")
    if console is not None and multi:
        console.print(f"{n_docs} documents, {n_atts} attributions")
    if reader.encodings:
        encs = ", ".join(f"{k} ({v})" for k, v in reader.encodings.items())
        err(f"qawl extract: {reader.name}: decoded from {encs}")
    if n_docs == 0 and skipped == 0:
        err(f"qawl extract: {reader.name}: no documents")
    if skipped:
        err(f"qawl extract: skipped {skipped} of {n_docs + skipped} documents in {reader.name}")
        return EXIT_SKIPPED
    return EXIT_OK


def register(app: typer.Typer) -> None:
    app.command(
        "extract",
        epilog=EXIT_CODES_HELP,
        help="Extract who said what from an article (.txt) or a batch (JSON Lines), as qawl/1 JSON.",
    )(extract_command)
