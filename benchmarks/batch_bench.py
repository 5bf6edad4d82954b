"""Batch on Dask: articles/s with 1 and 2 worker processes, and the scaling efficiency.

    .venv/bin/python benchmarks/batch_bench.py [--articles 5000] [--shards 20] [--workers 1,2]

Splits ``shared/corpus/bench.jsonl.gz`` into gzip shards (round-robin, so every shard
has the same mix of outlets), then for each worker count starts a LocalCluster (processes,
one thread each), warms the workers (imports, lexicons) and times ``run_batch`` over all
shards. Efficiency = rate(n) / (n x rate(1)). Also times the cross-article step (speaker
identity + provenance group-bys) on the last output, and prints the machine's load average
because the figures are only meaningful on an otherwise idle machine.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import os
import platform
import shutil
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "bench.jsonl.gz"


def make_shards(n_articles: int, n_shards: int, where: Path) -> list[str]:
    with gzip.open(CORPUS, "rb") as fh:
        lines = [ln for _, ln in zip(range(n_articles), fh, strict=False)]
    for s in range(n_shards):
        with gzip.open(where / f"bench-{s:03d}.jsonl.gz", "wb") as out:
            out.writelines(lines[s::n_shards])
    return [str(where / f"bench-{i:03d}.jsonl.gz") for i in range(n_shards)]


def _warm() -> int:
    import qawl

    return len(qawl.extract("قال الرئيس إن «المحادثات كانت مثمرة جدا».", published="2025-11-27").attributions)


def _cpu() -> float:
    import psutil

    t = psutil.Process().cpu_times()
    return t.user + t.system


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=5000)
    ap.add_argument("--shards", type=int, default=20)
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--no-cross", action="store_true")
    args = ap.parse_args()

    from distributed import Client, LocalCluster

    from qawl import EXTRACTOR_VERSION
    from qawl.batch.cross import run_cross
    from qawl.batch.runner import run_batch

    tmp = Path(tempfile.mkdtemp(prefix="qawl-batch-bench-"))
    try:
        shards = make_shards(args.articles, args.shards, tmp)
        print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
              f"python {platform.python_version()}, extractor {EXTRACTOR_VERSION}")
        print(f"input: {args.articles} articles in {args.shards} gzip shards")
        results = {}
        for w in [int(x) for x in args.workers.split(",")]:
            cluster = LocalCluster(n_workers=w, threads_per_worker=1, processes=True, dashboard_address=":0",
                                   silence_logs=logging.ERROR)
            client = Client(cluster)
            client.run(_warm)
            load0 = os.getloadavg()[0]
            out = tmp / f"out-{w}"
            cpu0 = sum(client.run(_cpu).values())
            t0 = time.perf_counter()
            res = run_batch(shards, str(out), client=client)
            dt = time.perf_counter() - t0
            cpu = sum(client.run(_cpu).values()) - cpu0
            assert not res.failed, res.failed
            rate = res.articles / dt
            results[w] = rate
            # CPU seconds of the worker processes: the per-core rate that contention does not distort.
            line = (f"workers={w}: {res.articles} articles, {res.statements} statements, {res.dead} dead-lettered "
                    f"in {dt:.1f}s = {rate:.1f} articles/s ({rate / w:.1f} per worker); worker CPU {cpu:.1f}s "
                    f"= {res.articles / cpu:.1f} articles per CPU-second; "
                    f"load avg before {load0:.1f}, after {os.getloadavg()[0]:.1f}")
            print(line, flush=True)
            if w == max(int(x) for x in args.workers.split(",")) and not args.no_cross:
                t0 = time.perf_counter()
                stats = run_cross(str(out), client=client)
                print(f"cross-article step on {w} workers: {time.perf_counter() - t0:.1f}s {stats}", flush=True)
            client.close()
            cluster.close()
        if 1 in results:
            for w, r in results.items():
                if w > 1:
                    print(f"scaling efficiency 1 -> {w} workers: {r / (w * results[1]):.2f}")
        print(json.dumps({"articles": args.articles, "shards": args.shards,
                          "rates": {str(k): round(v, 2) for k, v in results.items()}}))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
