"""The unit of work: extract one shard (or one line range of it) and write its Parquet files.

Runs on a Dask worker. A shard's output files have names derived from the shard
key only, so a retry after a lost worker overwrites the same paths instead of
adding duplicates; every file is written under ``OUT/_tmp/`` first and renamed
into place, so a reader never sees a half-written Parquet file. The shard is
"finished" only once the client appends its line to the manifest.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import time
import traceback
import uuid
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import fsspec
import orjson
import pyarrow as pa
import pyarrow.parquet as pq

from qawl.batch.records import (
    ARTICLES_SCHEMA,
    STATEMENTS_SCHEMA,
    RecordError,
    article_row,
    default_id,
    extract_record,
    month_of,
    normalise_record,
    parse_line,
    partition_slug,
    statement_rows,
)

# Raw input kept in a dead-letter entry; enough to find and fix the record.
DEAD_RAW_LIMIT = 4000
PARTITION_KEYS = {"outlet": "outlet_key", "month": "month"}
SPILL_BYTES = 64 << 20  # characters of article text buffered per task before writing Parquet


@dataclass(slots=True)
class ShardSpec:
    url: str  # fsspec URL or local path
    key: str  # filename-safe, unique per shard (and line range)
    fmt: str  # "jsonl" | "warc"
    start: int = 1  # first line (1-based) of this task's range
    stop: int | None = None  # last line + 1, None = to the end
    fingerprint: dict[str, Any] = field(default_factory=dict)  # size + mtime/etag from the lister


@dataclass(slots=True)
class Item:
    """One raw input record, or an error met while reading at a position."""

    line: int
    raw: bytes | dict[str, Any] | None
    error: str | None = None


def _iter_jsonl(spec: ShardSpec, digest: Any) -> Iterator[Item]:
    line = 0
    try:
        with fsspec.open(spec.url, "rb", compression="infer") as fh:
            for raw in fh:
                line += 1
                if line < spec.start:
                    continue
                if spec.stop is not None and line >= spec.stop:
                    return
                digest.update(raw)
                yield Item(line, raw)
    except (EOFError, OSError, zlib.error, gzip.BadGzipFile) as exc:
        # A truncated or damaged compressed stream: keep what was read, record where it broke.
        yield Item(line + 1, None, f"unreadable input after line {line}: {type(exc).__name__}: {exc}")


def _iter_warc(spec: ShardSpec, digest: Any) -> Iterator[Item]:
    try:
        from qawl.readers import read_warc
    except ImportError as exc:  # readers not installed in this build
        yield Item(0, None, f"WARC input needs qawl.readers.read_warc: {exc}")
        return
    import shutil
    import tempfile

    n = 0
    tmp = None
    try:
        fs, path = fsspec.core.url_to_fs(spec.url)
        if "file" not in (fs.protocol if isinstance(fs.protocol, tuple) else (fs.protocol,)):
            # The WARC reader wants a local file: stream the remote shard to local scratch first.
            fd, tmp = tempfile.mkstemp(suffix="-" + path.rsplit("/", 1)[-1])
            with os.fdopen(fd, "wb") as dst, fs.open(path, "rb") as src:
                shutil.copyfileobj(src, dst, 1 << 20)
            path = tmp
        for rec in read_warc(path):
            n += 1
            digest.update(orjson.dumps(rec, default=str))
            yield Item(n, rec)
    except Exception as exc:  # a damaged WARC stops at the damage; earlier records are kept
        yield Item(n + 1, None, f"unreadable WARC after record {n}: {type(exc).__name__}: {exc}")
    finally:
        if tmp:
            os.unlink(tmp)


def _dead(spec: ShardSpec, item: Item, error: str) -> dict[str, Any]:
    raw = item.raw
    if isinstance(raw, bytes):
        raw_s: Any = raw[:DEAD_RAW_LIMIT].decode("utf-8", "replace").rstrip("\n")
    elif isinstance(raw, dict):
        raw_s = {k: (v[:DEAD_RAW_LIMIT] if isinstance(v, str) else v) for k, v in raw.items()}
    else:
        raw_s = None
    return {"shard": spec.url, "line": item.line, "error": error, "raw": raw_s}


def _partition_dir(art: dict[str, Any], partition_by: tuple[str, ...]) -> str:
    parts = []
    for p in partition_by:
        value = partition_slug(art["outlet"]) if p == "outlet" else month_of(art["published"])
        parts.append(f"{PARTITION_KEYS[p]}={value}")
    return "/".join(parts)


def _write_parquet(fs: Any, path: str, rows: list[dict[str, Any]], schema: pa.Schema) -> None:
    table = pa.Table.from_pylist(rows, schema=schema)
    with fs.open(path, "wb") as fh:
        pq.write_table(table, fh, compression="zstd")


def process_shard(spec: ShardSpec, out: str, partition_by: tuple[str, ...] = ("outlet", "month"),
                  stale_files: tuple[str, ...] = (), spill_bytes: int = SPILL_BYTES) -> dict[str, Any]:
    """Extract every record of ``spec`` and write its files under ``out``; return counts for the manifest.

    ``stale_files`` (relative to ``out``) are files written by an earlier run of this
    shard key (for example before the input changed); those not rewritten now are removed.
    """
    from qawl import EXTRACTOR_VERSION

    t0 = time.perf_counter()
    fs, root = fsspec.core.url_to_fs(out)
    root = root.rstrip("/")
    digest = hashlib.sha256()
    articles: dict[str, list[dict[str, Any]]] = {}
    statements: dict[str, list[dict[str, Any]]] = {}
    dead: list[dict[str, Any]] = []
    n_records = n_articles = n_statements = 0

    # Rows are buffered and spilled to Parquet under a private temporary directory every
    # ``spill_bytes`` of article text, so a large shard never has to fit in worker memory.
    tmp = f"{root}/_tmp/{spec.key}.{uuid.uuid4().hex[:8]}"
    moves: list[tuple[str, str]] = []
    buffered = 0
    chunk = 0

    def spill() -> None:
        nonlocal buffered, chunk
        suffix = "" if chunk == 0 else f"-c{chunk}"
        for table, groups, schema in (("articles", articles, ARTICLES_SCHEMA),
                                      ("statements", statements, STATEMENTS_SCHEMA)):
            for pdir, rows in groups.items():
                rel = f"{table}/{pdir}/part-{spec.key}{suffix}.parquet"
                fs.makedirs(f"{tmp}/{table}/{pdir}", exist_ok=True)
                _write_parquet(fs, f"{tmp}/{rel}", rows, schema)
                moves.append((f"{tmp}/{rel}", rel))
            groups.clear()
        buffered = 0
        chunk += 1

    items = _iter_warc(spec, digest) if spec.fmt == "warc" else _iter_jsonl(spec, digest)
    for item in items:
        if item.error is not None:
            dead.append(_dead(spec, item, item.error))
            continue
        n_records += 1
        try:
            raw = item.raw
            where = f"{spec.url}: {'record' if spec.fmt == 'warc' else 'line'} {item.line}"
            if isinstance(raw, bytes):
                if not raw.strip():
                    n_records -= 1  # blank lines are not records
                    continue
                if item.line == 1 and raw.startswith(b"\xef\xbb\xbf"):
                    raw = raw[3:]  # a UTF-8 byte-order mark
                obj = parse_line(raw, where)
            else:
                obj = raw
            art = normalise_record(obj, where, default_id(spec.url, item.line))
            doc = extract_record(art)
        except RecordError as exc:
            dead.append(_dead(spec, item, str(exc)))
            continue
        except Exception as exc:  # the extractor failed on this record: keep going with the rest
            tb = traceback.format_exception_only(type(exc), exc)[-1].strip()
            dead.append(_dead(spec, item, f"extractor error: {tb}"))
            continue
        pdir = _partition_dir(art, partition_by)
        articles.setdefault(pdir, []).append(article_row(art, doc, EXTRACTOR_VERSION, spec.key, item.line))
        srows = statement_rows(art, doc, EXTRACTOR_VERSION)
        if srows:
            statements.setdefault(pdir, []).extend(srows)
        n_articles += 1
        n_statements += len(srows)
        buffered += len(art["text"])
        if buffered >= spill_bytes:
            spill()

    if articles or chunk == 0:
        spill()
    # Everything is written; now move it into place.
    if dead:
        rel = f"dead-letter/{spec.key}.jsonl"
        fs.makedirs(f"{tmp}/dead-letter", exist_ok=True)
        with fs.open(f"{tmp}/{rel}", "wb") as fh:
            for d in dead:
                fh.write(orjson.dumps(d) + b"\n")
        moves.append((f"{tmp}/{rel}", rel))
    written = [rel for _, rel in moves]
    for src, rel in moves:
        parent = f"{root}/{rel}".rsplit("/", 1)[0]
        fs.makedirs(parent, exist_ok=True)
        fs.mv(src, f"{root}/{rel}")
    # Leftovers of an earlier run of this key (other partitions, an old dead-letter file).
    for rel in set(stale_files) | {f"dead-letter/{spec.key}.jsonl"}:
        if rel not in written and fs.exists(f"{root}/{rel}"):
            fs.rm(f"{root}/{rel}")
    if fs.exists(tmp):
        fs.rm(tmp, recursive=True)

    worker = None
    try:
        from distributed import get_worker

        worker = get_worker().address
    except (ImportError, ValueError):
        pass
    return {
        "shard": spec.url,
        "key": spec.key,
        "start": spec.start,
        "stop": spec.stop,
        "fingerprint": spec.fingerprint,
        "content_sha256": digest.hexdigest(),
        "records": n_records,
        "articles": n_articles,
        "statements": n_statements,
        "dead": len(dead),
        "files": written,
        "extractor_version": EXTRACTOR_VERSION,
        "seconds": round(time.perf_counter() - t0, 3),
        "worker": worker,
        "pid": os.getpid(),
    }
