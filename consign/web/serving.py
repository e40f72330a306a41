"""How ``consign serve`` runs the web app with waitress: in this process, or in several
worker processes forked from it, all answering on one listening socket (the kernel hands
each new connection to one of them).

One process runs Python one thread at a time, so that on a machine of several cores one
process leaves all but one idle; workers use them all. The workers share nothing in memory
(sessions are signed cookies, login failures and every other count are in the database),
so that they are as several ``consign serve`` on one database. On SQLite their writers
queue for the write lock across processes (:class:`consign.db.Database`).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import time
from collections.abc import Callable

from consign.errors import EnvironmentFailure
from consign.i18n import msg

IDENT = "consign"
BACKLOG = 1024  # connections waiting to be accepted, as waitress's own
STEADY = 10.0  # seconds: a worker that ends sooner after it started could not start


def serve(make_app: Callable, listener: socket.socket, threads: int, workers: int) -> None:
    """Serve ``make_app()`` on ``listener`` (:func:`listen`) with ``threads`` threads in each
    of ``workers`` processes, until stopped (SIGTERM, SIGINT). A worker that ends is started
    again; one that ends within seconds of its start stops the server (it cannot start)."""
    import waitress

    if workers == 1:
        try:
            waitress.serve(make_app(), sockets=[listener], threads=threads, ident=IDENT)
        finally:
            listener.close()
        return
    if not hasattr(os, "fork"):
        listener.close()
        raise EnvironmentFailure(msg("Several workers need a system that can fork processes "
                                     "(Linux, macOS); serve with --workers 1 here."),
                                 field="workers")
    started: dict[int, float] = {}
    stopping = False

    def stop(_signal, _frame) -> None:
        nonlocal stopping
        stopping = True
        for pid in started:
            _signal_quietly(pid, signal.SIGTERM)

    previous = {number: signal.signal(number, stop) for number in (signal.SIGTERM,
                                                                    signal.SIGINT)}
    try:
        for _ in range(workers):
            started[_fork(make_app, listener, threads)] = time.monotonic()
        while started:
            pid, status = os.wait()
            began = started.pop(pid, None)
            if began is None or stopping:
                continue
            if time.monotonic() - began < STEADY:
                stop(None, None)
                _wait_for(started)
                raise EnvironmentFailure(msg(
                    "A worker of the web server ended as it started (exit status {status}); "
                    "the server stops.", status=os.waitstatus_to_exitcode(status)),
                    field="workers")
            started[_fork(make_app, listener, threads)] = time.monotonic()
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        listener.close()


def listen(host: str, port: int) -> socket.socket:
    """The listening socket of ``host:port`` (a port taken, an address this machine does not
    have: an environment failure in one line), made before any worker is forked, so that
    they all accept on it."""
    try:
        family, kind, protocol, _name, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
        listener = socket.socket(family, kind, protocol)
    except OSError as error:
        raise EnvironmentFailure(msg("Cannot listen on {host} port {port}: {reason}.",
                                     host=host, port=port, reason=error.strerror or error),
                                 field="host") from None
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(address)
        listener.listen(BACKLOG)
    except OSError as error:
        listener.close()
        raise EnvironmentFailure(msg("Cannot listen on {host} port {port}: {reason}.",
                                     host=host, port=port, reason=error.strerror or error),
                                 field="port") from None
    return listener


def _fork(make_app: Callable, listener: socket.socket, threads: int) -> int:
    """A worker process serving on ``listener``; its process id. The worker builds its
    own app (its own connections to the database) and never returns here."""
    pid = os.fork()
    if pid:
        return pid
    code = 0
    try:
        for number in (signal.SIGTERM, signal.SIGINT):
            signal.signal(number, signal.SIG_DFL)
        import waitress

        waitress.serve(make_app(), sockets=[listener], threads=threads, ident=IDENT)
    except KeyboardInterrupt:
        pass
    except BaseException as error:  # the parent says that the worker ended; say why
        import sys

        sys.stderr.write(f"consign: {error}\n")
        code = 3
    finally:
        os._exit(code)


def _signal_quietly(pid: int, number: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # it has just ended
        os.kill(pid, number)


def _wait_for(started: dict[int, float]) -> None:
    while started:
        pid, _status = os.wait()
        started.pop(pid, None)
