"""Fault injection on real runs: kill -9 at every step, the daemon's run monitoring, concurrent
runs, a full disk and damaged lake files, each against an uninterrupted run's tables.

Every trial runs the headless command a user types,
`dagster asset materialize -m pipelines.definitions --select '*' --partition DAY`, on a synthetic
landing folder (bench/day_memory.py's generator) in its own copy of a warehouse that already holds
the previous day, then re-runs and compares every news.* table with the reference.

    .venv/bin/python bench/faults.py                   # everything (about 30-40 min on 2 busy cores)
    .venv/bin/python bench/faults.py --only kill daemon --pages 40

Sections: kill (each step: raw_scrapes, extracted, cleaned, nlp, quality, inside the load
transaction, during the copy for analysts), daemon (run monitoring marks a killed run failed, the
failure sensor alerts), concurrent (the same day twice at once, two days at once), disk (a tmpfs
that fills during the run; needs root), corrupt (a truncated lake file of each stage).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "bench"), str(REPO)]
from day_memory import write_day  # noqa: E402  (the bench's landing generator)

BIN = Path(sys.executable).parent
DAY1, DAY2 = "2026-05-04", "2026-05-05"
STEPS = ["raw_scrapes", "extracted", "cleaned", "nlp", "quality"]
STEP_START = re.compile(r'STEP_START - Started execution of step "(?P<step>[^"]+)"')
STEP_DONE = re.compile(r' - (?P<step>[\w_]+) - STEP_(SUCCESS|FAILURE) ')


def log(text: str) -> None:
    print(text, flush=True)


class Command:
    """A command in its own process group, its stderr read line by line with arrival times."""

    def __init__(self, args: list[str], env: dict[str, str], cwd: Path):
        self.started = time.monotonic()
        self.proc = subprocess.Popen(args, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                     text=True, start_new_session=True)
        self.lines: list[tuple[float, str]] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.proc.stderr:
            self.lines.append((time.monotonic(), line.rstrip("\n")))

    def wait_for(self, pattern: re.Pattern | str, timeout: float = 900) -> float | None:
        """Arrival time of the first stderr line matching `pattern`; None if the command ended first."""
        regex = re.compile(pattern) if isinstance(pattern, str) else pattern
        seen = 0
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for at, line in self.lines[seen:]:
                if regex.search(line):
                    return at
            seen = len(self.lines)
            if self.proc.poll() is not None and seen == len(self.lines):
                self._reader.join(5)
                if len(self.lines) == seen:
                    return None
            time.sleep(0.005)
        raise TimeoutError(f"no line matching {regex.pattern!r} in {timeout} s")

    def kill(self) -> None:
        """SIGKILL the whole process group (the command and its step processes) and wait until
        every one of them is gone: a dying process still holds its file locks for a moment."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        deadline = time.monotonic() + 30
        while in_group(self.proc.pid) and time.monotonic() < deadline:
            time.sleep(0.05)

    def wait(self, timeout: float = 1800) -> int:
        code = self.proc.wait(timeout)
        self.finished = time.monotonic()
        self._reader.join(10)
        return code

    @property
    def elapsed(self) -> float:
        return getattr(self, "finished", time.monotonic()) - self.started

    def text(self) -> str:
        return "\n".join(line for _, line in self.lines)


class Work:
    """One warehouse, lake, landing folder and DAGSTER_HOME."""

    def __init__(self, root: Path):
        self.root = root
        self.scrapes = root / "scrapes"
        self.home = root / "home"
        self.warehouse = root / "wh" / "warehouse.duckdb"
        self.published = root / "wh" / "published" / "warehouse.duckdb"
        self.lake = root / "wh" / "lake"
        self.extra_env: dict[str, str] = {}

    @classmethod
    def new(cls, root: Path, pages: int) -> Work:
        work = cls(root)
        for day, seed in ((DAY1, 7), (DAY2, 8)):
            write_day(work.scrapes, pages, seed=seed, day=day)
        work.home.mkdir(parents=True)
        (work.home / "dagster.yaml").write_text((REPO / "dagster.yaml").read_text())
        return work

    def copy(self, root: Path) -> Work:
        shutil.copytree(self.root, root, symlinks=True)
        work = Work(root)
        work.extra_env = dict(self.extra_env)
        return work

    @property
    def env(self) -> dict[str, str]:
        return os.environ | {"DAGSTER_HOME": str(self.home), "NEWS_SCRAPES_DIR": str(self.scrapes),
                             "NEWS_WAREHOUSE": str(self.warehouse)} | self.extra_env

    def materialize(self, day: str, select: str = "*") -> Command:
        return Command([str(BIN / "dagster"), "asset", "materialize", "-m", "pipelines.definitions", "--select", select,
                        "--partition", day], self.env, REPO)

    def temp_files(self) -> list[str]:
        return sorted(str(p.relative_to(self.root)) for p in (self.root / "wh").rglob(".*.tmp"))


def snapshot(path: Path) -> dict[str, list]:
    """Every row of every news.* table (but the migration log), sorted."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = [t for (t,) in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'news' AND table_type = 'BASE TABLE' "
            "AND table_name <> 'schema_migrations' ORDER BY 1").fetchall()]
        return {t: sorted(map(repr, con.execute(f'SELECT * FROM news."{t}"').fetchall())) for t in tables}
    finally:
        con.close()


def same(a: dict, b: dict) -> bool | str:
    if a == b:
        return True
    return "differs: " + ", ".join(f"{t} ({len(a.get(t, []))} vs {len(b.get(t, []))} rows)" for t in sorted(set(a) | set(b))
                                   if a.get(t) != b.get(t))


def warehouse_lock_held(path: Path) -> bool:
    """A POSIX lock on the warehouse file in /proc/locks (DuckDB's), without touching the file."""
    inode = os.stat(path).st_ino
    with open("/proc/locks") as locks:
        return any(line.split()[5].endswith(f":{inode}") for line in locks if len(line.split()) > 5)


def wait_until(predicate, timeout: float, interval: float = 0.001) -> float:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError
        time.sleep(interval)
    return time.monotonic()


def run_ok(work: Work, day: str) -> Command:
    command = work.materialize(day)
    code = command.wait()
    if code != 0:
        raise RuntimeError(f"run of {day} failed:\n{command.text()[-3000:]}")
    return command


class Bench:
    def __init__(self, root: Path, pages: int):
        self.root = root
        self.results: dict[str, list] = {}
        log(f"landing: two days of {pages} pages each (HTML, text, JSONL)")
        self.after_day1 = Work.new(root / "after_day1", pages)
        started = time.monotonic()
        run_ok(self.after_day1, DAY1)
        log(f"day 1 loaded in {time.monotonic() - started:.0f} s")
        self.state_day1 = snapshot(self.after_day1.warehouse)
        self.reference = self.after_day1.copy(root / "reference")
        self.timing = self._reference_run()
        self.expected = snapshot(self.reference.warehouse)

    def _reference_run(self) -> dict[str, float]:
        """The uninterrupted run of day 2; step durations and the load's phases calibrate the kills."""
        command = self.reference.materialize(DAY2)
        timing: dict[str, float] = {}
        load_start = command.wait_for(STEP_START.pattern.replace("(?P<step>[^\"]+)", "load"))
        lock = wait_until(lambda: self.reference.warehouse.exists() and warehouse_lock_held(self.reference.warehouse), 300)
        copying = wait_until(lambda: any(self.reference.published.parent.glob("**/.*.tmp")), 300, 0.0005)
        if command.wait() != 0:
            raise RuntimeError(command.text()[-3000:])
        starts, ends = {}, {}
        for at, line in command.lines:
            if m := STEP_START.search(line):
                starts[m["step"]] = at
            if m := STEP_DONE.search(line):
                ends[m["step"]] = at
        for step in STEPS + ["load"]:
            timing[step] = ends[step] - starts[step]
        timing["open_to_publish"] = copying - lock
        timing["total"] = command.elapsed
        timing["load_start_to_lock"] = lock - load_start
        log("reference run of day 2: " + ", ".join(f"{k} {v:.1f} s" for k, v in timing.items()))
        return timing

    # --- kill -9 at each step -------------------------------------------------------------
    def kill(self, points: list[str] | None = None) -> None:
        rows = []
        for point in points or STEPS + ["load transaction", "publish copy"]:
            work = self.after_day1.copy(self.root / f"kill_{point.replace(' ', '_')}")
            command = work.materialize(DAY2)
            if point in STEPS:
                command.wait_for(STEP_START.pattern.replace("(?P<step>[^\"]+)", point))
                time.sleep(self.timing[point] * 0.5)
                finished_before = any(STEP_DONE.search(line) and f" - {point} - " in line for _, line in command.lines)
                command.kill()
                where = f"{point} (after {self.timing[point] * 0.5:.1f} s of ~{self.timing[point]:.1f} s)" + (" LATE" if finished_before else "")
            elif point == "load transaction":
                wait_until(lambda: warehouse_lock_held(work.warehouse), 900)
                time.sleep(self.timing["open_to_publish"] * 0.5)
                command.kill()
                where = f"load, {self.timing['open_to_publish'] * 0.5:.2f} s after it opened the warehouse"
            else:
                wait_until(lambda: any(work.published.parent.glob("**/.*.tmp")), 900, 0.0002)
                command.kill()
                where = "load, as the published copy's temporary file appeared"
            after_kill = snapshot(work.warehouse)
            published_kept = same(snapshot(work.published), self.state_day1)
            state = ("previous" if after_kill == self.state_day1 else
                     "new (committed)" if after_kill == self.expected else same(after_kill, self.state_day1))
            leftovers = work.temp_files()
            rerun = work.materialize(DAY2)
            code = rerun.wait()
            waited = re.findall(r"Waiting for a slot.*", rerun.text())
            freed = re.findall(r"Freed the 'warehouse_writer' slot of run (\S+)", rerun.text())
            row = {"killed in": where, "warehouse after kill": state, "published copy kept": published_kept,
                   "temp files left": len(leftovers), "re-run exit": code, "re-run s": round(rerun.elapsed, 1),
                   "re-run waited for slot": bool(waited), "slots freed": len(freed),
                   "tables equal uninterrupted": same(snapshot(work.warehouse), self.expected),
                   "published equal": same(snapshot(work.published), self.expected),
                   "temp files after re-run": len(work.temp_files())}
            log(json.dumps(row))
            rows.append(row)
            shutil.rmtree(work.root)
        self.results["kill"] = rows

    # --- the daemon: run monitoring and the failure sensor ------------------------------------
    def daemon(self) -> None:
        from dagster import DagsterEventType, DagsterInstance, DagsterRunStatus

        from pipelines.instance import run_process
        from tests.web_fixture_server import post_receiver

        rows = []
        with post_receiver() as (url, received):
            work = self.after_day1.copy(self.root / "daemon")
            work.extra_env["NEWS_ALERT_WEBHOOK"] = url
            daemon = Command([str(BIN / "dagster-daemon"), "run", "-m", "pipelines.definitions"], work.env, REPO)
            os.environ["DAGSTER_HOME"] = str(work.home)
            instance = DagsterInstance.get()
            alerts = work.warehouse.parent / "alerts.log"
            try:
                time.sleep(45)  # the failure sensor's first tick sets its cursor: earlier failures are not news
                for how in ("launched by the daemon", "headless command"):
                    known = {r.run_id for r in instance.get_runs()}
                    if how == "launched by the daemon":
                        subprocess.run([str(BIN / "dagster"), "job", "launch", "-m", "pipelines.definitions", "-j", "ingest_job",
                                        "--tags", json.dumps({"dagster/partition": DAY2})], env=work.env, cwd=REPO,
                                       capture_output=True, text=True, timeout=300, check=True)
                        command = None
                    else:
                        command = work.materialize(DAY2)
                    run = self._wait_for_step(instance, known, "nlp")
                    process = run_process(instance, run.run_id)
                    if command is None:  # the run worker and its step processes, as the OOM killer might
                        for pid in [process.pid, *children(process.pid)]:
                            os.kill(pid, signal.SIGKILL)
                    else:
                        command.kill()
                    killed = time.monotonic()
                    marked = alerted = None
                    while time.monotonic() - killed < 300 and (marked is None or alerted is None):
                        if marked is None and instance.get_run_by_id(run.run_id).status == DagsterRunStatus.FAILURE:
                            marked = time.monotonic() - killed
                        if alerted is None and alerts.exists() and run.run_id in alerts.read_text() \
                                and any(p["run_id"] == run.run_id for p in received):
                            alerted = time.monotonic() - killed
                        time.sleep(0.5)
                    failure = instance.get_records_for_run(run.run_id, of_type=DagsterEventType.RUN_FAILURE).records
                    line = next((x for x in alerts.read_text().splitlines() if run.run_id in x), None) if alerts.exists() else None
                    rows.append({"run": how, "killed": f"pid {process.pid} and its step processes during nlp",
                                 "marked failed after s": marked and round(marked, 1),
                                 "marked by": failure and ("run monitoring" if "Detected run worker status" in failure[0].event_log_entry.message
                                                           else "the code server that launched it"),
                                 "alert line and webhook after s": alerted and round(alerted, 1), "alert line": line})
                    log(json.dumps(rows[-1]))
                rerun = work.materialize(DAY2)
                rows.append({"re-run exit": rerun.wait(), "tables equal uninterrupted": same(snapshot(work.warehouse), self.expected)})
                log(json.dumps(rows[-1]))
            finally:
                daemon.kill()
                shutil.rmtree(work.root, ignore_errors=True)
        self.results["daemon"] = rows

    def _wait_for_step(self, instance, known: set[str], step: str, timeout: float = 900):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for run in instance.get_runs(limit=3):
                if run.run_id not in known and self._step_started(instance, run.run_id, step):
                    return run
            time.sleep(0.2)
        raise TimeoutError(f"no new run reached {step}")

    @staticmethod
    def _step_started(instance, run_id: str, step: str) -> bool:
        from dagster import DagsterEventType

        return any(r.event_log_entry.dagster_event.step_key == step
                   for r in instance.get_records_for_run(run_id, of_type=DagsterEventType.STEP_START).records)

    # --- concurrent runs ------------------------------------------------------------------
    def concurrent(self) -> None:
        same_day = self.after_day1.copy(self.root / "same_day_twice")
        two_days = Work.new(self.root / "two_days", 0)
        shutil.rmtree(two_days.scrapes)
        shutil.copytree(self.after_day1.scrapes, two_days.scrapes)
        rows = []
        for trial, work, days in (("the same day twice at once", same_day, (DAY2, DAY2)),
                                  ("two days at once on a new DAGSTER_HOME", two_days, (DAY1, DAY2))):
            commands = [work.materialize(day) for day in days]
            rows.append({"trial": trial, "exit codes": [c.wait() for c in commands],
                         "seconds": [round(c.elapsed, 1) for c in commands],
                         "one waited for the writer slot": any("Waiting for a slot" in c.text() for c in commands),
                         "tables equal sequential": same(snapshot(work.warehouse), self.expected)})
            log(json.dumps(rows[-1]))
            shutil.rmtree(work.root)
        self.results["concurrent"] = rows

    # --- a full disk ----------------------------------------------------------------------
    def disk(self) -> None:
        if os.geteuid() != 0:
            log("disk: skipped (mounting a tmpfs needs root)")
            return
        rows = []
        for leave_mb in (0.5, 3, 8):
            work = self.after_day1.copy(self.root / f"disk_{leave_mb}")
            work.extra_env["NEWS_DATA_DOCS_RUNS"] = "2"
            wh = work.warehouse.parent
            saved = self.root / "wh_saved"
            shutil.move(wh, saved)
            wh.mkdir()
            subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(wh)], check=True)
            try:
                shutil.copytree(saved, wh, dirs_exist_ok=True)
                stat = os.statvfs(wh)
                filler = wh / "filler"
                with filler.open("wb") as handle:
                    handle.write(b"\0" * max(0, stat.f_bavail * stat.f_frsize - int(leave_mb * 1e6)))
                command = work.materialize(DAY2)
                code = command.wait()
                text = command.text()
                failed = re.findall(r'STEP_FAILURE - Execution of step "([^"]+)"', text)
                message = next((line.strip() for _, line in command.lines if "No space left on device: the disk" in line), None)
                hidden = "cannot rollback" in text
                state = "previous" if snapshot(work.warehouse) == self.state_day1 else same(snapshot(work.warehouse), self.expected)
                filler.unlink()
                rerun = work.materialize(DAY2)
                rerun_code = rerun.wait()
                for _ in range(2):  # more runs: the Data Docs stay bounded
                    run_ok(work, DAY2)
                docs = sorted(p.parent.name + "/" + p.name for p in (wh / "data_docs").glob("*/*"))
                rows.append({"free MB at start": leave_mb, "exit": code, "failed step": failed,
                             "disk-full message": message and message[:220], "'cannot rollback' shown": hidden,
                             "warehouse after": state, "re-run after freeing exit": rerun_code,
                             "tables equal uninterrupted": same(snapshot(work.warehouse), self.expected),
                             "data docs run folders after 4 runs (keep 2)": len(docs)})
                log(json.dumps(rows[-1]))
            finally:
                subprocess.run(["umount", "-l", str(wh)], check=False)
                shutil.rmtree(work.root, ignore_errors=True)
                shutil.rmtree(saved, ignore_errors=True)
        self.results["disk"] = rows

    # --- damaged lake files ------------------------------------------------------------------
    def corrupt(self, only: list[str] | None = None) -> None:
        rows = []
        targets = [f"stage/{s}/partition_date={DAY2}/data.parquet" for s in
                   ("raw_scrapes", "extracted", "template_keys", "cleaned_articles", "nlp_entities")]
        targets += [f"tables/{t}/partition_date={DAY2}/data.parquet" for t in ("articles", "raw_scrapes")]
        targets += [f"stage/{s}/partition_date={DAY1}/data.parquet" for s in ("raw_scrapes", "template_keys")]
        targets = [t for t in targets if not only or any(o in t for o in only)]
        for target in targets:
            for selection in ("*", "group:warehouse") if target.startswith("tables/articles") else ("*",):
                work = self.reference.copy(self.root / "corrupt")
                path = work.lake / target
                data = path.read_bytes()
                path.write_bytes(data[: len(data) // 2])
                command = work.materialize(DAY2, selection)
                code = command.wait()
                named = next((line.strip() for _, line in command.lines if str(path) in line and "unreadable" in line), None)
                restored = next((line.strip() for _, line in command.lines if "Restored it from" in line), None)
                rows.append({"truncated": target, "re-run": selection, "exit": code,
                             "tables equal uninterrupted": same(snapshot(work.warehouse), self.expected),
                             "error names file": (named or "")[:300] or None, "restored": restored})
                log(json.dumps(rows[-1]))
                shutil.rmtree(work.root)
        self.results["corrupt"] = rows


def processes() -> list[tuple[int, int, int]]:
    """(pid, parent pid, process group) of every process, from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2:].split()
            found.append((int(entry.name), int(fields[1]), int(fields[2])))
    return found


def in_group(pgid: int) -> list[int]:
    return [pid for pid, _, group in processes() if group == pgid]


def children(pid: int) -> list[int]:
    """Every descendant of `pid`."""
    parents: dict[int, list[int]] = {}
    for child, parent, _ in processes():
        parents.setdefault(parent, []).append(child)
    found, queue = [], [pid]
    while queue:
        for child in parents.get(queue.pop(), []):
            found.append(child)
            queue.append(child)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=60, help="pages per landing day")
    parser.add_argument("--only", nargs="+", choices=["kill", "daemon", "concurrent", "disk", "corrupt"])
    parser.add_argument("--points", nargs="+", help="kill only at these points (steps, 'load transaction', 'publish copy'); "
                        "damage only the lake files whose path contains one of these")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="faults-") as tmp:
        bench = Bench(Path(tmp), args.pages)
        for section in args.only or ["kill", "daemon", "concurrent", "disk", "corrupt"]:
            log(f"--- {section}")
            getattr(bench, section)(args.points) if section in ("kill", "corrupt") else getattr(bench, section)()
        if args.json:
            args.json.write_text(json.dumps({"timing": bench.timing, **bench.results}, indent=2, default=str))


if __name__ == "__main__":
    main()
