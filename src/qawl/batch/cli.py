"""`qawl batch` (archive-scale extraction on Dask) and `qawl load` (Parquet output into the store)."""

from __future__ import annotations

from typing import Any

import typer


class _RichProgress:
    """Shards as units, with articles and the article rate in the description."""

    def __init__(self, console: Any) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.progress = Progress(
            TextColumn("[bold]shards"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
            TimeElapsedColumn(), TimeRemainingColumn(), console=console, transient=False,
        )
        self.task: Any = None
        self.articles = 0
        self.dead = 0

    def start(self, total: int) -> None:
        import time

        self.t0 = time.perf_counter()
        self.progress.start()
        self.task = self.progress.add_task("", total=total)

    def advance(self, entry: dict[str, Any] | None) -> None:
        import time

        if entry:
            self.articles += entry["articles"]
            self.dead += entry["dead"]
        rate = self.articles / max(time.perf_counter() - self.t0, 1e-9)
        self.progress.update(self.task, advance=1,
                             description=f"{self.articles:,} articles ({rate:,.1f}/s), {self.dead} dead-lettered")

    def stop(self) -> None:
        self.progress.stop()


def batch(
    inputs: list[str] = typer.Argument(..., help="Shards: .jsonl(.gz) or .warc(.gz) files, directories, globs, fsspec URLs."),
    out: str = typer.Option(..., "--out", "-o", help="Output directory (local path or fsspec URL)."),
    scheduler: str = typer.Option(None, "--scheduler", envvar="DASK_SCHEDULER_ADDRESS",
                                  help="Dask scheduler address, e.g. tcp://host:8786 (default: a LocalCluster)."),
    workers: int = typer.Option(None, "--workers", "-w", help="LocalCluster worker processes (default: one per core)."),
    memory_limit: str = typer.Option("auto", "--memory-limit", help="Per-worker memory limit of the LocalCluster."),
    split_lines: int = typer.Option(0, "--split-lines",
                                    help="Split JSONL shards longer than this many lines into one task per range."),
    retries: int = typer.Option(3, "--retries", help="Retries of a shard task that raised."),
    partition_by: str = typer.Option("outlet,month", "--partition-by",
                                     help="Parquet partition keys: any of outlet, month (comma separated)."),
    force: bool = typer.Option(False, "--force", help="Redo shards already in the manifest."),
    cross: bool = typer.Option(True, "--cross/--no-cross", help="Run speaker identity and provenance afterwards."),
    dashboard_address: str = typer.Option(":8787", "--dashboard-address", help="LocalCluster dashboard address."),
) -> None:
    """Extract attributions from many shards on Dask into partitioned Parquet under OUT/ (resumable)."""
    from rich.console import Console

    from qawl.batch.runner import make_client, run_batch
    from qawl.batch.shards import ShardError, expand_inputs

    console = Console(stderr=True)
    parts = tuple(p.strip() for p in partition_by.split(",") if p.strip())
    if any(p not in ("outlet", "month") for p in parts) or len(set(parts)) != len(parts):
        raise typer.BadParameter("use outlet and/or month", param_hint="--partition-by")

    def on_start(dashboard: str | None, n_workers: int, n_todo: int) -> None:  # only when there is work
        console.print(f"{n_todo} shard task(s) to run on {n_workers} Dask workers")

    try:
        expand_inputs(inputs)  # bad arguments fail here, before any cluster starts
    except ShardError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    client, cluster = make_client(scheduler, workers, memory_limit, dashboard_address)
    dash = client.dashboard_link
    console.print(f"Dask scheduler {client.scheduler.address}; dashboard: [link={dash}]{dash}[/link]")
    prog = _RichProgress(console)
    try:
        try:
            res = run_batch(inputs, out, client=client, split_lines=split_lines, retries=retries, force=force,
                            partition_by=parts, on_start=on_start, progress=prog)
        except ShardError as exc:  # the inputs changed since the check above
            console.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from None
        finally:
            if prog.task is not None:
                prog.stop()
        console.print(
            f"{res.shards} shards: {res.done} done, {res.skipped} already finished (manifest), "
            f"{len(res.failed)} failed; {res.articles:,} articles, {res.statements:,} statements, "
            f"{res.dead} dead-lettered in {res.seconds:.1f}s ({res.rate:,.1f} articles/s)"
        )
        if res.dead:
            console.print(f"dead-lettered records: {out.rstrip('/')}/dead-letter/")
        for key, err in res.failed:
            console.print(f"[red]failed shard[/red] {key}: {err}")
        if cross and not res.failed:
            from qawl.batch.cross import run_cross

            stats = run_cross(out, client=client)
            console.print(f"cross-article: {stats}")
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    if res.failed:
        raise typer.Exit(1)


def load(
    out: str = typer.Argument(..., help="A `qawl batch` output directory."),
    db: str = typer.Option(None, "--db", envvar="QAWL_DB", help="Store: SQLite path or postgresql:// URL."),
    batch_size: int = typer.Option(500, "--batch-size", help="Articles per store batch."),
) -> None:
    """Bulk-load a `qawl batch` output into the store (idempotent: loading twice changes nothing)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from qawl.batch.load import LoadError, count_articles, load_output

    console = Console(stderr=True)
    try:
        total = count_articles(out)
        with Progress(TextColumn("[bold]articles"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=console) as progress:
            task = progress.add_task("", total=total)
            stats = load_output(out, db, batch_size=batch_size,
                                on_batch=lambda n: progress.update(task, advance=n))
    except LoadError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    console.print(f"loaded: {stats}")


def register(app: typer.Typer) -> None:
    app.command("batch")(batch)
    app.command("load")(load)
