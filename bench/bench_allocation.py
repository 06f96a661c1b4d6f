"""How long ``apportion`` takes for 1,101 keys (the municipalities of Baden-Württemberg).

Run: ``.venv/bin/python -m bench.bench_allocation [runs]``. Prints the median (and min/max) over the runs
for integer populations and for Decimal weights (urban factor 1.2); the issue asks for well under 10 ms.
A figure to read, not a test: nothing here asserts a time.
"""

import random
import statistics
import sys
import time
from decimal import Decimal

from programmes.allocation import apportion
from programmes.allocation_rules import AllocationRules, Applicant, allocate

KEYS = 1_101
POT = Decimal("282709.99")


def populations(seed: int = 2024) -> dict[str, int]:
    """Fictitious AGS → population, skewed like real municipalities (many small, a few large)."""
    rnd = random.Random(seed)
    return {f"08{index:06d}": int(rnd.lognormvariate(8.6, 1.0)) + 100 for index in range(KEYS)}


def measure(function, runs: int) -> list[float]:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        timings.append(time.perf_counter() - start)
    return timings


def report(label: str, timings: list[float]) -> None:
    median = statistics.median(timings) * 1000
    print(f"{label:<52} median {median:7.3f} ms   min {min(timings) * 1000:7.3f} ms   "
          f"max {max(timings) * 1000:7.3f} ms   ({len(timings)} runs)")


def main(runs: int = 200) -> None:
    people = populations()
    urban = {ags: Decimal(pop) * Decimal("1.2") if pop > 20_000 else pop for ags, pop in people.items()}
    applicants = {ags: Applicant(pop, Decimal("0.5") if index % 4 else Decimal("0.25"))
                  for index, (ags, pop) in enumerate(people.items())}
    rules = AllocationRules(min_fte=Decimal("0.5"), min_share=Decimal("50.00"), cap=Decimal("5000.00"))
    print(f"apportion / allocate, {KEYS} keys, pot {POT} €, Python {sys.version.split()[0]}")
    report("apportion, integer populations", measure(lambda: apportion(POT, people), runs))
    report("apportion, Decimal weights (urban × 1.2)", measure(lambda: apportion(POT, urban), runs))
    report("allocate, min FTE + min share + cap (with steps)", measure(lambda: allocate(POT, applicants, rules), runs))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
