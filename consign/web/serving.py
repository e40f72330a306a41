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
import sys
import time
from collections.abc import Callable

from consign import runtime
from consign.errors import EnvironmentFailure
from consign.i18n import msg

IDENT = "consign"
BACKLOG = 1024  # connections waiting to be accepted, as waitress's own
STEADY = 10.0  # seconds: a worker that ends sooner after it started waits to start again
CANNOT_START = 3  # a worker's exit status when it could not build its app or serve
STOPS = {signal.SIGTERM, signal.SIGINT}
PR_SET_PDEATHSIG = 1  # prctl(2)


def serve(make_app: Callable, listener: socket.socket, threads: int, workers: int) -> None:
    """Serve ``make_app()`` on ``listener`` (:func:`listen`) with ``threads`` threads in each
    of ``workers`` processes, until stopped (SIGTERM, SIGINT). A worker that ends is started
    again; one that could not build its app or serve stops the server (an environment
    failure). ``listener`` is closed when it ends."""
    import waitress

    if workers == 1:
        try:
            waitress.serve(_built(make_app), sockets=[listener], threads=threads,
                           ident=IDENT)
        finally:
            listener.close()
        return
    if not hasattr(os, "fork"):
        listener.close()
        raise EnvironmentFailure(msg("Several workers need a system that can fork processes "
                                     "(Linux, macOS); serve with --workers 1 here."),
                                 field="workers")
    _Workers(make_app, listener, threads).run(workers)


def _built(make_app: Callable):
    """The app a process serves, built, and what the process holds by then kept out of
    the cyclic collector's way for good (:func:`consign.runtime.keep_for_good`)."""
    app = make_app()
    runtime.keep_for_good()
    return app


class _Workers:
    """The worker processes of one server, watched over by their parent."""

    def __init__(self, make_app: Callable, listener: socket.socket, threads: int):
        self.make_app, self.listener, self.threads = make_app, listener, threads
        self.started: dict[int, float] = {}  # process id: when it was started
        self.stopping = False

    def run(self, workers: int) -> None:
        previous = {number: signal.signal(number, self.stop) for number in STOPS}
        try:
            for _ in range(workers):
                self.start()
            while self.started:
                self.watch()
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)
            self.listener.close()

    def stop(self, _signal=None, _frame=None) -> None:
        self.stopping = True
        for pid in self.started:
            _signal_quietly(pid, signal.SIGTERM)

    def start(self) -> None:
        # no stop signal is handled between the check and the new worker's being known, so
        # that a stop always reaches every worker
        signal.pthread_sigmask(signal.SIG_BLOCK, STOPS)
        try:
            if not self.stopping:
                self.started[_fork(self.make_app, self.listener, self.threads)] = (
                    time.monotonic())
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPS)

    def watch(self) -> None:
        """The next worker to end: started again, unless the server is stopping, or it
        could not start (then the server stops)."""
        pid, status = os.wait()
        began = self.started.pop(pid, None)
        if began is None or self.stopping:
            return
        code = os.waitstatus_to_exitcode(status)
        if code == CANNOT_START:
            self.stop()
            while self.started:
                self.started.pop(os.wait()[0], None)
            raise EnvironmentFailure(msg(
                "A worker of the web server ended as it started (exit status {status}); "
                "the server stops.", status=CANNOT_START), field="workers")
        sys.stderr.write("consign: {}\n".format(msg(
            "Worker {pid} of the web server ended (exit status {status}); another is "
            "started.", pid=pid, status=code)))
        if time.monotonic() - began < STEADY:
            time.sleep(1)  # a worker that keeps ending is started again once a second
        self.start()


def listen(host: str, port: int) -> socket.socket:
    """The listening socket of ``host:port`` (a port taken, an address this machine does not
    have: an environment failure in one line), made before any worker is forked, so that
    they all accept on it."""
    listener = None
    try:
        family, kind, protocol, _name, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
        listener = socket.socket(family, kind, protocol)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(address)
        listener.listen(BACKLOG)
    except OSError as error:
        if listener is not None:
            listener.close()
        raise EnvironmentFailure(msg("Cannot listen on {host} port {port}: {reason}.",
                                     host=host, port=port, reason=error.strerror or error),
                                 field="host" if listener is None else "port") from None
    return listener


def _fork(make_app: Callable, listener: socket.socket, threads: int) -> int:
    """A worker process serving on ``listener``; its process id. The worker builds its
    own app (its own connections to the database), ends with its parent, and never returns
    here."""
    parent = os.getpid()
    pid = os.fork()
    if pid:
        return pid
    code = 0
    try:
        for number in STOPS:
            signal.signal(number, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPS)
        _end_with(parent)
        import waitress

        waitress.serve(_built(make_app), sockets=[listener], threads=threads, ident=IDENT)
    except KeyboardInterrupt:
        pass
    except BaseException as error:  # the parent says that the worker ended; say why
        sys.stderr.write(f"consign: {error}\n")
        code = CANNOT_START
    finally:
        os._exit(code)


def _end_with(parent: int) -> None:
    """On Linux, this worker is sent SIGTERM when its parent ends, even killed (a worker
    left alone would go on answering on the port with no one to start it again)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: a supervisor (systemd) ends the group
        return
    if os.getppid() != parent:  # the parent ended before it could be asked
        os._exit(0)


def _signal_quietly(pid: int, number: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # it has just ended
        os.kill(pid, number)
