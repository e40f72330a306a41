"""How fast does ``consign`` start? Hotel staff type it all day.

Compares, in one run, ``consign --help`` and ``consign hotel list`` (on a small SQLite
database) with a bare click program that prints its help. Prints the medians and ratios.
Targets: help within 2x of bare click, hotel list within 4x.

    .venv/bin/python bench/startup.py [--runs 15]
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE_CLICK = '''
import click

@click.group()
def main():
    """A bare click program."""

@main.command()
def hello():
    """Say hello."""

main()
'''


def timed(command: list[str], runs: int) -> float:
    subprocess.run(command, check=True, capture_output=True)  # warm the caches
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    consign = [sys.executable, "-m", "consign"]
    with tempfile.TemporaryDirectory() as folder:
        bare = Path(folder) / "bare.py"
        bare.write_text(BARE_CLICK)
        url = f"sqlite:///{Path(folder) / 'small.db'}"
        subprocess.run([*consign, "--db", url, "db", "upgrade"], check=True, capture_output=True)
        for n in range(1, 21):
            subprocess.run([*consign, "--db", url, "hotel", "add", f"HOTEL-{n:02d}", "--name",
                            f"Hotel {n}", "--commission", "20%"], check=True, capture_output=True)
        base = timed([sys.executable, str(bare), "--help"], runs)
        help_time = timed([*consign, "--help"], runs)
        list_time = timed([*consign, "--db", url, "hotel", "list"], runs)
    print(f"bare click --help        {base * 1000:7.1f} ms")
    print(f"consign --help           {help_time * 1000:7.1f} ms   ratio {help_time / base:4.2f}x "
          "(target 2x)")
    print(f"consign hotel list (20)  {list_time * 1000:7.1f} ms   ratio {list_time / base:4.2f}x "
          "(target 4x)")


if __name__ == "__main__":
    main()
