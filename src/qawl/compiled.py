"""The extraction core compiled with mypyc, and a guard against a stale build.

``pip install`` compiles the modules in ``CORE`` to C extensions (see ``setup.py``); Python then
prefers them to the ``.py`` files beside them. In an editable install a source edited after the
build would be silently ignored, so ``guard()`` (run by ``import qawl``) loads every core module
from source when any source is newer than its build, or when ``QAWL_PURE=1``. Compiled modules
call each other directly, so it is all or nothing. Stdlib only: ``setup.py`` reads ``CORE`` too.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
import warnings
from pathlib import Path

# The hot path of qawl.extract; each module must type-check under mypy.
CORE = ("pipeline", "speaker", "content", "layout", "entities", "normalize", "quotes", "cues", "captions",
        "lexicon", "timeexpr", "model")

RUNTIME = "qawl_core__mypyc"  # the shared library the compiled modules load (mypyc group_name)

_PKG = Path(__file__).resolve().parent


def built_files(pkg: Path = _PKG) -> dict[str, Path]:
    """Module name → compiled extension file, for the core modules that have one."""
    out = {}
    for name in CORE:
        for suffix in importlib.machinery.EXTENSION_SUFFIXES:
            p = pkg / f"{name}{suffix}"
            if p.exists():
                out[name] = p
                break
    return out


def stale(pkg: Path = _PKG, runtime: Path | None = None) -> list[str]:
    """Core modules whose source is newer than their compiled file or than the shared runtime library
    (which holds the compiled code itself; the per-module files are thin shims)."""
    if runtime is None and pkg == _PKG:
        spec = importlib.util.find_spec(RUNTIME)
        runtime = Path(spec.origin) if spec is not None and spec.origin else None
    floor = runtime.stat().st_mtime if runtime is not None and runtime.exists() else float("inf")
    return [name for name, so in built_files(pkg).items()
            if (pkg / f"{name}.py").stat().st_mtime > min(so.stat().st_mtime, floor)]


class _SourceFinder(importlib.abc.MetaPathFinder):
    """Finds ``qawl.<core module>`` as its ``.py`` file, ahead of the compiled extension."""

    def __init__(self, pkg: Path) -> None:
        self.pkg = pkg

    def find_spec(self, fullname, path=None, target=None):  # noqa: ANN001 — the importlib protocol
        pkg_name, _, name = fullname.rpartition(".")
        if pkg_name != "qawl" or name not in CORE:
            return None
        return importlib.util.spec_from_file_location(fullname, self.pkg / f"{name}.py")


MODE = "pure Python"  # set by guard(): "compiled (mypyc)" or "pure Python" with the reason


def why_source(pkg: Path = _PKG, pure_env: str = "", runtime_found: bool = True) -> str | None:
    """Why the core must run from source, or None when its compiled build can be used."""
    built = built_files(pkg)
    if not built:
        return "not compiled"
    if pure_env not in ("", "0"):
        return "QAWL_PURE=1"
    if len(built) < len(CORE) or not runtime_found:
        return "incomplete build"  # a compiler error skipped some modules (setup.py marks them optional)
    old = stale(pkg)
    if old:
        return f"sources newer than the build: {', '.join(old)}"
    return None


def guard() -> str:
    """Choose compiled or source core modules before any is imported; returns the mode."""
    global MODE
    reason = why_source(_PKG, os.environ.get("QAWL_PURE", ""), importlib.util.find_spec(RUNTIME) is not None)
    if reason is None:
        MODE = "compiled (mypyc)"
        return MODE
    if reason.startswith(("sources newer", "incomplete")):
        warnings.warn(f"qawl: {reason}; running the core from source. Rebuild with "
                      "`pip install -e .` (add -v to see compiler errors) to compile it again.",
                      RuntimeWarning, stacklevel=3)
    if reason != "not compiled" and not any(isinstance(f, _SourceFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _SourceFinder(_PKG))
    MODE = f"pure Python ({reason})"
    return MODE
