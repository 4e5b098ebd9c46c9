"""Exact, near and version duplicates over the whole history (newskit.dedup) on invented articles."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pyarrow as pa
import yaml

from newskit.dedup import article_signatures, find_duplicates

ARTICLES = yaml.safe_load((Path(__file__).parent / "data" / "quality_articles.yaml").read_text(encoding="utf-8"))
DAY1 = datetime(2025, 8, 15, 8, 0, tzinfo=timezone.utc)


def body(name: str) -> str:
    return "\n\n".join(ARTICLES[name]["paragraphs"])


def row(article_id: str, text: str, published: datetime | None, url: str | None = None, fetched: datetime | None = None) -> dict:
    return {
        "article_id": article_id,
        "url": url or f"https://example-{article_id}.test/news/{article_id}",
        "canonical_url": url,
        "body": text,
        "published_at": published,
        "fetched_at": fetched or (published or DAY1) + timedelta(hours=1),
    }


def table(rows: list[dict]) -> pa.Table:
    schema = pa.schema(
        [
            ("article_id", pa.string()),
            ("url", pa.string()),
            ("canonical_url", pa.string()),
            ("body", pa.string()),
            ("published_at", pa.timestamp("us", tz="UTC")),
            ("fetched_at", pa.timestamp("us", tz="UTC")),
        ]
    )
    return pa.Table.from_pylist(rows, schema=schema)


def links(rows: list[dict]) -> dict[str, tuple[str, str]]:
    result = find_duplicates(table(rows))
    return {r["article_id"]: (r["duplicate_of"], r["method"]) for r in result.to_pylist()}


def syndicated_copy(name: str) -> str:
    """Another site's copy: its own intro and footer, paragraphs reordered, one dropped, light edits."""
    paragraphs = list(ARTICLES[name]["paragraphs"])
    paragraphs[1], paragraphs[2] = paragraphs[2], paragraphs[1]
    del paragraphs[-1]
    paragraphs[0] = paragraphs[0].replace("on Monday", "on Monday (local time)").replace("valley", "Wend valley")
    return "\n\n".join(["(Regional News Service)", *paragraphs, "Copyright Regional News Service. All rights reserved."])


def test_distinct_articles_on_the_same_story_are_not_duplicates() -> None:
    rows = [row(n, body(n), DAY1 + timedelta(minutes=i)) for i, n in enumerate(sorted(ARTICLES))]
    assert links(rows) == {}


def test_exact_duplicate_with_folded_whitespace_and_quotes() -> None:
    original = body("drought_a")
    rescrape = original.replace("“", '"').replace("”", '"').replace("’", "'").replace("\n\n", "\n \n")
    assert rescrape != original
    rows = [row("a", original, DAY1), row("b", rescrape, DAY1 + timedelta(hours=2)), row("c", body("bridge"), DAY1)]
    result = find_duplicates(table(rows)).to_pylist()
    assert result == [{"article_id": "b", "duplicate_of": "a", "method": "exact", "similarity": 1.0}]


def test_near_duplicate_syndicated_copy() -> None:
    rows = [
        row("orig", body("drought_a"), DAY1),
        row("copy", syndicated_copy("drought_a"), DAY1 + timedelta(hours=3)),
        row("same_topic", body("drought_b"), DAY1 + timedelta(hours=1)),
    ]
    result = find_duplicates(table(rows)).to_pylist()
    assert [(r["article_id"], r["duplicate_of"], r["method"]) for r in result] == [("copy", "orig", "near")]
    assert 0.5 <= result[0]["similarity"] < 1.0


def test_cross_day_copy_and_backfill_repoint_to_the_earliest() -> None:
    day2 = row("day2_copy", syndicated_copy("bridge"), DAY1 + timedelta(days=1))
    day3 = row("day3_exact", body("bridge"), DAY1 + timedelta(days=2))
    # loading day 2 and 3 first: the earliest known copy is the original
    assert links([day2, day3]) == {"day3_exact": ("day2_copy", "near")}
    # a backfill of day 0 brings in the real original: every link now points to it
    day0 = row("day0_original", body("bridge"), DAY1 - timedelta(days=1))
    assert links([day2, day3, day0]) == {"day2_copy": ("day0_original", "near"), "day3_exact": ("day0_original", "exact")}


def test_result_does_not_depend_on_row_order() -> None:
    rows = [
        row("a", body("robotics"), DAY1),
        row("b", syndicated_copy("robotics"), DAY1 + timedelta(hours=5)),
        row("c", body("robotics"), DAY1 + timedelta(hours=6)),
        row("d", body("drought_a"), None, fetched=DAY1),  # no date: sorts after every dated article
        row("e", body("drought_a"), DAY1 + timedelta(days=4)),
        row("f", body("drought_b"), DAY1),
    ]
    expected = links(rows)
    assert expected == {"b": ("a", "near"), "c": ("a", "exact"), "d": ("e", "exact")}
    for seed in range(5):
        shuffled = rows[:]
        random.Random(seed).shuffle(shuffled)
        assert links(shuffled) == expected


def test_same_publish_time_ties_break_on_fetch_time_then_id() -> None:
    rows = [row("z", body("bridge"), DAY1, fetched=DAY1), row("y", body("bridge"), DAY1, fetched=DAY1 + timedelta(minutes=1))]
    assert links(rows) == {"y": ("z", "exact")}
    rows = [row("z", body("bridge"), DAY1, fetched=DAY1), row("y", body("bridge"), DAY1, fetched=DAY1)]
    assert links(rows) == {"z": ("y", "exact")}


def test_same_canonical_url_changed_text_is_a_version_same_text_is_exact() -> None:
    url = "https://marlowe-herald.test/news/hosepipe-ban"
    first = body("drought_a")
    corrected = first.replace("41 per cent", "39 per cent") + "\n\nCorrection: an earlier version gave the wrong reservoir level."
    rows = [
        row("v1", first, DAY1, url=url),
        row("v1_again", first, DAY1, url=url + "?utm_source=rss", fetched=DAY1 + timedelta(hours=6)),
        row("v2", corrected, DAY1 + timedelta(hours=8), url="http://www.marlowe-herald.test/news/hosepipe-ban/"),
    ]
    result = {r["article_id"]: r for r in find_duplicates(table(rows)).to_pylist()}
    assert {k: (r["duplicate_of"], r["method"]) for k, r in result.items()} == {
        "v1_again": ("v1", "exact"),
        "v2": ("v1", "version"),
    }
    assert 0.5 < result["v2"]["similarity"] < 1.0


def test_site_root_canonical_url_does_not_make_versions() -> None:
    home = "https://marlowe-herald.test/"
    rows = [row("a", body("drought_a"), DAY1, url=home), row("b", body("bridge"), DAY1 + timedelta(hours=1), url=home)]
    assert links(rows) == {}


def test_stored_signatures_give_the_same_links_as_bodies() -> None:
    rows = [
        row("a", body("drought_a"), DAY1),
        row("b", syndicated_copy("drought_a"), DAY1 + timedelta(days=1)),
        row("c", body("drought_a"), DAY1 + timedelta(days=2)),
        row("d", body("robotics"), DAY1),
    ]
    articles = table(rows)
    signatures = article_signatures(articles)
    stored = articles.drop_columns(["body"]).join(signatures, "article_id").sort_by("article_id")
    assert find_duplicates(stored).to_pylist() == find_duplicates(articles).to_pylist()


def test_content_hash_only_input_finds_exact_duplicates() -> None:
    articles = pa.table(
        {
            "article_id": ["a", "b", "c"],
            "content_sha256": ["h1", "h2", "h1"],
            "published_at": pa.array([DAY1 + timedelta(days=1), DAY1, DAY1], pa.timestamp("us", tz="UTC")),
            "fetched_at": pa.array([DAY1, DAY1, DAY1 + timedelta(days=1)], pa.timestamp("us", tz="UTC")),
        }
    )
    assert find_duplicates(articles).to_pylist() == [
        {"article_id": "a", "duplicate_of": "c", "method": "exact", "similarity": 1.0}
    ]


def test_a_partner_copy_with_the_originals_canonical_url_is_a_near_duplicate_not_a_version() -> None:
    original_url = "https://marlowe-herald.test/news/hosepipe-ban"
    partner = row("partner", syndicated_copy("drought_a"), DAY1 + timedelta(hours=4), url=original_url)
    partner["url"] = "https://valley-courier.test/2025/08/hosepipe-ban"  # fetched elsewhere, canonical -> original
    rows = [row("orig", body("drought_a"), DAY1, url=original_url), partner]
    assert links(rows) == {"partner": ("orig", "near")}


def test_the_update_of_a_syndicated_copy_is_still_a_copy_of_the_original() -> None:
    copy_url = "https://valley-courier.test/news/hosepipe-ban"
    copy = syndicated_copy("drought_a")
    rows = [
        row("orig", body("drought_a"), DAY1),
        row("copy", copy, DAY1 + timedelta(hours=2), url=copy_url),
        row("copy_update", copy + "\n\nUpdate: the ban now starts on Friday.", DAY1 + timedelta(hours=9), url=copy_url),
    ]
    assert links(rows) == {"copy": ("orig", "near"), "copy_update": ("orig", "near")}
