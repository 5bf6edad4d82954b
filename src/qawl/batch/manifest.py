"""``OUT/manifest.jsonl``: one line per finished shard, appended by the client only.

A shard counts as done only when its line is here; its files were all moved into
place before the line was written, so after a crash a rerun redoes exactly the
shards without a line. Append-only: the last line for a key wins, and a line
with ``"removed": true`` retires a key whose files were deleted.
"""

from __future__ import annotations

import os
import time
from typing import Any

import fsspec
import orjson

from qawl.batch.task import ShardSpec

MANIFEST = "manifest.jsonl"


def load_manifest(out: str) -> dict[str, dict[str, Any]]:
    """Key -> last entry. A torn final line (crash while appending) is ignored."""
    fs, root = fsspec.core.url_to_fs(out)
    path = f"{root.rstrip('/')}/{MANIFEST}"
    entries: dict[str, dict[str, Any]] = {}
    if not fs.exists(path):
        return entries
    with fs.open(path, "rb") as fh:
        for raw in fh:
            try:
                e = orjson.loads(raw)
            except orjson.JSONDecodeError:
                continue
            if e.get("removed"):
                entries.pop(e.get("key"), None)
            else:
                entries[e["key"]] = e
    return entries


def is_done(entry: dict[str, Any] | None, spec: ShardSpec, version: str, partition_by: tuple[str, ...]) -> bool:
    return (
        entry is not None
        and entry.get("shard") == spec.url
        and entry.get("fingerprint") == spec.fingerprint
        and entry.get("extractor_version") == version
        and tuple(entry.get("partition_by") or ()) == tuple(partition_by)
    )


class ManifestWriter:
    """Appends entries durably (flush + fsync per line) to a local manifest; other filesystems
    get a rewrite per entry because most object stores cannot append."""

    def __init__(self, out: str) -> None:
        self.fs, root = fsspec.core.url_to_fs(out)
        self.path = f"{root.rstrip('/')}/{MANIFEST}"
        self.local = "file" in (self.fs.protocol if isinstance(self.fs.protocol, tuple) else (self.fs.protocol,))
        self.fs.makedirs(root.rstrip("/") or "/", exist_ok=True)
        if self.local and os.path.exists(self.path) and os.path.getsize(self.path):
            # A crash can leave a torn last line; end it so the next entry starts on its own line.
            with open(self.path, "rb+") as fh:
                fh.seek(-1, os.SEEK_END)
                if fh.read(1) != b"\n":
                    fh.write(b"\n")

    def append(self, entry: dict[str, Any]) -> None:
        entry = {**entry, "finished_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        line = orjson.dumps(entry) + b"\n"
        if self.local:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, line)
                os.fsync(fd)
            finally:
                os.close(fd)
            return
        old = self.fs.cat_file(self.path) if self.fs.exists(self.path) else b""
        tmp = self.path + ".tmp"
        self.fs.pipe_file(tmp, old + line)
        self.fs.mv(tmp, self.path)
