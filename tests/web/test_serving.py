"""The web server's workers (``consign.web.serving``): forked after the listening socket
is made, each answering on it; a worker that ends is started again; one that ends as it
starts stops the server, which says so; stopping the server, or killing it, ends them
all."""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import free_port

pytestmark = pytest.mark.skipif(not hasattr(os, "fork") or not Path("/proc").exists(),
                                reason="workers are forked processes, seen through /proc")

ROOT = Path(__file__).resolve().parents[2]

# a server of two workers, each answering with its own process id; STEADY as given
SERVER = """
import os, sys
from consign.web import serving
serving.STEADY = float(sys.argv[2])
def make_app():
    if os.environ.get("BROKEN"):
        raise SystemExit("this worker cannot start")
    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [str(os.getpid()).encode()]
    return app
serving.serve(make_app, serving.listen("127.0.0.1", int(sys.argv[1])), 2, 2)
"""


def start(steady: float, **env) -> tuple[subprocess.Popen, int]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-c", SERVER, str(port), str(steady)],
                               cwd=ROOT, env={**os.environ, "CONSIGN_LANG": "en", **env},
                               stderr=subprocess.PIPE)
    return process, port


def workers(process: subprocess.Popen) -> set[int]:
    path = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    return {int(pid) for pid in path.read_text().split()} if path.exists() else set()


def answer(port: int) -> int:
    """The process id of the worker that answered."""
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as page:
                return int(page.read())
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def until(condition, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "not within the time"
        time.sleep(0.05)


@pytest.mark.parametrize("steady", [0.2, 30], ids=["after it started well", "at once"])
def test_workers_answer_on_one_port_a_killed_worker_is_started_again_and_stop_ends_all(
        steady):
    process, port = start(steady=steady)
    try:
        until(lambda: len(workers(process)) == 2)
        first = workers(process)
        assert answer(port) in first
        time.sleep(0.3)  # past the short STEADY: that worker had started well
        gone = min(first)
        os.kill(gone, signal.SIGKILL)  # as the kernel's OOM killer would
        until(lambda: len(workers(process)) == 2 and gone not in workers(process))
        assert answer(port) in workers(process)
        last = workers(process)
    finally:
        process.terminate()
        assert process.wait(20) == 0
        said = process.stderr.read().decode()
        process.stderr.close()
    assert all(not Path(f"/proc/{pid}").exists() for pid in last)
    assert (f"consign: Worker {gone} of the web server ended (exit status -9); another is "
            "started.") in said


def test_workers_end_with_their_parent_even_when_it_is_killed():
    process, port = start(steady=30)
    try:
        until(lambda: len(workers(process)) == 2)
        left = workers(process)
        assert answer(port) in left
    finally:
        process.kill()
        process.wait(20)
        process.stderr.close()
    until(lambda: not any(Path(f"/proc/{pid}").exists() and "zombie" not in
                          Path(f"/proc/{pid}/status").read_text() for pid in left))


def test_a_worker_that_ends_as_it_starts_stops_the_server_which_says_so():
    process, _port = start(steady=30, BROKEN="1")
    try:
        assert process.wait(30) != 0
        said = process.stderr.read().decode()
    finally:
        process.stderr.close()
    assert "this worker cannot start" in said
    assert "A worker of the web server ended as it started (exit status 3)" in said
