"""Entity trimming, label repair and canonical names, on hand-made mentions."""

from __future__ import annotations

from newskit.entities import Mention, resolve_mentions, trim


def mention(body: str, text: str, label: str, occurrence: int = 0) -> Mention:
    start = -1
    for _ in range(occurrence + 1):
        start = body.index(text, start + 1)
    return Mention(start, start + len(text), text, label)


def by_text(resolved: list[Mention]) -> list[tuple[str, str, str]]:
    return [(m.text, m.label, m.canonical) for m in resolved]


def test_trim_strips_the_titles_and_possessives():
    body = "President Donald Trump met the International Criminal Court and First Lady Melania Trump. Putin’s letter"
    cases = {
        "President Donald Trump": ("Donald Trump", "PERSON"),
        "the International Criminal Court": ("International Criminal Court", "ORG"),
        "First Lady Melania Trump": ("Melania Trump", "PERSON"),
        "Putin’s": ("Putin", "PERSON"),
    }
    for text, (expected, label) in cases.items():
        trimmed = trim(mention(body, text, label))
        assert (trimmed.text, trimmed.label) == (expected, label)
        assert body[trimmed.start : trimmed.end] == expected


def test_title_before_a_name_tagged_org_makes_a_person():
    body = "Senator Joan Alder spoke."
    trimmed = trim(mention(body, "Senator Joan Alder", "ORG"))
    assert (trimmed.text, trimmed.label) == ("Joan Alder", "PERSON")


def test_surnames_and_given_names_resolve_to_the_earliest_full_name():
    body = "Donald Trump and Melania Trump met Vladimir Putin. Trump spoke to Putin. Melania wrote."
    mentions = [
        mention(body, "Donald Trump", "PERSON"),
        mention(body, "Melania Trump", "PERSON"),
        mention(body, "Vladimir Putin", "PERSON"),
        mention(body, "Trump", "ORG", occurrence=2),  # the model's label error
        mention(body, "Putin", "GPE", occurrence=1),
        mention(body, "Melania", "PERSON", occurrence=1),
    ]
    assert by_text(resolve_mentions(mentions, body)) == [
        ("Donald Trump", "PERSON", "Donald Trump"),
        ("Melania Trump", "PERSON", "Melania Trump"),
        ("Vladimir Putin", "PERSON", "Vladimir Putin"),
        ("Trump", "PERSON", "Donald Trump"),
        ("Putin", "PERSON", "Vladimir Putin"),
        ("Melania", "PERSON", "Melania Trump"),
    ]


def test_given_name_repairs_org_but_not_a_place():
    body = "Jordan Peel visited Jordan. Peel and Jordan spoke to Amman."
    mentions = [
        mention(body, "Jordan Peel", "PERSON"),
        mention(body, "Jordan", "GPE", occurrence=1),
        mention(body, "Peel", "GPE", occurrence=1),
        mention(body, "Jordan", "ORG", occurrence=2),
        mention(body, "Amman", "GPE"),
    ]
    assert by_text(resolve_mentions(mentions, body)) == [
        ("Jordan Peel", "PERSON", "Jordan Peel"),
        ("Jordan", "GPE", "Jordan"),
        ("Peel", "PERSON", "Jordan Peel"),
        ("Jordan", "PERSON", "Jordan Peel"),
        ("Amman", "GPE", "Amman"),
    ]


def test_untagged_surname_of_a_known_person_is_added():
    body = "Vladimir Putin arrived late. Putin met the press."
    ranges = [(0, 28), (29, len(body))]
    resolved = resolve_mentions([mention(body, "Vladimir Putin", "PERSON")], body, ranges)
    assert by_text(resolved) == [
        ("Vladimir Putin", "PERSON", "Vladimir Putin"),
        ("Putin", "PERSON", "Vladimir Putin"),
    ]
    assert body[resolved[1].start : resolved[1].end] == "Putin"


def test_acronym_resolves_to_the_spelled_out_name():
    body = "The International Criminal Court issued a warrant. The ICC said so."
    mentions = [mention(body, "The International Criminal Court", "ORG"), mention(body, "The ICC", "ORG")]
    assert by_text(resolve_mentions(mentions, body)) == [
        ("International Criminal Court", "ORG", "International Criminal Court"),
        ("ICC", "ORG", "International Criminal Court"),
    ]


def test_acronym_spelled_out_in_brackets_only():
    body = "In March the World Food Programme (WFP) warned of famine. WFP staff left."
    resolved = resolve_mentions([mention(body, "WFP", "ORG", occurrence=1)], body)
    assert by_text(resolved) == [("WFP", "ORG", "World Food Programme")]


def test_unexplained_acronym_and_aliases():
    body = "The NRA and the U.S. and Britain."
    resolved = resolve_mentions(
        [mention(body, "NRA", "ORG"), mention(body, "U.S.", "GPE"), mention(body, "Britain", "GPE")], body
    )
    assert by_text(resolved) == [
        ("NRA", "ORG", "NRA"),
        ("U.S.", "GPE", "United States"),
        ("Britain", "GPE", "United Kingdom"),
    ]
