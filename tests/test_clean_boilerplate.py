"""Every kind of boilerplate rule, site-template learning, and what must be kept."""

import pytest

from newskit.blocks import Block
from newskit.boilerplate import boilerplate_reason
from newskit.clean import clean_blocks, learn_site_templates, template_key, template_row
from newskit.dedup import version_key

ARTICLE = [
    "The river burst its banks overnight, flooding more than 200 homes in the lower town.",
    "Residents were moved to the sports hall, where volunteers served hot meals until dawn.",
]


@pytest.mark.parametrize(
    "text, reason",
    [
        ("Advertisement", "advertisement"),
        ("Story continues below advertisement", "advertisement"),
        ("READ MORE: Flood defences to get £5m upgrade", "read_more"),
        ("Related: Why the river keeps flooding", "read_more"),
        ("Read more", "read_more"),
        ("Sign up for our free morning newsletter and get the news in your inbox.", "newsletter"),
        ("Subscribe now for unlimited access to all our reporting.", "subscription"),
        ("Already a subscriber? Log in", "subscription"),
        ("We use cookies to improve your experience on our website. By continuing you accept our cookie policy.", "cookie_notice"),
        ('Click "Accept all" to agree or "Reject all" to refuse non-essential cookies.', "cookie_notice"),
        ("Share this article: Facebook Twitter Email", "share_line"),
        ("Facebook Twitter WhatsApp", "share_line"),
        ("Follow Jane Okafor on Twitter", "share_line"),
        ("Comments are closed.", "comment_notice"),
        ("Join the conversation", "comment_notice"),
        ("Reporting by Jane Okafor in Lagos; Editing by Tom Hale", "reporting_credit"),
        ("(Additional reporting by Li Wei)", "reporting_credit"),
        ("Photo: Tom Baker/Lantern Photo Agency", "photo_credit"),
        ("Tom Baker/AFP via Getty Images", "photo_credit"),
        ("open image in gallery", "gallery_marker"),
        ("Updated 10:42 AM ET, Tue March 4, 2025", "dateline"),
        ("By Jane Okafor", "byline"),
        ("Lesen Sie auch: Hochwasser am Oberlauf erwartet", "read_more"),
        ("Lea también: El río vuelve a crecer", "read_more"),
        ("Weitere Informationen:", "read_more"),
        ("Copy link", "share_line"),
        ("Quelle: Landesamt für Umwelt", "source_credit"),
        ("Beitragsbild: Tom Baker", "photo_credit"),
        ("The dam at dawn | © Lantern Photo Agency", "photo_credit"),
        ("Anzeige", "advertisement"),
        ("Keine Kommentare", "comment_notice"),
        ("Zum Newsletter anmelden", "newsletter"),
        ("© 2025 The Daily Lantern. All rights reserved.", "copyright"),
        ("4 min read", "reading_time"),
        ("Telefon: +49 40 1234 567", "contact_line"),
        ("Aktualisiert am 04.03.2025", "dateline"),
        ("04.03.2025", "dateline"),
        ("Abbildung 3: Pegelstand am Montag", "figure_caption"),
        ("Download the Lantern app for iOS and Android.", "app_promo"),
        ("______", "no_text"),
        (
            "Your support helps us tell the story. Your donation keeps independent journalism free of paywalls. "
            "Support now",
            "donation_plea",
        ),
    ],
)
def test_rule_recognises_boilerplate_kind(text, reason):
    assert boilerplate_reason(text) == reason


@pytest.mark.parametrize(
    "text",
    [
        *ARTICLE,
        "The company said it now has 3 million subscribers, up from 2 million a year earlier.",
        "She baked cookies for the volunteers and said the policy of the council was a disgrace.",
        "Read the report and you will see the numbers do not add up, the minister told parliament.",
        "More than 300 people attended the meeting.",
        "Trump spoke to Reuters on Friday.",
        "By the time firefighters arrived, the roof had collapsed.",
        "Watch the river, they said, because it rises fast.",
        "Photographers gathered at the gate as the verdict was read out in court on Monday afternoon.",
        "Weitere Regenfälle werden für Mittwoch erwartet, sagte der Wetterdienst.",
        "The charity said the donation from the company would pay for two new boats.",
        "Kontaktbeschränkungen gelten bis Ende März.",
        "Source code for the app was published on Monday.",
    ],
)
def test_article_text_is_not_boilerplate(text):
    assert boilerplate_reason(text) is None


def test_heading_repeating_the_title_is_removed_even_with_site_suffix():
    blocks = [Block("body", "River bursts its banks in lower town", "head"), *(Block("body", t) for t in ARTICLE)]
    cleaned = clean_blocks(blocks, title="River bursts its banks in lower town | The Daily Lantern")
    assert [b.text for b in cleaned.blocks] == ARTICLE
    assert cleaned.removed == [("River bursts its banks in lower town", "title_repeat")]


def _site_stories(template: str, stories: int) -> list[dict]:
    """One scrape per story, each with its own paragraph and the site's template paragraph."""
    return [
        template_row(f"s{n}", "lantern.example", version_key(f"https://lantern.example/news/{n}", None),
                     [f"Story number {n} reports a different event in a different street of the town.", template])
        for n in range(stories)
    ]


def _templates(rows: list[dict]) -> frozenset[str]:
    return learn_site_templates(rows).get("lantern.example", frozenset())


TEMPLATE = "The Lantern is an award-winning local paper owned by its readers since 1921."


def test_paragraph_seen_in_five_stories_of_a_site_is_dropped():
    cleaned = clean_blocks([Block("body", ARTICLE[0]), Block("body", TEMPLATE)], _templates(_site_stories(TEMPLATE, 5)))
    assert [b.text for b in cleaned.blocks] == [ARTICLE[0]]
    assert cleaned.removed == [(TEMPLATE, "site_template")]


def test_paragraph_seen_in_four_stories_is_kept():
    cleaned = clean_blocks([Block("body", ARTICLE[0]), Block("body", TEMPLATE)], _templates(_site_stories(TEMPLATE, 4)))
    assert [b.text for b in cleaned.blocks] == [ARTICLE[0], TEMPLATE]


def test_template_sentence_glued_to_real_text_is_cut_out_of_the_paragraph():
    glued = TEMPLATE + " " + ARTICLE[0]
    cleaned = clean_blocks([Block("body", glued)], _templates(_site_stories(TEMPLATE, 6)))
    assert [b.text for b in cleaned.blocks] == [ARTICLE[0]]


def test_versions_and_copies_of_one_story_count_once():
    url = "https://lantern.example/news/river"
    versions = [template_row(f"v{n}", "lantern.example", version_key(url, None), ARTICLE[: n + 1]) for n in range(3)]
    # the same text filed under other sections (other URLs), and a copy of a copy under a query string
    copies = [template_row(f"c{n}", "lantern.example", version_key(f"https://lantern.example/{s}/river", None), ARTICLE[:3])
              for n, s in enumerate(["world", "region", "weather"])]
    assert _templates(versions + copies) == frozenset()
    # one more story elsewhere on the site does not turn the shared paragraphs into templates either
    assert _templates(versions + copies + _site_stories(ARTICLE[0], 1)) == frozenset()
    # five different stories that each quote the first paragraph do
    assert template_key(ARTICLE[0]) in _templates(versions + copies + _site_stories(ARTICLE[0], 4))


def test_scrapes_without_a_story_key_are_separate_stories_unless_copies():
    texts = [[f"Notice {n}: the ferry timetable changes from Monday in every season.", TEMPLATE] for n in range(5)]
    rows = [template_row(f"t{n}", "lantern.example", None, body) for n, body in enumerate(texts)]
    assert template_key(TEMPLATE) in _templates(rows)
    assert _templates([template_row(f"t{n}", "lantern.example", None, texts[0]) for n in range(5)]) == frozenset()


def test_learnt_templates_do_not_depend_on_row_order():
    rows = _site_stories(TEMPLATE, 5) + [template_row("v", "lantern.example", "k", ARTICLE), template_row("w", "lantern.example", "k", ARTICLE[:2])]
    assert all(learn_site_templates(rows[i:] + rows[:i]) == learn_site_templates(rows) for i in range(len(rows)))


def test_template_key_folds_case_quotes_and_spaces_but_not_words():
    assert template_key("He said “yes”  today.") == template_key('he said "yes" today.')
    assert template_key("He said yes today.") != template_key("He said no today.")


def test_captions_and_credits_pass_through_cleaning():
    blocks = [Block("body", ARTICLE[0]), Block("caption", "Sandbags at the door"), Block("credit", "Tom Baker/AFP")]
    cleaned = clean_blocks(blocks)
    assert [(b.kind, b.text) for b in cleaned.blocks] == [(b.kind, b.text) for b in blocks]
