"""The statement store: articles, their extraction, speakers across articles, statements with provenance.

Identifiers (all stable for the life of a database):

- ``article_id``: int, assigned at first ingest; an article is keyed by its input
  id, else its URL, else its content hash (``articles.key``).
- ``attribution_id``: int, one per attribution of one article (a *report*).
- ``statement_id``: int, one per quotation; several reports (articles, outlets)
  can share one. When two statements turn out to be one, the smaller id survives.
- ``speaker_id``: str, the speaker's canonical name key dash-joined, e.g.
  ``ستيف-ويتكوف`` (``org:…`` for organisations); see :mod:`qawl.identity`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, timedelta
from typing import Any, NamedTuple

import orjson

from qawl import identity, provenance
from qawl.store.db import DB, StoreError, current_version, latest_version, migrate, now_iso

_HIT_COLS = """a.statement_id, a.attribution_id, a.article_id, a.kind, a.content, a.cue,
  f.speaker_id, coalesce(s.name, a.speaker_name) AS speaker_name, r.outlet, r.published, r.title, r.url,
  a.addressee, a.channel, a.source, a.time"""
_HIT_JOINS = """JOIN articles r ON r.article_id = a.article_id
  LEFT JOIN forms f ON f.form_id = a.form_id LEFT JOIN speakers s ON s.speaker_id = f.speaker_id"""
_HIT_FROM = "attributions a " + _HIT_JOINS


def _dumps(obj: Any) -> str:
    return orjson.dumps(obj).decode()


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def article_key(doc: dict[str, Any], chash: str) -> str:
    if doc.get("id"):
        return f"id:{doc['id']}"
    if doc.get("url"):
        return f"url:{doc['url']}"
    return f"hash:{chash}"


def _meta_of(doc: dict[str, Any]) -> dict[str, Any]:
    """Standard article metadata from an input dict (accepts the corpus spellings source/date)."""
    return {
        "id": doc.get("id"),
        "title": doc.get("title"),
        "url": doc.get("url"),
        "outlet": doc.get("outlet") or doc.get("source"),
        "published": _date(doc.get("published") or doc.get("date")),
        "lang": doc.get("lang"),
    }


def _date(v: Any) -> str | None:
    if v is None or v == "":
        return None
    s = str(v)
    return s[:10] if len(s) >= 10 and s[4] == "-" else s


class Store:
    """See the module docstring and docs/store.md. Thread-safe (calls are serialised)."""

    def __init__(self, url: str | None = None, *, aliases: identity.Aliases | str | None = None,
                 create: bool = True, check_version: bool = True):
        self.db = DB(url)
        self.url = url
        if isinstance(aliases, str):
            aliases = identity.Aliases.load(aliases)
        elif aliases is None:
            aliases = identity.Aliases.load(None)
        self.aliases: identity.Aliases | None = aliases
        ver = current_version(self.db)
        if ver == 0 and create:
            migrate(self.db, hooks=HOOKS)
            ver = current_version(self.db)
        elif check_version:
            latest = latest_version(self.db.dialect)
            if ver < latest:
                self.db.close()
                raise StoreError(f"database {self._where()} is at schema version {ver}; this qawl needs "
                                 f"{latest}: run `qawl db upgrade` (nothing is lost)")
            if ver > latest:
                self.db.close()
                raise StoreError(f"database {self._where()} is at schema version {ver}, newer than this "
                                 f"qawl ({latest}): upgrade qawl")
        # From schema 3 on SQLite, the store (not a trigger) fills the full-text index.
        self._fts_by_store = self.db.dialect == "sqlite" and ver >= 3

    def _where(self) -> str:
        return self.db.target if self.db.dialect == "sqlite" else "(PostgreSQL)"

    # -- lifecycle -----------------------------------------------------------------
    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- ingest --------------------------------------------------------------------
    def ingest(self, docs: Iterable[dict[str, Any]], *, batch_size: int = 200,
               progress: Callable[[int], None] | None = None, workers: int | None = 1) -> dict[str, Any]:
        """Extract and store documents. Each batch is one transaction; rerunning skips what is stored.

        ``workers`` > 1 (``0``/``None``: one per available CPU) extracts in that many processes while
        this process writes the batches before them (input read in a thread, so a stalled stream
        never holds back what is extracted). Batches, their order and so the stored result are the
        same as with ``workers=1``.
        """
        from qawl import EXTRACTOR_VERSION

        n = resolve_workers(workers)
        pool = None
        if n > 1:
            from concurrent.futures import ProcessPoolExecutor

            try:
                pool = ProcessPoolExecutor(max_workers=n, initializer=_worker_init, initargs=(self.aliases,))
                # Start the workers now, before this process has threads of its own (fork safety).
                pool.submit(int).result()
            except (OSError, NotImplementedError, ImportError, RuntimeError):  # no processes here: extract inline
                if pool is not None:
                    pool.shutdown(wait=False, cancel_futures=True)
                pool = None
        if pool is None:
            def prepared(todo: list[_Todo]) -> list[tuple[_Rec | None, str | None]]:
                return [_extract_prepared(t.doc["text"], t.meta, self.aliases) for t in todo]

            return self._run(docs, batch_size, progress, prepared, EXTRACTOR_VERSION)
        try:
            with self._bulk():
                return self._run_parallel(docs, batch_size, progress, pool, n, EXTRACTOR_VERSION)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def add_extracted(self, items: Iterable[tuple[dict[str, Any], dict[str, Any]]], *, batch_size: int = 500,
                      progress: Callable[[int], None] | None = None,
                      extractor_version: str | None = None) -> dict[str, Any]:
        """Store already-extracted documents ``(article meta, qawl/1 dict)``; same idempotency as ingest."""
        from qawl import EXTRACTOR_VERSION

        def pairs() -> Iterator[dict[str, Any]]:
            for meta, q in items:
                d = dict(meta)
                if d.get("text") is None:
                    d["text"] = q.get("text")
                d["__qawl"] = q
                yield d

        def prepared(todo: list[_Todo]) -> list[tuple[_Rec | None, str | None]]:
            return [(prepare_extraction(t.doc["__qawl"], self.aliases), None) for t in todo]

        return self._run(pairs(), batch_size, progress, prepared, extractor_version or EXTRACTOR_VERSION)

    @contextlib.contextmanager
    def _bulk(self) -> Iterator[None]:
        """Settings for a run of write batches, restored after: fewer, larger WAL checkpoints (SQLite)
        and fewer garbage collections. Neither changes what is stored, nor that each batch commits whole."""
        import gc

        thresholds = gc.get_threshold()
        if 0 < thresholds[0] < _BULK_GC_THRESHOLD:
            gc.set_threshold(_BULK_GC_THRESHOLD, *thresholds[1:])
        autocheckpoint = None
        if self.db.dialect == "sqlite":
            with self.db.lock:
                autocheckpoint = int(self.db.scalar("PRAGMA wal_autocheckpoint"))
                if 0 < autocheckpoint < _BULK_WAL_PAGES:
                    self.db.execute(f"PRAGMA wal_autocheckpoint={_BULK_WAL_PAGES}")
        try:
            yield
        finally:
            gc.set_threshold(*thresholds)
            if autocheckpoint is not None:
                with self.db.lock, contextlib.suppress(Exception):
                    self.db.execute(f"PRAGMA wal_autocheckpoint={autocheckpoint}")

    def _run(self, docs: Iterable[dict[str, Any]], batch_size: int, progress: Callable[[int], None] | None,
             prepare: Callable[[list[_Todo]], list[tuple[_Rec | None, str | None]]],
             version: str) -> dict[str, Any]:
        with self._bulk():
            return self._run_batches(docs, batch_size, progress, prepare, version)

    def _run_batches(self, docs: Iterable[dict[str, Any]], batch_size: int,
                     progress: Callable[[int], None] | None,
                     prepare: Callable[[list[_Todo]], list[tuple[_Rec | None, str | None]]],
                     version: str) -> dict[str, Any]:
        summary = _new_summary()
        batch: list[dict[str, Any]] = []

        def flush() -> None:
            if not batch:
                return
            todo = self._precheck(batch, summary)
            if todo:
                # Extraction runs without the lock so readers (the web app) are not held up by it.
                self._write_batch(todo, prepare(todo), summary, version)
            if progress:
                progress(len(batch))
            batch.clear()

        try:
            for doc in docs:
                if _accept(doc, summary):
                    batch.append(doc)
                    if len(batch) >= batch_size:
                        flush()
            flush()
        except BaseException as e:  # Ctrl-C or a reader error: say what was committed before it
            e.qawl_summary = summary  # type: ignore[attr-defined]
            raise
        return summary

    def _run_parallel(self, docs: Iterable[dict[str, Any]], batch_size: int,
                      progress: Callable[[int], None] | None, pool: Any, workers: int,
                      version: str) -> dict[str, Any]:
        """The pipeline of :meth:`ingest` with ``workers`` > 1.

        A thread reads the input; this thread forms the same batches as the serial path, checks them
        against the database, sends their new articles to the pool in chunks, and writes finished
        batches in input order while later ones are being extracted.
        """
        import queue
        import threading
        from concurrent.futures import Future

        summary = _new_summary()
        inbox: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=max(256, 2 * batch_size))
        stop = threading.Event()

        def put(item: tuple[str, Any]) -> bool:
            while not stop.is_set():
                try:
                    inbox.put(item, timeout=0.2)
                    return True
                except queue.Full:
                    continue
            return False

        def reader() -> None:
            try:
                for doc in docs:
                    if not put(("doc", doc)):
                        return
                put(("end", None))
            except BaseException as e:  # handed to the writer, raised there
                put(("error", e))

        pending: deque[tuple[int, list[_Todo], list[Future[Any]]]] = deque()  # (batch length, todo, chunks)
        max_pending = workers + 2  # batches in flight: enough to keep every worker busy during a write
        chunk = max(1, -(-batch_size // (2 * workers)))

        def submit(batch: list[dict[str, Any]]) -> None:
            todo = self._precheck(batch, summary)
            futs = [pool.submit(_extract_chunk, [(t.doc["text"], t.meta) for t in todo[i:i + chunk]])
                    for i in range(0, len(todo), chunk)]
            pending.append((len(batch), todo, futs))

        def write_head() -> None:
            n, todo, futs = pending.popleft()
            if todo:
                results = [r for f in futs for r in f.result()]
                self._write_batch(todo, results, summary, version)
            if progress:
                progress(n)

        thread = threading.Thread(target=reader, name="qawl-ingest-reader", daemon=True)
        thread.start()
        batch: list[dict[str, Any]] = []
        ended = False
        try:
            while True:
                # Write what is ready (or must be: too many in flight, or the input is over).
                while pending and (ended or len(pending) > max_pending or all(f.done() for f in pending[0][2])):
                    write_head()
                if ended:
                    break
                try:
                    kind, item = inbox.get(timeout=0.05) if pending else inbox.get()
                except queue.Empty:
                    continue
                if kind == "error":
                    raise item
                if kind == "end":
                    if batch:
                        submit(batch)
                        batch = []
                    ended = True
                    continue
                if _accept(item, summary):
                    batch.append(item)
                    if len(batch) >= batch_size:
                        submit(batch)
                        batch = []
        except BaseException as e:
            e.qawl_summary = summary  # type: ignore[attr-defined]
            raise
        finally:
            stop.set()
        return summary

    def _precheck(self, batch: list[dict[str, Any]], summary: dict[str, Any]) -> list[_Todo]:
        """The documents of a batch that are new or changed (reruns cost no extraction)."""
        keyed: dict[str, _Todo] = {}
        for doc in batch:
            h = content_hash(doc["text"])
            meta = _meta_of(doc)
            k = article_key(meta, h)
            if k in keyed and keyed[k].hash == h:
                summary["unchanged"] += 1
                continue
            keyed[k] = _Todo(doc, k, h, meta)
        with self.db.lock:
            existing = self._existing(list(keyed))
        todo = []
        for k, t in keyed.items():
            if k in existing and existing[k][1] == t.hash:
                summary["unchanged"] += 1
            else:
                todo.append(t)
        return todo

    def _write_batch(self, todo: list[_Todo], results: list[tuple[_Rec | None, str | None]],
                     summary: dict[str, Any], version: str) -> None:
        """Store one batch (its prepared extractions) in one transaction."""
        ok: list[tuple[_Todo, _Rec]] = []
        for t, (rec, err) in zip(todo, results, strict=True):
            if rec is not None:
                ok.append((t, rec))
            else:  # one bad article never stops an ingest
                summary["failed"] += 1
                e = {"id": t.doc.get("id"), "error": err}
                if t.doc.get(SOURCE_FILE):
                    e["file"] = t.doc[SOURCE_FILE]
                summary["errors"].append(e)
        if not ok:
            return
        now = now_iso()
        with self.db.tx():
            existing = self._existing([t.key for t, _r in ok])
            ctx = _BatchContext()
            new: list[tuple[_Todo, _Rec]] = []
            updated: list[tuple[int, _Todo, _Rec]] = []
            order: list[tuple[_Todo, _Rec, int | None]] = []  # (todo, rec, stored id or None for new)
            for t, rec in ok:
                old = existing.get(t.key)
                if old is not None and old[1] == t.hash:  # stored meanwhile (a duplicate, another writer)
                    summary["unchanged"] += 1
                    continue
                if old is None:
                    new.append((t, rec))
                    order.append((t, rec, None))
                else:
                    updated.append((old[0], t, rec))
                    order.append((t, rec, old[0]))
            new_ids = self._insert_articles(new, version, now)
            if updated:
                self._delete_attributions([aid for aid, _t, _r in updated], ctx)
                self.db.executemany(
                    "UPDATE articles SET doc_id=?, url=?, content_hash=?, title=?, outlet=?, published=?, lang=?, "
                    "text=?, extraction=?, extractor_version=?, ingested_at=? WHERE article_id=?",
                    [(t.meta["id"], t.meta["url"], t.hash, t.meta["title"], t.meta["outlet"], t.meta["published"],
                      t.meta["lang"] or rec.lang, t.doc["text"], rec.ext, version, now, aid)
                     for aid, t, rec in updated])
                summary["updated"] += len(updated)
            for t, rec, aid in order:
                if aid is None:
                    aid = new_ids.get(t.key)
                    if aid is None:  # stored meanwhile by another process (PostgreSQL)
                        summary["unchanged"] += 1
                        continue
                    summary["added"] += 1
                ctx.articles.append((aid, t.meta, rec))
            self._store_attributions(ctx)

    def _existing(self, keys: Sequence[str]) -> dict[str, tuple[int, str]]:
        out: dict[str, tuple[int, str]] = {}
        for chunk in _chunks(keys, 500):
            marks = ",".join("?" * len(chunk))
            for r in self.db.query(f"SELECT key, article_id, content_hash FROM articles WHERE key IN ({marks})",
                                   chunk):
                out[r["key"]] = (int(r["article_id"]), r["content_hash"])
        return out

    def _insert_articles(self, new: list[tuple[_Todo, _Rec]], version: str, now: str) -> dict[str, int]:
        """Insert new articles; their ids by key (a key stored meanwhile by another process is left out)."""
        if not new:
            return {}
        rows = [(t.key, t.meta["id"], t.meta["url"], t.hash, t.meta["title"], t.meta["outlet"],
                 t.meta["published"], t.meta["lang"] or rec.lang, t.doc["text"], rec.ext, version, now)
                for t, rec in new]
        cols = ("key, doc_id, url, content_hash, title, outlet, published, lang, text, extraction, "
                "extractor_version, ingested_at")
        if self.db.is_pg:
            # Another process may insert the same key concurrently: keep only what this one inserted.
            out = {}
            for r in rows:
                aid = self.db.scalar(f"INSERT INTO articles ({cols}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) "
                                     f"ON CONFLICT (key) DO NOTHING RETURNING article_id", r)
                if aid is not None:
                    out[r[0]] = int(aid)
            return out
        # SQLite: the batch holds the write lock (BEGIN IMMEDIATE) and checked the keys inside it.
        ids = self._alloc("articles", "article_id", len(rows))
        self.db.executemany(f"INSERT INTO articles (article_id, {cols}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                            [(i, *r) for i, r in zip(ids, rows, strict=True)])
        return {r[0]: i for i, r in zip(ids, rows, strict=True)}

    def _delete_attributions(self, article_ids: Sequence[int], ctx: _BatchContext) -> None:
        """Remove the attributions of articles being re-extracted (forms counts, keys, empty statements)."""
        for chunk in _chunks(list(article_ids), 500):
            marks = ",".join("?" * len(chunk))
            rows = self.db.query(f"SELECT a.attribution_id, a.form_id, a.statement_id, f.block FROM attributions a "
                                 f"LEFT JOIN forms f ON f.form_id = a.form_id WHERE a.article_id IN ({marks})", chunk)
            if not rows:
                continue
            counts = Counter(r["form_id"] for r in rows if r["form_id"] is not None)
            self.db.executemany("UPDATE forms SET n = n - ? WHERE form_id = ?", [(c, f) for f, c in counts.items()])
            ctx.touched_blocks.update(r["block"] for r in rows if r["block"])
            ids = [r["attribution_id"] for r in rows]
            for c2 in _chunks(ids, 500):
                m2 = ",".join("?" * len(c2))
                self.db.execute(f"DELETE FROM prov_keys WHERE attribution_id IN ({m2})", c2)
                self.db.execute(f"DELETE FROM attributions WHERE attribution_id IN ({m2})", c2)
            stmts = sorted({r["statement_id"] for r in rows if r["statement_id"] is not None})
            for c3 in _chunks(stmts, 500):
                m3 = ",".join("?" * len(c3))
                self.db.execute(f"DELETE FROM statements WHERE statement_id IN ({m3}) AND NOT EXISTS "
                                f"(SELECT 1 FROM attributions a WHERE a.statement_id = statements.statement_id)", c3)

    # -- attributions, identity, provenance ----------------------------------------
    def _store_attributions(self, ctx: _BatchContext) -> None:
        # 1. speaker mentions -> name forms (mentions were prepared with the extraction: _prepare_attribution)
        rows: list[tuple[int, tuple[Any, ...]]] = []  # (article_id, prepared attribution)
        per_article_keys: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        form_delta: dict[tuple[str, str, str], list[Any]] = {}  # (block, key, type) -> [n, displays, titles]
        art_meta: dict[int, dict[str, Any]] = {}
        for aid, meta, rec in ctx.articles:
            art_meta[aid] = meta
            for at in rec.attrs:
                m = at[_A_MENTION]
                if m is not None:
                    display, key, block, typ, titles = m
                    per_article_keys[aid][block].add(key)
                    fd = form_delta.get((block, key, typ))
                    if fd is None:
                        fd = form_delta[(block, key, typ)] = [0, Counter(), Counter()]
                    fd[0] += 1
                    fd[1][display] += 1
                    for t in titles:
                        fd[2][t] += 1
                rows.append((aid, at))
        blocks = {b for b, _k, _t in form_delta} | ctx.touched_blocks
        forms = self._load_forms(blocks)
        new_keys = [bkt for bkt in form_delta if bkt not in forms]
        new_ids = iter(self._alloc("forms", "form_id", len(new_keys)))
        inserts, updates = [], []
        for (b, k, t), (n, displays, titles) in form_delta.items():
            f = forms.get((b, k, t))
            if f is None:
                fid = next(new_ids)
                inserts.append((fid, b, k, t, n, _dumps(dict(displays)), _dumps(dict(titles))))
                forms[(b, k, t)] = {"form_id": fid, "block": b, "key": k, "type": t, "n": n,
                                    "displays": dict(displays), "titles": dict(titles), "speaker_id": None}
            else:
                f["n"] += n
                f["displays"] = dict(Counter(f["displays"]) + displays)
                f["titles"] = dict(Counter(f["titles"]) + titles)
                updates.append((f["n"], _dumps(f["displays"]), _dumps(f["titles"]), f["form_id"]))
        self.db.executemany("INSERT INTO forms (form_id, block, key, type, n, displays, titles) "
                            "VALUES (?,?,?,?,?,?,?)", inserts)
        self.db.executemany("UPDATE forms SET n=?, displays=?, titles=? WHERE form_id=?", updates)
        # cannot-links: different names of one block as different speakers in one article
        links = set()
        for per_block in per_article_keys.values():
            for b, ks in per_block.items():
                if len(ks) < 2:
                    continue
                ks_sorted = sorted(ks)
                for i, x in enumerate(ks_sorted):
                    for y in ks_sorted[i + 1:]:
                        links.add((b, x, y))
        if links:
            self._insert_ignore("cannot_links", ("block", "a", "b"), sorted(links))
        self._recluster(blocks, forms)

        # 2. attributions with provenance
        all_keys: set[str] = set()
        for _aid, at in rows:
            all_keys.update(at[_A_KEYS])
        cands = self._candidates(all_keys)  # key -> list[[attribution_id, content words, block, statement_id]]
        created = now_iso()
        # Ids are allocated up front so the batch is written with a few executemany calls.
        at_ids = self._alloc("attributions", "attribution_id", len(rows))
        st_ids = iter(self._alloc("statements", "statement_id", len(rows)))
        remap: dict[int, int] = {}  # merged statement -> surviving statement
        new_sids: set[int] = set()
        attr_rows: list[list[Any]] = []
        key_rows: list[tuple[str, int]] = []

        def final(x: int) -> int:
            while x in remap:
                x = remap[x]
            return x

        for at_id, (aid, at) in zip(at_ids, rows, strict=True):
            (local_id, kind, content, cue, speaker_name, m, adname, channel, source, time_, confidence, data,
             norm, cw, ks) = at
            sblock = m[2] if m else None
            matched: set[int] = set()
            for k in ks:
                for c in cands.get(k, ()):
                    c[3] = final(c[3])
                    if c[3] not in matched and provenance.same_words(cw, c[1], sblock, c[2]):
                        matched.add(c[3])
            if not matched:
                sid = next(st_ids)
                new_sids.add(sid)
            else:
                sid = min(matched)
                others = sorted(matched - {sid})
                stored = [o for o in others if o not in new_sids]
                for o in others:
                    remap[o] = sid
                    new_sids.discard(o)
                if stored:
                    marks = ",".join("?" * len(stored))
                    self.db.execute(f"UPDATE attributions SET statement_id=? WHERE statement_id IN ({marks})",
                                    [sid, *stored])
                    self.db.execute(f"DELETE FROM statements WHERE statement_id IN ({marks})", stored)
            form_id = forms[(m[2], m[1], m[3])]["form_id"] if m else None
            meta = art_meta[aid]
            attr_rows.append([at_id, aid, local_id, kind, content, cue, speaker_name, form_id, adname, channel,
                              source, time_, confidence, data, norm, sblock, meta.get("published"),
                              meta.get("outlet"), sid])
            key_rows += [(k, at_id) for k in ks]
            for k in ks:
                cands.setdefault(k, []).append([at_id, cw, sblock, sid])
        for r in attr_rows:
            r[-1] = final(r[-1])
        self.db.executemany("INSERT INTO statements (statement_id, created_at) VALUES (?, ?)",
                            [(x, created) for x in sorted(new_sids)])
        self.db.executemany(
            "INSERT INTO attributions (attribution_id, article_id, local_id, kind, content, cue, speaker_name, form_id, "
            "addressee, channel, source, time, confidence, data, norm, speaker_block, published, outlet, statement_id) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", attr_rows)
        if self._fts_by_store:
            # Schema 3: the full-text rows go in after the table rows, in one pass (a per-row trigger
            # interleaving both costs several times more).
            self.db.executemany("INSERT INTO attr_fts (rowid, norm) VALUES (?, ?)", [(r[0], r[14]) for r in attr_rows])
        self.db.executemany("INSERT INTO prov_keys (key, attribution_id) VALUES (?, ?)", key_rows)

    def _alloc(self, table: str, col: str, n: int) -> list[int]:
        """``n`` fresh ids for ``table`` (inside the write transaction)."""
        if n == 0:
            return []
        if self.db.is_pg:
            rows = self.db.query(f"SELECT nextval(pg_get_serial_sequence('{table}', '{col}')) AS v "
                                 f"FROM generate_series(1, ?)", (n,))
            return [int(r["v"]) for r in rows]
        start = int(self.db.scalar(f"SELECT coalesce(max({col}), 0) FROM {table}")) + 1
        return list(range(start, start + n))

    def _insert_ignore(self, table: str, cols: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        marks = ",".join("?" * len(cols))
        if self.db.is_pg:
            sql = f"INSERT INTO {table} ({','.join(cols)}) VALUES ({marks}) ON CONFLICT DO NOTHING"
        else:
            sql = f"INSERT OR IGNORE INTO {table} ({','.join(cols)}) VALUES ({marks})"
        self.db.executemany(sql, rows)

    def _candidates(self, keys: Iterable[str]) -> dict[str, list[list[Any]]]:
        out: dict[str, list[list[Any]]] = defaultdict(list)
        words: dict[int, list[str]] = {}
        for chunk in _chunks(sorted(keys), 500):
            marks = ",".join("?" * len(chunk))
            for r in self.db.query(
                    f"SELECT k.key, a.attribution_id, a.norm, a.speaker_block, a.statement_id FROM prov_keys k "
                    f"JOIN attributions a ON a.attribution_id = k.attribution_id WHERE k.key IN ({marks})", chunk):
                at = int(r["attribution_id"])
                if at not in words:
                    # norm holds the normalised words already: only function words to drop
                    words[at] = provenance.content_of_norm((r["norm"] or "").split())
                out[r["key"]].append([at, words[at], r["speaker_block"], r["statement_id"]])
        return out

    def _load_forms(self, blocks: Iterable[str]) -> dict[tuple[str, str, str], dict[str, Any]]:
        out = {}
        for chunk in _chunks(sorted(blocks), 500):
            marks = ",".join("?" * len(chunk))
            for r in self.db.query(f"SELECT * FROM forms WHERE block IN ({marks})", chunk):
                r["displays"] = orjson.loads(r["displays"])
                r["titles"] = orjson.loads(r["titles"])
                out[(r["block"], r["key"], r["type"])] = r
        return out

    def _recluster(self, blocks: Iterable[str], forms: dict[tuple[str, str, str], dict[str, Any]]) -> None:
        """Re-run identity clustering on every touched block (order-independent, so incremental == batch)."""
        blocks = sorted(set(blocks))
        if not blocks:
            return
        links: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for chunk in _chunks(blocks, 500):
            marks = ",".join("?" * len(chunk))
            for r in self.db.query(f"SELECT block, a, b FROM cannot_links WHERE block IN ({marks})", chunk):
                links[r["block"]].append((r["a"], r["b"]))
        by_block: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for f in forms.values():
            if f["n"] > 0:
                by_block[f["block"]].append(f)
        speaker_rows: dict[str, tuple[str, str, str, str, str]] = {}
        updates = []
        for b in blocks:
            fl = sorted(by_block.get(b, []), key=lambda f: (f["key"], f["type"]))
            if not fl:
                continue
            if len(fl) == 1:
                # One name form: its own speaker, named by its most frequent spelling (as cluster_block does).
                f = fl[0]
                disp = [(d, c) for d, c in f["displays"].items() if c > 0]
                if not disp:
                    continue
                name = max(disp, key=lambda kv: (kv[1], identity._neg(kv[0])))[0]
                res_of = [(0, identity.Assignment(identity.speaker_id_for(f["key"], f["type"]), name, f["type"]))]
            else:
                # The stored forms are the aggregated records: display counts weigh in like raw mentions do.
                res = identity.cluster_forms([(f["key"], f["type"], f["displays"], f["titles"]) for f in fl],
                                             cannot_link=links.get(b, ()), aliases=self.aliases)
                res_of = [(i, asg) for i, asg in enumerate(res) if asg is not None]
            for i, asg in res_of:
                f = fl[i]
                if f["speaker_id"] != asg.speaker_id:
                    f["speaker_id"] = asg.speaker_id
                    updates.append((asg.speaker_id, f["form_id"]))
                if asg.speaker_id not in speaker_rows:
                    key = asg.speaker_id.split(":", 1)[-1].replace("-", " ")
                    speaker_rows[asg.speaker_id] = (asg.speaker_id, asg.name, asg.type, b, key)
        self.db.executemany("UPDATE forms SET speaker_id=? WHERE form_id=?", updates)
        # The speakers of these blocks become speaker_rows: write only what differs.
        stale, same = [], set()
        for chunk in _chunks(blocks, 500):
            marks = ",".join("?" * len(chunk))
            for r in self.db.query(f"SELECT speaker_id, name, type, block, name_key FROM speakers "
                                   f"WHERE block IN ({marks})", chunk):
                sid = r["speaker_id"]
                if speaker_rows.get(sid) == (sid, r["name"], r["type"], r["block"], r["name_key"]):
                    same.add(sid)
                else:
                    stale.append(sid)
        for chunk in _chunks(stale, 500):
            self.db.execute(f"DELETE FROM speakers WHERE speaker_id IN ({','.join('?' * len(chunk))})", chunk)
        rows = [r for sid, r in speaker_rows.items() if sid not in same]
        if self.db.is_pg:
            self.db.executemany("INSERT INTO speakers (speaker_id, name, type, block, name_key) VALUES (?,?,?,?,?) "
                                "ON CONFLICT (speaker_id) DO UPDATE SET name=excluded.name", rows)
        else:
            self.db.executemany("INSERT OR REPLACE INTO speakers (speaker_id, name, type, block, name_key) "
                                "VALUES (?,?,?,?,?)", rows)

    def recluster_all(self) -> int:
        """Recompute every speaker (e.g. after editing the alias file). Returns the number of speakers."""
        with self.db.tx():
            blocks = [r["block"] for r in self.db.query("SELECT DISTINCT block FROM forms")]
            if self.aliases is not None:
                self._rekey_forms()
                blocks = [r["block"] for r in self.db.query("SELECT DISTINCT block FROM forms")]
            self._recluster(blocks, self._load_forms(blocks))
            self.db.execute("DELETE FROM speakers WHERE speaker_id NOT IN "
                            "(SELECT speaker_id FROM forms WHERE speaker_id IS NOT NULL AND n > 0)")
            return int(self.db.scalar("SELECT count(*) FROM speakers"))

    def _rekey_forms(self) -> None:
        """Apply alias merges to stored forms: a variant's mentions move to its canonical form."""
        assert self.aliases is not None
        for f in self.db.query("SELECT * FROM forms"):
            canon = self.aliases.canonical(f["key"])
            if canon == f["key"]:
                continue
            m = identity.prepare(canon, f["type"])
            if m is None:
                continue
            tgt = self.db.one("SELECT form_id, n, displays, titles FROM forms WHERE block=? AND key=? AND type=?",
                              (m.block, m.key, m.type))
            if tgt is None:
                self.db.execute("UPDATE forms SET block=?, key=? WHERE form_id=?", (m.block, m.key, f["form_id"]))
            else:
                disp = Counter(json.loads(tgt["displays"])) + Counter(json.loads(f["displays"]))
                tit = Counter(json.loads(tgt["titles"])) + Counter(json.loads(f["titles"]))
                self.db.execute("UPDATE forms SET n=?, displays=?, titles=? WHERE form_id=?",
                                (tgt["n"] + f["n"], _dumps(dict(disp)), _dumps(dict(tit)), tgt["form_id"]))
                self.db.execute("UPDATE attributions SET form_id=? WHERE form_id=?", (tgt["form_id"], f["form_id"]))
                self.db.execute("DELETE FROM forms WHERE form_id=?", (f["form_id"],))
            self.db.execute("UPDATE attributions SET speaker_block=? WHERE form_id IN "
                            "(SELECT form_id FROM forms WHERE block=? AND key=?)", (m.block, m.block, m.key))

    # -- reindex ---------------------------------------------------------------------
    def reindex(self, *, batch_size: int = 200, progress: Callable[[int], None] | None = None,
                force: bool = False) -> dict[str, Any]:
        """Re-extract articles whose stored extractor version differs from the current one."""
        from qawl import EXTRACTOR_VERSION

        summary: dict[str, Any] = {"reindexed": 0, "failed": 0, "errors": []}
        last = -1
        with self._bulk():  # the same checkpoint and GC settings as an ingest
            while True:
                with self.db.lock:
                    cond = "" if force else "AND extractor_version <> ?"
                    params: list[Any] = [last] if force else [last, EXTRACTOR_VERSION]
                    rows = self.db.query(f"SELECT article_id, doc_id, title, url, outlet, published, lang, text "
                                         f"FROM articles WHERE article_id > ? {cond} ORDER BY article_id LIMIT ?",
                                         [*params, batch_size])
                if not rows:
                    break
                last = int(rows[-1]["article_id"])
                done = []
                for r in rows:
                    meta = {"id": r["doc_id"], "title": r["title"], "url": r["url"], "outlet": r["outlet"],
                            "published": r["published"], "lang": r["lang"]}
                    rec, err = _extract_prepared(r["text"], meta, self.aliases)
                    if rec is not None:
                        done.append((int(r["article_id"]), meta, rec))
                    else:
                        summary["failed"] += 1
                        summary["errors"].append({"id": r["doc_id"], "error": err})
                with self.db.tx():
                    ctx = _BatchContext()
                    self._delete_attributions([d[0] for d in done], ctx)
                    self.db.executemany("UPDATE articles SET extraction=?, extractor_version=? WHERE article_id=?",
                                        [(rec.ext, EXTRACTOR_VERSION, aid) for aid, _m, rec in done])
                    ctx.articles += done
                    self._store_attributions(ctx)
                summary["reindexed"] += len(done)
                if progress:
                    progress(len(rows))
        return summary

    def pending_reindex(self) -> int:
        from qawl import EXTRACTOR_VERSION

        return int(self.db.scalar("SELECT count(*) FROM articles WHERE extractor_version <> ?", (EXTRACTOR_VERSION,)))

    # -- queries ---------------------------------------------------------------------
    def _desc(self, col: str) -> str:
        """Newest first with undated rows last on both databases (PostgreSQL puts NULLs first by default)."""
        return f"{col} DESC NULLS LAST" if self.db.is_pg else f"{col} DESC"

    def _hit(self, r: dict[str, Any]) -> dict[str, Any]:
        r = dict(r)
        r["score"] = float(r.get("score") or 0.0)
        for k in ("statement_id", "attribution_id", "article_id"):
            if r.get(k) is not None:
                r[k] = int(r[k])
        return r

    def speaker_ids(self, name_or_id: str) -> list[str]:
        """Speaker ids a name or id refers to (exact id, canonical name, any spelling seen, else substring)."""
        if self.db.scalar("SELECT count(*) FROM speakers WHERE speaker_id=?", (name_or_id,)):
            return [name_or_id]
        m = identity.prepare(name_or_id, aliases=self.aliases)
        if m is None:
            return []
        ids = [r["speaker_id"] for r in self.db.query("SELECT speaker_id FROM speakers WHERE name_key=?", (m.key,))]
        if not ids:
            ids = [r["speaker_id"] for r in self.db.query(
                "SELECT DISTINCT speaker_id FROM forms WHERE key=? AND speaker_id IS NOT NULL AND n > 0", (m.key,))]
        if not ids:
            ids = [r["speaker_id"] for r in self.db.query(
                "SELECT DISTINCT speaker_id FROM forms WHERE key LIKE ? AND speaker_id IS NOT NULL AND n > 0",
                (f"%{m.key}%",))]
        return sorted(set(ids))

    def search(self, text: str | None = None, *, speaker: str | None = None, outlet: str | None = None,
               kind: str | None = None, since: str | None = None, until: str | None = None, limit: int = 20,
               offset: int = 0) -> list[dict[str, Any]]:
        """Ranked full-text search over statement content (Arabic-normalised), with filters."""
        where: list[str] = []
        params: list[Any] = []
        with self.db.lock:
            if speaker:
                ids = self.speaker_ids(speaker)
                if not ids:
                    return []
                # Resolve to name forms first: the attributions index on form_id does the rest.
                fids = [int(r["form_id"]) for r in self.db.query(
                    f"SELECT form_id FROM forms WHERE speaker_id IN ({','.join('?' * len(ids))})", ids)]
                if not fids:
                    return []
                where.append(f"a.form_id IN ({','.join('?' * len(fids))})")
                params += fids
            if outlet:
                names = [r["outlet"] for r in self.db.query(
                    "SELECT DISTINCT outlet FROM articles WHERE lower(outlet) = lower(?)", (outlet,))]
                if not names:
                    return []
                where.append(f"a.outlet IN ({','.join('?' * len(names))})")
                params += names
            if kind:
                where.append("a.kind = ?")
                params.append(kind)
            if since:
                where.append("a.published >= ?")
                params.append(_date(since))
            if until:
                where.append("a.published <= ?")
                params.append(_date(until) + "\uffff" if len(str(until)) < 10 else _date(until))
            terms = provenance.norm_words(text or "")
            page = [int(limit), int(offset)]
            if not terms:
                cond = (" WHERE " + " AND ".join(where)) if where else ""
                rows = self.db.query(f"SELECT {_HIT_COLS}, 0.0 AS score FROM {_HIT_FROM}{cond} "
                                     f"ORDER BY {self._desc('a.published')}, a.attribution_id DESC LIMIT ? OFFSET ?",
                                     [*params, *page])
            elif self.db.is_pg:
                # Rank on attributions alone, then join the page's rows only.
                cond = "".join(" AND " + w for w in where)
                q = " ".join(terms)
                rows = self.db.query(
                    f"SELECT {_HIT_COLS}, x.score FROM (SELECT a.attribution_id AS xid, ts_rank(a.tsv, q) AS score "
                    f"FROM attributions a, plainto_tsquery('arabic', ?) q WHERE a.tsv @@ q{cond} "
                    f"ORDER BY score DESC, {self._desc('a.published')}, a.attribution_id DESC LIMIT ? OFFSET ?) x "
                    f"JOIN attributions a ON a.attribution_id = x.xid {_HIT_JOINS} "
                    f"ORDER BY x.score DESC, {self._desc('a.published')}, a.attribution_id DESC",
                    [q, *params, *page])
            else:
                cond = "".join(" AND " + w for w in where)
                match = " ".join('"' + t.replace('"', "") + '"' for t in terms)
                if not where:  # ranking inside FTS5 alone is several times faster than through a join
                    rows = self.db.query(
                        f"SELECT {_HIT_COLS}, x.score FROM (SELECT rowid AS xid, -rank AS score FROM attr_fts "
                        f"WHERE attr_fts MATCH ? ORDER BY rank, rowid DESC LIMIT ? OFFSET ?) x "
                        f"JOIN attributions a ON a.attribution_id = x.xid {_HIT_JOINS} "
                        f"ORDER BY x.score DESC, a.attribution_id DESC", [match, *page])
                    return [self._hit(r) for r in rows]
                rows = self.db.query(
                    f"SELECT {_HIT_COLS}, x.score FROM (SELECT attr_fts.rowid AS xid, -attr_fts.rank AS score, "
                    f"a.published AS xpub FROM attr_fts JOIN attributions a ON a.attribution_id = attr_fts.rowid "
                    f"WHERE attr_fts MATCH ?{cond} ORDER BY attr_fts.rank, a.published DESC, a.attribution_id DESC "
                    f"LIMIT ? OFFSET ?) x JOIN attributions a ON a.attribution_id = x.xid {_HIT_JOINS} "
                    f"ORDER BY x.score DESC, x.xpub DESC, a.attribution_id DESC",
                    [match, *params, *page])
        return [self._hit(r) for r in rows]

    def latest_statements(self, limit: int = 20) -> list[dict[str, Any]]:
        return self.search(None, limit=limit)

    def _speaker_summaries(self, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        if not ids:
            return out
        for chunk in _chunks(list(ids), 400):
            marks = ",".join("?" * len(chunk))
            for r in self.db.query(f"SELECT speaker_id, name, type FROM speakers WHERE speaker_id IN ({marks})", chunk):
                out[r["speaker_id"]] = {"speaker_id": r["speaker_id"], "name": r["name"], "type": r["type"],
                                        "statements": 0, "articles": 0, "outlets": [], "first": None, "last": None,
                                        "titles": [], "aliases": []}
            for r in self.db.query(
                    f"SELECT f.speaker_id, count(*) AS n, count(DISTINCT a.article_id) AS arts, "
                    f"min(r.published) AS first, max(r.published) AS last FROM attributions a "
                    f"JOIN forms f ON f.form_id = a.form_id JOIN articles r ON r.article_id = a.article_id "
                    f"WHERE f.speaker_id IN ({marks}) GROUP BY f.speaker_id", chunk):
                if r["speaker_id"] in out:
                    out[r["speaker_id"]].update(statements=int(r["n"]), articles=int(r["arts"]),
                                                first=r["first"], last=r["last"])
            outlets: dict[str, Counter[str]] = defaultdict(Counter)
            for r in self.db.query(
                    f"SELECT f.speaker_id, r.outlet, count(*) AS n FROM attributions a JOIN forms f ON "
                    f"f.form_id = a.form_id JOIN articles r ON r.article_id = a.article_id WHERE f.speaker_id IN "
                    f"({marks}) AND r.outlet IS NOT NULL GROUP BY f.speaker_id, r.outlet", chunk):
                outlets[r["speaker_id"]][r["outlet"]] += int(r["n"])
            titles: dict[str, Counter[str]] = defaultdict(Counter)
            aliases: dict[str, Counter[str]] = defaultdict(Counter)
            for r in self.db.query(f"SELECT speaker_id, displays, titles FROM forms WHERE speaker_id IN ({marks}) "
                                   f"AND n > 0", chunk):
                titles[r["speaker_id"]].update(json.loads(r["titles"]))
                aliases[r["speaker_id"]].update(json.loads(r["displays"]))
            for sid, s in out.items():
                if sid in outlets:
                    s["outlets"] = [o for o, _ in outlets[sid].most_common()]
                s["titles"] = [t for t, c in titles[sid].most_common() if c > 0]
                s["aliases"] = [a for a, c in aliases[sid].most_common() if c > 0 and a != s["name"]]
        return out

    def speakers(self, top: int = 50, offset: int = 0, query: str | None = None) -> list[dict[str, Any]]:
        """Speakers by number of statements (reports), most quoted first; ``query`` filters by name."""
        with self.db.lock:
            params: list[Any] = []
            cond = ""
            if query:
                ids = self.speaker_ids(query)
                if not ids:
                    return []
                cond = f" AND f.speaker_id IN ({','.join('?' * len(ids))})"
                params = ids
            rows = self.db.query(
                f"SELECT f.speaker_id, count(*) AS n FROM attributions a JOIN forms f ON f.form_id = a.form_id "
                f"WHERE f.speaker_id IS NOT NULL{cond} GROUP BY f.speaker_id ORDER BY n DESC, f.speaker_id "
                f"LIMIT ? OFFSET ?", [*params, int(top), int(offset)])
            ids = [r["speaker_id"] for r in rows]
            summ = self._speaker_summaries(ids)
        return [summ[i] for i in ids if i in summ]

    def speaker(self, name_or_id: str, *, limit: int = 200) -> dict[str, Any] | None:
        """One speaker: summary, statements (newest first), addressees and statements per week."""
        with self.db.lock:
            ids = self.speaker_ids(name_or_id)
            if not ids:
                return None
            summ = self._speaker_summaries(ids)
            if not summ:
                return None
            sid = max(summ.values(), key=lambda s: (s["statements"], s["speaker_id"]))["speaker_id"]
            s = summ[sid]
            hits = self.search(None, speaker=sid, limit=limit)
            addr = self.db.query(
                "SELECT a.addressee AS name, count(*) AS count FROM attributions a JOIN forms f ON f.form_id = a.form_id "
                "WHERE f.speaker_id = ? AND a.addressee IS NOT NULL GROUP BY a.addressee ORDER BY count DESC, name",
                (sid,))
            dates = self.db.query(
                "SELECT r.published FROM attributions a JOIN forms f ON f.form_id = a.form_id JOIN articles r "
                "ON r.article_id = a.article_id WHERE f.speaker_id = ? AND r.published IS NOT NULL", (sid,))
        weeks: Counter[str] = Counter()
        for d in dates:
            try:
                day = date.fromisoformat(str(d["published"])[:10])
            except ValueError:
                continue
            weeks[(day - timedelta(days=day.weekday())).isoformat()] += 1
        out = dict(s)
        out["statement_count"] = s["statements"]
        out["statements"] = hits
        out["addressees"] = [{"name": r["name"], "count": int(r["count"])} for r in addr]
        out["weekly"] = [{"week": w, "count": c} for w, c in sorted(weeks.items())]
        return out

    def article(self, article_id: int | str) -> dict[str, Any] | None:
        """One article with its text and qawl/1 extraction; ``article_id`` may also be the input id."""
        with self.db.lock:
            r = None
            if isinstance(article_id, int) or (isinstance(article_id, str) and article_id.isdigit()):
                r = self.db.one("SELECT * FROM articles WHERE article_id=?", (int(article_id),))
            if r is None and isinstance(article_id, str):
                r = self.db.one("SELECT * FROM articles WHERE doc_id=? ORDER BY article_id LIMIT 1", (article_id,))
        if r is None:
            return None
        ext = json.loads(r["extraction"])
        ext["text"] = r["text"]
        return {"article_id": int(r["article_id"]), "id": r["doc_id"], "title": r["title"], "url": r["url"],
                "outlet": r["outlet"], "published": r["published"], "lang": r["lang"], "text": r["text"],
                "extraction": ext, "extractor_version": r["extractor_version"],
                "statements": self.article_statements(int(r["article_id"]))}

    def article_statements(self, article_id: int) -> list[dict[str, Any]]:
        """Stored rows of one article's attributions: ``aid`` (the qawl/1 id, e.g. A3), ``attribution_id``,
        ``statement_id``, ``speaker_id``, ``speaker_name``, in the order of the extraction."""
        with self.db.lock:
            rows = self.db.query(
                "SELECT a.local_id AS aid, a.attribution_id, a.statement_id, f.speaker_id, "
                "coalesce(s.name, a.speaker_name) AS speaker_name FROM attributions a LEFT JOIN forms f ON "
                "f.form_id = a.form_id LEFT JOIN speakers s ON s.speaker_id = f.speaker_id WHERE a.article_id = ? "
                "ORDER BY a.attribution_id", (int(article_id),))
        for x in rows:
            x["attribution_id"] = int(x["attribution_id"])
            x["statement_id"] = None if x["statement_id"] is None else int(x["statement_id"])
        return rows

    def articles(self, limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
        rows = self.db.query("SELECT r.article_id, r.doc_id AS id, r.title, r.url, r.outlet, r.published, r.lang, "
                             "r.extractor_version, (SELECT count(*) FROM attributions a WHERE a.article_id = "
                             f"r.article_id) AS statements FROM articles r ORDER BY {self._desc('r.published')}, "
                             "r.article_id DESC LIMIT ? OFFSET ?", (int(limit), int(offset)))
        for r in rows:
            r["article_id"] = int(r["article_id"])
            r["statements"] = int(r["statements"])
        return rows

    def statement(self, statement_id: int | str) -> dict[str, Any] | None:
        """One statement with every report (article, outlet), first seen first."""
        try:
            sid = int(statement_id)
        except (TypeError, ValueError):
            return None
        with self.db.lock:
            rows = self.db.query(
                f"SELECT {_HIT_COLS} FROM {_HIT_FROM} WHERE a.statement_id = ? "
                f"ORDER BY r.published IS NULL, r.published, a.article_id, a.attribution_id", (sid,))
        if not rows:
            return None
        first = rows[0]
        speaker = next((r for r in rows if r["speaker_id"]), first)
        return {"statement_id": sid, "content": first["content"], "kind": first["kind"],
                "speaker_id": speaker["speaker_id"], "speaker_name": speaker["speaker_name"],
                "first_seen": first["published"],
                "outlets": list(dict.fromkeys(r["outlet"] for r in rows if r["outlet"])),
                "reports": [{"article_id": int(r["article_id"]), "attribution_id": int(r["attribution_id"]),
                             "outlet": r["outlet"], "published": r["published"], "title": r["title"],
                             "url": r["url"], "content": r["content"], "speaker_name": r["speaker_name"]}
                            for r in rows]}

    def network(self, limit: int = 200, speaker: str | None = None) -> dict[str, Any]:
        """Who addresses whom and who is quoted in the same articles, among the most quoted speakers."""
        with self.db.lock:
            focus: list[str] = self.speaker_ids(speaker) if speaker else []
            if speaker and not focus:
                return {"nodes": [], "edges": []}
            top = self.speakers(top=limit)
            nodes = {s["speaker_id"]: {"id": s["speaker_id"], "name": s["name"], "type": s["type"],
                                       "statements": s["statements"]} for s in top}
            for sid in focus:
                if sid not in nodes:
                    for s in self._speaker_summaries([sid]).values():
                        nodes[sid] = {"id": sid, "name": s["name"], "type": s["type"], "statements": s["statements"]}
            edges: list[dict[str, Any]] = []
            # addresses: resolve addressee names to speakers through the same identity keys
            addr = self.db.query("SELECT f.speaker_id, a.addressee, count(*) AS n FROM attributions a JOIN forms f ON "
                                 "f.form_id = a.form_id WHERE a.addressee IS NOT NULL AND f.speaker_id IS NOT NULL "
                                 "GROUP BY f.speaker_id, a.addressee")
            key_to_sid: dict[str, str | None] = {}
            agg: Counter[tuple[str, str]] = Counter()
            for r in addr:
                m = identity.prepare(r["addressee"], aliases=self.aliases)
                if m is None:
                    continue
                if m.key not in key_to_sid:
                    hit = self.db.one("SELECT speaker_id FROM forms WHERE key=? AND speaker_id IS NOT NULL AND n > 0 "
                                      "ORDER BY n DESC LIMIT 1", (m.key,))
                    key_to_sid[m.key] = hit["speaker_id"] if hit else None
                tgt = key_to_sid[m.key] or "name:" + m.display
                agg[(r["speaker_id"], tgt)] += int(r["n"])
            for (src, tgt), w in sorted(agg.items()):
                if src not in nodes and src not in focus:
                    continue
                if focus and src not in focus and tgt not in focus:
                    continue
                if tgt not in nodes:
                    if tgt.startswith("name:"):
                        nodes[tgt] = {"id": tgt, "name": tgt[5:], "type": "UNKNOWN", "statements": 0}
                    else:
                        continue
                edges.append({"source": src, "target": tgt, "kind": "addresses", "weight": w})
            co = self.db.query(
                "SELECT x.sp AS a, y.sp AS b, count(*) AS n FROM "
                "(SELECT DISTINCT a.article_id, f.speaker_id AS sp FROM attributions a JOIN forms f ON f.form_id = "
                "a.form_id WHERE f.speaker_id IS NOT NULL) x JOIN "
                "(SELECT DISTINCT a.article_id, f.speaker_id AS sp FROM attributions a JOIN forms f ON f.form_id = "
                "a.form_id WHERE f.speaker_id IS NOT NULL) y ON x.article_id = y.article_id AND x.sp < y.sp "
                "GROUP BY x.sp, y.sp")
            for r in co:
                a, b = r["a"], r["b"]
                if a in nodes and b in nodes and (not focus or a in focus or b in focus):
                    edges.append({"source": a, "target": b, "kind": "co-quoted", "weight": int(r["n"])})
        return {"nodes": list(nodes.values()), "edges": edges}

    def iter_export(self, batch: int = 2000) -> Iterator[dict[str, Any]]:
        """Every stored attribution with speaker, statement, article metadata and its qawl/1 spans."""
        last = -1
        while True:
            with self.db.lock:
                rows = self.db.query(
                    f"SELECT {_HIT_COLS}, a.data, a.confidence, r.doc_id, r.lang, r.extractor_version FROM {_HIT_FROM} "
                    f"WHERE a.attribution_id > ? ORDER BY a.attribution_id LIMIT ?", (last, batch))
            if not rows:
                return
            for r in rows:
                last = int(r["attribution_id"])
                d = json.loads(r.pop("data"))
                r = self._hit(r)
                r.pop("score", None)
                r["article_doc_id"] = r.pop("doc_id")
                r["content_span"] = (d.get("content") or {}).get("span")
                r["cue_span"] = (d.get("cue") or {}).get("span")
                r["cue_lemma"] = (d.get("cue") or {}).get("lemma")
                r["speaker_span"] = (d.get("speaker") or {}).get("span")
                r["speaker_text"] = (d.get("speaker") or {}).get("text")
                r["attribution"] = d
                yield r

    def stats(self) -> dict[str, Any]:
        from qawl import EXTRACTOR_VERSION

        with self.db.lock:
            out: dict[str, Any] = {
                "backend": self.db.dialect,
                "schema_version": current_version(self.db),
                "articles": int(self.db.scalar("SELECT count(*) FROM articles")),
                "reports": int(self.db.scalar("SELECT count(*) FROM attributions")),
                "statements": int(self.db.scalar("SELECT count(*) FROM statements")),
                "speakers": int(self.db.scalar("SELECT count(*) FROM speakers")),
                "outlets": int(self.db.scalar("SELECT count(DISTINCT outlet) FROM articles")),
                "extractor_version": EXTRACTOR_VERSION,
                "pending_reindex": self.pending_reindex(),
            }
            if self.db.dialect == "sqlite" and self.db.target != ":memory:":
                import os

                out["db_bytes"] = sum(os.path.getsize(self.db.target + s) for s in ("", "-wal")
                                      if os.path.exists(self.db.target + s))
            elif self.db.is_pg:
                out["db_bytes"] = int(self.db.scalar("SELECT pg_database_size(current_database())"))
        return out


# While ingesting: WAL pages before an automatic checkpoint (SQLite's default is 1,000 = 4 MB; a
# page rewritten by several batches is then copied to the database once, not once per checkpoint),
# and allocations before a young-generation garbage collection (Python's default is 700).
_BULK_WAL_PAGES = 10_000
_BULK_GC_THRESHOLD = 10_000

SOURCE_FILE = "_qawl_file"  # optional key of an input dict: the file it was read from (named in errors)


def resolve_workers(workers: int | None) -> int:
    """Extraction processes for ``workers``: ``0``/``None`` → one per CPU available to this process."""
    if workers is None or workers <= 0:
        try:
            return max(1, len(os.sched_getaffinity(0)))
        except AttributeError:  # not Linux
            return max(1, os.cpu_count() or 1)
    return int(workers)


def _new_summary() -> dict[str, Any]:
    return {"added": 0, "unchanged": 0, "updated": 0, "failed": 0, "errors": []}


def _accept(doc: Any, summary: dict[str, Any]) -> bool:
    """Is ``doc`` a document? (otherwise counted as failed, with its id and file when known)"""
    if isinstance(doc, dict) and isinstance(doc.get("text"), str):
        return True
    summary["failed"] += 1
    e = {"id": doc.get("id") if isinstance(doc, dict) else None, "error": "document has no `text` string"}
    if isinstance(doc, dict) and doc.get(SOURCE_FILE):
        e["file"] = doc[SOURCE_FILE]
    summary["errors"].append(e)
    return False


class _Todo(NamedTuple):
    """A document of a batch that is new or changed."""

    doc: dict[str, Any]
    key: str
    hash: str
    meta: dict[str, Any]


class _Rec(NamedTuple):
    """What the writer needs of one extraction (:func:`prepare_extraction`)."""

    ext: str  # the qawl/1 JSON without text
    lang: str | None
    attrs: list[tuple[Any, ...]]  # one per attribution, see prepare_extraction


_A_MENTION, _A_KEYS = 5, 14  # positions in a prepared attribution


def prepare_extraction(q: dict[str, Any], aliases: identity.Aliases | None) -> _Rec:
    """The database-independent part of storing one ``qawl/1`` extraction: JSON, speaker mentions
    (:func:`qawl.identity.prepare`), normalised content and provenance keys. Pure, so it runs in the
    extraction processes; the writer only merges it with what is stored."""
    ents = {e.get("id"): e for e in q.get("entities") or []}
    attrs = []
    for a in q.get("attributions") or []:
        sp = a.get("speaker") or {}
        ent = (ents.get(sp.get("entity")) if sp.get("entity") else None) or {}
        name = sp.get("name") or ent.get("name")
        m = identity.prepare(name, ent.get("type"), ent.get("titles") or (), aliases) if name else None
        ad = a.get("addressee")
        adname = None
        if ad:
            ae = (ents.get(ad.get("entity")) if ad.get("entity") else None) or {}
            adname = ae.get("name") or ad.get("text")
        content = (a.get("content") or {}).get("text") or ""
        nw = provenance.norm_words(content)
        cw = provenance.content_of_norm(nw)
        t = a.get("time")
        attrs.append((a.get("id") or "", a.get("kind") or "", content, (a.get("cue") or {}).get("text"),
                      (m.display if m else None) or name or sp.get("text"),
                      (m.display, m.key, m.block, m.type, m.titles) if m else None,
                      adname, (a.get("channel") or {}).get("text"), (a.get("source") or {}).get("text"),
                      (t.get("value") or t.get("text")) if t else None, a.get("confidence"), _dumps(a),
                      " ".join(nw), cw, provenance.keys_of_words(cw, m.block if m else None)))
    return _Rec(_dumps({k: v for k, v in q.items() if k != "text"}), q.get("lang"), attrs)


def _extract_prepared(text: str, meta: dict[str, Any],
                      aliases: identity.Aliases | None) -> tuple[_Rec | None, str | None]:
    """(prepared extraction, None) or (None, error message) for one article."""
    from qawl import extract

    try:
        d = extract(text, published=meta["published"], lang=meta["lang"], id=meta["id"],
                    meta={k: meta[k] for k in ("title", "url", "outlet") if meta[k]})
        return prepare_extraction(d.to_dict(), aliases), None
    except Exception as e:
        return None, f"{type(e).__name__}: {e}"


# -- extraction processes (module level: run by the pool's workers) ------------------

_worker_aliases: identity.Aliases | None = None


def _worker_init(aliases: identity.Aliases | None) -> None:
    global _worker_aliases
    import signal
    import threading

    _worker_aliases = aliases
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the writer, which stops the pool
    parent = os.getppid()
    # Never outlive the writer (kill -9): the kernel's parent-death signal where there is one, and a watch.
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            import ctypes

            ctypes.CDLL(None).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    if os.getppid() != parent:
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), name="qawl-parent-watch", daemon=True).start()


def _watch_parent(parent: int) -> None:
    import time

    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            os._exit(1)


def _extract_chunk(items: list[tuple[str, dict[str, Any]]]) -> list[tuple[_Rec | None, str | None]]:
    return [_extract_prepared(text, meta, _worker_aliases) for text, meta in items]


class _BatchContext:
    __slots__ = ("articles", "touched_blocks")

    def __init__(self) -> None:
        self.articles: list[tuple[int, dict[str, Any], _Rec]] = []
        self.touched_blocks: set[str] = set()


def _chunks(seq: Sequence[Any], n: int) -> Iterator[list[Any]]:
    seq = list(seq)
    for i in range(0, len(seq), n):
        yield seq[i:i + n]


# -- migration hooks ---------------------------------------------------------------

def _backfill_v2(db: DB) -> None:
    """Schema 2: compute search text, speaker block and statements for attributions stored by schema 1."""
    db.execute("UPDATE attributions SET published = (SELECT r.published FROM articles r WHERE r.article_id = "
               "attributions.article_id), outlet = (SELECT r.outlet FROM articles r WHERE r.article_id = "
               "attributions.article_id)")
    rows = db.query("SELECT a.attribution_id, a.content, f.block FROM attributions a LEFT JOIN forms f ON "
                    "f.form_id = a.form_id ORDER BY a.attribution_id")
    recs = [{"content": r["content"], "speaker_block": r["block"]} for r in rows]
    groups = provenance.group(recs)
    created = now_iso()
    sid_of: dict[int, int] = {}
    for r, g in zip(rows, groups, strict=True):
        if g not in sid_of:
            sid_of[g] = int(db.scalar("INSERT INTO statements (created_at) VALUES (?) RETURNING statement_id",
                                      (created,)))
        db.execute("UPDATE attributions SET norm=?, speaker_block=?, statement_id=? WHERE attribution_id=?",
                   (provenance.search_text(r["content"]), r["block"], sid_of[g], r["attribution_id"]))
        db.executemany("INSERT INTO prov_keys (key, attribution_id) VALUES (?, ?)",
                       [(k, r["attribution_id"]) for k in dict.fromkeys(provenance.keys(r["content"], r["block"]))])
    if not db.is_pg:
        db.execute("INSERT INTO attr_fts(attr_fts) VALUES ('rebuild')")


HOOKS = {2: _backfill_v2}
