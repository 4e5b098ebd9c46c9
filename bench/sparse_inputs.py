"""Time and peak memory of reading huge sparse landing files (issue 10: a 5 GB .jsonl passed 8 GB
of memory, a 5 GB .warc was still being read after 10 minutes).

Each case is a sparse file (no disk used) in a day folder, read by `scan_landing_day` in a fresh
subprocess; the script prints the records' reasons, the wall time and the child's peak RSS.

    .venv/bin/python bench/sparse_inputs.py [--gb 5] [--dir /tmp/sparse-bench] [--repo PATH]

`--repo` reads with another checkout's newskit (e.g. the code before the fix) for a comparison.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

DAY = "2026-02-03"
CASES = {
    "jsonl, one line without newline": ("huge.jsonl", b'{"url": "https://a.example/x", "text": "'),
    "warc, all zeros": ("huge.warc", b""),
    "warc, a header then zeros": ("zeros.warc", b"WARC/1.0\r\nWARC-Type: response\r\n"),
    "html, over the raw limit": ("huge.html", b"<html><body><p>"),
}
CHILD = """
import json, resource, sys, time
from datetime import date
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from newskit.landing import scan_landing_day
started = time.perf_counter()
rows = [(s.source, s.reject_reason, s.size) for s in scan_landing_day(Path(sys.argv[1]), date.fromisoformat("%s"))]
print(json.dumps({"rows": rows, "seconds": time.perf_counter() - started,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
""" % DAY


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gb", type=float, default=5.0)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/sparse-bench"))
    parser.add_argument("--repo", type=Path, default=Path(__file__).resolve().parents[1])
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()
    size = int(args.gb * (1 << 30))
    for label, (name, head) in CASES.items():
        root = args.dir / "scrapes"
        shutil.rmtree(args.dir, ignore_errors=True)
        (root / DAY).mkdir(parents=True)
        with open(root / DAY / name, "wb") as handle:
            handle.write(head)
            handle.truncate(size)
        started = time.perf_counter()
        try:
            done = subprocess.run([sys.executable, "-c", CHILD, str(root), str(args.repo)], capture_output=True,
                                  text=True, timeout=args.timeout)
        except subprocess.TimeoutExpired:
            print(f"{label:32} {args.gb:g} GB: still reading after {args.timeout:.0f} s (stopped)")
            continue
        if done.returncode != 0:
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            error = (done.stderr.strip().splitlines() or ["?"])[-1]
            print(f"{label:32} {args.gb:g} GB: failed after {time.perf_counter() - started:.1f} s, "
                  f"peak RSS of the children so far {peak:.0f} MB: {error}")
            continue
        result = json.loads(done.stdout)
        reasons = ", ".join(f"{reason} ({size_} bytes)" for _, reason, size_ in result["rows"])
        print(f"{label:32} {args.gb:g} GB: {result['seconds']:.1f} s, peak RSS {result['peak_mb']:.0f} MB -> {reasons}")
    shutil.rmtree(args.dir, ignore_errors=True)


if __name__ == "__main__":
    main()
