"""Fixtures: shards from the real corpus, a real 2-worker LocalCluster, single-process references."""

from __future__ import annotations

import gzip
import logging
from pathlib import Path

import orjson
import pytest
from batchdata import CORRUPT, PER_SHARD, corpus_docs


@pytest.fixture(scope="session")
def docs() -> list[dict]:
    return corpus_docs()


@pytest.fixture(scope="session")
def shard_dir(tmp_path_factory, docs) -> Path:
    """Four shards: three gzip (PER_SHARD articles each) and one plain JSONL of PER_SHARD articles with
    the CORRUPT lines among them."""
    d = tmp_path_factory.mktemp("shards")
    for i in range(3):
        with gzip.open(d / f"part-{i}.jsonl.gz", "wb") as fh:
            for doc in docs[i * PER_SHARD:(i + 1) * PER_SHARD]:
                fh.write(orjson.dumps(doc) + b"\n")
    good = iter(docs[3 * PER_SHARD:4 * PER_SHARD])
    lines: list[bytes] = []
    n = 1
    while True:
        if n in CORRUPT:
            lines.append(CORRUPT[n][0] + b"\n")
        else:
            doc = next(good, None)
            if doc is None:
                break
            lines.append(orjson.dumps(doc) + b"\n")
        n += 1
    (d / "part-3.jsonl").write_bytes(b"".join(lines))
    return d


@pytest.fixture(scope="session")
def client():
    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, memory_limit="1GiB",
                           dashboard_address=":0", silence_logs=logging.ERROR)
    c = Client(cluster)
    yield c
    c.close()
    cluster.close()


@pytest.fixture(scope="session")
def reference(docs) -> dict[str, dict]:
    """Single-process `qawl.extract` of every corpus document used in the shards."""
    import qawl

    ref = {}
    for d in docs:
        meta = {k: v for k, v in (("title", d.get("title")), ("url", d.get("url")), ("outlet", d.get("source")))
                if v is not None}
        ref[d["id"]] = qawl.extract(d["text"], published=d.get("date"), id=d["id"], meta=meta).to_dict()
    return ref
