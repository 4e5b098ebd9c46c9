"""The 2026-03-16 sample day run through the real assets once per test process, with quotations
and places computed from the same parse (`newskit.entity_keys.annotate_extras`); shared by
tests/test_quotes.py and tests/test_places.py."""

from __future__ import annotations

import json
import tempfile
from functools import lru_cache
from pathlib import Path

from newskit.entity_keys import Extras, annotate_extras
from newskit.nlp import NlpInput, load_pipeline
from pipelines.settings import NewsSettings
from tests.pipeline_helpers import query, run_day

SAMPLE = Path(__file__).resolve().parents[1] / "sample"
DAY = "2026-03-16"
ANNOTATIONS: dict[str, dict] = {
    path: ann for path, ann in json.loads((SAMPLE / "annotations.json").read_text(encoding="utf-8")).items()
    if "quotes" in ann or "places" in ann
}


@lru_cache(maxsize=1)
def sample_extras() -> tuple[dict[str, str], dict[str, str], Extras]:
    """(sample path -> article_id, article_id -> body, extras) of the annotated articles."""
    tmp = Path(tempfile.mkdtemp(prefix="beyond-sample-"))
    settings = NewsSettings(scrapes_dir=str(SAMPLE / "scrapes"), warehouse_path=str(tmp / "warehouse.duckdb"))
    assert run_day(settings, DAY).success
    rows = query(settings.warehouse, """
        SELECT r.source, a.article_id, a.body, a.published_at, a.domain
        FROM news.raw_scrapes r JOIN news.articles a USING (scrape_id) ORDER BY 1""")
    articles, domains, ids, bodies = [], [], {}, {}
    for source, article_id, body, published, domain in rows:
        sentences = query(settings.warehouse, "SELECT sentence_no, char_start, char_end FROM news.sentences WHERE article_id = ? ORDER BY 1", [article_id])
        articles.append(NlpInput(article_id, body, published, sentences))
        domains.append(domain)
        ids[source], bodies[article_id] = article_id, body
    _, extras = annotate_extras(load_pipeline(), articles, domains)
    return ids, bodies, extras
