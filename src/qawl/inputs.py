"""Reading input documents: plain-text articles, JSON Lines (optionally gzipped), JSON, stdin.

Public API::

    iter_documents(path, *, skip_bad=False, on_error=None, fmt="auto") -> Iterator[dict]
    DocumentReader(path, ...)      # the same, with .skipped / .errors / .encodings / progress
    iter_records(path, ...)        # raw JSON objects (e.g. gold files), same error handling
    InputError                     # message names the file (and line for JSONL)

Every document is a dict with exactly the keys ``id, text, published, lang,
title, url, outlet`` (missing ones are ``None``). The corpus spellings
``source`` (outlet) and ``date`` (published) are accepted.

Reading streams: a JSONL file is read line by line (a 1 GB file is never held
in memory). A bad line raises :class:`InputError` naming file and line; with
``skip_bad`` it is reported through ``on_error`` and skipped. Errors that
make the rest of the file unreadable (truncated gzip, a directory, binary
data) are raised even with ``skip_bad``, after the good documents before them.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import sys
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, Literal

import orjson

from qawl.encoding import DecodeError, decode_bytes, looks_binary

Format = Literal["auto", "txt", "jsonl", "json"]
FORMATS: tuple[str, ...] = ("auto", "txt", "jsonl", "json")
DOC_KEYS = ("id", "text", "published", "lang", "title", "url", "outlet")
_ALIASES = {"source": "outlet", "date": "published"}
STDIN = "-"
_GZIP_MAGIC = b"\x1f\x8b"


class InputError(Exception):
    """An input that cannot be read, or one bad record in it. ``str()`` names the file (and line)."""

    def __init__(self, message: str, *, path: str = "", line: int | None = None, fatal: bool = False):
        super().__init__(message)
        self.path = path
        self.line = line
        self.fatal = fatal  # the rest of the input cannot be read either

    @property
    def message(self) -> str:
        return str(self)


def display_name(path: str | Path) -> str:
    return "<stdin>" if str(path) == STDIN else str(path)


def detect_format(path: str | Path) -> Format:
    """Format from the file name: .jsonl/.ndjson(.gz) -> jsonl, .json(.gz) -> json, anything else -> txt."""
    if str(path) == STDIN:
        return "auto"
    name = Path(path).name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    if name.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    if name.endswith(".json"):
        return "json"
    return "txt"


def normalize_document(obj: Any, *, where: str, default_id: str) -> dict[str, Any]:
    """Check one input object and return it with the standard keys (raises InputError)."""
    if not isinstance(obj, dict):
        raise InputError(f"{where}: expected a JSON object, got {type(obj).__name__}")
    text = obj.get("text")
    if text is None:
        raise InputError(f"{where}: no `text` field")
    if not isinstance(text, str):
        raise InputError(f"{where}: `text` must be a string, got {type(text).__name__}")
    doc: dict[str, Any] = dict.fromkeys(DOC_KEYS)
    for alias, key in _ALIASES.items():
        if obj.get(alias) is not None:
            doc[key] = obj[alias]
    for key in DOC_KEYS:
        if obj.get(key) is not None:
            doc[key] = obj[key]
    for key in ("id", "published", "lang", "title", "url", "outlet"):
        v = doc[key]
        if v is not None and not isinstance(v, str):
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                doc[key] = str(v)
            else:
                raise InputError(f"{where}: `{key}` must be a string, got {type(v).__name__}")
    if not doc["id"]:
        doc["id"] = default_id
    return doc


class DocumentReader:
    """Iterate the documents (or raw records) of one input; keeps counts for reporting.

    After iteration: ``count`` good documents, ``skipped`` bad ones, ``errors`` their
    InputErrors (at most ``keep_errors`` kept), ``encodings`` a Counter of encodings that
    were not UTF-8. ``progress()`` gives (bytes read, total bytes or None) while reading.
    """

    def __init__(self, path: str | Path, *, skip_bad: bool = False,
                 on_error: Callable[[InputError], None] | None = None, fmt: Format = "auto",
                 raw: bool = False, stdin: IO[bytes] | None = None, keep_errors: int = 1000):
        if fmt not in FORMATS:
            raise ValueError(f"unknown input format {fmt!r} (expected one of {', '.join(FORMATS)})")
        self.path = path
        self.name = display_name(path)
        self.skip_bad = skip_bad
        self.on_error = on_error
        self.fmt: Format = detect_format(path) if fmt == "auto" else fmt
        self.raw = raw
        self._stdin = stdin
        self.keep_errors = keep_errors
        self.count = 0
        self.skipped = 0
        self.errors: list[InputError] = []
        self.encodings: Counter[str] = Counter()
        self.multi: bool | None = None  # known once reading starts: JSONL or a JSON list (vs one document)
        self._pos: Callable[[], int] | None = None
        self._total: int | None = None
        self._stem = "stdin" if str(path) == STDIN else _stem(Path(path))

    # -- progress ---------------------------------------------------------
    def progress(self) -> tuple[int, int | None]:
        try:
            done = self._pos() if self._pos else 0
        except (OSError, ValueError):
            done = 0
        return done, self._total

    # -- errors -----------------------------------------------------------
    def _bad(self, err: InputError) -> None:
        """A bad record: raise, or count it and go on (skip_bad)."""
        if not self.skip_bad or err.fatal:
            raise err
        self.skipped += 1
        if len(self.errors) < self.keep_errors:
            self.errors.append(err)
        if self.on_error is not None:
            self.on_error(err)

    # -- opening ----------------------------------------------------------
    def _open(self) -> IO[bytes]:
        """Open the input as a binary stream (gzip transparently), with friendly errors."""
        name = self.name
        if str(self.path) == STDIN:
            stream: IO[bytes] = self._stdin or sys.stdin.buffer
            head = _peek(stream, 2)
        else:
            p = Path(self.path)
            if p.is_dir():
                raise InputError(f"{name}: is a directory, not a file", path=name, fatal=True)
            try:
                f = open(p, "rb")  # noqa: SIM115 - closed by the caller
            except FileNotFoundError:
                raise InputError(f"{name}: no such file", path=name, fatal=True) from None
            except PermissionError:
                raise InputError(f"{name}: permission denied", path=name, fatal=True) from None
            except OSError as e:
                raise InputError(f"{name}: cannot open ({e.strerror or e})", path=name, fatal=True) from None
            try:
                self._total = os.fstat(f.fileno()).st_size
            except OSError:
                self._total = None
            self._pos = f.tell
            stream = f
            head = _peek(stream, 2)
        if str(self.path) != STDIN:
            self._closers.append(stream)
        if head == _GZIP_MAGIC:
            gz = gzip.GzipFile(fileobj=stream, mode="rb")
            self._closers.insert(0, gz)
            # progress: compressed bytes consumed (the under file's position) against its size
            return gz  # type: ignore[return-value]
        return stream

    # -- iteration --------------------------------------------------------
    def __iter__(self) -> Iterator[dict[str, Any]]:
        self._closers: list[IO[bytes]] = []
        stream = self._open()
        try:
            fmt = self.fmt
            if fmt == "auto":  # stdin: sniff
                fmt = self._sniff(stream)
            if fmt == "txt":
                yield from self._read_txt(stream)
            elif fmt == "json":
                yield from self._read_json(stream)
            else:
                yield from self._read_jsonl(stream)
        finally:
            for c in self._closers:
                with contextlib.suppress(OSError, EOFError, zlib.error):
                    c.close()

    def _sniff(self, stream: IO[bytes]) -> Format:
        head = _peek(stream, 4096).lstrip(b"\xef\xbb\xbf \t\r\n")
        if head.startswith(b"["):
            return "json"
        if head.startswith(b"{"):
            first = head.split(b"\n", 1)[0]
            try:
                orjson.loads(first)
                return "jsonl"
            except orjson.JSONDecodeError:
                # A pretty-printed object spans lines; a long first line may not be in the peek.
                return "jsonl" if b"\n" not in head else "json"
        return "txt"

    def _read_all(self, stream: IO[bytes]) -> bytes:
        try:
            return stream.read()
        except (EOFError, gzip.BadGzipFile, zlib.error) as e:
            raise InputError(f"{self.name}: corrupt or truncated gzip data ({e})", path=self.name,
                             fatal=True) from None
        except OSError as e:
            raise InputError(f"{self.name}: read error ({e})", path=self.name, fatal=True) from None

    def _decode(self, data: bytes, where: str, *, fatal: bool) -> str:
        # A legacy encoding found on one line is tried first on the next (one detection per file, not per line).
        legacy = self.encodings.most_common(1)[0][0] if self.encodings else None
        try:
            dec = decode_bytes(data, where, declared=legacy)
        except DecodeError as e:
            raise InputError(str(e), path=self.name, fatal=fatal) from None
        if dec.encoding != "utf-8":
            self.encodings[dec.encoding] += 1
        return dec.text

    def _emit(self, obj: Any, where: str, default_id: str) -> dict[str, Any]:
        if self.raw:
            if not isinstance(obj, dict):
                raise InputError(f"{where}: expected a JSON object, got {type(obj).__name__}",
                                 path=self.name)
            if not isinstance(obj.get("text"), str):
                raise InputError(f"{where}: no `text` field" if obj.get("text") is None
                                 else f"{where}: `text` must be a string", path=self.name)
            return obj
        try:
            return normalize_document(obj, where=where, default_id=default_id)
        except InputError as e:
            e.path = self.name
            raise

    def _read_txt(self, stream: IO[bytes]) -> Iterator[dict[str, Any]]:
        data = self._read_all(stream)
        if not data.strip():
            raise InputError(f"{self.name}: empty file, no text", path=self.name, fatal=True)
        text = self._decode(data, self.name, fatal=True)
        if not text.strip():
            raise InputError(f"{self.name}: empty file, no text", path=self.name, fatal=True)
        self.multi = False
        doc = dict.fromkeys(DOC_KEYS)
        doc.update(id=self._stem, text=text)
        self.count += 1
        yield doc

    def _read_json(self, stream: IO[bytes]) -> Iterator[dict[str, Any]]:
        data = self._read_all(stream)
        if not data.strip():
            raise InputError(f"{self.name}: empty file, no JSON", path=self.name, fatal=True)
        text = self._decode(data, self.name, fatal=True)
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as e:
            raise InputError(f"{self.name}: invalid JSON at line {e.lineno} column {e.colno}: {e.msg}",
                             path=self.name, line=e.lineno, fatal=True) from None
        items = obj if isinstance(obj, list) else [obj]
        self.multi = isinstance(obj, list)
        for i, item in enumerate(items, 1):
            where = f"{self.name}: item {i}" if isinstance(obj, list) else self.name
            try:
                doc = self._emit(item, where, f"{self._stem}-{i}" if isinstance(obj, list) else self._stem)
            except InputError as e:
                self._bad(e)
                continue
            self.count += 1
            yield doc

    def _read_jsonl(self, stream: IO[bytes]) -> Iterator[dict[str, Any]]:
        if looks_binary(_peek(stream, 8192)):
            raise InputError(f"{self.name}: looks like binary data, not JSON Lines", path=self.name, fatal=True)
        self.multi = True
        lineno = 0
        lines = iter(stream)
        while True:
            try:
                line = next(lines)
            except StopIteration:
                break
            except (EOFError, gzip.BadGzipFile, zlib.error) as e:
                raise InputError(f"{self.name}: corrupt or truncated gzip data after line {lineno} ({e})",
                                 path=self.name, line=lineno, fatal=True) from None
            except OSError as e:
                raise InputError(f"{self.name}: read error after line {lineno} ({e})", path=self.name,
                                 line=lineno, fatal=True) from None
            lineno += 1
            if lineno == 1 and line.startswith(b"\xef\xbb\xbf"):
                line = line[3:]  # a UTF-8 byte-order mark
            if not line.strip():
                continue  # blank lines (and a trailing newline) are not records
            where = f"{self.name}: line {lineno}"
            try:
                obj = self._parse_line(line, where)
                doc = self._emit(obj, where, f"{self._stem}-{lineno}")
            except InputError as e:
                e.line = lineno
                e.path = self.name
                self._bad(e)
                continue
            self.count += 1
            yield doc

    def _parse_line(self, line: bytes, where: str) -> Any:
        try:
            return orjson.loads(line)  # fast path: UTF-8 JSON
        except orjson.JSONDecodeError as e:
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                pass  # not UTF-8: decode it below and try again
            else:
                msg = str(e).split(": line")[0]
                raise InputError(f"{where}: invalid JSON ({msg})") from None
        text = self._decode(line, where, fatal=False)
        try:
            return json.loads(text)
        except json.JSONDecodeError as e:
            raise InputError(f"{where}: invalid JSON ({e.msg} at column {e.colno})") from None


def _peek(stream: IO[bytes], n: int) -> bytes:
    """Look at the first bytes without consuming them (seekable files or buffered streams)."""
    peek = getattr(stream, "peek", None)
    if peek is not None:
        try:
            return peek(n)[:n]
        except (OSError, ValueError, EOFError, zlib.error):
            pass
    if stream.seekable():
        pos = stream.tell()
        data = stream.read(n)
        stream.seek(pos)
        return data
    return b""


def _stem(p: Path) -> str:
    name = p.name
    for suffix in (".gz",):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
    return Path(name).stem or name


def iter_documents(path: str | Path, *, skip_bad: bool = False,
                   on_error: Callable[[InputError], None] | None = None, fmt: Format = "auto",
                   stdin: IO[bytes] | None = None) -> Iterator[dict[str, Any]]:
    """Yield the documents of ``path`` (``"-"`` is stdin) as dicts with keys ``DOC_KEYS``.

    Raises :class:`InputError` for an unreadable input or (unless ``skip_bad``) a bad record.
    """
    yield from DocumentReader(path, skip_bad=skip_bad, on_error=on_error, fmt=fmt, stdin=stdin)


def iter_records(path: str | Path, *, skip_bad: bool = False,
                 on_error: Callable[[InputError], None] | None = None, fmt: Format = "auto",
                 stdin: IO[bytes] | None = None) -> Iterator[dict[str, Any]]:
    """Like :func:`iter_documents` but yields each JSON object unchanged (gold or qawl/1 files)."""
    yield from DocumentReader(path, skip_bad=skip_bad, on_error=on_error, fmt=fmt, stdin=stdin, raw=True)
