"""Text scrapes in the seed's form: date header, glued plea, gallery captions with credits."""

from newskit.clean import clean_blocks
from newskit.extract import extract_text

PLEA = (
    "Your support helps us to tell the story Read more Support Now From climate to courts, the Daily Lantern "
    "is on the ground when the story is developing. Your donation allows us to keep sending journalists to both "
    "sides of the story. We choose not to lock readers out with paywalls, because quality journalism should be "
    "available to everyone. Your support makes all the difference. Read more"
)
STORY = [
    "The harbour council voted on Tuesday to close the old ferry pier after engineers found cracks in its piles.",
    "Mayor Ana Ruiz said repairs would cost about $4.2 million and take two years.",
]
GALLERY = "open image in gallery Workers inspect the pier at low tide on Monday ( Tom Baker/Lantern Photo Agency )"


def scrape(first_line: str) -> str:
    return "\n\n".join([first_line, STORY[0], GALLERY, STORY[1]])


def test_date_header_is_read_and_plea_paragraph_removed():
    extracted = extract_text(" date 2025-03-04 " + PLEA + "\n\n" + "\n\n".join([STORY[0], GALLERY, STORY[1]]))
    assert extracted.published_at.date().isoformat() == "2025-03-04"
    assert extracted.published_at_source == "text_header"
    cleaned = clean_blocks(extracted.blocks, title=extracted.title)
    body = [b.text for b in cleaned.blocks if b.kind == "body"]
    assert body == STORY
    assert [reason for _, reason in cleaned.removed] == ["donation_plea"]


def test_plea_glued_to_first_paragraph_is_split_off_keeping_the_story():
    extracted = extract_text("date 2025-03-04 " + PLEA + " " + STORY[0] + "\n\n" + GALLERY + "\n\n" + STORY[1])
    cleaned = clean_blocks(extracted.blocks)
    body = [b.text for b in cleaned.blocks if b.kind == "body"]
    assert body == STORY
    removed_text, reason = cleaned.removed[0]
    assert reason == "donation_plea" and removed_text.startswith("Your support") and "harbour" not in removed_text


def test_gallery_line_becomes_caption_and_credit_blocks_in_document_order():
    extracted = extract_text(scrape(STORY[0]))
    kinds = [(b.kind, b.text) for b in extracted.blocks]
    assert ("caption", "Workers inspect the pier at low tide on Monday") in kinds
    assert ("credit", "Tom Baker/Lantern Photo Agency") in kinds
    caption_at = kinds.index(("caption", "Workers inspect the pier at low tide on Monday"))
    assert kinds[caption_at + 1][0] == "credit" and kinds[caption_at - 1][1] == STORY[0]
    assert not any("gallery" in b.text for b in extracted.blocks)


def test_language_is_detected_for_text_scrapes():
    assert extract_text("\n\n".join(STORY)).language == "en"
    german = "Der Stadtrat hat am Dienstag beschlossen, den alten Fähranleger zu schließen.\n\nDie Reparatur würde zwei Jahre dauern."
    assert extract_text(german).language == "de"


def test_headline_line_becomes_title_with_text_pattern_source_and_is_not_repeated_in_body():
    extracted = extract_text("Harbour council shuts old ferry pier\n\n" + "\n\n".join(STORY))
    assert extracted.title == "Harbour council shuts old ferry pier"
    assert extracted.title_source == "text_pattern"
    cleaned = clean_blocks(extracted.blocks, title=extracted.title)
    assert [b.text for b in cleaned.blocks] == STORY
    assert ("Harbour council shuts old ferry pier", "title_repeat") in cleaned.removed


def test_byline_and_dateline_lines_give_text_pattern_metadata():
    extracted = extract_text("By Jane Okafor and Li Wei, Senior Reporter\n\nPublished: 4 March 2025\n\n" + "\n\n".join(STORY))
    assert extracted.authors == ["Jane Okafor", "Li Wei"]
    assert extracted.authors_source == "text_pattern"
    assert extracted.published_at.date().isoformat() == "2025-03-04"
    assert extracted.published_at_source == "text_pattern"
    cleaned = clean_blocks(extracted.blocks)
    assert [b.text for b in cleaned.blocks] == STORY


def test_mojibake_is_repaired_but_curly_quotes_are_kept():
    broken = "The mayor said â€œwe will rebuildâ€\x9d and left the cafÃ© early on Tuesday evening."
    cleaned = clean_blocks(extract_text(broken).blocks)
    assert cleaned.blocks[0].text == "The mayor said “we will rebuild” and left the café early on Tuesday evening."


def test_header_lines_give_text_header_metadata_and_are_not_body():
    scrape = (
        "date 2025-03-04\ntitle: Harbour council shuts old ferry pier\nauthor: By Jane Okafor, Staff Reporter\n"
        "url: https://lantern.example/news/pier\n" + "\n\n".join(STORY)
    )
    extracted = extract_text(scrape)
    assert (extracted.title, extracted.title_source) == ("Harbour council shuts old ferry pier", "text_header")
    assert (extracted.authors, extracted.authors_source) == (["Jane Okafor"], "text_header")
    assert extracted.canonical_url == "https://lantern.example/news/pier"
    assert [b.text for b in extracted.blocks] == STORY


def test_single_line_breaks_separate_paragraphs_when_there_is_no_blank_line():
    assert [b.text for b in extract_text("\n".join(STORY)).blocks] == STORY
