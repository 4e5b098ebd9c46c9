"""Peak memory of reading WARC files of growing size with newskit.warc.iter_warc.

Generates WARC files (about 100 KB of HTML per response record) of the given sizes, then reads each
in a fresh subprocess and reports its peak RSS: flat numbers mean memory does not grow with the file.

    .venv/bin/python bench/warc_memory.py --sizes-mb 10,100,1000 [--gzip] [--dir /tmp/warc-bench]
"""

from __future__ import annotations

import argparse
import base64
import io
import random
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

DAY = date(2026, 11, 20)
WORDS = "river council harbour bridge storm ferry budget school train market museum festival".split()


def _payloads(count: int = 8) -> list[bytes]:
    """~100 KB pages: words plus random tokens, so gzip shrinks them about 2:1 (generation stays fast)."""
    rng = random.Random(7)
    pages = []
    for _ in range(count):
        tokens = [rng.choice(WORDS) if i % 2 else base64.b32encode(rng.randbytes(5)).decode() for i in range(12_000)]
        pages.append(f"<html><body><article><p>{' '.join(tokens)}</p></article></body></html>".encode())
    return pages


def generate(path: Path, size_mb: int, gzipped: bool) -> int:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    payloads = _payloads()
    records = 0
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=gzipped)
        while handle.tell() < size_mb * 1_000_000:
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                f"https://bench.example/{records}", "response", payload=io.BytesIO(payloads[records % len(payloads)]),
                http_headers=http, warc_headers_dict={"WARC-Date": f"{DAY.isoformat()}T12:00:00Z"},
            )
            writer.write_record(record)
            records += 1
    return records


def read(path: Path) -> None:
    """Child process: read every record, print records, seconds and peak RSS (MB)."""
    from newskit.warc import iter_warc

    started = time.perf_counter()
    count = sum(1 for _ in iter_warc(path, DAY))
    elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{count} {elapsed:.2f} {peak_mb:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes-mb", default="10,100,1000")
    parser.add_argument("--gzip", action="store_true", help="write .warc.gz (per-record gzip, as CC-NEWS)")
    parser.add_argument("--dir", default="/tmp/warc-bench")
    parser.add_argument("--read", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.read:
        read(Path(args.read))
        return
    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    print(f"{'file MB':>8} {'records':>8} {'read s':>7} {'MB/s':>6} {'peak RSS MB':>12}")
    for size in (int(s) for s in args.sizes_mb.split(",")):
        path = folder / f"bench-{size}mb.warc{'.gz' if args.gzip else ''}"
        if not path.exists():
            generate(path, size, args.gzip)
        out = subprocess.run([sys.executable, __file__, "--read", str(path)], capture_output=True, text=True, check=True)
        count, seconds, peak = out.stdout.split()
        file_mb = path.stat().st_size / 1e6
        print(f"{file_mb:8.0f} {count:>8} {float(seconds):7.1f} {file_mb / float(seconds):6.1f} {float(peak):12.1f}")


if __name__ == "__main__":
    main()
