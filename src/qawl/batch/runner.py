"""Driving a batch run: plan shards, skip finished ones, submit to Dask, record the manifest."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import fsspec

from qawl.batch.manifest import ManifestWriter, is_done, load_manifest
from qawl.batch.shards import plan_shards
from qawl.batch.task import ShardSpec, process_shard

DEFAULT_RETRIES = 3


@dataclass
class BatchResult:
    shards: int = 0
    skipped: int = 0
    done: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (shard key, error)
    records: int = 0
    articles: int = 0
    statements: int = 0
    dead: int = 0
    seconds: float = 0.0
    dashboard: str | None = None
    workers: int = 0

    @property
    def rate(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0


def make_client(scheduler: str | None = None, workers: int | None = None, memory_limit: str | None = "auto",
                dashboard_address: str | None = ":8787") -> tuple[Any, Any]:
    """A client for ``scheduler`` (or $DASK_SCHEDULER_ADDRESS), else for a new LocalCluster sized to
    this machine: one process per core, one thread each (extraction is pure Python, so threads
    would only share one GIL). Returns (client, cluster-or-None)."""
    from distributed import Client, LocalCluster

    address = scheduler or os.environ.get("DASK_SCHEDULER_ADDRESS")
    if address:
        return Client(address), None
    n = workers or os.cpu_count() or 1
    cluster = LocalCluster(
        n_workers=n,
        threads_per_worker=1,
        processes=True,
        memory_limit=memory_limit,
        dashboard_address=dashboard_address,
        silence_logs=logging.ERROR,
    )
    return Client(cluster), cluster


def _stale(entries: dict[str, dict[str, Any]], specs: list[ShardSpec]) -> dict[str, list[str]]:
    """Manifest keys of planned shard URLs that the current plan no longer produces (e.g. the
    --split-lines value changed): their files must go or rows would be counted twice."""
    planned_keys = {s.key for s in specs}
    planned_urls = {s.url for s in specs}
    return {k: list(e.get("files", [])) for k, e in entries.items()
            if e.get("shard") in planned_urls and k not in planned_keys}


def run_batch(
    inputs: list[str],
    out: str,
    *,
    client: Any = None,
    scheduler: str | None = None,
    workers: int | None = None,
    memory_limit: str | None = "auto",
    dashboard_address: str | None = ":8787",
    split_lines: int = 0,
    retries: int = DEFAULT_RETRIES,
    force: bool = False,
    partition_by: tuple[str, ...] = ("outlet", "month"),
    on_start: Callable[[str | None, int, int], None] | None = None,
    progress: Any = None,
    spill_bytes: int | None = None,
) -> BatchResult:
    """Extract every shard of ``inputs`` into ``out``; finished shards (manifest) are skipped.

    ``client``: an existing distributed Client (otherwise one is made and closed here).
    ``progress``: an object with ``advance(entry)`` called once per finished shard, and
    ``start(total)``; the CLI passes a Rich progress bar. ``spill_bytes``: article text a task
    buffers before writing a Parquet chunk (default ``task.SPILL_BYTES``).
    """
    from qawl import EXTRACTOR_VERSION

    t0 = time.perf_counter()
    fs, root = fsspec.core.url_to_fs(out)
    root = root.rstrip("/")
    fs.makedirs(root, exist_ok=True)
    specs = plan_shards(inputs, split_lines=split_lines)
    entries = {} if force else load_manifest(out)
    res = BatchResult(shards=len(specs))
    writer = ManifestWriter(out)

    for key, files in _stale(load_manifest(out), specs).items():
        for rel in files:
            if fs.exists(f"{root}/{rel}"):
                fs.rm(f"{root}/{rel}")
        writer.append({"key": key, "removed": True})

    todo = [s for s in specs if not is_done(entries.get(s.key), s, EXTRACTOR_VERSION, partition_by)]
    res.skipped = len(specs) - len(todo)
    if not todo:
        res.seconds = time.perf_counter() - t0
        return res
    # Largest shards first: the long tasks start early and small ones fill the gaps at the end.
    todo.sort(key=lambda s: -(s.fingerprint.get("size") or 0))
    old_all = load_manifest(out)

    own = client is None
    cluster = None
    if own:
        client, cluster = make_client(scheduler, workers, memory_limit, dashboard_address)
    try:
        from distributed import as_completed

        res.dashboard = getattr(client, "dashboard_link", None)
        res.workers = len(client.scheduler_info().get("workers", {}))
        if on_start:
            on_start(res.dashboard, res.workers, len(todo))
        if progress is not None:
            progress.start(len(todo))
        futures = {}
        for spec in todo:
            stale = tuple(old_all.get(spec.key, {}).get("files", ()))
            extra = {"spill_bytes": spill_bytes} if spill_bytes else {}
            fut = client.submit(process_shard, spec, out, tuple(partition_by), stale, **extra,
                                key=f"qawl-shard-{spec.key}-{time.time_ns()}", retries=retries, pure=False)
            futures[fut] = spec
        for fut in as_completed(list(futures), loop=client.loop):
            spec = futures[fut]
            if fut.status != "finished":
                try:
                    err = repr(fut.exception())
                except Exception as exc:  # cancelled futures raise here
                    err = repr(exc)
                res.failed.append((spec.key, err))
                if progress is not None:
                    progress.advance(None)
                continue
            entry = fut.result()
            entry["partition_by"] = list(partition_by)
            writer.append(entry)
            res.done += 1
            res.records += entry["records"]
            res.articles += entry["articles"]
            res.statements += entry["statements"]
            res.dead += entry["dead"]
            if progress is not None:
                progress.advance(entry)
    finally:
        if own:
            client.close()
            if cluster is not None:
                cluster.close()
    if not res.failed and fs.exists(f"{root}/_tmp"):
        # Directories left by attempts on workers that died; every shard is settled now.
        fs.rm(f"{root}/_tmp", recursive=True)
    res.seconds = time.perf_counter() - t0
    return res
