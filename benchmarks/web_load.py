"""Load test of the web app over loopback: 50 concurrent keep-alive clients against `qawl serve`.

Builds (once) a SQLite store of the 5,000-article benchmark corpus, starts the server as a
subprocess on 127.0.0.1, then for each workload (article page, search page, search API,
/api/extract) runs a bounded number of requests from N concurrent clients and prints
throughput and latency percentiles.

    .venv/bin/python benchmarks/web_load.py                 # defaults: 50 clients, 2 server workers
    .venv/bin/python benchmarks/web_load.py --requests 3000 --workers 1

The client is a minimal asyncio HTTP/1.1 client (persistent connections, Content-Length
bodies) so that the load generator, which shares the machine's two cores with the server,
costs as little CPU as possible.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import os
import platform
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("QAWL_BENCH_CORPUS", ROOT.parent / "shared" / "corpus" / "bench.jsonl.gz"))

SEARCH_WORDS = [
    "الحكومة", "الرئيس", "السلام", "الاقتصاد", "الحرب", "المفاوضات", "الأمن", "النفط", "الانتخابات",
    "اليمن", "سوريا", "إيران", "روسيا", "الولايات المتحدة", "الأمم المتحدة", "المملكة", "الإرهاب",
    "اللاجئين", "الوزير", "الشعب", "التعاون", "الدعم", "المنطقة", "الاستقرار", "الأزمة", "الرياضة",
    "المنتخب", "الشركة", "الأسعار", "الصحة", "التعليم", "المستقبل", "قال", "مؤكدا", "أوضح",
]

SHORT = {"article page": "article", "search page": "search-page", "search API": "search-api",
         "/api/extract": "extract"}


def load_corpus(limit: int | None = None) -> list[dict]:
    out = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            out.append({"id": r["id"], "text": r["text"], "published": r.get("date"), "lang": "ar",
                        "title": r.get("title"), "url": r.get("url"), "outlet": r.get("source")})
            if limit and len(out) >= limit:
                break
    return out


def ensure_store(db: str, docs: list[dict]) -> None:
    from qawl.store import open_store

    store = open_store(db)
    try:
        n = int((store.stats() or {}).get("articles", 0))
        if n >= len(docs):
            print(f"store: reusing {db} ({n} articles)")
            return
        t0 = time.perf_counter()
        for i in range(0, len(docs), 500):
            store.ingest(docs[i:i + 500])
            print(f"  ingested {min(i + 500, len(docs))}/{len(docs)}", flush=True)
        print(f"store: ingested {len(docs)} articles into {db} in {time.perf_counter() - t0:.0f} s")
    finally:
        getattr(store, "close", lambda: None)()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db: str, port: int, workers: int, cache_ttl: float) -> subprocess.Popen:
    cmd = [sys.executable, "-c", "from qawl.cli import main; main()", "serve", "--db", db,
           "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers), "--cache-ttl", str(cache_ttl)]
    env = dict(os.environ)
    env.pop("QAWL_TOKEN", None)
    # Own process group, so stopping it also stops its worker processes.
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.2)
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {proc.stderr.read().decode() if proc.stderr else ''}")
    proc.kill()
    raise SystemExit("server did not start in 60 s")


def _tree(pid: int) -> list[int]:
    out = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            kids = (task / "children").read_text().split()
        except OSError:
            continue
        for k in kids:
            out.extend(_tree(int(k)))
    return out


def server_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by the server and its worker processes (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for p in _tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / tick


def stop_server(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(5)
    except ProcessLookupError:
        pass


class Conn:
    """One persistent HTTP/1.1 connection."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, int]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n"
        if body is not None:
            head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        self.writer.write(head.encode() + b"\r\n" + (body or b""))
        # The whole head in one read (not line by line): the client shares the CPUs with the server.
        try:
            raw = await self.reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError as e:
            raise ConnectionError("closed") from e
        lines = raw.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        length = 0
        close = False
        for line in lines[1:]:
            k, _, v = line.partition(":")
            k = k.strip().lower()
            if k == "content-length":
                length = int(v)
            elif k == "transfer-encoding" and "chunked" in v:
                raise RuntimeError("chunked responses are not expected from this server")
            elif k == "connection" and "close" in v.lower():
                close = True
        data = await self.reader.readexactly(length)
        if close:
            self.writer.close()
            self.writer = None
        return status, len(data)


async def run_workload(port: int, make, n_requests: int, concurrency: int, max_seconds: float,
                       seed: int = 0) -> dict:
    lat: list[float] = []
    errors = 0
    statuses: dict[int, int] = {}
    counter = iter(range(n_requests))
    t_end = time.perf_counter() + max_seconds

    async def client(seed: int) -> None:
        nonlocal errors
        rnd = random.Random(seed)
        conn = Conn(port)
        for _ in counter:
            if time.perf_counter() > t_end:
                break
            method, path, body = make(rnd)
            t0 = time.perf_counter()
            try:
                status, _n = await conn.request(method, path, body)
            except (OSError, ConnectionError, asyncio.IncompleteReadError):
                errors += 1
                conn = Conn(port)
                continue
            lat.append(time.perf_counter() - t0)
            statuses[status] = statuses.get(status, 0) + 1
            if status >= 500:
                errors += 1
        if conn.writer is not None:
            conn.writer.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(client(seed + i) for i in range(concurrency)))
    wall = time.perf_counter() - t0
    lat.sort()

    def pct(p: float) -> float:
        return lat[min(len(lat) - 1, int(p / 100 * len(lat)))] * 1000 if lat else float("nan")

    return {"requests": len(lat), "seconds": wall, "rps": len(lat) / wall if wall else 0.0,
            "p50": pct(50), "p95": pct(95), "p99": pct(99), "mean": statistics.fmean(lat) * 1000 if lat else 0,
            "errors": errors, "statuses": statuses}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default=os.path.join(os.environ.get("TMPDIR", "/tmp"), "qawl-web-bench.db"))
    ap.add_argument("--articles", type=int, default=5000)
    ap.add_argument("--concurrency", type=int, default=50)
    ap.add_argument("--requests", type=int, default=2000, help="requests per workload (bounded)")
    ap.add_argument("--extract-requests", type=int, default=300)
    ap.add_argument("--max-seconds", type=float, default=60.0, help="time cap per workload")
    ap.add_argument("--workers", type=int, default=2, help="server worker processes")
    ap.add_argument("--warmup", type=int, default=200)
    ap.add_argument("--only-cached", action="store_true", help="skip the run without the response cache")
    ap.add_argument("--only", default="", metavar="NAMES",
                    help="comma-separated workloads to run (article, search-page, search-api, extract); default all")
    args = ap.parse_args()

    docs = load_corpus(args.articles)
    ensure_store(args.db, docs)
    from qawl.store import open_store

    st = open_store(args.db)
    arts = []
    off = 0
    while len(arts) < args.articles:
        page = st.articles(500, off)
        if not page:
            break
        arts.extend(a.get("article_id") if a.get("article_id") is not None else a.get("id") for a in page)
        off += 500
    speakers = [s["name"] for s in st.speakers(top=100)]
    getattr(st, "close", lambda: None)()
    texts = [d["text"] for d in docs]
    print(f"{len(arts)} article ids, {len(speakers)} speakers")

    def article(rnd: random.Random):
        return "GET", f"/article/{quote(str(rnd.choice(arts)), safe='')}", None

    def search_page(rnd: random.Random):
        q = rnd.choice(SEARCH_WORDS)
        extra = f"&speaker={quote(rnd.choice(speakers))}" if speakers and rnd.random() < 0.2 else ""
        return "GET", f"/search?q={quote(q)}{extra}", None

    def search_api(rnd: random.Random):
        return "GET", f"/api/search?q={quote(rnd.choice(SEARCH_WORDS))}&limit=20", None

    def extract(rnd: random.Random):
        return "POST", "/api/extract", json.dumps({"text": rnd.choice(texts)}).encode()

    only = {w.strip() for w in args.only.split(",") if w.strip()}
    if only - set(SHORT.values()):
        ap.error(f"--only: unknown workload(s) {', '.join(sorted(only - set(SHORT.values())))}")
    results: dict[tuple[str, str], dict] = {}
    configs = [("response cache", 60.0), ("no cache", 0.0)] if not args.only_cached else [("response cache", 60.0)]
    for label, ttl in configs:
        port = free_port()
        proc = start_server(args.db, port, args.workers, ttl)
        try:
            # Warm-up: connections, imports, SQLite page cache (the response cache too, for a few pages).
            asyncio.run(run_workload(port, article, args.warmup, 10, 30, seed=20_000))
            asyncio.run(run_workload(port, search_page, args.warmup, 10, 30, seed=20_000))
            for name, make, n in (("article page", article, args.requests),
                                  ("search page", search_page, args.requests),
                                  ("search API", search_api, args.requests),
                                  ("/api/extract", extract, args.extract_requests)):
                if name == "/api/extract" and ttl == 0:
                    continue  # never cached: measured once
                if only and SHORT[name] not in only:
                    continue
                # Service time first: one client, so queueing does not count (a few hundred requests).
                one = asyncio.run(run_workload(port, make, min(n, 300), 1, args.max_seconds / 2, seed=10_000))
                load0 = os.getloadavg()[0]
                cpu0 = server_cpu(proc.pid)
                r = asyncio.run(run_workload(port, make, n, args.concurrency, args.max_seconds))
                r["cpu_ms"] = (server_cpu(proc.pid) - cpu0) * 1000 / max(r["requests"], 1)
                r["one_p50"], r["one_p95"] = one["p50"], one["p95"]
                r["load"] = load0
                results[(label, name)] = r
                print(f"[{label}] {name:14s} {r['requests']:6d} req in {r['seconds']:6.1f} s  {r['rps']:7.1f} req/s  "
                      f"p50 {r['p50']:7.1f} ms  p95 {r['p95']:7.1f} ms  p99 {r['p99']:7.1f} ms  "
                      f"errors {r['errors']}  {r['statuses']}  server CPU {r['cpu_ms']:.1f} ms/req  "
                      f"1 client p50 {r['one_p50']:.1f} p95 {r['one_p95']:.1f} ms  load avg {load0:.1f}", flush=True)
        finally:
            stop_server(proc)

    print()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"server: {args.workers} uvicorn worker(s); {args.concurrency} concurrent keep-alive clients; "
          f"{len(arts)} articles; uniform random article ids, {len(SEARCH_WORDS)} search words")
    print("| server | workload | requests | req/s | p50 ms | p95 ms | p99 ms | errors | server CPU ms/req "
          "| 1 client p50 / p95 ms | load avg |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for (label, name), r in results.items():
        print(f"| {label} | {name} | {r['requests']} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p95']:.1f} | "
              f"{r['p99']:.1f} | {r['errors']} | {r['cpu_ms']:.1f} | {r['one_p50']:.1f} / {r['one_p95']:.1f} "
              f"| {r['load']:.1f} |")


if __name__ == "__main__":
    main()
