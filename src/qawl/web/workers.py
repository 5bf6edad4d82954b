"""Several worker processes on one port, each with its own listening socket (``SO_REUSEPORT``).

uvicorn's ``workers=N`` shares one listening socket between the processes: whichever worker
wakes first accepts every pending connection. Keep-alive clients that connect at about the same
time (a browser's six connections, a load balancer's pool, 50 benchmark clients) can then end
up 40 on one worker and 10 on the other: one core saturated, the other idle, and a long latency
tail for the clients of the busy one. Here each worker binds its own socket with
``SO_REUSEPORT``, and the Linux kernel spreads new connections evenly over them (by a hash of the
client's address and port), whether a worker is busy at that instant or not.

Linux only (elsewhere ``SO_REUSEPORT`` does not balance): ``qawl serve`` falls back to uvicorn's
own multi-process mode there. A worker that dies is restarted; one that dies within seconds of
starting stops the server (a configuration error would otherwise restart forever).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import socket
import sys
import time
from typing import Any

APP = "qawl.web.app:create_app_from_env"  # workers build their app from QAWL_* environment variables
EARLY_EXIT = 5.0  # seconds: a worker dying sooner than this after its start is a startup failure


def supported() -> bool:
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def _family(host: str, port: int) -> int:
    return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]


def check_free(host: str, port: int) -> None:
    """Fail at once (OSError) if something already listens on host:port.

    Binding without ``SO_REUSEPORT`` fails against any listener, including another ``qawl serve``
    that uses ``SO_REUSEPORT`` itself, so two servers never silently share a port.
    """
    with socket.socket(_family(host, port), socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # sockets in TIME_WAIT do not count
        s.bind((host, port))


def bind(host: str, port: int, backlog: int = 2048) -> socket.socket:
    """A listening socket of one worker (``SO_REUSEPORT``: the kernel balances between them)."""
    s = socket.socket(_family(host, port), socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    s.bind((host, port))
    s.listen(backlog)
    return s


def _worker(host: str, port: int, options: dict[str, Any]) -> None:  # pragma: no cover - a child process
    import uvicorn

    sock = bind(host, port)
    config = uvicorn.Config(APP, factory=True, host=host, port=port, **options)
    uvicorn.Server(config).run(sockets=[sock])


def run(workers: int, host: str, port: int, **options: Any) -> int:
    """Run ``workers`` uvicorn processes on host:port until SIGINT/SIGTERM; return an exit code.

    ``options`` go to ``uvicorn.Config`` (log level, access log…). The application settings are
    read by each worker from the environment (``QAWL_DB``, ``QAWL_TOKEN``…), set by the caller.
    """
    check_free(host, port)
    ctx = multiprocessing.get_context("spawn")  # a fresh interpreter per worker, as uvicorn does
    stop = False

    def on_signal(signum: int, _frame: Any) -> None:
        nonlocal stop
        stop = True

    old = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}

    def start() -> tuple[Any, float]:
        p = ctx.Process(target=_worker, args=(host, port, options), daemon=False)
        p.start()
        return p, time.monotonic()

    procs = [start() for _ in range(workers)]
    code = 0
    try:
        while not stop:
            time.sleep(0.2)
            for i, (p, started) in enumerate(procs):
                if p.is_alive() or stop:
                    continue
                if time.monotonic() - started < EARLY_EXIT:
                    print(f"qawl: worker {p.pid} exited at startup (code {p.exitcode}); stopping",
                          file=sys.stderr)
                    stop, code = True, 1
                    break
                print(f"qawl: worker {p.pid} exited (code {p.exitcode}); starting another", file=sys.stderr)
                procs[i] = start()
    finally:
        for p, _ in procs:
            if p.is_alive() and p.pid is not None:
                os.kill(p.pid, signal.SIGTERM)  # uvicorn finishes open requests, then exits
        deadline = time.monotonic() + 15
        for p, _ in procs:
            p.join(max(0.0, deadline - time.monotonic()))
            if p.is_alive():
                p.kill()
                p.join(5)
        for s, h in old.items():
            signal.signal(s, h)
    return code
