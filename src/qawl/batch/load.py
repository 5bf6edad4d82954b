"""`qawl load OUT/ --db …`: put a batch output into the store, idempotently.

The ``articles`` table carries each article's exact ``qawl/1`` extraction, so
loading needs no re-extraction: rows go through ``Store.add_extracted`` in
batches (one transaction each), which keys articles by id / URL / content hash
and skips unchanged ones, so loading twice, or after an interrupted load,
changes nothing and loses nothing. The store then computes speaker identity and
provenance with the same functions the batch's cross-article step uses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import fsspec

from qawl.batch.records import document_from_article_row

COLUMNS = ["article_id", "outlet", "published", "url", "title", "lang", "text", "extraction", "extractor_version"]


class LoadError(ValueError):
    """The directory is not a `qawl batch` output."""


def _dataset(out: str) -> Any:
    import pyarrow.dataset as ds

    fs, root = fsspec.core.url_to_fs(out)
    path = f"{root.rstrip('/')}/articles"
    if not fs.exists(path):
        raise LoadError(f"{out}: no articles/ directory here; is this a `qawl batch` output?")
    files = sorted(p for p in fs.find(path) if p.endswith(".parquet"))
    if not files:
        raise LoadError(f"{out}: articles/ holds no Parquet file (did the batch run finish any shard?)")
    return ds.dataset(files, format="parquet", filesystem=fs)


def count_articles(out: str) -> int:
    return int(_dataset(out).count_rows())


def iter_pairs(out: str, batch_rows: int = 1000) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(extractor version, article meta, qawl/1 dict) for every article, file by file in path order."""
    for batch in _dataset(out).to_batches(columns=COLUMNS, batch_size=batch_rows):
        for row in batch.to_pylist():
            doc = document_from_article_row(row)
            meta = {"id": row["article_id"], "title": row["title"], "url": row["url"], "outlet": row["outlet"],
                    "published": row["published"], "lang": row["lang"], "text": row["text"]}
            yield row["extractor_version"], meta, doc


def load_output(out: str, db: str | None, *, batch_size: int = 500,
                on_batch: Callable[[int], None] | None = None) -> dict[str, Any]:
    """Load every article of ``out`` into the store at ``db``; returns added/unchanged/updated/failed."""
    from qawl.store import open_store

    total: dict[str, Any] = {"added": 0, "unchanged": 0, "updated": 0, "failed": 0, "errors": []}
    store = open_store(db)
    try:
        pending: list[tuple[dict[str, Any], dict[str, Any]]] = []
        version: str | None = None

        def flush() -> None:
            if not pending:
                return
            res = store.add_extracted(list(pending), batch_size=batch_size, extractor_version=version)
            for k in ("added", "unchanged", "updated", "failed"):
                total[k] += int(res.get(k, 0))
            total["errors"].extend(res.get("errors", [])[:100])
            if on_batch:
                on_batch(len(pending))
            pending.clear()

        for v, meta, doc in iter_pairs(out):
            if v != version:  # the store records one extractor version per call
                flush()
                version = v
            pending.append((meta, doc))
            if len(pending) >= batch_size:
                flush()
        flush()
    finally:
        store.close()
    return total
