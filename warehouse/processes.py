"""Is a process on this machine still alive? (run slots, lake temp files and lock holders).

A pid alone is not enough: after a kill the number can be reused, and a killed child that its
parent has not reaped yet is a zombie that `kill(pid, 0)` still finds. On Linux /proc gives the
state and the start time, so a process that started after `started_before` is someone else.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

PROC = Path("/proc")


@cache
def _boot_time() -> float | None:
    try:
        for line in (PROC / "stat").read_text().splitlines():
            if line.startswith("btime "):
                return float(line.split()[1])
    except OSError:
        pass
    return None


def _proc_stat(pid: int) -> tuple[str, float | None] | None:
    """(state letter, start time as a Unix timestamp) from /proc/<pid>/stat; None if no such process."""
    try:
        raw = (PROC / str(pid) / "stat").read_text()
    except FileNotFoundError:
        return None
    fields = raw[raw.rindex(")") + 2 :].split()  # the command name may contain spaces and ')'
    boot = _boot_time()
    started = boot + int(fields[19]) / os.sysconf("SC_CLK_TCK") if boot is not None else None
    return fields[0], started


def process_alive(pid: int, started_before: float | None = None) -> bool:
    """True if `pid` runs (not a zombie) and, when known, started no later than `started_before`."""
    if pid <= 0:
        return False
    if PROC.is_dir():
        stat = _proc_stat(pid)
        if stat is None:
            return False
        state, started = stat
        if state in ("Z", "X"):
            return False
        # start times come from clock ticks since boot: allow a second of rounding
        return started_before is None or started is None or started <= started_before + 1.0
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def describe_process(pid: int) -> str:
    """`pid 123 (python -m pipelines.cli ingest)`, or just the pid when the command is not readable."""
    try:
        argv = (PROC / str(pid) / "cmdline").read_bytes().split(b"\0")
        command = " ".join(Path(a.decode(errors="replace")).name if i == 0 else a.decode(errors="replace")
                           for i, a in enumerate(argv) if a)
    except OSError:
        command = ""
    if len(command) > 160:
        command = command[:157] + "..."
    return f"pid {pid} ({command})" if command else f"pid {pid}"
