"""annotate() on an invented article: offsets into the body, sentence numbers, captions left out."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone

import pytest

from newskit.nlp import (
    ENTITY_SCHEMA,
    FIGURE_SCHEMA,
    ModelNotInstalledError,
    NlpInput,
    annotate,
    load_pipeline,
    paragraph_ranges,
)

PARAGRAPHS = [
    "Prime Minister Helena Marsh announced on Tuesday that the government would spend £4.5bn on "
    "flood defences, according to the Environment Agency (EA).",
    "Marsh told reporters that nearly 12,000 homes had been flooded since January. The EA said "
    "more than 300 people were evacuated.",
    # a photo caption kept in the body string but outside every sentence span
    "Helena Marsh visits a street in York with 40 soldiers.",
    "Opposition leader Tom Becker, 47, called the plan too little, too late. Becker said he would "
    "meet Marsh in Leeds.",
]
CAPTION = 2


def sentences_of(body: str, skip_paragraph: int) -> list[tuple[int, int, int]]:
    spans, pos = [], 0
    for index, paragraph in enumerate(PARAGRAPHS):
        if index != skip_paragraph:
            start = 0
            for match in re.finditer(r"(?<=\.) (?=[A-Z])", paragraph):
                spans.append((pos + start, pos + match.start()))
                start = match.end()
            spans.append((pos + start, pos + len(paragraph)))
        pos += len(paragraph) + 2
    return [(number, start, end) for number, (start, end) in enumerate(spans)]


@pytest.fixture(scope="module")
def result():
    body = "\n\n".join(PARAGRAPHS)
    article = NlpInput("a1", body, datetime(2025, 3, 6, 9, tzinfo=timezone.utc), sentences_of(body, CAPTION))
    return article, annotate(load_pipeline(), [article])


def test_schemas(result):
    _, annotated = result
    assert annotated.entities.schema == ENTITY_SCHEMA
    assert annotated.figures.schema == FIGURE_SCHEMA


def test_offsets_index_the_body(result):
    article, annotated = result
    for table in (annotated.entities, annotated.figures):
        rows = table.to_pylist()
        assert rows
        for row in rows:
            assert article.body[row["char_start"] : row["char_end"]] == row["text"]
            number, start, end = next(s for s in article.sentences if s[0] == row["sentence_no"])
            assert start <= row["char_start"] < end


def test_caption_paragraph_is_not_annotated(result):
    article, annotated = result
    caption_start = article.body.index(PARAGRAPHS[CAPTION])
    caption_end = caption_start + len(PARAGRAPHS[CAPTION])
    for table in (annotated.entities, annotated.figures):
        assert all(not caption_start <= s < caption_end for s in table.column("char_start").to_pylist())


def test_entities_are_canonical(result):
    _, annotated = result
    rows = {(r["text"], r["label"], r["canonical"]) for r in annotated.entities.to_pylist()}
    assert ("Helena Marsh", "PERSON", "Helena Marsh") in rows
    assert ("Marsh", "PERSON", "Helena Marsh") in rows
    assert ("Becker", "PERSON", "Tom Becker") in rows
    assert ("EA", "ORG", "Environment Agency") in rows
    assert not any(text.startswith("Prime Minister") for text, _, _ in rows)


def test_figures_of_the_article(result):
    _, annotated = result
    rows = {r["text"]: r for r in annotated.figures.to_pylist()}
    assert (rows["£4.5bn"]["value"], rows["£4.5bn"]["unit"], rows["£4.5bn"]["kind"]) == (4.5e9, "GBP", "money")
    homes = rows["nearly 12,000 homes"]
    assert (homes["value"], homes["counted"], homes["qualifier"], homes["kind"]) == (12000, "home", "approx", "count")
    assert (rows["on Tuesday"]["date_value"], rows["on Tuesday"]["date_grain"]) == (date(2025, 3, 4), "day")
    assert (rows["January"]["date_value"], rows["January"]["date_grain"]) == (date(2025, 1, 1), "month")
    assert (rows["47"]["kind"], rows["47"]["value"]) == ("age", 47)
    assert rows["more than 300 people"]["qualifier"] == "over"


def test_numbers_restart_per_article():
    nlp = load_pipeline()
    articles = [
        NlpInput(f"a{k}", "Seventeen miners were rescued on Friday.", None, [(0, 0, 40)]) for k in range(2)
    ]
    figures = annotate(nlp, articles).figures.to_pylist()
    assert [(f["article_id"], f["figure_no"], f["value"]) for f in figures] == [("a0", 0, 17), ("a1", 0, 17)]


def test_paragraph_ranges_join_sentences_of_one_paragraph():
    body = "One. Two.\n\nThree."
    article = NlpInput("p", body, None, [(0, 0, 4), (1, 5, 9), (2, 11, 17)])
    assert paragraph_ranges(article) == [(0, 9), (11, 17)]


def test_missing_model_names_the_package():
    with pytest.raises(ModelNotInstalledError, match="not installed.*NEWS_SPACY_MODEL"):
        load_pipeline("xx_no_such_model_pkg")


def test_pipeline_is_loaded_once():
    assert load_pipeline() is load_pipeline()


def test_untagged_place_after_at_is_found():
    body = "The new rail spur runs to the freight line at Ostby."
    entities = annotate(load_pipeline(), [NlpInput("o", body, None, [(0, 0, len(body))])]).entities.to_pylist()
    assert [(e["text"], e["label"]) for e in entities] == [("Ostby", "GPE")]


def test_names_the_model_misses_or_cuts_that_start_with_a_given_name():
    body = "Inspectors fined Wilhelmina Korr. Teodor Vasquez Hale signed the letter."
    sentences = [(0, 0, 33), (1, 34, len(body))]
    entities = annotate(load_pipeline(), [NlpInput("n", body, None, sentences)]).entities.to_pylist()
    assert [(e["text"], e["label"], e["sentence_no"]) for e in entities] == [
        ("Wilhelmina Korr", "PERSON", 0),
        ("Teodor Vasquez Hale", "PERSON", 1),
    ]


def test_a_country_by_what_it_has_and_plural_roles_are_not_names():
    body = "Sales slowed again. Veldmark’s economy shrank by 0.3 percent last year. Farmers will cut water use."
    sentences = [(0, 0, 19), (1, 20, 72), (2, 73, len(body))]
    entities = annotate(load_pipeline(), [NlpInput("s", body, None, sentences)]).entities.to_pylist()
    assert [(e["text"], e["label"]) for e in entities] == [("Veldmark", "GPE")]


def test_an_organisation_with_a_government_is_a_country():
    body = "The vote was close. Norland’s government fell on Monday."
    entities = annotate(load_pipeline(), [NlpInput("g", body, None, [(0, 0, 19), (1, 20, len(body))])]).entities.to_pylist()
    assert [(e["text"], e["label"]) for e in entities] == [("Norland", "GPE")]


def entities_of(paragraphs: list[str]) -> list[tuple[str, str, str]]:
    """(text, label, canonical) of every entity annotate finds in invented paragraphs."""
    from newskit.segment import segment

    seg = segment(paragraphs)
    sentences = [(number, start, end) for number, (_, start, end) in enumerate(seg.sentences)]
    rows = annotate(load_pipeline(), [NlpInput("e", seg.body, None, sentences)]).entities.to_pylist()
    return [(e["text"], e["label"], e["canonical"]) for e in rows]


def test_a_country_that_recalls_an_envoy_is_no_speaker_and_a_dateline_place_is_a_place():
    found = entities_of(["OSLO, March 3 (Reuters) - Norway recalled its envoy after talks in St. Petersburg collapsed."])
    assert ("OSLO", "GPE", "Oslo") in found
    assert ("Norway", "GPE", "Norway") in found
    assert ("St. Petersburg", "GPE", "St. Petersburg") in found


def test_a_person_whose_surname_is_an_organisation_word_stays_a_person():
    assert ("Margaret Court", "PERSON", "Margaret Court") in entities_of(["Margaret Court said the tournament should go ahead."])


def test_clubs_named_after_their_city():
    found = entities_of(["Leeds beat Carlisle 2-1 on Saturday, and the Lyon squad flew home."])
    assert {("Leeds", "ORG"), ("Carlisle", "ORG"), ("Lyon", "ORG")} <= {(text, label) for text, label, _ in found}


def test_a_country_with_who_stays_a_country():
    found = entities_of(["Norway, who won the group, will face Sweden in the final."])
    assert ("Norway", "GPE", "Norway") in found
