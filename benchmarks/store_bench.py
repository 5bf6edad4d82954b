"""Store benchmark: ingest and search on SQLite (optionally PostgreSQL).

    .venv/bin/python benchmarks/store_bench.py                       # 5,000 articles, curve up to 50,000
    .venv/bin/python benchmarks/store_bench.py --scale 0 --limit 1000  # quicker
    .venv/bin/python benchmarks/store_bench.py --db postgresql://…     # the same on PostgreSQL

1. End to end: `Store.ingest` (extraction + store) of the corpus into a fresh database, serial
   (`workers=1`) and parallel (`--workers`, default one per CPU: extraction in worker processes while
   this process writes): articles/s of wall time and of CPU time (this process + its workers), size.
2. Store only: `Store.add_extracted` of the same, already extracted documents into another fresh database.
3. Search: p50/p95/p99 over 200 varied queries (single words, two words, speaker/outlet/kind/date filters,
   filter-only) at 5,000 articles.
4. Curve: the corpus re-keyed (ids suffixed, so every copy is a new article) loaded with `add_extracted`
   up to --scale articles; search p95 measured at each step.
"""

from __future__ import annotations

import argparse
import gc
import gzip
import json
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from qawl import EXTRACTOR_VERSION
from qawl.store import open_store

CORPUS = Path("/work/shared/corpus/bench.jsonl.gz")


def temp_postgres(tmp: Path):
    """initdb + pg_ctl into ``tmp`` (as the postgres user when run as root); returns (url, stop)."""
    import socket
    import subprocess

    bindir = Path("/usr/lib/postgresql/15/bin")
    base = tmp / "pg"
    base.mkdir()
    prefix: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(tmp, "postgres")
        shutil.chown(base, "postgres")
        prefix = ["runuser", "-u", "postgres", "--"]
    with socket.socket() as sk:
        sk.bind(("127.0.0.1", 0))
        port = sk.getsockname()[1]
    data = base / "data"
    subprocess.run([*prefix, str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                    "--no-locale", "--no-sync"], check=True, capture_output=True)
    subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-o",
                    f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c shared_buffers=256MB", "-l",
                    str(data / "log"), "-w", "start"], check=True, capture_output=True)

    def stop() -> None:
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                       capture_output=True)

    return f"postgresql://postgres@127.0.0.1:{port}/postgres", stop


def load(limit: int | None) -> list[dict]:
    out = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        for line in f:
            out.append(json.loads(line))
            if limit and len(out) >= limit:
                break
    return out


def fresh(url: str | None, tmp: Path, name: str) -> str:
    if url:
        import psycopg

        with psycopg.connect(url, autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            c.execute(f'CREATE DATABASE "{name}"')
        return url.rsplit("/", 1)[0] + "/" + name
    return str(tmp / f"{name}.db")


def size_of(url: str) -> int:
    with open_store(url) as s:
        return int(s.stats().get("db_bytes", 0))


def queries(store, n: int, rng: random.Random) -> list[dict]:
    """Varied queries drawn from stored statements: words of different frequency, pairs, filters."""
    hits = store.search(None, limit=3000)
    words = [w for h in hits for w in h["content"].split() if len(w) > 3]
    speakers = [s["name"] for s in store.speakers(top=100)]
    outlets = sorted({h["outlet"] for h in hits if h["outlet"]})
    kinds = ["direct", "indirect", "mixed", "according"]
    dates = sorted({h["published"] for h in hits if h["published"]})
    out = []
    for i in range(n):
        r = i % 8
        q: dict = {}
        if r in (0, 1, 2):
            q["text"] = rng.choice(words)
        elif r == 3:
            q["text"] = " ".join(rng.sample(words, 2))
        elif r == 4 and speakers:
            q["speaker"] = rng.choice(speakers)
            if rng.random() < 0.5:
                q["text"] = rng.choice(words)
        elif r == 5 and outlets:
            q["outlet"] = rng.choice(outlets)
            q["text"] = rng.choice(words)
        elif r == 6:
            q["kind"] = rng.choice(kinds)
            if dates:
                q["since"] = rng.choice(dates)
        else:
            q["text"] = rng.choice(["قال", "الحكومة", "وأضاف", "الرئيس", "السعودية", "إيران", "الحرب", "النفط"])
        out.append(q)
    return out


def time_queries(store, qs: list[dict]) -> dict:
    for q in qs[:10]:  # warm the cache
        store.search(**q)
    lat = []
    for q in qs:
        t = time.perf_counter()
        store.search(**q, limit=20)
        lat.append((time.perf_counter() - t) * 1000)
    lat.sort()

    def pct(p: float) -> float:
        return lat[min(len(lat) - 1, int(round(p / 100 * (len(lat) - 1))))]

    return {"n": len(lat), "p50": pct(50), "p95": pct(95), "p99": pct(99), "mean": statistics.mean(lat)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=None, help="articles of the corpus (default all 5,000)")
    ap.add_argument("--scale", type=int, default=50_000, help="largest store of the curve (0: no curve)")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--db", default=None, help="PostgreSQL admin URL (default: SQLite files in a temp dir)")
    ap.add_argument("--pg-temp", action="store_true", help="start a throwaway PostgreSQL 15 server and use it")
    ap.add_argument("--batch-size", type=int, default=200)
    ap.add_argument("--workers", type=int, default=0, help="extraction processes of the parallel run "
                                                         "(default 0: one per CPU)")
    ap.add_argument("--no-serial", action="store_true", help="skip the serial end-to-end run")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="qawl-store-bench-"))
    stop = None
    if args.pg_temp:
        args.db, stop = temp_postgres(tmp)
    rng = random.Random(1)
    docs = load(args.limit)
    gc.freeze()  # the benchmark holds the whole corpus in memory: keep GC passes from walking it
    backend = "postgresql" if args.db else f"sqlite {__import__('sqlite3').sqlite_version}"
    print(f"# store benchmark — {len(docs)} articles, {backend}, extractor {EXTRACTOR_VERSION}, "
          f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f}")
    try:
        # 1. end to end, serial then parallel (the parallel store is the one used below)
        from qawl.store.core import resolve_workers

        runs = [] if args.no_serial else [("serial", 1)]
        runs.append(("parallel", resolve_workers(args.workers)))
        for label, workers in runs:
            url = fresh(args.db, tmp, f"bench_e2e_{label}")
            with open_store(url) as s:
                t0, c0 = time.perf_counter(), os.times()
                res = s.ingest(docs, batch_size=args.batch_size, workers=workers)
                dt, c1 = time.perf_counter() - t0, os.times()
                st = s.stats()
            own = (c1.user - c0.user) + (c1.system - c0.system)
            kids = (c1.children_user - c0.children_user) + (c1.children_system - c0.children_system)
            print(f"ingest end to end, {label} (workers={workers}): {res['added']} articles in {dt:.1f} s = "
                  f"{res['added'] / dt:.0f} articles/s wall, {res['added'] / (own + kids):.0f}/s of CPU time "
                  f"(writer process {own:.1f} s, workers {kids:.1f} s); load average "
                  f"{os.getloadavg()[0]:.1f}; {st['reports']} reports, {st['statements']} statements, "
                  f"{st['speakers']} speakers; db {size_of(url) / 1e6:.1f} MB; failed {res['failed']}")
            sys.stdout.flush()
        with open_store(url) as s:
            t = time.perf_counter()
            again = s.ingest(docs, batch_size=args.batch_size)
            print(f"re-ingest (idempotent): unchanged {again['unchanged']} in {time.perf_counter() - t:.1f} s")
            extracted = []
            for a in s.articles(limit=len(docs) + 10):
                full = s.article(a["article_id"])
                meta = {k: full[k] for k in ("id", "title", "url", "outlet", "published", "lang")}
                extracted.append((meta, full["extraction"]))
        # 2. store only
        url2 = fresh(args.db, tmp, "bench_store")
        with open_store(url2) as s:
            gc.freeze()
            t, c = time.perf_counter(), time.process_time()
            res = s.add_extracted(extracted, batch_size=args.batch_size)
            dt, dc = time.perf_counter() - t, time.process_time() - c
        print(f"store only (add_extracted): {res['added']} articles in {dt:.1f} s = {res['added'] / dt:.0f} "
              f"articles/s ({res['added'] / dc:.0f}/s of CPU time); load average {os.getloadavg()[0]:.1f}")
        # 3. search at this size
        with open_store(url2) as s:
            qs = queries(s, args.queries, rng)
            r = time_queries(s, qs)
        print(f"search at {len(extracted)} articles: {r['n']} queries, p50 {r['p50']:.1f} ms, p95 {r['p95']:.1f} ms, "
              f"p99 {r['p99']:.1f} ms")
        # 4. curve
        if args.scale and args.scale > len(extracted):
            print("\n| articles | reports | add_extracted articles/s | search p50 ms | p95 ms | p99 ms | db MB |")
            print("|---:|---:|---:|---:|---:|---:|---:|")
            with open_store(url2) as s:
                st = s.stats()
                print(f"| {st['articles']} | {st['reports']} | {res['added'] / dt:.0f} | {r['p50']:.1f} | "
                      f"{r['p95']:.1f} | {r['p99']:.1f} | {size_of(url2) / 1e6:.0f} |")
                copy = 1
                steps = [x for x in (10_000, 20_000, 50_000, 100_000) if x <= args.scale] or [args.scale]
                for target in steps:
                    batch = []
                    while st["articles"] + len(batch) < target:
                        for meta, q in extracted:
                            m = dict(meta, id=f"{meta['id']}#{copy}")
                            batch.append((m, dict(q, id=m["id"])))
                            if st["articles"] + len(batch) >= target:
                                break
                        copy += 1
                    t = time.perf_counter()
                    res2 = s.add_extracted(batch, batch_size=args.batch_size)
                    rate = res2["added"] / (time.perf_counter() - t)
                    st = s.stats()
                    r = time_queries(s, qs)
                    print(f"| {st['articles']} | {st['reports']} | {rate:.0f} | {r['p50']:.1f} | {r['p95']:.1f} | "
                          f"{r['p99']:.1f} | {size_of(url2) / 1e6:.0f} |")
                    sys.stdout.flush()
    finally:
        if stop:
            stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
