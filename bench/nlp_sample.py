"""The nlp stage against the bundled sample's hand annotations (sample/annotations.json).

Reads articles, entities and figures from a warehouse built from the sample (`make run`, or
--warehouse PATH) and reports, per annotated article, every annotated entity or figure that is
missing or has a wrong field. An entity matches on text + label + canonical; a figure on text,
then value, unit, counted, qualifier, kind and (for dates) the resolved date.

    .venv/bin/python bench/nlp_sample.py [--warehouse warehouse/warehouse.duckdb] [--extra]
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
ANNOTATIONS = ROOT / "sample" / "annotations.json"


def _resolved(date_value, grain: str | None) -> str | None:
    if date_value is None:
        return None
    iso = date_value.isoformat()
    return {"day": iso, "month": iso[:7], "year": iso[:4]}.get(grain or "day", iso)


def _same(a, b) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=1e-3)
    return a == b


def compare(con: duckdb.DuckDBPyConnection, annotations: dict) -> tuple[dict[str, list[int]], dict[str, list[str]]]:
    """(found, annotated) per kind, and the problems per annotated sample path."""
    sources = dict(con.execute(
        "SELECT r.source, a.article_id FROM news.raw_scrapes r JOIN news.articles a USING (scrape_id)"
    ).fetchall())
    totals = {"entities": [0, 0], "figures": [0, 0]}
    problems: dict[str, list[str]] = {}
    for path, expected in sorted(annotations.items()):
        if expected.get("expected") != "article" or path not in sources:
            continue
        article_id = sources[path]
        entities = set(con.execute(
            "SELECT text, label, canonical FROM news.entities WHERE article_id = ?", [article_id]
        ).fetchall())
        figures = con.execute(
            "SELECT text, value, unit, counted, qualifier, kind, date_value, date_grain "
            "FROM news.figures WHERE article_id = ?", [article_id]
        ).fetchall()
        article_problems = []
        for entity in expected.get("entities", []):
            want = (entity["text"], entity["label"], entity["canonical"])
            totals["entities"][1] += 1
            if want in entities:
                totals["entities"][0] += 1
            else:
                got = [e for e in entities if e[0] == entity["text"]]
                article_problems.append(f"entity {want} got {sorted(got) or 'nothing'}")
        by_text: dict[str, list[dict]] = {}
        for text, value, unit, counted, qualifier, kind, date_value, grain in figures:
            by_text.setdefault(text, []).append({
                "value": value, "unit": unit, "counted": counted, "qualifier": qualifier,
                "kind": kind, "resolved": _resolved(date_value, grain),
            })
        for figure in expected.get("figures", []):
            totals["figures"][1] += 1
            fields = ["value", "unit", "counted", "qualifier", "kind"] + (["resolved"] if figure["kind"] == "date" else [])
            if figure["kind"] == "date":
                fields.remove("value")
            found = by_text.get(figure["text"], [])
            if any(all(_same(got[f], figure[f]) for f in fields) for got in found):
                totals["figures"][0] += 1
                continue
            want = {f: figure[f] for f in fields}
            article_problems.append(f"figure {figure['text']!r} want {want} got {found or 'nothing'}")
        problems[path] = article_problems
        problems[path + " (extra)"] = [
            f"extra figure {t!r} {v}" for t, v in by_text.items() if t not in {f["text"] for f in expected.get("figures", [])}
        ]
    return totals, problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--warehouse", type=Path, default=ROOT / "warehouse" / "warehouse.duckdb")
    parser.add_argument("--extra", action="store_true", help="also list figures found but not annotated")
    args = parser.parse_args()
    annotations = json.loads(ANNOTATIONS.read_text(encoding="utf-8"))
    con = duckdb.connect(str(args.warehouse), read_only=True)
    totals, problems = compare(con, annotations)
    for path, lines in problems.items():
        if lines and (args.extra or not path.endswith(" (extra)")):
            print(f"\n{path}")
            for line in lines:
                print(f"  {line}")
    for name, (ok, total) in totals.items():
        print(f"\n{name}: {ok}/{total} annotated found with the right fields")


if __name__ == "__main__":
    main()
