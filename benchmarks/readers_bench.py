"""HTML pages/s through the readers: read_html alone, + qawl.extract, + store ingest (temp SQLite).

    .venv/bin/python benchmarks/readers_bench.py [--n 500]

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
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    import qawl
    from qawl.readers import extract_kwargs, read_html

    pg = _pagegen()
    arts = pg.load_articles(args.n)
    pages = [pg.build_page(a, date_style=pg.DATE_STYLES[i % 4], caption_index=i)[0].encode("utf-8")
             for i, a in enumerate(arts)]
    mb = sum(len(p) for p in pages) / 1e6
    print(f"machine: {machine()}")
    print(f"pages: {len(pages)} ({mb:.1f} MB of HTML, median {statistics.median(len(p) for p in pages) / 1000:.1f} kB)")
    for p in pages[:5]:  # warm-up: language model and trafilatura load once per process
        read_html(p)

    t0 = time.perf_counter()
    docs = [read_html(p) for p in pages]
    t_read = time.perf_counter() - t0
    print(f"read_html:                 {len(pages) / t_read:7.1f} pages/s  ({mb / t_read:.2f} MB/s, "
          f"{1000 * t_read / len(pages):.1f} ms/page)")

    t0 = time.perf_counter()
    for p in pages:
        qawl.extract(**extract_kwargs(read_html(p)))
    t_ext = time.perf_counter() - t0
    print(f"read_html + qawl.extract:  {len(pages) / t_ext:7.1f} pages/s  ({1000 * t_ext / len(pages):.1f} ms/page)")

    try:
        from qawl.store import open_store
    except ImportError:
        print("store: not available, ingest not measured")
        return
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "bench.db")
        with open_store(db) as st:
            t0 = time.perf_counter()
            summary = st.ingest(read_html(p) for p in pages)
            t_ing = time.perf_counter() - t0
        print(f"read_html + store ingest:  {len(pages) / t_ing:7.1f} pages/s  ({1000 * t_ing / len(pages):.1f} ms/page;"
              f" added {summary['added']}, failed {summary['failed']}; SQLite)")
    del docs


if __name__ == "__main__":
    main()
