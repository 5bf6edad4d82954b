"""Cross-article steps over a whole batch output, as Dask group-bys.

Both steps call the pure functions the single-machine store uses
(:mod:`qawl.identity`, :mod:`qawl.provenance`), arranged so the result does
not depend on how the data is partitioned:

Speaker identity
    every statement's speaker becomes a record ``(name, type, titles, article)``;
    identical records are counted (``count`` weights are exact for
    ``cluster_block``), records are shuffled by ``identity.prepare(...).block``
    and each block is clustered by ``identity.cluster_block``. Output:
    ``OUT/speakers/`` (one row per speaker) and ``OUT/statement_speakers/``
    (statement -> speaker).

Statement provenance
    ``provenance.keys`` of each statement's content are exploded and shuffled
    by key; inside a key group, pairs are tested with
    ``provenance.same_statement`` (identical (content words, speaker block)
    reports are collapsed first, so a very common key costs one test per
    distinct text, not per pair of reports). The edges come back to the
    client for a union-find: the connected components are exactly what
    ``provenance.group`` computes in one process. Output: ``OUT/provenance/``,
    one row per statement (quotation) with its reports, first seen, outlets.
"""

from __future__ import annotations

import time
from collections import defaultdict
from typing import Any

import fsspec
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

FILES_PER_PARTITION = 64  # statements files read into one partition of the cross-article frame
SPEAKER_COLUMNS = ["statement_id", "article_id", "speaker_name", "speaker_entity_name", "speaker_type",
                   "speaker_titles", "outlet", "published"]
PROV_COLUMNS = ["statement_id", "article_id", "content_text", "speaker_name", "speaker_entity_name", "speaker_type",
                "outlet", "published"]


def speaker_of(name: Any, entity_name: Any) -> str | None:
    """The name a statement's speaker is known by: the resolved name, else its entity's name
    (the store's rule; a bare surface form such as a pronoun is no identity)."""
    for v in (name, entity_name):
        if isinstance(v, str) and v.strip():
            return v
    return None


class _Group:
    """One group's rows as column arrays: far cheaper than a pandas sub-frame per group, which
    matters because most provenance keys and many blocks hold a single row."""

    __slots__ = ("arrays", "idx", "key")

    def __init__(self, arrays: dict[str, Any], idx: Any, key: Any) -> None:
        self.arrays, self.idx, self.key = arrays, idx, key

    def __getitem__(self, col: str) -> Any:
        return self.arrays[col][self.idx]

    def __len__(self) -> int:
        return len(self.idx)


def _apply_groups(df: pd.DataFrame, col: str, fn: Any, meta: pd.DataFrame, *args: Any) -> pd.DataFrame:
    """Per partition (already shuffled on ``col``): ``fn(group, *args)`` -> rows, for every group."""
    rows: list[Any] = []
    if len(df):
        arrays = {c: df[c].to_numpy(dtype=object) for c in df.columns}
        for key, idx in df.groupby(col, sort=True).indices.items():
            rows.extend(fn(_Group(arrays, idx, key), *args))
    out = pd.DataFrame(rows, columns=list(meta.columns))
    return out.astype(meta.dtypes.to_dict())


def _grouped(frame: Any, col: str, fn: Any, meta: pd.DataFrame, *args: Any) -> Any:
    """Dask: shuffle ``frame`` on ``col`` so each group is in one partition, then apply ``fn`` per group."""
    return frame.shuffle(on=col).map_partitions(_apply_groups, col, fn, meta, *args, meta=meta)


def _titles(v: Any) -> tuple[str, ...]:
    if v is None or (isinstance(v, float) and v != v):
        return ()
    return tuple(str(t) for t in v)


# ---------------------------------------------------------------------------------------------
# speaker identity

def _speaker_records(df: pd.DataFrame, aliases: Any) -> pd.DataFrame:
    """Statements -> one row per distinct (block, name, type, titles, article) with a count."""
    from qawl.identity import prepare

    rows: dict[tuple, int] = defaultdict(int)
    for name, text, typ, titles, art in zip(df["speaker_name"], df["speaker_entity_name"], df["speaker_type"],
                                            df["speaker_titles"], df["article_id"], strict=True):
        n = speaker_of(name, text)
        if n is None:
            continue
        typ = typ if isinstance(typ, str) and typ else None
        m = prepare(n, typ, _titles(titles), aliases)
        if m is None:
            continue
        rows[(m.block, n, typ or "", "\x1f".join(_titles(titles)), art)] += 1
    return pd.DataFrame(
        [(*k, c) for k, c in rows.items()],
        columns=["block", "name", "type", "titles", "article", "count"],
    ).astype({"block": object, "name": object, "type": object, "titles": object, "article": object,
              "count": "int64"})


def _cluster(group: _Group, aliases: Any) -> list[tuple]:
    from qawl.identity import cluster_block

    names, types = group["name"], group["type"]
    recs = [{"name": n, "type": t or None, "titles": [x for x in ti.split("\x1f") if x], "count": int(c),
             "article": a}
            for n, t, ti, a, c in zip(names, types, group["titles"], group["article"], group["count"], strict=True)]
    res = cluster_block(recs, aliases=aliases)
    out, seen = [], set()
    for n, t, a in zip(names, types, res, strict=True):
        if (n, t) not in seen:
            seen.add((n, t))
            out.append((group.key, n, t, a.speaker_id, a.name, a.type))
    return out


def speaker_assignments(statements: Any, aliases: Any = None) -> Any:
    """Dask frame: (name, type) -> speaker_id, speaker_name, speaker_type."""
    rec_meta = pd.DataFrame({c: pd.Series(dtype=object) for c in ["block", "name", "type", "titles", "article"]})
    rec_meta["count"] = pd.Series(dtype="int64")
    records = statements.map_partitions(_speaker_records, aliases, meta=rec_meta)
    # Merge identical records across partitions first (exact: cluster_block weights by count).
    records = records.groupby(["block", "name", "type", "titles", "article"]).agg({"count": "sum"}).reset_index()
    out_meta = pd.DataFrame({c: pd.Series(dtype=object)
                             for c in ["block", "name", "type", "speaker_id", "speaker_name", "speaker_type"]})
    return _grouped(records, "block", _cluster, out_meta, aliases)


# ---------------------------------------------------------------------------------------------
# provenance

def _prov_keys(df: pd.DataFrame, aliases: Any = None) -> pd.DataFrame:
    from qawl import provenance
    from qawl.identity import block_key

    out = []
    for sid, content, name, text, typ in zip(df["statement_id"], df["content_text"], df["speaker_name"],
                                             df["speaker_entity_name"], df["speaker_type"], strict=True):
        content = content if isinstance(content, str) else ""
        n = speaker_of(name, text)
        sb = block_key(n, typ if isinstance(typ, str) and typ else None, aliases) if n else None
        sig = " ".join(provenance.content_words(content))
        for k in provenance.keys(content):
            out.append((k, sid, content, sig, sb or ""))
    return pd.DataFrame(out, columns=["key", "statement_id", "content", "sig", "sblock"]).astype(object)


def _key_edges(group: _Group) -> list[tuple]:
    from qawl.provenance import same_statement

    if len(group) < 2:
        return []
    # Reports with the same content words and speaker block answer same_statement alike.
    classes: dict[tuple[str, str], list[str]] = defaultdict(list)
    content_of: dict[tuple[str, str], str] = {}
    for sid, content, sig, sb in zip(group["statement_id"], group["content"], group["sig"], group["sblock"],
                                     strict=True):
        classes[(sig, sb)].append(sid)
        content_of.setdefault((sig, sb), content)
    edges: list[tuple[str, str]] = []
    reps = sorted(classes)
    for (sig, sb) in reps:
        members = sorted(classes[(sig, sb)])
        if len(members) > 1 and same_statement(content_of[(sig, sb)], content_of[(sig, sb)], sb or None, sb or None):
            edges += [(members[0], m) for m in members[1:]]
    for i, a in enumerate(reps):
        for b in reps[i + 1:]:
            if same_statement(content_of[a], content_of[b], a[1] or None, b[1] or None):
                edges.append((min(classes[a]), min(classes[b])))
    return [(group.key, a, b) for a, b in edges]


def provenance_edges(statements: Any, aliases: Any = None) -> Any:
    keys_meta = pd.DataFrame({c: pd.Series(dtype=object) for c in ["key", "statement_id", "content", "sig", "sblock"]})
    exploded = statements.map_partitions(_prov_keys, aliases, meta=keys_meta)
    edge_meta = pd.DataFrame({c: pd.Series(dtype=object) for c in ("key", "a", "b")})
    return _grouped(exploded, "key", _key_edges, edge_meta)


def components(edges: list[tuple[str, str]]) -> dict[str, str]:
    """Union-find over statement ids; each id maps to the smallest id of its component."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            lo, hi = (ra, rb) if ra < rb else (rb, ra)
            parent[hi] = lo
    return {x: find(x) for x in list(parent)}


# ---------------------------------------------------------------------------------------------
# driver

def _speaker_key(df: pd.DataFrame) -> pd.DataFrame:
    """Add the (name, type) join key of each statement's speaker."""
    names = [speaker_of(n, t) for n, t in zip(df["speaker_name"], df["speaker_entity_name"], strict=True)]
    types = [t if isinstance(t, str) and t else "" for t in df["speaker_type"]]
    return df.assign(name=pd.Series(names, index=df.index, dtype=object),
                     type=pd.Series(types, index=df.index, dtype=object))


def _dates(v: Any) -> list[str]:
    return [x for x in v if isinstance(x, str) and x]


def _summarise_speaker(g: _Group) -> list[dict[str, Any]]:
    dates = _dates(g["published"])
    return [{
        "speaker_id": g.key,
        "name": g["speaker_name_resolved"][0],
        "type": g["speaker_type_resolved"][0],
        "aliases": sorted({n for n in g["name"] if isinstance(n, str)}),
        "titles": sorted({t for ts in g["speaker_titles"] for t in _titles(ts)}),
        "statements": len(g),
        "articles": len(set(g["article_id"])),
        "outlets": sorted({o for o in g["outlet"] if isinstance(o, str)}),
        "first_seen": min(dates) if dates else None,
        "last_seen": max(dates) if dates else None,
    }]


def _summarise_group(g: _Group) -> list[dict[str, Any]]:
    reps = sorted(zip(g["published"], g["statement_id"], g["article_id"], g["outlet"], g["content_text"],
                      g["speaker_id"], strict=True),
                  key=lambda r: (not (isinstance(r[0], str) and r[0]), r[0] if isinstance(r[0], str) else "", r[1]))
    first = reps[0]  # first seen: earliest date; undated reports last; ties by statement id
    return [{
        "group_id": g.key,
        "content": first[4],
        "speaker_id": first[5] if isinstance(first[5], str) else None,
        "first_seen": first[0] if isinstance(first[0], str) and first[0] else None,
        "first_statement": first[1],
        "first_article": first[2],
        "reports": len(reps),
        "statement_ids": [r[1] for r in reps],
        "article_ids": [r[2] for r in reps],
        "outlets": sorted({r[3] for r in reps if isinstance(r[3], str)}),
    }]


SPEAKERS_SCHEMA = pa.schema([
    ("speaker_id", pa.string()), ("name", pa.string()), ("type", pa.string()),
    ("aliases", pa.list_(pa.string())), ("titles", pa.list_(pa.string())), ("statements", pa.int64()),
    ("articles", pa.int64()), ("outlets", pa.list_(pa.string())), ("first_seen", pa.string()),
    ("last_seen", pa.string()),
])
STATEMENT_SPEAKERS_SCHEMA = pa.schema([("statement_id", pa.string()), ("article_id", pa.string()),
                                       ("speaker_id", pa.string())])
PROVENANCE_SCHEMA = pa.schema([
    ("group_id", pa.string()), ("content", pa.string()), ("speaker_id", pa.string()),
    ("first_seen", pa.string()), ("first_statement", pa.string()), ("first_article", pa.string()),
    ("reports", pa.int64()), ("statement_ids", pa.list_(pa.string())), ("article_ids", pa.list_(pa.string())),
    ("outlets", pa.list_(pa.string())),
])


def _meta(schema: pa.Schema) -> pd.DataFrame:
    return pd.DataFrame({f.name: pd.Series(dtype="int64" if pa.types.is_integer(f.type) else object)
                         for f in schema})


def _write_part(df: pd.DataFrame, path: str, schema: pa.Schema, name: str) -> int:
    """Write one partition of a result (runs on a worker)."""
    fs, p = fsspec.core.url_to_fs(path)
    fs.makedirs(p, exist_ok=True)
    table = pa.Table.from_pandas(df[[f.name for f in schema]], schema=schema, preserve_index=False)
    with fs.open(f"{p}/{name}.parquet", "wb") as fh:
        pq.write_table(table, fh, compression="zstd")
    return len(df)


def _publish(fs: Any, root: str, name: str, tmp: str) -> None:
    """Swap a finished result directory into place (readers never see half a result)."""
    final = f"{root}/{name}"
    old = f"{root}/_tmp/{name}.old.{time.time_ns()}"
    if fs.exists(final):
        fs.mv(final, old, recursive=True)
    if fs.exists(tmp):
        fs.mv(tmp, final, recursive=True)
    else:
        fs.makedirs(final, exist_ok=True)
    if fs.exists(old):
        fs.rm(old, recursive=True)


def _write_frame(client: Any, frame: Any, out: str, fs: Any, root: str, name: str, schema: pa.Schema) -> int:
    from dask import delayed

    tmp = f"{root}/_tmp/{name}.{time.time_ns()}"
    tmp_url = out.rstrip("/") + tmp[len(root):]
    parts = frame.to_delayed()
    writes = [delayed(_write_part)(p, tmp_url, schema, f"part-{i:05d}") for i, p in enumerate(parts)]
    n = sum(client.compute(writes, sync=True))
    _publish(fs, root, name, tmp)
    return n


def run_cross(out: str, *, client: Any = None, scheduler: str | None = None, workers: int | None = None,
              memory_limit: str | None = "auto", dashboard_address: str | None = ":8787",
              aliases_path: str | None = None) -> dict[str, int]:
    """Speaker identity and statement provenance over ``out``/statements; returns counts.

    Writes ``OUT/speakers/``, ``OUT/statement_speakers/`` and ``OUT/provenance/`` (each replaced
    as a whole). Everything runs on the cluster except the union-find over provenance edges
    (near-duplicate pairs only, small next to the statements).
    """
    import dask
    import dask.dataframe as dd

    from qawl.identity import Aliases

    fs, root = fsspec.core.url_to_fs(out)
    root = root.rstrip("/")
    aliases = Aliases.load(aliases_path)
    has_statements = fs.exists(f"{root}/statements") and bool(fs.glob(f"{root}/statements/**/*.parquet"))

    own = client is None
    cluster = None
    if own:
        from qawl.batch.runner import make_client

        client, cluster = make_client(scheduler, workers, memory_limit, dashboard_address)
    try:
        if not has_statements:
            for name, schema in (("speakers", SPEAKERS_SCHEMA), ("statement_speakers", STATEMENT_SPEAKERS_SCHEMA),
                                 ("provenance", PROVENANCE_SCHEMA)):
                tmp = f"{root}/_tmp/{name}.{time.time_ns()}"
                fs.makedirs(tmp, exist_ok=True)
                with fs.open(f"{tmp}/part-00000.parquet", "wb") as fh:
                    pq.write_table(schema.empty_table(), fh)
                _publish(fs, root, name, tmp)
            return {"statements": 0, "speakers": 0, "provenance_groups": 0}

        with client.as_current():  # .persist() and dask collections use this client
            cols = sorted(set(SPEAKER_COLUMNS) | set(PROV_COLUMNS))
            stmts = dd.read_parquet(out.rstrip("/") + "/statements", columns=cols)
            stmts = stmts.map_partitions(lambda d: d.astype(object), meta=stmts._meta.astype(object))
            # One partition per file is thousands of tiny partitions (shards x outlets x months), and
            # every shuffle below costs partitions squared: concatenate neighbours first.
            n_workers = max(1, len(client.scheduler_info().get("workers", {})))
            target = max(2 * n_workers, -(-stmts.npartitions // FILES_PER_PARTITION))
            if stmts.npartitions > target:
                stmts = stmts.repartition(npartitions=target)
            # Read the Parquet once: every step below scans these columns (no article text in them).
            stmts = stmts.persist()
            n_statements = int(client.compute(stmts["statement_id"].count(), sync=True))

            # Speaker identity: block group-by, then join the assignment back onto the statements.
            assign = speaker_assignments(stmts, aliases).rename(columns={
                "speaker_name": "speaker_name_resolved", "speaker_type": "speaker_type_resolved"})
            keyed = stmts.map_partitions(_speaker_key, meta=_speaker_key(stmts._meta))
            with_sp = keyed.merge(assign, on=["name", "type"], how="left")
            with_sp = with_sp[with_sp["speaker_id"].notnull() & (with_sp["speaker_id"] != "")].persist()
            speakers = _grouped(with_sp, "speaker_id", _summarise_speaker, _meta(SPEAKERS_SCHEMA))
            n_speakers = _write_frame(client, speakers, out, fs, root, "speakers", SPEAKERS_SCHEMA)
            _write_frame(client, with_sp, out, fs, root, "statement_speakers", STATEMENT_SPEAKERS_SCHEMA)

            # Provenance: key group-by gives edges; components on the client; group-by component.
            edges_pdf = client.compute(provenance_edges(stmts, aliases), sync=True)
            comp = components(list(zip(edges_pdf["a"], edges_pdf["b"], strict=True)))
            comp_pdf = pd.DataFrame({"statement_id": list(comp), "group_id": list(comp.values())}, dtype=object)
            sp_of = with_sp[["statement_id", "speaker_id"]]
            st = stmts[["statement_id", "article_id", "content_text", "outlet", "published"]].merge(
                sp_of, on="statement_id", how="left")
            with dask.config.set({"dataframe.convert-string": False}):  # keep object columns: joins match dtypes
                comp_dd = dd.from_pandas(comp_pdf, npartitions=max(1, st.npartitions))
            st = st.merge(comp_dd, on="statement_id", how="left")
            st = st.assign(group_id=st["group_id"].where(st["group_id"].notnull(), st["statement_id"]))
            groups = _grouped(st, "group_id", _summarise_group, _meta(PROVENANCE_SCHEMA))
            n_groups = _write_frame(client, groups, out, fs, root, "provenance", PROVENANCE_SCHEMA)
    finally:
        if own:
            client.close()
            if cluster is not None:
                cluster.close()
    return {"statements": n_statements, "speakers": n_speakers, "provenance_groups": n_groups,
            "merged_statement_edges": len(edges_pdf)}
