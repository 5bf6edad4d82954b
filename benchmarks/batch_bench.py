"""Batch on Dask: articles/s with 1 and 2 worker processes, and the scaling efficiency.

    .venv/bin/python benchmarks/batch_bench.py [--articles 5000] [--shards 20] [--workers 1,2]

Splits ``shared/corpus/bench.jsonl.gz`` into gzip shards (round-robin, so every shard
has the same mix of outlets), then for each worker count starts a LocalCluster (processes,
one thread each), warms the workers (imports, lexicons) and times ``run_batch`` over all
shards. Efficiency = rate(n) / (n x rate(1)). Also times the cross-article step (speaker
identity + provenance group-bys) on the last output (and ``--load``: `qawl load` into SQLite).
Runs alternate between cluster sizes (``--repeat``) and the machine's load average is printed,
because on a shared machine the figures move with everyone else's work.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import os
import platform
import shutil
import statistics
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
    ap.add_argument("--repeat", type=int, default=3, help="alternating runs per cluster size (best is reported)")
    ap.add_argument("--no-cross", action="store_true")
    ap.add_argument("--load", action="store_true", help="also time `qawl load` of the output into SQLite")
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
        sizes = [int(x) for x in args.workers.split(",")]
        clusters = {}
        for w in sizes:
            cluster = LocalCluster(n_workers=w, threads_per_worker=1, processes=True, dashboard_address=":0",
                                   silence_logs=logging.ERROR)
            clusters[w] = (cluster, Client(cluster, set_as_default=False))
            clusters[w][1].run(_warm)
        rates: dict[int, list[float]] = {w: [] for w in sizes}
        cpu_rates: dict[int, list[float]] = {w: [] for w in sizes}
        # Alternate the cluster sizes so that a change in background load hits all of them.
        for rep in range(args.repeat):
            for w in sizes:
                client = clusters[w][1]
                load0 = os.getloadavg()[0]
                out = tmp / f"out-{w}-{rep}"
                cpu0 = sum(client.run(_cpu).values())
                t0 = time.perf_counter()
                res = run_batch(shards, str(out), client=client)
                dt = time.perf_counter() - t0
                # CPU seconds of the worker processes: a per-core rate that contention distorts less.
                cpu = sum(client.run(_cpu).values()) - cpu0
                assert not res.failed, res.failed
                rates[w].append(res.articles / dt)
                cpu_rates[w].append(res.articles / cpu)
                print(f"run {rep + 1}, workers={w}: {res.articles} articles, {res.statements} statements, "
                      f"{res.dead} dead-lettered in {dt:.1f}s = {res.articles / dt:.1f} articles/s "
                      f"({res.articles / dt / w:.1f} per worker); worker CPU {cpu:.1f}s = "
                      f"{res.articles / cpu:.1f} articles per CPU-second; "
                      f"load avg before {load0:.1f}, after {os.getloadavg()[0]:.1f}", flush=True)
        best = {w: max(r) for w, r in rates.items()}
        for w in sizes:
            print(f"workers={w}: best {best[w]:.1f} articles/s, median {statistics.median(rates[w]):.1f}; "
                  f"median {statistics.median(cpu_rates[w]):.1f} articles per CPU-second")
        if 1 in best:
            for w in sizes:
                if w > 1:
                    print(f"scaling efficiency 1 -> {w} workers (best runs): {best[w] / (w * best[1]):.2f}; "
                          f"(medians): {statistics.median(rates[w]) / (w * statistics.median(rates[1])):.2f}")
        top = max(sizes)
        client = clusters[top][1]
        out = tmp / f"out-{top}-{args.repeat - 1}"
        if not args.no_cross:
            t0 = time.perf_counter()
            stats = run_cross(str(out), client=client)
            print(f"cross-article step on {top} workers: {time.perf_counter() - t0:.1f}s {stats}", flush=True)
        if args.load:
            from qawl.batch.load import load_output

            t0 = time.perf_counter()
            stats = load_output(str(out), str(tmp / "store.db"))
            dt = time.perf_counter() - t0
            print(f"qawl load into SQLite: {stats['added']} articles in {dt:.1f}s = "
                  f"{stats['added'] / dt:.1f} articles/s; {(tmp / 'store.db').stat().st_size / 1e6:.0f} MB",
                  flush=True)
        for cluster, client in clusters.values():
            client.close()
            cluster.close()
        print(json.dumps({"articles": args.articles, "shards": args.shards,
                          "rates": {str(k): [round(x, 2) for x in v] for k, v in rates.items()}}))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
