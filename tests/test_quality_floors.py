"""Quality floors on the public evaluation sets in ../shared (evaluation only, read at test time,
never copied here): the functions the assets call, on a fixed subset of each set, must not fall
below this project's measured numbers. Skipped where ../shared is absent (a clean CI clone).

Subsets (fixed, so the floors are exact): every 3rd page of the aeb corpus and every 10th of
trafilatura-eval (sorted by id), all fundus pages, all recognizers-en cases, all UNER PUD
documents. `make eval` runs the full sets with the shared scorers and prints their tables.
"""

from __future__ import annotations

import gzip
import importlib.util
import sys
from collections import defaultdict
from datetime import date, datetime, timezone
from pathlib import Path
from types import ModuleType
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
pytestmark = pytest.mark.skipif(not (SHARED / "tools").is_dir(), reason="../shared (the evaluation sets) is not here")

# This final numbers on the subsets below (rounded down): a change that lowers one fails.
FLOORS = {
    "extraction_aeb_f1": 0.978,
    "extraction_trafilatura_eval_f1": 0.94,
    "fundus_en_body_f1": 0.963,
    "fundus_en_title": 0.923,
    "fundus_en_authors_precision": 1.0,
    "fundus_en_authors_recall": 1.0,
    "fundus_en_date_minute": 1.0,
    "fundus_other_authors_precision": 1.0,
    "fundus_other_authors_recall": 1.0,
    "figures_currency": 0.957,
    "figures_dimension": 0.928,
    "figures_duration": 0.863,
    "figures_date": 0.858,
    "figures_number_unit": 0.922,
    "pud_f1": 0.666,
    "pud_held_out_f1": 0.612,
}
AEB_EVERY, TRAFILATURA_EVAL_EVERY = 3, 10
DAY = date(2026, 8, 5)


def shared_tool(name: str) -> ModuleType:
    """A scorer of ../shared/tools, imported from its file."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, SHARED / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def raw_scrape(content: bytes, url: str | None, fetched_at: datetime) -> dict:
    """A raw scrape row as the raw_scrapes stage stores an HTML page."""
    host = (urlsplit(url).hostname or "") if url else ""
    return {"scrape_id": url or str(id(content)), "source": url or "page.html", "url": url, "site": host.removeprefix("www.") or None,
            "fetched_at": fetched_at, "content_type": "text/html", "declared_charset": "utf-8", "content": content,
            "reject_reason": None, "reject_detail": None}


def pipeline_articles(raws: list[dict]) -> list[dict]:
    """What the extracted, cleaned and quality assets make of a day's raw scrapes: their own
    functions, in their order (titles lose what a site's pages repeat, the language is the
    body's when detection is sure)."""
    from newskit.shards import article_site, extracted_row
    from newskit.article import build_article
    from newskit.blocks import Block
    from newskit.metadata import site_title_affixes, strip_title_affixes
    from newskit.quality import ArticleFacts, article_language

    rows = [extracted_row(raw) for raw in raws]
    titles: dict[str | None, list[str | None]] = defaultdict(list)
    for row in rows:
        titles[article_site(row)].append(row.get("title"))
    affixes = {site: site_title_affixes(found) for site, found in titles.items()}
    articles = []
    for row in rows:
        if row.get("reject_reason"):
            articles.append({"body": "", "title": None, "authors": [], "published_at": None, "language": None})
            continue
        site = article_site(row)
        row["title"] = strip_title_affixes(row["title"], affixes[site])
        built = build_article(row, site, [Block(b["kind"], b["text"]) for b in row["blocks"] or []], frozenset(), DAY).article
        facts = ArticleFacts(body=built["body"] or "", title=built["title"], published_at=built["published_at"],
                             fetched_at=built["fetched_at"], language=built["language"])
        articles.append(built | {"language": article_language(facts)})
    return articles


@pytest.fixture(scope="module")
def measured() -> dict[str, float]:
    scores: dict[str, float] = {}
    scores.update(extraction_scores())
    scores.update(fundus_scores())
    scores.update(figures_scores())
    scores.update(pud_scores())
    return scores


def extraction_scores() -> dict[str, float]:
    tool = shared_tool("extraction_eval")
    out = {}
    for name, every in (("aeb", AEB_EVERY), ("trafilatura-eval", TRAFILATURA_EVAL_EVERY)):
        corpus = tool.load_corpus(SHARED / "corpus" / name)
        corpus.pages = corpus.pages[::every]

        def body(html: str | bytes) -> str:
            content = html.encode("utf-8") if isinstance(html, str) else html
            return pipeline_articles([raw_scrape(content, None, datetime(2026, 8, 5, tzinfo=timezone.utc))])[0]["body"]

        result = tool.evaluate(corpus, "pipeline", body)
        aggregate = tool.aggregate_fulltext if corpus.kind == "fulltext" else tool.aggregate_snippets
        out[f"extraction_{name.replace('-', '_')}_f1"] = aggregate(result.scores)["f1"]
    return out


def fundus_scores() -> dict[str, float]:
    tool = shared_tool("metadata_eval")
    cases = tool.load_cases(SHARED / "corpus" / "fundus", "all")
    raws = []
    for c in cases:
        crawl = datetime.fromisoformat(c["crawl_date"])
        raws.append(raw_scrape(gzip.decompress(c["html_path"].read_bytes()), c.get("url"), crawl if crawl.tzinfo else crawl.replace(tzinfo=timezone.utc)))
    scored = defaultdict(list)
    for c, article in zip(cases, pipeline_articles(raws)):
        pred = {"body": article["body"], "title": article["title"], "authors": article["authors"], "date": article["published_at"]}
        scored["en" if c["english"] else "other"].append(tool.score_case(c, pred))
    en, other = tool.aggregate(scored["en"]), tool.aggregate(scored["other"])
    return {
        "fundus_en_body_f1": en["F1"], "fundus_en_title": en["title"][0], "fundus_en_authors_precision": en["auth_P"][0],
        "fundus_en_authors_recall": en["auth_R"][0], "fundus_en_date_minute": en["instant"][0],
        "fundus_other_authors_precision": other["auth_P"][0], "fundus_other_authors_recall": other["auth_R"][0],
    }


def figures_scores() -> dict[str, float]:
    import json

    tool = shared_tool("figures_eval")
    cases = [json.loads(line) for line in (SHARED / "nlp" / "recognizers-en" / "dev.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    predictions, _ = tool.predict_ours(cases)  # normalise_text, segment, annotate: the nlp stage's path
    for case in cases:
        predictions.setdefault(case["id"], [])  # a case with no figure is scored too
    stats = tool.score(cases, predictions, "ours")[0]
    number_unit = [s for category, s in stats.items() if category != "date"]
    return {
        **{f"figures_{c}": stats[c]["right"] / stats[c]["n"] for c in ("currency", "dimension", "duration", "date")},
        "figures_number_unit": sum(s["right"] for s in number_unit) / sum(s["n"] for s in number_unit),
    }


def pud_scores() -> dict[str, float]:
    from bench.ner_pud import DEFAULT_PUD, our_spans, read_pud, score
    from newskit.nlp import load_pipeline

    documents = read_pud(DEFAULT_PUD)
    predicted = our_spans(load_pipeline(), documents)  # annotate, the nlp stage's function
    gold = [d.gold for d in documents]
    half = len(documents) // 2
    return {"pud_f1": score(gold, predicted)["micro"][2], "pud_held_out_f1": score(gold[half:], predicted[half:])["micro"][2]}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_quality_does_not_fall_below_its_floor(measured: dict[str, float], name: str) -> None:
    assert measured[name] >= FLOORS[name], f"{name}: {measured[name]:.4f} is below the floor {FLOORS[name]}"


def test_the_numbers(measured: dict[str, float]) -> None:
    """Prints every number (pytest -s) so that a floor can be raised after an improvement."""
    for name in sorted(measured):
        print(f"{name:34} {measured[name]:.4f}  floor {FLOORS[name]}")
    assert set(measured) == set(FLOORS)
