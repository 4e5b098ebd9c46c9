"""Sentence boundaries and the offset invariant body[start:end] == paragraph/sentence text."""

import pytest

from newskit.clean import clean_blocks
from newskit.extract import extract_text
from newskit.segment import PARAGRAPH_SEPARATOR, segment, sentence_spans


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Dr. Ruiz met Gov. Hale on Jan. 5 at a U.S. base. They talked for an hour.",
         ["Dr. Ruiz met Gov. Hale on Jan. 5 at a U.S. base.", "They talked for an hour."]),
        ("Officials in the U.S. Senate agreed. The vote is Tuesday.",
         ["Officials in the U.S. Senate agreed.", "The vote is Tuesday."]),
        ("It rained. Then it snowed! Was it cold? Yes.", ["It rained.", "Then it snowed!", "Was it cold?", "Yes."]),
        ("She said: “We will rebuild. We always have.” Then she left.",
         ["She said: “We will rebuild. We always have.”", "Then she left."]),
        ("“I told him, ‘Stop now.’ And he did,” she said. Nobody moved.",
         ["“I told him, ‘Stop now.’ And he did,” she said.", "Nobody moved."]),
        ('He wrote "Go home. Now." and left. Later he called.', ['He wrote "Go home. Now." and left.', "Later he called."]),
        ("Ferry pier to close after cracks found", ["Ferry pier to close after cracks found"]),
        ("Prices rose 3.5 per cent in 2024. Wages rose 2.1 per cent.", ["Prices rose 3.5 per cent in 2024.", "Wages rose 2.1 per cent."]),
        ("J. R. Hale won. He is 40.", ["J. R. Hale won.", "He is 40."]),
        ("Die Anlage kostet ca. 10 Mio. Euro. Sie öffnet im Mai.", ["Die Anlage kostet ca. 10 Mio. Euro.", "Sie öffnet im Mai."]),
    ],
)
def test_sentence_boundaries(text, expected):
    assert sentences(text) == expected


def test_unclosed_quote_running_into_next_paragraph_does_not_swallow_sentences():
    text = "“The first thing we did was call the police. The second was to call our families. Then we waited."
    assert len(sentences(text)) == 3


ARTICLES = [
    "date 2025-01-02 Your support helps us to tell the story. Your donation keeps independent journalism free. Read more "
    "The ferry pier will close. Dr. Ruiz said so on Jan. 3.\n\nopen image in gallery The pier ( Tom Baker/AFP )\n\n"
    "“It is old. It is unsafe,” she said.\n\nRead more\n\nCrews start in the U.S. spring.",
    "Headline without a stop\n\nOne paragraph.   Two  spaces  here.\n\n\n\nThird paragraph with a café and naïve text.",
]


@pytest.mark.parametrize("scrape", ARTICLES)
def test_offsets_index_the_body_exactly(scrape):
    extracted = extract_text(scrape)
    cleaned = clean_blocks(extracted.blocks, title=extracted.title)
    paragraphs = [b.text for b in cleaned.blocks if b.kind == "body"]
    seg = segment(paragraphs)
    assert seg.body == PARAGRAPH_SEPARATOR.join(paragraphs)
    assert [seg.body[a:b] for a, b in seg.paragraphs] == paragraphs
    assert seg.sentences, "every body has sentences"
    for index, start, end in seg.sentences:
        sentence = seg.body[start:end]
        assert sentence and sentence == sentence.strip()
        assert seg.paragraphs[index][0] <= start < end <= seg.paragraphs[index][1]
    covered = "".join(seg.body[a:b] for _, a, b in seg.sentences).replace(" ", "")
    assert covered == "".join(paragraphs).replace(" ", "")


def test_segment_of_no_paragraphs_is_empty():
    seg = segment([])
    assert (seg.body, seg.paragraphs, seg.sentences) == ("", [], [])
