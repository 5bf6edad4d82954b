"""The `qawl` command line. Each area registers its own commands from its own module."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="qawl",
    help="qawl (قول) — who said what, to whom, when, and according to whom, in Arabic news.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)


def _register() -> None:
    from qawl.batch import cli as batch_cli
    from qawl.commands import eval_cmd, extract_cmd
    from qawl.readers import cli as readers_cli
    from qawl.store import cli as store_cli
    from qawl.web import cli as web_cli

    for mod in (extract_cmd, eval_cmd, store_cli, readers_cli, web_cli, batch_cli):
        mod.register(app)


@app.command()
def version() -> None:
    """Print the qawl and extractor versions."""
    from qawl import EXTRACTOR_VERSION, __version__

    typer.echo(f"qawl {__version__} (extractor {EXTRACTOR_VERSION})")


_register()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
