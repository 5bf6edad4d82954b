"""Finding input shards: local paths, directories, globs and fsspec URLs."""

from __future__ import annotations

import hashlib
import re
from typing import Any

import fsspec

from qawl.batch.task import ShardSpec

JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".jsonl.bz2", ".jsonl.xz", ".jsonl.zst", ".ndjson", ".ndjson.gz")
WARC_SUFFIXES = (".warc", ".warc.gz")
_GLOB = re.compile(r"[*?\[]")
_KEY_BAD = re.compile(r"[^0-9A-Za-z._-]+")


class ShardError(ValueError):
    """An input argument names nothing readable."""


def shard_format(path: str) -> str | None:
    low = path.lower()
    if low.endswith(WARC_SUFFIXES):
        return "warc"
    if low.endswith(JSONL_SUFFIXES):
        return "jsonl"
    return None


def _fingerprint(info: dict[str, Any]) -> dict[str, Any]:
    """Cheap change detection from the listing: size plus whatever the filesystem offers as a version."""
    fp: dict[str, Any] = {"size": info.get("size")}
    for k in ("mtime", "LastModified", "last_modified", "updated", "ETag", "etag", "md5Hash"):
        if info.get(k) is not None:
            v = info[k]
            fp[k] = v if isinstance(v, int | float | str) else str(v)
    return fp


def shard_key(url: str, start: int = 1, stop: int | None = None) -> str:
    """Filename-safe and unique: readable base name plus a hash of the full URL (and line range)."""
    base = url.rstrip("/").rsplit("/", 1)[-1]
    for suf in sorted(JSONL_SUFFIXES + WARC_SUFFIXES, key=len, reverse=True):
        if base.lower().endswith(suf):
            base = base[: -len(suf)]
            break
    base = _KEY_BAD.sub("_", base).strip("_")[:40] or "shard"
    h = hashlib.sha1(url.encode("utf-8")).hexdigest()[:10]
    key = f"{base}-{h}"
    if start != 1 or stop is not None:
        key += f"-L{start}-{stop if stop is not None else 'end'}"
    return key


def expand_inputs(inputs: list[str]) -> list[tuple[str, str, dict[str, Any]]]:
    """Every shard named by ``inputs`` as (url, format, fingerprint), in a stable order, without repeats."""
    found: dict[str, tuple[str, str, dict[str, Any]]] = {}
    for arg in inputs:
        fs, path = fsspec.core.url_to_fs(arg)
        proto = fs.protocol if isinstance(fs.protocol, str) else fs.protocol[0]

        def url(p: str, fs: Any = fs, proto: str = proto) -> str:
            return p if proto in ("file", "local") else fs.unstrip_protocol(p)

        if _GLOB.search(path):
            paths = sorted(fs.glob(path))
            if not paths:
                raise ShardError(f"{arg}: no file matches this pattern")
        elif fs.isdir(path):
            paths = sorted(p for p in fs.find(path) if shard_format(p))
            if not paths:
                raise ShardError(f"{arg}: directory holds no .jsonl(.gz) or .warc(.gz) shard")
        elif fs.exists(path):
            paths = [path]
        else:
            raise ShardError(f"{arg}: no such file or directory")
        for p in paths:
            fmt = shard_format(p)
            if fmt is None:
                raise ShardError(f"{url(p)}: not a shard (expected .jsonl, .jsonl.gz, .warc or .warc.gz)")
            info = fs.info(p)
            if info.get("type") == "directory":
                continue
            u = url(p)
            found.setdefault(u, (u, fmt, _fingerprint(info)))
    return list(found.values())


def count_lines(url: str) -> int:
    n = 0
    with fsspec.open(url, "rb", compression="infer") as fh:
        for _ in fh:
            n += 1
    return n


def plan_shards(inputs: list[str], split_lines: int = 0) -> list[ShardSpec]:
    """Shard specs for ``inputs``; with ``split_lines`` > 0, JSONL shards longer than that are split
    into line ranges (one task each; the file is counted once here, and each task reads past
    the lines before its range, which is cheap next to extraction)."""
    specs: list[ShardSpec] = []
    for u, fmt, fp in expand_inputs(inputs):
        if split_lines > 0 and fmt == "jsonl":
            n = count_lines(u)
            if n > split_lines:
                for start in range(1, n + 1, split_lines):
                    stop = start + split_lines
                    stop_ = None if stop > n else stop
                    specs.append(ShardSpec(u, shard_key(u, start, stop_), fmt, start, stop_, fp))
                continue
        specs.append(ShardSpec(u, shard_key(u), fmt, 1, None, fp))
    return specs
