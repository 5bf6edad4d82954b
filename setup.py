"""Build hook: compile the extraction core with mypyc (the rest of qawl stays pure Python).

Everything else about the package is in pyproject.toml. ``QAWL_PURE=1 pip install …`` skips the
compilation (for a machine without a C compiler); qawl then runs the same code from source,
about 1.3x slower.
"""

import os

from setuptools import setup


def _core_modules() -> list[str]:
    path = os.path.join("src", "qawl", "compiled.py")
    ns: dict = {"__file__": path, "__name__": "qawl_compiled"}
    with open(path, encoding="utf-8") as fh:
        exec(compile(fh.read(), path, "exec"), ns)  # stdlib only; qawl is not importable yet
    return [os.path.join("src", "qawl", f"{m}.py") for m in ns["CORE"]]


def _ext_modules() -> list:
    if os.environ.get("QAWL_PURE", "") not in ("", "0"):
        return []
    from mypyc.build import mypycify

    return mypycify(_core_modules(), opt_level="3", group_name="qawl_core")


setup(ext_modules=_ext_modules())
