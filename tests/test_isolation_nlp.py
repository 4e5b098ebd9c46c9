"""Long paragraphs reach spaCy in chunks: cut at sentences (or whitespace), offsets exact."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from newskit.isolation import RecordGuard
from newskit.nlp import MAX_CHUNK_CHARS, NlpInput, annotate, annotate_isolated, load_pipeline, paragraph_ranges
from newskit.segment import segment

SENTENCE = "Mayor Lena Okafor opened the new bridge in Harwick on Monday, and 2,300 people crossed it. "


def _article(body_paragraphs: list[str], article_id: str = "a1") -> NlpInput:
    seg = segment(body_paragraphs)
    return NlpInput(article_id, seg.body, datetime(2026, 2, 3, tzinfo=timezone.utc),
                    [(n, start, end) for n, (_, start, end) in enumerate(seg.sentences)])


def test_a_paragraph_over_the_chunk_is_cut_at_sentence_boundaries():
    article = _article([SENTENCE * 3000])  # ~270,000 characters, one paragraph
    ranges = paragraph_ranges(article)
    assert len(ranges) > 1 and all(end - start <= MAX_CHUNK_CHARS for start, end in ranges)
    sentence_ends = {end for _, _, end in article.sentences}
    sentence_starts = {start for _, start, _ in article.sentences}
    assert all(end in sentence_ends for _, end in ranges) and all(start in sentence_starts for start, _ in ranges)
    assert ranges[0][0] == 0 and ranges[-1][1] == len(article.body.rstrip())


def test_a_sentence_over_the_chunk_is_cut_at_whitespace_then_anywhere():
    words = "word " * 30_000 + "x" * 120_000  # no sentence end; the last 120k chars have no space
    article = NlpInput("a2", words, None, [(0, 0, len(words))])
    ranges = paragraph_ranges(article, max_chars=20_000)
    assert all(0 < end - start <= 20_000 for start, end in ranges)
    assert [start for start, _ in ranges[1:]] == [end for _, end in ranges[:-1]]  # contiguous, nothing lost
    assert ranges[-1][1] == len(words)
    assert all(words[end] == " " for _, end in ranges[:5])  # cut before a space while there is one


def test_real_model_annotates_a_paragraph_longer_than_its_max_length_with_exact_offsets():
    nlp = load_pipeline()
    long_paragraph = SENTENCE * 300  # ~27,000 characters
    article = _article(["Short opening paragraph about Harwick.", long_paragraph])
    saved = nlp.max_length
    nlp.max_length = 10_000  # below the paragraph's length (as 1,000,000 is for a live blog): refused whole
    try:
        with pytest.raises(ValueError):
            nlp(long_paragraph)
        result = annotate(nlp, [article])
    finally:
        nlp.max_length = saved
    entities = result.entities.to_pylist()
    body = article.body
    assert all(body[e["char_start"]:e["char_end"]] == e["text"] for e in entities)
    late = [e for e in entities if e["char_start"] > 24_000]  # found in the last chunk too
    assert any(e["text"] == "Harwick" for e in late)
    figures = result.figures.to_pylist()
    assert all(body[f["char_start"]:f["char_end"]] == f["text"] for f in figures)
    assert sum(f["value"] == 2300 for f in figures) >= 290


def test_one_failing_article_of_a_batch_is_the_only_one_lost():
    nlp = load_pipeline()
    good = _article(["Mayor Lena Okafor opened the bridge in Harwick."], "good")
    # no body text although it has sentences: annotating it raises, as a bug in an earlier stage would
    broken = NlpInput("broken", None, None, [(0, 0, 10)])  # type: ignore[arg-type]
    guard = RecordGuard("nlp")
    results, failures = annotate_isolated(nlp, [good, broken], guard)
    assert [article_id for article_id, _ in failures] == ["broken"]
    assert failures[0][1].startswith("nlp: ")
    assert {row["article_id"] for r in results for row in r.entities.to_pylist()} == {"good"}
    assert guard.count == 1


def test_an_article_whose_quotations_fail_is_the_only_one_lost(monkeypatch):
    """The nlp asset's call: `annotate_extras` through the same guard; a bug in the quotation rules
    on one article costs that article, not its batch, and the others keep their quotes and places."""
    import newskit.quotes
    from newskit.entity_keys import annotate_extras

    real = newskit.quotes.find_quotes

    def fails_on_one(body, *args):
        if "Ferrow" in body:
            raise IndexError("a bug in the quotation rules")
        return real(body, *args)

    monkeypatch.setattr(newskit.quotes, "find_quotes", fails_on_one)
    good = _article(["“The bridge opens on Monday,” Mayor Lena Okafor said in Munich."], "good")
    broken = _article(["“The ferry is late again,” Tom Ferrow said in Harwick."], "broken")
    guard = RecordGuard("nlp")
    results, failures = annotate_isolated(load_pipeline(), [good, broken], guard, annotate_extras)
    assert [(article_id, detail) for article_id, detail in failures] == [("broken", "nlp: IndexError: a bug in the quotation rules")]
    quotes = [q for r in results for q in r.quotes.to_pylist()]
    assert [(q["article_id"], q["text"], q["speaker_canonical"]) for q in quotes] == [("good", "The bridge opens on Monday", "Lena Okafor")]
    assert [(p["article_id"], p["entity_key"]) for r in results for p in r.places.to_pylist()] == [("good", "geo:2867714")]
    assert {e["entity_key"] for r in results for e in r.entities.to_pylist()} >= {"PERSON:lena okafor", "geo:2867714"}


def test_relative_dates_at_the_edges_of_the_calendar_do_not_fail_the_article():
    nlp = load_pipeline()
    text = "The council will meet tomorrow and again next year, after it met yesterday and last year."
    for published in (datetime(9999, 12, 31, 23, 59, tzinfo=timezone.utc), datetime(1, 1, 1, tzinfo=timezone.utc)):
        article = _article([text])
        article.published_at = published
        figures = annotate(nlp, [article]).figures.to_pylist()
        assert any(f["kind"] == "date" for f in figures)  # found, just not resolved past the calendar
