"""The mutation score of the rule modules after ``mutmut run`` (``make mutate``).

Counts the mutants by outcome, takes out those named as equivalent in
``mutmut-equivalent.txt`` (a mutant that changes no behaviour, with the reason beside it),
prints the score, and lists every surviving mutant that is not named there: each is a test
to write. Exits 1 if there is one.
"""

import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def equivalents() -> dict[str, str]:
    named = {}
    for line in (ROOT / "mutmut-equivalent.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            mutant, _, reason = line.partition(" ")
            named[mutant] = reason.strip()
    return named


def outcomes() -> dict[str, str]:
    result = subprocess.run([sys.executable, "-m", "mutmut", "results", "--all", "true"],
                            cwd=ROOT, capture_output=True, text=True, check=True)
    found = {}
    for line in result.stdout.splitlines():
        mutant, _, outcome = line.strip().rpartition(": ")
        if mutant:
            found[mutant] = outcome
    return found


def main() -> int:
    found, named = outcomes(), equivalents()
    counts = Counter(found.values())
    unexplained = sorted(m for m, outcome in found.items()
                         if outcome not in ("killed", "timeout") and m not in named)
    stale = sorted(m for m in named if found.get(m) == "killed")
    judged = len(found) - len([m for m in named if m in found and found[m] != "killed"])
    killed = counts["killed"] + counts["timeout"]
    print(f"{len(found)} mutants: " + ", ".join(f"{n} {outcome}" for outcome, n in
                                                 sorted(counts.items())))
    print(f"{len(named)} named as equivalent; score {killed}/{judged} = "
          f"{100 * killed / max(judged, 1):.1f}% of the mutants that change behaviour")
    for mutant in unexplained:
        print(f"  survived, neither killed nor named equivalent: {mutant}")
    for mutant in stale:
        print(f"  named equivalent but killed (remove it from the list): {mutant}")
    return 1 if unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
