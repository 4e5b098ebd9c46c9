"""Quotations with their speakers: each quote form on invented sentences through the real model
(the sample's hand-annotated quotations, through the real pipeline: tests/test_sample.py)."""

from __future__ import annotations

import pytest

from newskit.entities import cue_mentions, ent_mention, resolve_mentions
from newskit.nlp import ENTITY_LABELS, NlpInput, load_pipeline, paragraph_ranges
from newskit.quotes import Quote, find_quotes, paragraph_spans, quote_pieces
from newskit.segment import segment


def quotes_of(*paragraphs: str) -> tuple[str, list[Quote]]:
    seg = segment(list(paragraphs))
    sentences = [(n, s, e) for n, (_, s, e) in enumerate(seg.sentences)]
    article = NlpInput("t", seg.body, None, sentences)
    nlp = load_pipeline()
    docs, mentions = [], []
    for start, end in paragraph_ranges(article):
        doc = nlp(seg.body[start:end])
        docs.append((doc, start))
        mentions += [ent_mention(e, start) for e in doc.ents if e.label_ in ENTITY_LABELS] + cue_mentions(doc, start)
    resolved = resolve_mentions(mentions, seg.body, [(s, e) for _, s, e in sentences])
    return seg.body, find_quotes(seg.body, sentences, docs, resolved)


def fields(q: Quote) -> tuple:
    return q.text, q.speaker, q.speaker_canonical, q.cue, q.kind


def test_direct_quote_after_its_attribution_with_the_full_name():
    body, quotes = quotes_of("Councillor Ines Harrow said on Tuesday: “The library will stay open.”")
    assert [fields(q) for q in quotes] == [("The library will stay open.", "Councillor Ines Harrow", "Ines Harrow", "said", "direct")]
    assert body[quotes[0].char_start : quotes[0].char_end] == quotes[0].text


def test_interrupted_quote_is_one_quotation_and_she_is_the_person_before():
    body, quotes = quotes_of("Ines Harrow chairs the committee.", "“We will,” she said, “keep going.”")
    (q,) = quotes
    assert fields(q) == ("We will keep going.", "she", "Ines Harrow", "said", "direct")
    assert body[q.char_start : q.char_end] == "We will,” she said, “keep going."
    assert q.sentence_no == 1


def test_quote_running_over_paragraphs_is_one_quotation():
    _, quotes = quotes_of(
        "Tomas Velde, the harbour master, spoke for an hour.",
        "“The first thing we learned is that the tide does not wait for anyone.",
        "“The second is that it never will,” Velde said.",
    )
    (q,) = quotes
    assert q.text == "The first thing we learned is that the tide does not wait for anyone.\n\nThe second is that it never will"
    assert (q.speaker, q.speaker_canonical, q.kind) == ("Velde", "Tomas Velde", "direct")


def test_unattributed_quote_opening_the_next_paragraph_continues_the_speaker():
    _, quotes = quotes_of("“We are ready,” said Tomas Velde.", "“Nobody will be left behind on the night of the storm.”")
    assert [(q.speaker_canonical, q.cue) for q in quotes] == [("Tomas Velde", "said"), ("Tomas Velde", None)]


def test_role_resolves_to_the_person_introduced_with_it():
    _, quotes = quotes_of(
        "Anika Solberg, the company’s finance director, said costs had doubled.",
        "“We cannot absorb that,” the finance director said.",
    )
    assert [(q.kind, q.speaker, q.speaker_canonical) for q in quotes] == [
        ("reported", "Anika Solberg", "Anika Solberg"),
        ("direct", "the finance director", "Anika Solberg"),
    ]


def test_organisation_noun_resolves_to_the_organisation_of_that_kind():
    _, quotes = quotes_of("The Ostvik Harbour Council met on Monday.", "The council said the pier would be rebuilt by June.")
    assert [fields(q) for q in quotes] == [("the pier would be rebuilt by June", "The council", "Ostvik Harbour Council", "said", "reported")]


def test_reported_speech_after_the_clause_and_according_to():
    _, quotes = quotes_of(
        "Ferries will stop running on Friday, the Lenn Ferry Company said.",
        "According to the company, about 900 passengers use the crossing every day.",
    )
    assert [fields(q) for q in quotes] == [
        ("Ferries will stop running on Friday", "the Lenn Ferry Company", "Lenn Ferry Company", "said", "reported"),
        ("about 900 passengers use the crossing every day", "the company", "Lenn Ferry Company", "According to", "reported"),
    ]


@pytest.mark.parametrize("opening, closing", [("«", "»"), ("„", "“"), ('"', '"'), ("‘", "’")])
def test_every_kind_of_quotation_mark(opening: str, closing: str):
    _, quotes = quotes_of(f"{opening}The vote was fair,{closing} said Mirela Dunca.")
    assert [fields(q) for q in quotes] == [("The vote was fair", "Mirela Dunca", "Mirela Dunca", "said", "direct")]


def test_apostrophes_and_plural_possessives_are_not_quotation_marks():
    body = "The workers’ union said it didn’t agree. ‘It isn’t over,’ said O’Neill."
    pieces = quote_pieces(body, paragraph_spans(body))
    assert [body[p.start : p.end] for p in pieces] == ["It isn’t over"]


def test_short_scare_quotes_without_a_speaker_are_not_quotations():
    _, quotes = quotes_of("The so-called “green corridor” reopened on Monday after repairs.")
    assert quotes == []



def test_pronoun_takes_the_nearest_person_of_its_gender():
    _, quotes = quotes_of(
        "Maria Lindqvist met Thomas Berger at the port.",
        "“The ships will sail again,” she said.",
        "“Not before May,” he said.",
    )
    assert [(q.speaker, q.speaker_canonical) for q in quotes] == [("she", "Maria Lindqvist"), ("he", "Thomas Berger")]
