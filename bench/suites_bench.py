"""Time the Great Expectations suites on a generated day of N articles (the load step's overhead).

    .venv/bin/python bench/suites_bench.py --articles 1000
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from datetime import date, datetime, timezone
from pathlib import Path

import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from dedup_bench import generated_set  # noqa: E402

from expectations.run_suites import run_suites  # noqa: E402
from newskit.segment import segment  # noqa: E402
from warehouse.contract import arrow_schema  # noqa: E402

DAY = date(2025, 8, 16)
NOW = datetime(2025, 8, 16, 9, tzinfo=timezone.utc)


def day_tables(n: int) -> dict[str, pa.Table]:
    bodies, _, _ = generated_set(max(1, n // 8), 3, 4, 11)
    raw, articles, paragraphs, sentences = [], [], [], []
    for i, text in enumerate(bodies[:n]):
        content = text.encode()
        seg = segment(text.split("\n\n"))
        raw.append({"scrape_id": f"s{i}", "partition_date": DAY, "source": f"f{i}.txt", "source_kind": "landing",
                    "url": None, "site": "site.test", "fetched_at": NOW, "content_type": "text/plain",
                    "declared_charset": "utf-8", "sha256": hashlib.sha256(content).hexdigest(),
                    "bytes": len(content), "content": content})
        articles.append({"article_id": f"a{i}", "scrape_id": f"s{i}", "partition_date": DAY, "title": "T",
                         "published_at": NOW, "fetched_at": NOW, "language": "en", "body": seg.body,
                         "word_count": len(seg.body.split()), "content_sha256": hashlib.sha256(content).hexdigest(),
                         "status": "ok", "extractor_version": "bench"})
        for p, (start, end) in enumerate(seg.paragraphs):
            paragraphs.append({"article_id": f"a{i}", "partition_date": DAY, "paragraph_no": p, "kind": "body",
                               "text": seg.body[start:end], "char_start": start, "char_end": end})
        for s, (p, start, end) in enumerate(seg.sentences):
            sentences.append({"article_id": f"a{i}", "partition_date": DAY, "sentence_no": s, "paragraph_no": p,
                              "text": seg.body[start:end], "char_start": start, "char_end": end})
    tables = {"raw_scrapes": raw, "articles": articles, "paragraphs": paragraphs, "sentences": sentences, "quarantine": []}
    return {name: pa.Table.from_pylist(rows, schema=arrow_schema(name)) for name, rows in tables.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    args = parser.parse_args()
    tables = day_tables(args.articles)
    started = time.perf_counter()
    import great_expectations  # noqa: F401

    imported = time.perf_counter() - started
    started = time.perf_counter()
    run = run_suites(tables, run_time=NOW)
    elapsed = time.perf_counter() - started
    rows = {name: suite.rows for name, suite in run.suites.items()}
    failed = {name: len(suite.failures()) for name, suite in run.suites.items() if suite.failures()}
    print(f"{args.articles} articles, rows per suite {rows}")
    print(f"import great_expectations: {imported:.1f} s; run_suites: {elapsed:.1f} s; failed expectations: {failed or 'none'}")


if __name__ == "__main__":
    main()
