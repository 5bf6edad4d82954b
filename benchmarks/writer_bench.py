"""Where the ingest writer's time goes: `Store.ingest` with extraction workers, the writer timed apart.

    .venv/bin/python benchmarks/writer_bench.py [--corpus PATH] [--limit N] [-j N] [--sections]

Runs the same pipeline as `qawl ingest` (a fresh SQLite file in a temporary directory, batches of
200) and prints wall time and articles/s, then CPU per article: this process (the writer thread, plus
the input-reading and pool threads), the writer's `_write_batch` alone (its CPU and wall time), and
the extraction workers. `--sections` also times, in the writer thread, each store step and each SQL
statement (CPU seconds, `time.thread_time`; the timers themselves add a little).
"""

from __future__ import annotations

import argparse
import itertools
import os
import resource
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "bench.jsonl.gz"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", default=str(CORPUS))
    ap.add_argument("--limit", type=int, default=None, help="first N documents only")
    ap.add_argument("-j", "--workers", type=int, default=0, help="extraction processes (0: one per CPU)")
    ap.add_argument("--sections", action="store_true", help="time each store step and SQL statement")
    args = ap.parse_args()

    from qawl.inputs import iter_documents
    from qawl.store import db as dbm
    from qawl.store.core import Store, resolve_workers

    totals: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)

    def timed(owner: Any, name: str, label: Any = None) -> None:
        orig = getattr(owner, name)

        def wrapper(*a: Any, **k: Any) -> Any:
            t = time.thread_time()
            try:
                return orig(*a, **k)
            finally:
                key = label(a) if label else name
                totals[key] += time.thread_time() - t
                counts[key] += 1

        setattr(owner, name, wrapper)

    write = {"cpu": 0.0, "wall": 0.0, "n": 0}
    orig_write = Store._write_batch

    def write_batch(self: Store, todo: list[Any], *a: Any, **k: Any) -> None:
        t, w = time.thread_time(), time.perf_counter()
        try:
            orig_write(self, todo, *a, **k)
        finally:
            write["cpu"] += time.thread_time() - t
            write["wall"] += time.perf_counter() - w

    Store._write_batch = write_batch  # type: ignore[method-assign]
    if args.sections:
        for m in ("_store_attributions", "_recluster", "_load_forms", "_candidates", "_insert_articles"):
            timed(Store, m)
        for m in ("_executemany", "query", "execute"):
            timed(dbm.DB, m, lambda a, m=m: f"SQL {m}: " + " ".join(str(a[1]).split())[:64])
        import qawl.identity

        # (cluster_block before identity.cluster_forms existed: this script also times older code)
        timed(qawl.identity, "cluster_forms" if hasattr(qawl.identity, "cluster_forms") else "cluster_block")

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(os.path.join(tmp, "bench.db"))
        docs = iter_documents(Path(args.corpus))
        if args.limit:
            docs = itertools.islice(docs, args.limit)
        c0, w0 = time.process_time(), time.perf_counter()
        res = store.ingest(docs, workers=args.workers)
        wall, cpu = time.perf_counter() - w0, time.process_time() - c0
        store.close()
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    n = res["added"] or 1
    ms = 1e3 / n
    print(f"{res['added']} articles, -j {resolve_workers(args.workers)}: {wall:.2f} s wall = {n / wall:.0f} articles/s "
          f"(load average {os.getloadavg()[0]:.2f})")
    print(f"CPU ms/article: this process {cpu * ms:.3f} (writer _write_batch {write['cpu'] * ms:.3f}, its wall "
          f"{write['wall'] * ms:.3f}); extraction workers {(kids.ru_utime + kids.ru_stime) * ms:.3f}")
    if args.sections:
        for key, v in sorted(totals.items(), key=lambda kv: -kv[1]):
            if v * ms >= 0.002:
                print(f"  {v * ms:7.3f} ms/article {counts[key]:6d} calls  {key}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
