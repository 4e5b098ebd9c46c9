"""Duplicate articles across the whole warehouse history."""

from __future__ import annotations

import pyarrow as pa

DUPLICATE_SCHEMA = pa.schema(
    [
        ("article_id", pa.string()),
        ("duplicate_of", pa.string()),
        ("method", pa.string()),
        ("similarity", pa.float64()),
    ]
)


def find_duplicates(articles: pa.Table) -> pa.Table:
    """Link every duplicate to the earliest copy (published_at, then fetched_at, then article_id).

    `articles` holds the whole history plus the partition being loaded, with columns article_id,
    content_sha256, published_at, fetched_at. The result does not depend on load order.
    """
    rows = sorted(
        articles.select(["article_id", "content_sha256", "published_at", "fetched_at"]).to_pylist(),
        key=lambda r: (r["published_at"] is None, r["published_at"] or r["fetched_at"], r["fetched_at"], r["article_id"]),
    )
    first: dict[str, str] = {}
    out = []
    for row in rows:
        original = first.setdefault(row["content_sha256"], row["article_id"])
        if original != row["article_id"]:
            out.append({"article_id": row["article_id"], "duplicate_of": original, "method": "exact", "similarity": 1.0})
    return pa.Table.from_pylist(out, schema=DUPLICATE_SCHEMA)
