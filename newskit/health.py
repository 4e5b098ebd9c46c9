"""Publisher health: per site and day, how much came in and how complete it was.

A sharp drop of a site's title/date/authors fill rate against its own recent days usually means
the site changed its page layout and the extractor no longer finds the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pyarrow as pa
import pyarrow.compute as pc

from warehouse.contract import arrow_schema

UNKNOWN_SITE = "(unknown)"
FILL_RATES = ("title_fill", "date_fill", "authors_fill")

HEALTH_SCHEMA = arrow_schema("source_health")


@dataclass(frozen=True)
class HealthConfig:
    baseline_days: int = 7  # compare with the site's previous days in this window
    min_baseline_days: int = 3  # fewer days of history: no verdict
    min_articles: int = 5  # a day with fewer articles is too small to judge (either side)
    max_drop: float = 0.3  # absolute drop of a fill rate (0..1) that warns


DEFAULT_HEALTH_CONFIG = HealthConfig()


@dataclass(frozen=True)
class FillRateDrop:
    site: str
    partition_date: date
    field: str  # title_fill | date_fill | authors_fill
    today: float
    baseline: float  # mean over the site's recent days
    baseline_days: int

    @property
    def detail(self) -> str:
        return (
            f"{self.site}: {self.field} {self.today:.0%} on {self.partition_date} vs "
            f"{self.baseline:.0%} over its previous {self.baseline_days} days"
        )


def source_health(articles: pa.Table, quarantined: pa.Table) -> pa.Table:
    """One row per (site, partition_date).

    `articles`: partition_date, site, title, published_at, authors (list), body (or body_chars),
    and optionally is_duplicate (bool); `quarantined`: partition_date, site (one row per quarantined scrape).
    """
    n = articles.num_rows
    sites = pc.fill_null(articles.column("site"), UNKNOWN_SITE)
    title = articles.column("title")
    has_title = pc.fill_null(pc.greater(pc.utf8_length(pc.utf8_trim_whitespace(title)), 0), False)
    has_date = pc.is_valid(articles.column("published_at"))
    has_authors = pc.fill_null(pc.greater(pc.list_value_length(articles.column("authors")), 0), False)
    lengths = articles.column("body_chars") if "body_chars" in articles.column_names else pc.utf8_length(articles.column("body"))
    body_chars = pc.fill_null(lengths, 0)
    duplicate = (
        pc.fill_null(articles.column("is_duplicate"), False)
        if "is_duplicate" in articles.column_names
        else pa.array([False] * n)
    )
    per_article = pa.table(
        {
            "site": sites,
            "partition_date": articles.column("partition_date"),
            "has_title": pc.cast(has_title, pa.int64()),
            "has_date": pc.cast(has_date, pa.int64()),
            "has_authors": pc.cast(has_authors, pa.int64()),
            "body_chars": pc.cast(body_chars, pa.float64()),
            "duplicate": pc.cast(duplicate, pa.int64()),
        }
    )
    grouped = per_article.group_by(["site", "partition_date"]).aggregate(
        [
            ("has_title", "count"),
            ("has_title", "mean"),
            ("has_date", "mean"),
            ("has_authors", "mean"),
            ("body_chars", "mean"),
            ("duplicate", "sum"),
            ("duplicate", "mean"),
        ]
    )
    held = pa.table(
        {
            "site": pc.fill_null(quarantined.column("site"), UNKNOWN_SITE),
            "partition_date": quarantined.column("partition_date"),
        }
    ).group_by(["site", "partition_date"]).aggregate([([], "count_all")])
    joined = grouped.join(held, ["site", "partition_date"], join_type="full outer")
    out = pa.table(
        {
            "site": joined.column("site"),
            "partition_date": joined.column("partition_date"),
            "articles": pc.fill_null(joined.column("has_title_count"), 0),
            "quarantined": pc.fill_null(joined.column("count_all"), 0),
            "duplicates": pc.fill_null(joined.column("duplicate_sum"), 0),
            "title_fill": joined.column("has_title_mean"),
            "date_fill": joined.column("has_date_mean"),
            "authors_fill": joined.column("has_authors_mean"),
            "mean_body_chars": joined.column("body_chars_mean"),
            "duplicate_share": joined.column("duplicate_mean"),
        }
    )
    return out.cast(HEALTH_SCHEMA).sort_by([("partition_date", "ascending"), ("site", "ascending")])


def fill_rate_drops(health: pa.Table, day: date, config: HealthConfig = DEFAULT_HEALTH_CONFIG) -> list[FillRateDrop]:
    """Sites whose fill rate on `day` fell by more than `max_drop` below their recent mean."""
    rows = health.to_pylist()
    window_start = day - timedelta(days=config.baseline_days)
    drops: list[FillRateDrop] = []
    for today in (r for r in rows if r["partition_date"] == day and r["articles"] >= config.min_articles):
        history = [
            r for r in rows
            if r["site"] == today["site"] and window_start <= r["partition_date"] < day and r["articles"] >= config.min_articles
        ]
        if len(history) < config.min_baseline_days:
            continue
        for field in FILL_RATES:
            baseline = sum(r[field] for r in history) / len(history)
            if today[field] is not None and baseline - today[field] > config.max_drop:
                drops.append(FillRateDrop(today["site"], day, field, today[field], baseline, len(history)))
    return drops
