"""Build hook: compile the extraction core with mypyc (the rest of qawl stays pure Python).

Everything else about the package is in pyproject.toml. ``QAWL_PURE=1 pip install …`` skips the
compilation; a machine without a working C compiler gets the same (the extensions are optional).
qawl then runs the same code from source, about 3-4x slower.
"""

import os

from setuptools import setup


def _compiled_settings() -> dict:
    path = os.path.join("src", "qawl", "compiled.py")
    ns: dict = {"__file__": path, "__name__": "qawl_compiled"}
    with open(path, encoding="utf-8") as fh:
        exec(compile(fh.read(), path, "exec"), ns)  # stdlib only; qawl is not importable yet
    return ns


def _ext_modules() -> list:
    if os.environ.get("QAWL_PURE", "") not in ("", "0"):
        return []
    from mypyc.build import mypycify

    settings = _compiled_settings()
    exts = mypycify([os.path.join("src", "qawl", f"{m}.py") for m in settings["CORE"]], opt_level="3",
                    group_name=settings["RUNTIME"].removesuffix("__mypyc"))
    for ext in exts:
        ext.optional = True  # no C compiler: install anyway; qawl.compiled then runs the core from source
    return exts


setup(ext_modules=_ext_modules())
