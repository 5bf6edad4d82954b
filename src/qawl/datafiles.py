"""Reading the linguistic data files shipped in ``qawl/data`` (the package must not need ../shared)."""

from __future__ import annotations

from importlib import resources


def read_text(name: str) -> str:
    """The text of one data file."""
    return resources.files("qawl.data").joinpath(name).read_text(encoding="utf-8")


def tsv_rows(name: str) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) of a TSV data file: the first non-comment line is the header, ``#`` lines
    and blank lines are skipped, missing trailing cells are empty strings."""
    header: list[str] | None = None
    rows: list[tuple[int, dict[str, str]]] = []
    for lineno, line in enumerate(read_text(name).splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            continue
        rows.append((lineno, dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=False))))
    return rows
