"""HTML pages/s through the readers: read_html alone, + qawl.extract, + store ingest (temp SQLite).

    .venv/bin/python benchmarks/readers_bench.py [--n 500] [--profile] [--no-fast]

Pages are generated from /work/shared/corpus/bench.jsonl.gz texts wrapped in
news-site markup (tests/readers/pagegen.py): navigation, figure with caption
and credit, related links, footer, scripts, JSON-LD and Open Graph tags.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _pagegen():
    spec = importlib.util.spec_from_file_location("pagegen", ROOT / "tests" / "readers" / "pagegen.py")
    mod = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


def machine() -> str:
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=500)
    ap.add_argument("--profile", action="store_true", help="profile read_html over the pages instead")
    ap.add_argument("--no-fast", action="store_true", help="always run trafilatura's full comparison")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    import qawl
    from qawl.readers import extract_kwargs, read_html

    if args.no_fast:
        import qawl.readers.html

        qawl.readers.html.FAST = False
    pg = _pagegen()
    arts = pg.load_articles(args.n)
    pages = [pg.build_page(a, date_style=pg.DATE_STYLES[i % 4], caption_index=i)[0].encode("utf-8")
             for i, a in enumerate(arts)]
    mb = sum(len(p) for p in pages) / 1e6
    print(f"machine: {machine()}")
    print(f"pages: {len(pages)} ({mb:.1f} MB of HTML, median {statistics.median(len(p) for p in pages) / 1000:.1f} kB)")
    for p in pages[:5]:  # warm-up: language model and trafilatura load once per process
        read_html(p)
    if args.profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.runcall(lambda: [read_html(p) for p in pages])
        pstats.Stats(prof).sort_stats("cumulative").print_stats(18)
        return

    n = len(pages)

    def report(label: str, wall: float, cpu: float, extra: str = "") -> None:
        # CPU time too: on a shared machine the wall clock says as much about the neighbours as about us.
        print(f"{label:<27}{n / wall:7.1f} pages/s wall ({1000 * wall / n:.1f} ms/page), "
              f"{n / cpu:7.1f} pages per CPU-second{extra}")

    t0, c0 = time.perf_counter(), time.process_time()
    docs = [read_html(p) for p in pages]
    t_read, c_read = time.perf_counter() - t0, time.process_time() - c0
    report("read_html:", t_read, c_read, f"; {mb / t_read:.2f} MB/s")

    t0, c0 = time.perf_counter(), time.process_time()
    for p in pages:
        qawl.extract(**extract_kwargs(read_html(p)))
    report("read_html + qawl.extract:", time.perf_counter() - t0, time.process_time() - c0)

    try:
        from qawl.store import open_store
    except ImportError:
        print("store: not available, ingest not measured")
        return
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "bench.db")
        with open_store(db) as st:
            t0, c0 = time.perf_counter(), time.process_time()
            summary = st.ingest(read_html(p) for p in pages)
            t_ing, c_ing = time.perf_counter() - t0, time.process_time() - c0
        report("read_html + store ingest:", t_ing, c_ing,
               f" (SQLite; added {summary['added']}, failed {summary['failed']})")
    del docs


if __name__ == "__main__":
    main()
