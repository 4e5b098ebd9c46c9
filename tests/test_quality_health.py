"""Publisher health per site and day, and the fill-rate drop warning (newskit.health)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pyarrow as pa

from newskit.health import fill_rate_drops, source_health

DAY = date(2025, 8, 20)
TS = pa.timestamp("us", tz="UTC")


def article(site: str | None, day: date, title: str | None = "A headline", dated: bool = True,
            authors: list[str] | None = None, body: str = "x" * 400, duplicate: bool = False) -> dict:
    return {
        "site": site, "partition_date": day, "title": title,
        "published_at": datetime(day.year, day.month, day.day, 6, tzinfo=timezone.utc) if dated else None,
        "authors": ["Ann Lee"] if authors is None else authors, "body": body, "is_duplicate": duplicate,
    }


def articles_table(rows: list[dict]) -> pa.Table:
    schema = pa.schema([("site", pa.string()), ("partition_date", pa.date32()), ("title", pa.string()),
                        ("published_at", TS), ("authors", pa.list_(pa.string())), ("body", pa.string()),
                        ("is_duplicate", pa.bool_())])
    return pa.Table.from_pylist(rows, schema=schema)


def quarantined_table(rows: list[tuple[str | None, date]]) -> pa.Table:
    return pa.table({"site": pa.array([s for s, _ in rows], pa.string()), "partition_date": pa.array([d for _, d in rows], pa.date32())})


def test_counts_fill_rates_body_length_and_duplicate_share() -> None:
    rows = [
        article("herald.test", DAY, body="x" * 300),
        article("herald.test", DAY, title=None, authors=[], body="x" * 500, duplicate=True),
        article("herald.test", DAY, title="  ", dated=False, body="x" * 400),
        article("gazette.test", DAY),
        article(None, DAY),
    ]
    health = {(r["site"], r["partition_date"]): r for r in source_health(
        articles_table(rows), quarantined_table([("herald.test", DAY), ("herald.test", DAY), ("quiet.test", DAY)])
    ).to_pylist()}
    herald = health[("herald.test", DAY)]
    assert (herald["articles"], herald["quarantined"], herald["duplicates"]) == (3, 2, 1)
    assert herald["title_fill"] == 1 / 3 and herald["date_fill"] == 2 / 3 and herald["authors_fill"] == 2 / 3
    assert herald["mean_body_chars"] == 400.0 and herald["duplicate_share"] == 1 / 3
    assert health[("(unknown)", DAY)]["articles"] == 1
    quiet = health[("quiet.test", DAY)]  # a site whose every scrape was quarantined still shows up
    assert (quiet["articles"], quiet["quarantined"], quiet["title_fill"]) == (0, 1, None)


def history(days: int, per_day: int, site: str = "herald.test") -> list[dict]:
    return [article(site, DAY - timedelta(days=d)) for d in range(1, days + 1) for _ in range(per_day)]


def test_a_sharp_drop_against_the_sites_own_recent_days_warns() -> None:
    today = [article("herald.test", DAY, dated=i < 2) for i in range(10)]  # dates found for 2 of 10
    today += [article("gazette.test", DAY, authors=[]) for _ in range(10)]  # never had authors: no drop
    rows = history(5, 10) + history(5, 10, "gazette.test") + today
    for row in rows:
        if row["site"] == "gazette.test":
            row["authors"] = []
    health = source_health(articles_table(rows), quarantined_table([]))
    drops = fill_rate_drops(health, DAY)
    assert [(d.site, d.field) for d in drops] == [("herald.test", "date_fill")]
    assert drops[0].today == 0.2 and drops[0].baseline == 1.0 and drops[0].baseline_days == 5
    assert "date_fill 20%" in drops[0].detail


def test_no_verdict_without_enough_history_or_articles() -> None:
    today = [article("herald.test", DAY, title=None) for _ in range(10)]
    short_history = history(2, 10) + today
    assert fill_rate_drops(source_health(articles_table(short_history), quarantined_table([])), DAY) == []
    small_day = history(5, 10) + today[:3]
    assert fill_rate_drops(source_health(articles_table(small_day), quarantined_table([])), DAY) == []
    old_history = [article("herald.test", DAY - timedelta(days=30 + d)) for d in range(5) for _ in range(10)] + today
    assert fill_rate_drops(source_health(articles_table(old_history), quarantined_table([])), DAY) == []
    enough = history(5, 10) + today
    assert [d.field for d in fill_rate_drops(source_health(articles_table(enough), quarantined_table([])), DAY)] == ["title_fill"]
