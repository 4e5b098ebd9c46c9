"""The fuzz suite's larger run: many generated hostile days through the real day run.

tests/test_fuzz_day.py runs a fixed, derandomised handful in CI; this runs `--examples` days with
a fresh seed (or `--seed`) and keeps going after a failure, so one run lists every problem found:
a failed run, an input not accounted for exactly once, a reason that is not a specific one (an
`internal_error`), or a read outside the landing folder. Each failing day is kept on disk.

    .venv/bin/python bench/fuzz_day.py --examples 20 [--files 40] [--seed 1234]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=20)
    parser.add_argument("--files", type=int, default=40, help="generated files per day")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    os.environ.setdefault("DAGSTER_HOME", str(Path(__file__).resolve().parents[1] / ".dagster_home"))

    from hypothesis import HealthCheck, Phase, given, seed, settings

    from tests.fuzz_landing import expected_sources, fuzz_day, run_fuzz_day

    chosen = args.seed if args.seed is not None else random.randrange(1 << 30)
    reasons: Counter[str] = Counter()
    problems: list[str] = []
    stats = Counter()
    started = time.perf_counter()

    @seed(chosen)
    @settings(max_examples=args.examples, database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(day=fuzz_day(files=args.files))
    def explore(day) -> None:
        exact, warcs = expected_sources(day)
        stats["days"] += 1
        stats["files"] += len(day.files)
        stats["bytes"] += sum(len(f.data) for f in day.files)
        stats["expected_rows"] += len(exact)
        stats["warc_files"] += len(warcs)
        outcome = run_fuzz_day(day)
        reasons.update(outcome.reasons)
        stats["rows"] += len(outcome.rows)
        if outcome.problems:
            stats["failing_days"] += 1
            problems.extend(outcome.problems)
        print(f"day {stats['days']}: {len(outcome.rows)} rows, {len(outcome.problems)} problems", flush=True)

    explore()
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nseed {chosen}: {stats['days']} days, {stats['files']} generated files "
          f"({stats['bytes'] / 1e6:.1f} MB, {stats['warc_files']} WARC), {stats['rows']} raw scrapes, "
          f"{elapsed:.0f} s ({elapsed / max(stats['days'], 1):.1f} s a day), peak RSS {peak:.0f} MB")
    print("outcomes:", ", ".join(f"{k} {v}" for k, v in reasons.most_common()))
    print(f"failing days: {stats['failing_days']}")
    for problem in problems:
        print(" -", problem[:2000])
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
