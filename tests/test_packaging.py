"""A wheel carries every file qawl reads at run time: each non-Python file under ``src/qawl`` is
matched by a ``package-data`` glob in pyproject.toml (an editable install hides a missing one)."""

from __future__ import annotations

import tomllib
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "qawl"


def test_every_data_file_is_packaged() -> None:
    conf = tomllib.loads((SRC.parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    globs = conf["tool"]["setuptools"]["package-data"]["qawl"]
    packaged = {p for g in globs for p in SRC.glob(g) if p.is_file()}
    data = {p for p in SRC.rglob("*") if p.is_file() and p.suffix not in (".py", ".so", ".pyc", ".pyd")
            and "__pycache__" not in p.parts}
    assert data, "no data files found: wrong source path"
    assert any("migrations" in p.parts for p in data)
    missing = sorted(str(p.relative_to(SRC)) for p in data - packaged)
    assert not missing, f"not in [tool.setuptools.package-data]: {missing}"
