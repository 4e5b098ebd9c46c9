"""A generated history of articles with duplicates, as the lake tables the quality step leaves for the load.

Texts are made of invented words (so unrelated articles share almost no shingles, like real news
on different stories), and a share of each day's articles are exact copies, near copies (a
paragraph dropped, words changed, another site's sign-off), or updates of an earlier article
under the same URL. Copies often sit on an earlier day than their source, or carry an earlier
publication time, so the links depend on the whole history and on the load order being ignored.
"""

from __future__ import annotations

import hashlib
import random
from datetime import date, datetime, timedelta, timezone

import pyarrow as pa

from assets.clean import PARAGRAPHS_SCHEMA, SENTENCES_SCHEMA
from assets.quality import ARTICLES_SCHEMA
from newskit.dedup import SIGNATURE_SCHEMA, article_signatures
from newskit.records import RAW_SCRAPES_SCHEMA
from warehouse.lake import table_file, write_table

SITES = ["herald.test", "courier.test", "wire.test", "gazette.test", "post.test"]
_CONSONANTS = "bcdfghklmnprstvz"
_VOWELS = "aeiou"


def _vocabulary(rng: random.Random, size: int = 4000) -> list[str]:
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(_CONSONANTS) + rng.choice(_VOWELS) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def _paragraphs(rng: random.Random, vocabulary: list[str], count: int) -> list[str]:
    return [" ".join(rng.choice(vocabulary) for _ in range(rng.randint(30, 60))).capitalize() + "."
            for _ in range(count)]


def generate_history(days: list[date], per_day: int, seed: int = 5, copy_window: int | None = None) -> dict[date, list[dict]]:
    """Per day, its articles (article_id, url, site, published_at, fetched_at, paragraphs).

    `copy_window`: copies and updates come from articles at most this many days apart (syndication
    within a week, say); None: from any earlier article, on any day (the hardest case for the load).
    """
    rng = random.Random(seed)
    vocabulary = _vocabulary(rng)
    history: dict[date, list[dict]] = {day: [] for day in days}
    made: list[dict] = []
    for n in range(len(days) * per_day):
        index = n // per_day
        day = days[index]
        near = days if copy_window is None else days[max(0, index - copy_window): index + copy_window + 1]
        target_day = rng.choice(near) if made and rng.random() < 0.3 else day  # copies also land on earlier days
        roll = rng.random()
        recent = made if copy_window is None else made[-per_day * copy_window:]
        source = rng.choice(recent) if recent else None
        site = rng.choice(SITES)
        if source is None or roll < 0.55:
            paragraphs = _paragraphs(rng, vocabulary, rng.randint(3, 7))
            url = f"https://{site}/story/{n}"
        elif roll < 0.7:  # exact copy on another site
            paragraphs, url = list(source["paragraphs"]), f"https://{site}/copy/{n}"
        elif roll < 0.88:  # near copy: a paragraph dropped, a few words changed, a sign-off added
            paragraphs = list(source["paragraphs"])
            if len(paragraphs) > 3:
                paragraphs.pop(rng.randrange(len(paragraphs)))
            words = paragraphs[0].split()
            for _ in range(3):
                words[rng.randrange(len(words))] = rng.choice(vocabulary)
            paragraphs[0] = " ".join(words)
            paragraphs.append(f"Reporting by {rng.choice(vocabulary).capitalize()} for {site}.")
            url = f"https://{site}/syndicated/{n}"
        else:  # an update of the source under its own URL
            paragraphs = [*source["paragraphs"], *_paragraphs(rng, vocabulary, 1)]
            url, site = source["url"], source["site"]
        start = datetime(target_day.year, target_day.month, target_day.day, tzinfo=timezone.utc)
        published = None if rng.random() < 0.08 else start + timedelta(hours=rng.randint(-60, 20))
        article = {"article_id": f"a{n:05d}", "url": url, "site": site, "published_at": published,
                   "fetched_at": start + timedelta(hours=rng.randint(1, 23), minutes=n % 60), "paragraphs": paragraphs}
        made.append(article)
        history[target_day].append(article)
    return history


def write_history_day(lake, day: date, articles: list[dict]) -> None:
    """The day's raw_scrapes, articles, paragraphs, sentences and signatures in lake/tables."""
    raw, rows, paragraphs, sentences = [], [], [], []
    for article in articles:
        body = "\n\n".join(article["paragraphs"])
        content = f"<html><body><article><p>{body}</p></article></body></html>".encode()
        scrape_id = "s" + article["article_id"][1:]
        raw.append({"scrape_id": scrape_id, "partition_date": day, "source": f"{day}/{article['article_id']}.html",
                    "source_kind": "file", "url": article["url"], "site": article["site"],
                    "fetched_at": article["fetched_at"], "content_type": "html",
                    "sha256": hashlib.sha256(content).hexdigest(), "bytes": len(content), "content": content})
        rows.append({"article_id": article["article_id"], "scrape_id": scrape_id, "partition_date": day,
                     "url": article["url"], "canonical_url": article["url"], "domain": article["site"],
                     "title": article["paragraphs"][0][:40], "authors": ["A. Writer"],
                     "published_at": article["published_at"], "fetched_at": article["fetched_at"], "language": "en",
                     "body": body, "word_count": len(body.split()),
                     "content_sha256": hashlib.sha256(body.encode()).hexdigest(), "status": "ok",
                     "extractor_version": "test"})
        start = 0
        for no, text in enumerate(article["paragraphs"]):
            paragraphs.append({"article_id": article["article_id"], "partition_date": day, "paragraph_no": no,
                               "kind": "body", "text": text, "char_start": start, "char_end": start + len(text)})
            sentences.append({"article_id": article["article_id"], "partition_date": day, "sentence_no": no,
                              "paragraph_no": no, "text": text, "char_start": start, "char_end": start + len(text)})
            start += len(text) + 2
    write_table(table_file(lake, "raw_scrapes", day), pa.Table.from_pylist(raw, schema=RAW_SCRAPES_SCHEMA))
    article_table = pa.Table.from_pylist(rows, schema=ARTICLES_SCHEMA)
    write_table(table_file(lake, "articles", day), article_table)
    write_table(table_file(lake, "paragraphs", day), pa.Table.from_pylist(paragraphs, schema=PARAGRAPHS_SCHEMA))
    write_table(table_file(lake, "sentences", day), pa.Table.from_pylist(sentences, schema=SENTENCES_SCHEMA))
    signatures = article_signatures(article_table.select(["article_id", "body"]))
    schema = SIGNATURE_SCHEMA.insert(1, pa.field("partition_date", pa.date32()))
    write_table(table_file(lake, "article_signatures", day),
                signatures.add_column(1, "partition_date", pa.array([day] * signatures.num_rows, pa.date32())).cast(schema))
