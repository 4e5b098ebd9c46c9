"""Peak memory and time of one day's run against the size of the day.

Generates synthetic landing days of N pages (HTML, text and JSONL, invented text), runs the
headless command `dagster asset materialize ... --partition DAY` on each in a fresh process and
reports wall time and the peak RSS of that process. Memory should stay flat as N grows.

    .venv/bin/python bench/day_memory.py --sizes 200 1000 3000
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DAY = "2026-05-05"
WORDS = ("council harbour ferry budget storm valley school bridge grant repair voters market river port "
         "engineers crews teachers families officials residents project report plan vote road power").split()


def paragraph(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    words[0] = words[0].capitalize()
    return f"{' '.join(words)}, officials said on Monday after {rng.randint(2, 900)} people met."


def write_day(root: Path, pages: int, seed: int = 7, day: str = DAY) -> None:
    rng = random.Random(seed)
    date_line = f"date {day}\n"
    day = root / day
    (day / "site.example").mkdir(parents=True)
    with (day / "feed.jsonl").open("w") as feed:
        for i in range(pages):
            paras = [paragraph(rng, rng.randint(25, 60)) for _ in range(rng.randint(5, 12))]
            kind = i % 3
            if kind == 0:
                body = "".join(f"<p>{p}</p>" for p in paras)
                (day / f"page{i}.html").write_text(
                    f"<html><head><title>Story {i}</title></head><body><article><h1>Story {i}</h1>{body}</article></body></html>")
            elif kind == 1:
                (day / "site.example" / f"story{i}.txt").write_text(date_line + "\n\n".join(paras))
            else:
                feed.write(json.dumps({"url": f"https://wire.example/{i}", "text": "\n\n".join(paras)}) + "\n")


def run(pages: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        write_day(tmp_path / "scrapes", pages)
        home = tmp_path / "home"
        home.mkdir()
        (home / "dagster.yaml").write_text((REPO / "dagster.yaml").read_text())
        env = os.environ | {"NEWS_SCRAPES_DIR": str(tmp_path / "scrapes"),
                            "NEWS_WAREHOUSE": str(tmp_path / "wh" / "warehouse.duckdb"), "DAGSTER_HOME": str(home)}
        dagster = Path(sys.executable).with_name("dagster")
        started = time.perf_counter()
        subprocess.run([str(dagster), "asset", "materialize", "-m", "pipelines.definitions", "--select", "*",
                        "--partition", DAY], env=env, check=True, capture_output=True)
        elapsed = time.perf_counter() - started
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"pages": pages, "seconds": round(elapsed, 1), "pages_per_s": round(pages / elapsed, 1),
            "peak_rss_mb": round(peak_kb / 1024, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 1000, 3000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run(args.one)))
        return
    print(f"{'pages':>7} {'seconds':>8} {'pages/s':>8} {'peak RSS MB':>12}")
    for size in args.sizes:
        # one wrapper process per size: RUSAGE_CHILDREN is the maximum over a process's children
        out = subprocess.run([sys.executable, __file__, "--one", str(size)], check=True, capture_output=True, text=True)
        r = json.loads(out.stdout)
        print(f"{r['pages']:>7} {r['seconds']:>8} {r['pages_per_s']:>8} {r['peak_rss_mb']:>12}", flush=True)


if __name__ == "__main__":
    main()
