"""Duplicate articles across the whole warehouse history: exact, near (MinHash LSH) and versions.

Every article is compared with everything before it in one canonical order (published_at, then
fetched_at, then article_id; missing dates last), so the links depend only on the set of articles,
never on the order in which days were loaded: a backfill of an earlier day re-points them.

- exact: the same normalised body (whitespace, case, curly quotes and dashes folded).
- version: same canonical URL from the same host (for scrapes without a URL: the same source),
  different text: an update or correction of the same article (unless the first article of that URL is itself a copy and the update is still
  near its original: then it is a near duplicate of that original).
- near: MinHash of word shingles, Jaccard estimate >= `near_threshold` against an earlier
  article (syndicated copies with another template, headline, edits, paragraphs added/dropped).

`duplicate_of` is always the earliest article of its group (for versions: the earliest article
with that canonical URL), and never itself an exact or near duplicate. Cost: one MinHash per
article (store it with `article_signatures` and pass it back in to skip the recomputation) plus one
LSH query per article, linear in the articles passed in. The load passes only the articles
connected to its day (`match_keys`, `near_match_keys` below; warehouse/duplicates.py), whose links
equal those of the whole history.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from warehouse.contract import arrow_schema

DUPLICATE_SCHEMA = arrow_schema("duplicates", exclude=("partition_date",))
SIGNATURE_SCHEMA = arrow_schema("article_signatures", exclude=("partition_date",))


@dataclass(frozen=True)
class DedupConfig:
    shingle_words: int = 3
    num_perm: int = 128
    seed: int = 1
    near_threshold: float = 0.45  # chosen on bench/dedup_bench.py, see docs/quality.md
    lsh_threshold: float = 0.35  # candidate recall margin below near_threshold
    min_shingles: int = 8  # bodies with fewer shingles are matched exactly only
    version_min_similarity: float = 0.1  # same canonical URL below this is not the same article


DEFAULT_DEDUP_CONFIG = DedupConfig()

_FOLD = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "‚": "'",
                       "–": "-", "—": "-", "\u00a0": " "})
_WS = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
_TRACKING_PARAM = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|cmpid|ref|ocid)$", re.IGNORECASE)


def normalise_body(body: str) -> str:
    return _WS.sub(" ", unicodedata.normalize("NFKC", body).translate(_FOLD)).strip().casefold()


def body_hash(body: str) -> str:
    return hashlib.sha256(normalise_body(body).encode("utf-8")).hexdigest()


def word_shingles(body: str, size: int) -> set[bytes]:
    words = _WORD.findall(normalise_body(body))
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


def minhash_signature(body: str, config: DedupConfig = DEFAULT_DEDUP_CONFIG) -> bytes | None:
    shingles = word_shingles(body, config.shingle_words)
    if len(shingles) < config.min_shingles:
        return None
    from datasketch import MinHash  # imported here: datasketch pulls in scipy (seconds)

    sketch = MinHash(num_perm=config.num_perm, seed=config.seed)
    sketch.update_batch(list(shingles))
    return sketch.hashvalues.astype("<u4").tobytes()


def article_signatures(articles: pa.Table, config: DedupConfig = DEFAULT_DEDUP_CONFIG,
                       known: dict[tuple[str, str], bytes | None] | None = None) -> pa.Table:
    """Body hash and MinHash per article (columns article_id, body), to store beside the articles.

    `known` maps (article_id, body_hash) to a MinHash computed before with the same `config`: those
    are copied, not computed again (a re-run of an unchanged day)."""
    known = known or {}
    ids = articles.column("article_id").to_pylist()
    hashes = [body_hash(b or "") for b in articles.column("body").to_pylist()]
    minhashes = [
        known[(i, h)] if (i, h) in known else minhash_signature(b or "", config)
        for i, h, b in zip(ids, hashes, articles.column("body").to_pylist())
    ]
    return pa.table({"article_id": ids, "body_hash": hashes, "minhash": minhashes}, schema=SIGNATURE_SCHEMA)


def canonical_url_key(url: str | None) -> str | None:
    """Scheme, `www.`, fragment, tracking parameters and a trailing slash ignored; None for a site root."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower().removeprefix("www.")
    except ValueError:  # 'http://[::1': not a URL a version can be keyed on
        return None
    path = parts.path.rstrip("/")
    if not host or not path:
        return None
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query) if not _TRACKING_PARAM.match(k)))
    return urlunsplit(("", host, path, query, ""))


def version_key(canonical_url: str | None, url: str | None, source: str | None = None) -> str | None:
    """Same canonical URL fetched from the same host. Syndication partners often point their
    canonical link at the original publisher: their copies are near duplicates, not versions.
    A scrape without a URL (a text file in the landing folder) is keyed by its source, so an edited
    file and its earlier version are versions of one article."""
    key = canonical_url_key(canonical_url or url)
    if key is None:
        return None if canonical_url or url or not source else f"source {source}"
    try:
        host = (urlsplit(url or canonical_url or "").hostname or "").lower().removeprefix("www.")
    except ValueError:
        host = ""
    return f"{host} {key}"


def _signature_columns(articles: pa.Table, config: DedupConfig) -> tuple[list[str], list[bytes | None]]:
    """Body hashes and MinHashes: stored ones where given, computed from `body` for the rest."""
    n = articles.num_rows
    names = articles.column_names
    hashes = articles.column("body_hash").to_pylist() if "body_hash" in names else [None] * n
    sketches = articles.column("minhash").to_pylist() if "minhash" in names else [None] * n
    bodies = articles.column("body").to_pylist() if "body" in names else None
    fallback = articles.column("content_sha256").to_pylist() if "content_sha256" in names else None
    for i in range(n):
        if hashes[i] is None:
            if bodies is not None and bodies[i] is not None:
                hashes[i] = body_hash(bodies[i])
                sketches[i] = minhash_signature(bodies[i], config)
            elif fallback is not None:
                hashes[i] = fallback[i]
            else:
                raise ValueError("find_duplicates needs body, body_hash/minhash or content_sha256")
    return hashes, sketches


def canonical_order(articles: pa.Table) -> list[int]:
    """Row indices sorted by published_at (missing last), fetched_at, article_id."""
    keys = [(column, "ascending", "at_end") for column in ("published_at", "fetched_at", "article_id")]
    return pc.sort_indices(articles, sort_keys=keys).to_pylist()


def find_duplicates(articles: pa.Table, config: DedupConfig = DEFAULT_DEDUP_CONFIG) -> pa.Table:
    """Link every duplicate to the earliest copy (published_at, then fetched_at, then article_id).

    `articles` holds the whole history plus the partition being loaded: article_id, published_at,
    fetched_at, optional canonical_url (else url, else source), and either body_hash + minhash (from
    `article_signatures`), or body, or content_sha256 (exact matching only).
    """
    if articles.num_rows == 0:
        return DUPLICATE_SCHEMA.empty_table()
    from datasketch import LeanMinHash, MinHashLSH

    ids = articles.column("article_id").to_pylist()
    hashes, sketches = _signature_columns(articles, config)
    def column(name: str) -> list:
        return articles.column(name).to_pylist() if name in articles.column_names else [None] * len(ids)

    version_keys = [version_key(c, u, s) for c, u, s in zip(column("canonical_url"), column("url"), column("source"))]
    values = [None if s is None else np.frombuffer(s, dtype="<u4") for s in sketches]
    matrix = np.stack([v if v is not None else np.zeros(config.num_perm, "<u4") for v in values])

    lsh = MinHashLSH(threshold=config.lsh_threshold, num_perm=config.num_perm, params=lsh_bands(config))
    first_with_hash: dict[str, int] = {}
    first_with_url: dict[str, int] = {}
    original_of: dict[int, int] = {}  # exact/near duplicate -> its (non-duplicate) original
    out: list[dict[str, object]] = []

    def similarity(a: int, b: int) -> float:
        if values[a] is None or values[b] is None:
            return 0.0
        return float(np.mean(values[a] == values[b]))

    def link(i: int, target: int, method: str, sim: float) -> None:
        out.append({"article_id": ids[i], "duplicate_of": ids[target], "method": method, "similarity": round(sim, 4)})

    rank: dict[int, int] = {}
    for position, i in enumerate(canonical_order(articles)):
        rank[i] = position
        if hashes[i] in first_with_hash:
            twin = first_with_hash[hashes[i]]
            target = original_of.get(twin, twin)
            original_of[i] = target
            if target == twin:
                link(i, target, "exact", 1.0)
            else:  # an exact copy of a near duplicate is a near duplicate of the same original
                link(i, target, "near", similarity(twin, target))
            continue
        first_with_hash[hashes[i]] = i
        url_key = version_keys[i]
        root = first_with_url.get(url_key) if url_key else None
        sketch = None if values[i] is None else LeanMinHash(seed=config.seed, hashvalues=values[i], scheme="affine32")
        copied_from = original_of.get(root) if root is not None else None
        if copied_from is not None and similarity(i, copied_from) >= config.near_threshold:
            original_of[i] = copied_from  # the update of a syndicated copy is still a copy
            link(i, copied_from, "near", similarity(i, copied_from))
        elif root is not None and (sketch is None or similarity(i, root) >= config.version_min_similarity):
            link(i, root, "version", similarity(i, root))
        elif sketch is not None:
            candidates = np.fromiter(lsh.query(sketch), dtype=np.int64)
            scores = (matrix[candidates] == matrix[i]).mean(axis=1)  # Jaccard estimates, one pass
            matches = candidates[scores >= config.near_threshold].tolist()
            if matches:
                target = min({original_of.get(j, j) for j in matches}, key=rank.__getitem__)
                original_of[i] = target
                link(i, target, "near", similarity(i, target))
        if sketch is not None:
            lsh.insert(i, sketch, check_duplication=False)
        if url_key and url_key not in first_with_url:
            first_with_url[url_key] = i
    return pa.Table.from_pylist(out, schema=DUPLICATE_SCHEMA)


_MIX = np.uint64(0x9E3779B97F4A7C15)


def _key64(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little", signed=True)


@functools.cache
def lsh_bands(config: DedupConfig = DEFAULT_DEDUP_CONFIG) -> tuple[int, int]:
    """(bands, rows per band) of the MinHashLSH that `find_duplicates` builds for `config`."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=config.lsh_threshold, num_perm=config.num_perm)
    return lsh.b, lsh.r


# The links of an article depend only on the articles it shares a body hash or a version key with,
# and on those it near-matches (an LSH candidate whose Jaccard estimate reaches near_threshold),
# and, through them, on their own: so the links of a set of articles closed under these relations
# equal those of the whole history restricted to it. The keys below name the relations; a 64-bit
# key may collide, which only adds articles to such a set.


def match_keys(articles: pa.Table) -> pa.Table:
    """Body-hash and version keys per article (columns article_id, key).
    `articles`: article_id, body_hash, canonical_url, url, source."""
    out_ids: list[str] = []
    out_keys: list[int] = []
    columns = (articles.column(name).to_pylist() for name in ("article_id", "body_hash", "canonical_url", "url", "source"))
    for article_id, hashed, canonical, url, source in zip(*columns):
        out_ids.append(article_id)
        out_keys.append(_key64(f"hash {hashed}"))
        if (version := version_key(canonical, url, source)) is not None:
            out_ids.append(article_id)
            out_keys.append(_key64(f"version {version}"))
    return pa.table({"article_id": pa.array(out_ids, pa.string()), "key": pa.array(out_keys, pa.int64())})


def band_keys(articles: pa.Table, config: DedupConfig = DEFAULT_DEDUP_CONFIG) -> pa.Table:
    """One key per MinHash LSH band of each signed article (columns article_id, band): two articles
    are LSH candidates in `find_duplicates` only if they share one. `articles`: article_id, minhash."""
    ids = articles.column("article_id").to_pylist()
    sketches = articles.column("minhash").to_pylist()
    signed = [i for i, sketch in enumerate(sketches) if sketch is not None]
    if not signed:
        return pa.table({"article_id": pa.array([], pa.string()), "band": pa.array([], pa.int64())})
    bands, rows = lsh_bands(config)
    values = np.stack([np.frombuffer(sketches[i], dtype="<u4") for i in signed]).astype(np.uint64)
    values = values[:, : bands * rows].reshape(len(signed), bands, rows)
    with np.errstate(over="ignore"):  # wrapping uint64 arithmetic is the point
        mixed = np.broadcast_to(np.arange(1, bands + 1, dtype=np.uint64) * _MIX, values.shape[:2]).copy()
        for column in range(rows):
            mixed = (mixed ^ values[:, :, column]) * _MIX
            mixed ^= mixed >> np.uint64(29)
    return pa.table({
        "article_id": pa.array(np.repeat(np.array([ids[i] for i in signed], dtype=object), bands), pa.string()),
        "band": pa.array(mixed.view(np.int64).reshape(-1), pa.int64()),
    })


def near_match_keys(pairs: pa.Table, sketches: dict[str, bytes], config: DedupConfig = DEFAULT_DEDUP_CONFIG) -> pa.Table:
    """For candidate pairs (columns one, other), the pairs whose Jaccard estimate reaches
    near_threshold, as `find_duplicates` computes it, each with one key for the pair (columns
    one, other, key)."""
    left, right = pairs.column("one").to_pylist(), pairs.column("other").to_pylist()
    keep_left, keep_right, keys = [], [], []
    if left:
        a = np.stack([np.frombuffer(sketches[x], dtype="<u4") for x in left])
        b = np.stack([np.frombuffer(sketches[x], dtype="<u4") for x in right])
        scores = (a == b).mean(axis=1)
        for i in np.flatnonzero(scores >= config.near_threshold).tolist():
            first, second = sorted((left[i], right[i]))
            keep_left.append(left[i])
            keep_right.append(right[i])
            keys.append(_key64(f"near {first} {second}"))
    return pa.table({"one": pa.array(keep_left, pa.string()), "other": pa.array(keep_right, pa.string()),
                     "key": pa.array(keys, pa.int64())})
