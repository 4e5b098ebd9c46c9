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


def resolve_all(body: str, tagged: list[tuple[str, str, int]]) -> list[tuple[str, str, str]]:
    mentions = [mention(body, text, label, occurrence) for text, label, occurrence in tagged]
    return by_text(resolve_mentions(mentions, body, [(0, len(body))]))


def test_organisation_and_place_words_fix_labels():
    body = "Staff at Coastline Rail met on Harbour Parade near the River Tamsin. Café Lumo closed."
    assert resolve_all(body, [
        ("Coastline Rail", "PERSON", 0), ("Harbour Parade", "FAC", 0), ("Café Lumo", "PERSON", 0),
    ]) == [
        ("Coastline Rail", "ORG", "Coastline Rail"),
        ("Harbour Parade", "LOC", "Harbour Parade"),
        ("River Tamsin", "LOC", "River Tamsin"),  # untagged, found from its words
        ("Café Lumo", "ORG", "Café Lumo"),
    ]


def test_untagged_organisation_replaces_the_pieces_inside_it():
    body = "The Lenn Valley County Council said the Maritime and Transport Workers Union agreed."
    resolved = resolve_all(body, [("Lenn Valley", "GPE", 0)])
    assert resolved == [
        ("Lenn Valley County Council", "ORG", "Lenn Valley County Council"),
        ("Maritime and Transport Workers Union", "ORG", "Maritime and Transport Workers Union"),
    ]


def test_name_run_stops_at_a_person_of_a_place():
    body = "Mayor Donovan Pike of Tallow Creek said the town would rebuild."
    resolved = resolve_all(body, [("Mayor Donovan Pike", "PERSON", 0)])
    assert ("Donovan Pike", "PERSON", "Donovan Pike") in resolved
    assert ("Tallow Creek", "GPE", "Tallow Creek") in resolved


def test_role_words_are_titles_and_cues():
    body = "Councillor Lydia Fenn spoke. Later, fishing co-operative chair Per Axelsson and retired nurse Bea Holt agreed."
    assert resolve_all(body, [
        ("Councillor Lydia Fenn", "ORG", 0), ("Axelsson", "PERSON", 0), ("Bea Holt", "ORG", 0),
    ]) == [
        ("Lydia Fenn", "PERSON", "Lydia Fenn"),
        ("Per Axelsson", "PERSON", "Per Axelsson"),
        ("Bea Holt", "PERSON", "Bea Holt"),
    ]


def test_full_name_tagged_org_whose_surname_is_a_person():
    body = "Prosecutor's office: Imogen Vale said so. Vale added more."
    assert resolve_all(body, [("Imogen Vale", "ORG", 0), ("Vale", "PERSON", 1)]) == [
        ("Imogen Vale", "PERSON", "Imogen Vale"),
        ("Vale", "PERSON", "Imogen Vale"),
    ]


def test_context_turns_misread_people_into_places():
    body = "The crew fixed the bridge over the Marren estuary for the Kestwick café, near Ostley and between Kalvik and Dunmore."
    assert resolve_all(body, [
        ("Marren", "PERSON", 0), ("Kestwick", "PERSON", 0), ("Kalvik", "ORG", 0), ("Dunmore", "ORG", 0),
    ]) == [
        ("Marren", "LOC", "Marren"),
        ("Kestwick", "GPE", "Kestwick"),
        ("Kalvik", "GPE", "Kalvik"),
        ("Dunmore", "GPE", "Dunmore"),
    ]


def test_who_makes_a_person_and_where_a_place():
    body = "Gomery, who led the inquiry, moved to Glasgow, where he studied."
    assert resolve_all(body, [("Gomery", "ORG", 0), ("Glasgow", "PERSON", 0)]) == [
        ("Gomery", "PERSON", "Gomery"),
        ("Glasgow", "GPE", "Glasgow"),
    ]


def test_company_short_name_takes_its_legal_suffix():
    body = "Lenn Ferries Ltd cut routes. Lenn Ferries said fuel costs rose."
    assert resolve_all(body, [("Lenn Ferries Ltd", "ORG", 0), ("Lenn Ferries", "ORG", 1)]) == [
        ("Lenn Ferries Ltd", "ORG", "Lenn Ferries Ltd"),
        ("Lenn Ferries", "ORG", "Lenn Ferries Ltd"),
    ]


def test_edges_and_lowercase_mentions():
    body = "Police in east Delhi said the emoji trend reached Ontario city."
    assert resolve_all(body, [("east Delhi", "GPE", 0), ("emoji", "PERSON", 0), ("Ontario city", "GPE", 0)]) == [
        ("Delhi", "GPE", "Delhi"),
        ("Ontario", "GPE", "Ontario"),
    ]


def test_one_word_place_keeps_its_label_across_the_article():
    body = "Talks were held in Belford. Belford councillor Ayesha Rahman spoke."
    assert resolve_all(body, [("Belford", "GPE", 0), ("Belford", "ORG", 1), ("Ayesha Rahman", "PERSON", 0)]) == [
        ("Belford", "GPE", "Belford"),
        ("Belford", "GPE", "Belford"),
        ("Ayesha Rahman", "PERSON", "Ayesha Rahman"),
    ]


def test_one_word_speaker_is_a_person_but_an_acronym_is_not():
    body = "The fees rose, Marwick explains. The cost fell, NHSX said."
    mentions = [
        Mention(body.index("Marwick"), body.index("Marwick") + 5, "Marwick", "GPE", role="speaker"),
        Mention(body.index("NHSX"), body.index("NHSX") + 4, "NHSX", "ORG", role="speaker"),
    ]
    assert by_text(resolve_mentions(mentions, body)) == [("Marwick", "PERSON", "Marwick"), ("NHSX", "ORG", "NHSX")]


def test_name_after_a_possessive_determiner_modifying_a_noun_is_a_place():
    body = "A girl was hurt at her Eldham high school."
    assert resolve_all(body, [("Eldham", "PERSON", 0)]) == [("Eldham", "GPE", "Eldham")]


def test_generic_nouns_events_and_occupations():
    body = "The Government backed the Lenn Valley Cup, said the writer Tomas Eberle."
    assert resolve_all(body, [("Government", "ORG", 0), ("Lenn Valley Cup", "GPE", 0), ("Tomas Eberle", "ORG", 0)]) == [
        ("Lenn Valley Cup", "EVENT", "Lenn Valley Cup"),
        ("Tomas Eberle", "PERSON", "Tomas Eberle"),
    ]


def test_subject_of_a_clause_about_him_or_her_is_a_person():
    body = "Nadia Ferrant went home after her shift. Lenn Valley Council met after its vote."
    mentions = [
        Mention(0, 13, "Nadia Ferrant", "ORG", role="person_subject"),
        Mention(body.index("Lenn"), body.index("Lenn") + 19, "Lenn Valley Council", "ORG", role="person_subject"),
    ]
    assert [(m.text, m.label) for m in resolve_mentions(mentions, body)] == [
        ("Nadia Ferrant", "PERSON"),
        ("Lenn Valley Council", "ORG"),
    ]


def test_well_known_place_tagged_person_or_organisation_is_a_place():
    body = "The tour went on to Adelaide. Offices in Rotterdam closed. Denise Houston said so. Houston added more."
    assert resolve_all(body, [
        ("Adelaide", "PERSON", 0), ("Rotterdam", "ORG", 0), ("Denise Houston", "PERSON", 0), ("Houston", "GPE", 1),
    ]) == [
        ("Adelaide", "GPE", "Adelaide"),
        ("Rotterdam", "GPE", "Rotterdam"),
        ("Denise Houston", "PERSON", "Denise Houston"),
        ("Houston", "PERSON", "Denise Houston"),
    ]


def test_a_place_that_speaks_stays_what_the_model_said():
    body = "Rotterdam says the port will grow."
    mentions = [Mention(0, 9, "Rotterdam", "PERSON", role="speaker")]
    assert by_text(resolve_mentions(mentions, body)) == [("Rotterdam", "PERSON", "Rotterdam")]


def test_name_starting_with_a_given_name_is_a_person():
    body = "Amara Okonkwo-Bell beat Yusuf Ardent. Callum Reyes II lost. Lenn Valley Voices met. Sofia Harbour Trust met in Monte Verde."
    assert resolve_all(body, [
        ("Amara Okonkwo-Bell", "ORG", 0), ("Yusuf Ardent", "ORG", 0), ("Callum Reyes II", "LAW", 0),
        ("Lenn Valley Voices", "ORG", 0), ("Sofia Harbour Trust", "ORG", 0), ("Monte Verde", "ORG", 0),
    ]) == [
        ("Amara Okonkwo-Bell", "PERSON", "Amara Okonkwo-Bell"),
        ("Yusuf Ardent", "PERSON", "Yusuf Ardent"),
        ("Callum Reyes II", "PERSON", "Callum Reyes II"),
        ("Lenn Valley Voices", "ORG", "Lenn Valley Voices"),
        ("Sofia Harbour Trust", "ORG", "Sofia Harbour Trust"),
        ("Monte Verde", "ORG", "Monte Verde"),
    ]


def test_two_places_joined_by_and_are_split_but_a_country_is_not():
    body = "The ferry between Millbrook and Harrowby Point runs to Trinidad and Tobago."
    assert resolve_all(body, [("Millbrook and Harrowby Point", "GPE", 0), ("Trinidad and Tobago", "GPE", 0)]) == [
        ("Millbrook", "GPE", "Millbrook"),
        ("Harrowby Point", "GPE", "Harrowby Point"),
        ("Trinidad and Tobago", "GPE", "Trinidad and Tobago"),
    ]


def test_lone_given_name_is_a_person_unless_a_place_word_precedes_it():
    body = "Critics loved Odile. The barge sank in the Jordan near Sydney. He was Minister for Justice."
    assert resolve_all(body, [("Odile", "ORG", 0), ("Jordan", "LOC", 0), ("Sydney", "ORG", 0), ("Justice", "ORG", 0)]) == [
        ("Odile", "PERSON", "Odile"),
        ("Jordan", "LOC", "Jordan"),
        ("Sydney", "GPE", "Sydney"),
        ("Justice", "ORG", "Justice"),
    ]


def test_town_like_name_where_a_place_stands_is_a_place():
    body = "Volumes at Dunmere grew. A Copperby rowing club lost cash. Ashworth said so. Nora Hale lives on Tarrant Row."
    mentions = [
        mention(body, "Dunmere", "ORG"), mention(body, "Copperby", "NORP"),
        Mention(body.index("Ashworth"), body.index("Ashworth") + 8, "Ashworth", "ORG", role="speaker"),
        mention(body, "Nora Hale", "PERSON"), mention(body, "Tarrant Row", "PERSON"),
    ]
    assert by_text(resolve_mentions(mentions, body, [(0, len(body))])) == [
        ("Dunmere", "GPE", "Dunmere"),
        ("Copperby", "GPE", "Copperby"),
        ("Ashworth", "PERSON", "Ashworth"),
        ("Nora Hale", "PERSON", "Nora Hale"),
        ("Tarrant Row", "LOC", "Tarrant Row"),
    ]


def test_a_longer_product_or_law_that_speaks_is_an_organisation():
    body = "Water use must fall, the Tamsin Water District said. Dana and Sol said so."
    district = body.index("Tamsin")
    pair = body.index("Dana")
    mentions = [
        Mention(district, district + 21, "Tamsin Water District", "LAW", role="speaker"),
        Mention(pair, pair + 12, "Dana and Sol", "PRODUCT", role="speaker"),
    ]
    assert by_text(resolve_mentions(mentions, body)) == [
        ("Tamsin Water District", "ORG", "Tamsin Water District"),
        ("Dana and Sol", "PRODUCT", "Dana and Sol"),
    ]


def test_place_after_the_port_of_spreads_to_its_untagged_mentions():
    body = "Volumes at the port of Kelso rose. Kelso mayor Tom Ilves said so. Lenn-based Brackline Shipping agreed."
    assert resolve_all(body, [
        ("Kelso", "ORG", 0), ("Tom Ilves", "PERSON", 0), ("Brackline Shipping", "GPE", 0),
    ]) == [
        ("Kelso", "GPE", "Kelso"),
        ("Kelso", "GPE", "Kelso"),
        ("Tom Ilves", "PERSON", "Tom Ilves"),
        ("Brackline Shipping", "ORG", "Brackline Shipping"),
    ]


def test_name_runs_skip_hyphenated_lower_case_words():
    body = "Shares in Lenn-based Tamsin Foods fell."
    assert resolve_all(body, [("Lenn", "GPE", 0)]) == [("Lenn", "GPE", "Lenn"), ("Tamsin Foods", "ORG", "Tamsin Foods")]


def test_sports_clubs_roles_and_sentence_adverbs():
    body = "Meanwhile Harbour City FC beat Kestrel Rovers. Striker Jonah Bell scored. A teacher from Pelham cheered."
    assert resolve_all(body, [("FC", "ORG", 0), ("Striker Jonah Bell", "PERSON", 0), ("Pelham", "PERSON", 0)]) == [
        ("Harbour City FC", "ORG", "Harbour City FC"),
        ("Kestrel Rovers", "ORG", "Kestrel Rovers"),
        ("Jonah Bell", "PERSON", "Jonah Bell"),
        ("Pelham", "GPE", "Pelham"),
    ]


def test_name_after_a_role_loses_its_own_title():
    body = "The detective Constable Priya Nair of the force said so."
    assert resolve_all(body, []) == [("Priya Nair", "PERSON", "Priya Nair")]


def test_acronym_in_brackets_inside_a_span_and_its_untagged_repeats():
    body = "The World Health Organization (WHO) warned on Monday. WHO director-general Tomas Brenner will visit."
    assert resolve_all(body, [("The World Health Organization (WHO", "ORG", 0), ("Tomas Brenner", "PERSON", 0)]) == [
        ("World Health Organization", "ORG", "World Health Organization"),
        ("WHO", "ORG", "World Health Organization"),
        ("WHO", "ORG", "World Health Organization"),
        ("Tomas Brenner", "PERSON", "Tomas Brenner"),
    ]


def test_short_name_of_an_organisation_and_a_name_after_a_kind_of_organisation():
    body = "Calder Pharma raised prices. Calder said it would cooperate. Patients' group Breathe Easy objected."
    calder = body.index("Calder said")
    mentions = [
        mention(body, "Calder Pharma", "PERSON"),
        Mention(calder, calder + 6, "Calder", "PERSON", role="speaker"),
        mention(body, "Breathe Easy", "PERSON"),
    ]
    assert by_text(resolve_mentions(mentions, body, [(0, len(body))])) == [
        ("Calder Pharma", "ORG", "Calder Pharma"),
        ("Calder", "ORG", "Calder Pharma"),
        ("Breathe Easy", "ORG", "Breathe Easy"),
    ]


def test_storms_counties_and_two_towns_tagged_as_one_organisation():
    body = "Storm Ingrid hit Cornwall. Trains between Exeter and Penhallow stopped. Marks and Sparrow shut."
    assert resolve_all(body, [
        ("Storm Ingrid", "PERSON", 0), ("Cornwall", "PERSON", 0), ("Exeter and Penhallow", "ORG", 0),
        ("Marks and Sparrow", "ORG", 0),
    ]) == [
        ("Storm Ingrid", "EVENT", "Storm Ingrid"),
        ("Cornwall", "GPE", "Cornwall"),
        ("Exeter", "GPE", "Exeter"),
        ("Penhallow", "GPE", "Penhallow"),
        ("Marks and Sparrow", "ORG", "Marks and Sparrow"),
    ]


def test_a_region_that_is_also_a_name_stays_a_person_as_a_subject():
    body = "Devon is one of those players. The warning covers Devon."
    devon = body.index("Devon")
    mentions = [
        Mention(devon, devon + 5, "Devon", "PERSON", role="subject"),
        Mention(body.rindex("Devon"), body.rindex("Devon") + 5, "Devon", "PERSON"),
    ]
    assert [m.label for m in resolve_mentions(mentions, body)] == ["PERSON", "GPE"]


def test_organisation_in_a_place_tagged_as_one_name_is_split():
    body = "Mr Okoro has run the Riverside Bakery in Dunmere for years. He read Love in Winter."
    assert resolve_all(body, [("Riverside Bakery in Dunmere", "WORK_OF_ART", 0), ("Love in Winter", "WORK_OF_ART", 0)]) == [
        ("Riverside Bakery", "ORG", "Riverside Bakery"),
        ("Dunmere", "GPE", "Dunmere"),
        ("Love in Winter", "WORK_OF_ART", "Love in Winter"),
    ]
