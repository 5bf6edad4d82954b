"""`qawl eval GOLD.jsonl [--pred PRED.jsonl]`: score the extractor (or saved predictions) against gold."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

import orjson
import typer

from qawl.commands.extract_cmd import EXIT_INPUT, EXIT_OK, CommandError, err

EVAL_EXIT_HELP = (
    "Exit codes: 0 ok; 2 usage error; 3 input error (missing or unreadable gold/prediction file, invalid line); "
    "5 the extractor failed on a gold document. The last 4 lines of the plain report are the summary: "
    "content P/R/F1, speaker accuracy, who-said-what P/R/F1, cue F1."
)


def _load_gold(path: str) -> list[dict[str, Any]]:
    from qawl.inputs import InputError, iter_records

    docs = []
    seen: set[str] = set()
    try:
        for i, rec in enumerate(iter_records(path, fmt="jsonl"), 1):
            rid = str(rec.get("id") or f"#{i}")
            if rid in seen:
                raise CommandError(f"{path}: duplicate gold id {rid!r}", EXIT_INPUT)
            seen.add(rid)
            rec["id"] = rid
            atts = rec.get("attributions")
            if atts is not None and not (isinstance(atts, list) and all(isinstance(a, dict) for a in atts)):
                raise CommandError(f"{path}: gold {rid!r}: `attributions` must be a list of objects", EXIT_INPUT)
            docs.append(rec)
    except InputError as e:
        raise CommandError(str(e), EXIT_INPUT) from None
    return docs


def _load_pred(path: str) -> dict[str, dict[str, Any]]:
    from qawl.inputs import InputError, iter_records

    preds: dict[str, dict[str, Any]] = {}
    try:
        for i, rec in enumerate(iter_records(path, fmt="jsonl"), 1):
            if rec.get("id") is None:
                raise CommandError(f"{path}: record {i} has no `id` to key it to a gold document", EXIT_INPUT)
            atts = rec.get("attributions")
            if atts is not None and not (isinstance(atts, list) and all(isinstance(a, dict) for a in atts)):
                raise CommandError(f"{path}: {rec['id']!r}: `attributions` must be a list of objects", EXIT_INPUT)
            preds[str(rec["id"])] = rec
    except InputError as e:
        raise CommandError(str(e), EXIT_INPUT) from None
    return preds


def _run_extractor(gold: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    from qawl import extract

    from .extract_cmd import EXIT_EXTRACTOR

    preds = {}
    for g in gold:
        try:
            doc = extract(g["text"], published=g.get("published"), lang=g.get("lang"), id=g["id"])
        except Exception as e:
            if os.environ.get("QAWL_DEBUG"):
                raise
            raise CommandError(f"gold {g['id']!r}: extractor failed: {type(e).__name__}: {e}",
                               EXIT_EXTRACTOR) from None
        preds[g["id"]] = doc.to_dict()
    return preds


def _fmt(x: float) -> str:
    return f"{x:.3f}"


def print_report(console: Any, report: Any, *, by_doc: bool, source: str, timing: dict[str, float],
                 extracted: bool) -> None:
    """The readable Rich report (everything but the final 4 summary lines)."""
    from rich.table import Table
    from rich.text import Text

    from qawl.model import KINDS

    console.print(Text(f"qawl eval — {report.docs} gold documents, predictions from {source}", style="bold"))
    if report.missing_predictions:
        console.print(Text(f"warning: {len(report.missing_predictions)} gold documents have no prediction "
                           f"(scored as empty): {', '.join(report.missing_predictions[:5])}"
                           + (" …" if len(report.missing_predictions) > 5 else ""), style="yellow"))
    if report.text_mismatches:
        console.print(Text(f"warning: {len(report.text_mismatches)} predictions carry a different text than the "
                           f"gold (offsets may not line up): {', '.join(report.text_mismatches[:5])}",
                           style="yellow"))

    t = Table(title="scores", title_justify="left")
    for col in ("measure", "P", "R", "F1", "tp / pred / gold"):
        t.add_column(col, justify="right" if col != "measure" else "left")
    c, w, cp, co = report.content, report.who_said_what, report.cue_pairs, report.cue_overall
    t.add_row("content", _fmt(c.precision), _fmt(c.recall), _fmt(c.f1),
              f"{c.tp} / {c.n_pred} / {c.n_gold}")
    t.add_row("who-said-what", _fmt(w.precision), _fmt(w.recall), _fmt(w.f1),
              f"{w.tp} / {w.n_pred} / {w.n_gold}")
    t.add_row("cue (matched pairs)", _fmt(cp.precision), _fmt(cp.recall), _fmt(cp.f1),
              f"{cp.tp} / {cp.n_pred} / {cp.n_gold}")
    t.add_row("cue (on its own)", _fmt(co.precision), _fmt(co.recall), _fmt(co.f1),
              f"{co.tp} / {co.n_pred} / {co.n_gold}")
    console.print(t)

    a = Table(title="on matched pairs", title_justify="left")
    a.add_column("measure")
    a.add_column("accuracy", justify="right")
    a.add_column("right / matched", justify="right")
    for label, r in (("speaker", report.speaker), ("cue overlaps", report.cue_pairs_accuracy),
                     ("kind", report.kind_accuracy)):
        a.add_row(label, _fmt(r.value), f"{r.hit}/{r.total}")
    console.print(a)

    k = Table(title="by kind (content match)", title_justify="left")
    k.add_column("kind")
    k.add_column("recall", justify="right")
    k.add_column("gold", justify="right")
    k.add_column("precision", justify="right")
    k.add_column("pred", justify="right")
    for kind in KINDS:
        rr, pp = report.recall_by_kind[kind], report.precision_by_kind[kind]
        k.add_row(kind, _fmt(rr.value) if rr.total else "—", f"{rr.hit}/{rr.total}",
                  _fmt(pp.value) if pp.total else "—", f"{pp.hit}/{pp.total}")
    console.print(k)

    if by_doc:
        _print_by_doc(console, report)
    first = "extracted" if extracted else "loaded predictions"
    console.print(Text(f"{first} in {timing['predict_or_load']:.2f} s, scored in {timing['score']:.2f} s",
                       style="dim"))


def _print_by_doc(console: Any, report: Any) -> None:
    from rich.text import Text

    console.rule("by document")
    for d in report.by_doc:
        head = (f"{d.id}: gold {d.n_gold}, pred {d.n_pred}, matched {d.matched}, "
                f"speaker ok {d.speaker_correct}")
        clean = not (d.missed or d.wrong_speaker or d.extras)
        console.print(Text(head + ("  ✓" if clean else ""), style="bold green" if clean else "bold"))
        for m in d.missed:
            console.print(Text(f"  missed  [{m.kind}] {m.speaker} · {m.cue or ''} · «{m.excerpt}» @{m.span[0]}"))
        for ws in d.wrong_speaker:
            console.print(Text(f"  speaker gold={ws.gold.speaker} pred={ws.pred.speaker} · «{ws.gold.excerpt}» "
                               f"@{ws.gold.span[0]}", style="yellow"))
        for x in d.extras:
            console.print(Text(f"  extra   [{x.kind}] {x.speaker} · {x.cue or ''} · «{x.excerpt}» @{x.span[0]}",
                               style="red"))
        if d.text_mismatch:
            console.print(Text("  warning: predicted text differs from the gold text", style="yellow"))


def eval_command(
    gold: str = typer.Argument(..., metavar="GOLD.jsonl", help="Gold file (JSON Lines, see docs/cli.md)."),
    pred: str | None = typer.Option(None, "--pred", metavar="PRED.jsonl",
                                    help="Score these qawl/1 predictions (keyed by id) instead of running "
                                         "the extractor."),
    by_doc: bool = typer.Option(False, "--by-doc", help="List per article the missed attributions, wrong "
                                                        "speakers and extras."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Score attributions against a gold file: content, speaker, who-said-what, cue, by kind."""
    from qawl.metrics import evaluate

    started = time.perf_counter()
    try:
        gold_docs = _load_gold(gold)
        if pred is not None:
            preds, source = _load_pred(pred), pred
        else:
            from qawl import EXTRACTOR_VERSION

            preds, source = _run_extractor(gold_docs), f"qawl.extract {EXTRACTOR_VERSION}"
    except CommandError as e:
        err(f"qawl eval: {e}")
        raise typer.Exit(e.code) from None
    loaded = time.perf_counter()
    report = evaluate(gold_docs, preds)
    timing = {"predict_or_load": round(loaded - started, 3), "score": round(time.perf_counter() - loaded, 3)}
    if as_json:
        d = report.to_dict(by_doc=by_doc)
        d["predictions"] = source
        d["seconds"] = timing
        sys.stdout.buffer.write(orjson.dumps(d, option=orjson.OPT_INDENT_2) + b"\n")
        sys.stdout.buffer.flush()
        raise typer.Exit(EXIT_OK)
    from rich.console import Console

    console = Console(highlight=False)
    print_report(console, report, by_doc=by_doc, source=Path(source).name if pred else source, timing=timing,
                 extracted=pred is None)
    # Plain lines last (no Rich wrapping or markup): a hook reads them with `tail -n 4`.
    sys.stdout.flush()
    for line in report.summary_lines():
        typer.echo(line)


def register(app: typer.Typer) -> None:
    app.command("eval", epilog=EVAL_EXIT_HELP,
                help="Score attributions against a gold file: content, speaker, who-said-what, cue, by kind.",
                )(eval_command)
