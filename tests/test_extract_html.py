"""HTML pages: body blocks, figure captions and credits, metadata with its provenance."""

import json
from datetime import datetime, timezone

from lxml.html import fromstring

from newskit.clean import clean_blocks
from newskit.extract import EXTRACTOR_VERSION, extract_html, html_to_text
from newskit.metadata import clean_authors, html_metadata

STORY = [
    "The regional water board approved a plan on Monday to build a second reservoir north of the valley, "
    "ending a decade of arguments about how the growing towns would be supplied in dry summers.",
    "Engineers told the board the new basin would hold about 40 million cubic metres and could be filled "
    "within three winters if rainfall stayed close to the long-term average for the area.",
    "Farmers who own land in the flooded area will be offered compensation, the chair said, adding that "
    "talks with the two largest estates had been going on quietly since the spring of last year.",
    "Opponents said the board had not studied smaller options such as fixing leaks, which they estimate "
    "waste almost a fifth of the water that enters the network before it reaches any household tap.",
]
TITLE = "Water board approves second reservoir for the valley"


def page(head: str = "", body_extra: str = "", url_path: str = "") -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in STORY[:2])
    rest = "".join(f"<p>{p}</p>" for p in STORY[2:])
    return f"""<!doctype html><html lang="en-GB"><head><title>{TITLE} | Valley Courier</title>{head}</head>
    <body><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
    <article><h1>{TITLE}</h1>
    {paragraphs}
    <figure><img src="dam.jpg"><figcaption>The valley seen from the old dam wall
      <span class="credit">Photo: Mara Lind/Valley Courier</span></figcaption></figure>
    <p>READ MORE: Drought restrictions lifted across the county</p>
    {rest}
    <p>Reporting by Ola Berg; Editing by Tim Cole</p>
    <p>Sign up for our free morning newsletter to get the news in your inbox.</p>
    {body_extra}
    </article><footer>Copyright Valley Courier. All rights reserved. Contact us. Privacy.</footer></body></html>"""


JSON_LD = {
    "@context": "https://schema.org",
    "@graph": [
        {"@type": "WebSite", "name": "Valley Courier Online"},
        {
            "@type": "NewsArticle",
            "headline": "Reservoir plan approved",
            "datePublished": "2025-03-03T09:30:00+01:00",
            "author": [{"@type": "Person", "name": "Ola Berg"}, {"@type": "Person", "name": "Kim Ng, Staff Writer"}],
            "publisher": {"@type": "Organization", "name": "Valley Courier Ltd"},
            "inLanguage": "en",
        },
    ],
}
META = (
    '<meta property="og:title" content="Water board approves reservoir">'
    '<meta property="og:site_name" content="The Valley Courier">'
    '<meta name="author" content="By Pia Holm | Email the author">'
    '<meta property="article:published_time" content="2025-03-02T08:00:00Z">'
    '<meta name="description" content="A second reservoir is coming.">'
    '<link rel="canonical" href="https://courier.example/news/reservoir">'
)


def test_body_is_the_article_without_boilerplate_or_captions():
    text = html_to_text(page())
    assert text.split("\n\n") == STORY


def test_html_to_text_accepts_bytes():
    assert html_to_text(page().encode("utf-8")).split("\n\n") == STORY


def test_figcaption_becomes_caption_and_credit_blocks():
    extracted = extract_html(page(), "https://courier.example/news/reservoir")
    kinds = [(b.kind, b.text) for b in extracted.blocks if b.kind != "body"]
    assert kinds == [("caption", "The valley seen from the old dam wall"), ("credit", "Photo: Mara Lind/Valley Courier")]
    assert not any("Mara Lind" in b.text for b in extracted.blocks if b.kind == "body")


def test_cleaning_reports_each_removed_kind():
    extracted = extract_html(page(), None)
    cleaned = clean_blocks(extracted.blocks, title=extracted.title)
    reasons = {reason for _, reason in cleaned.removed}
    assert {"read_more", "reporting_credit", "newsletter"} <= reasons
    assert [b.text for b in cleaned.blocks if b.kind == "body"] == STORY


def test_json_ld_wins_over_meta_for_authors_and_date_og_title_for_the_title():
    head = f'<script type="application/ld+json">{json.dumps(JSON_LD)}</script>' + META
    extracted = extract_html(page(head), "https://courier.example/2025/03/01/reservoir")
    assert (extracted.title, extracted.title_source) == ("Water board approves reservoir", "meta")
    assert (extracted.authors, extracted.authors_source) == (["Ola Berg", "Kim Ng"], "json-ld")
    assert extracted.published_at == datetime(2025, 3, 3, 8, 30, tzinfo=timezone.utc)
    assert extracted.published_at_source == "json-ld"
    assert extracted.site_name == "The Valley Courier"
    assert extracted.canonical_url == "https://courier.example/news/reservoir"
    assert extracted.language == "en"


def test_meta_tags_when_there_is_no_json_ld():
    extracted = extract_html(page(META), "https://courier.example/2025/03/01/reservoir")
    assert (extracted.title, extracted.title_source) == ("Water board approves reservoir", "meta")
    assert (extracted.authors, extracted.authors_source) == (["Pia Holm"], "meta")
    assert (extracted.published_at, extracted.published_at_source) == (datetime(2025, 3, 2, 8, 0, tzinfo=timezone.utc), "meta")
    assert extracted.description == "A second reservoir is coming."
    assert extracted.language == "en"


def test_publisher_name_from_json_ld_when_no_og_site_name():
    ld = dict(JSON_LD["@graph"][1])
    tree = fromstring(page(f'<script type="application/ld+json">{json.dumps(ld)}</script>'))
    assert html_metadata(tree).site_name == "Valley Courier Ltd"


def test_date_from_url_when_the_page_has_none():
    meta = html_metadata(fromstring(page()), "https://courier.example/2025/03/01/reservoir")
    assert (meta.published_at, meta.published_at_source) == (datetime(2025, 3, 1, tzinfo=timezone.utc), "url")
    assert (meta.title, meta.title_source) == (TITLE, "meta")  # "| Valley Courier" follows the <h1>


def test_byline_markup_gives_html_byline_authors():
    tree = fromstring(page().replace("<article>", '<article><span class="byline"><a rel="author">Dana Roe</a></span>'))
    meta = html_metadata(tree)
    assert (meta.authors, meta.authors_source) == (["Dana Roe"], "html_byline")


def test_author_cleaning():
    assert clean_authors("By Jane Doe and John Smith") == ["Jane Doe", "John Smith"]
    assert clean_authors("Jane Doe, Senior Political Correspondent") == ["Jane Doe"]
    assert clean_authors(["Jane Doe Email the author", "jane.doe@example.com", "JANE DOE"]) == ["Jane Doe"]
    assert clean_authors("Jane Doe | Follow on Twitter @janedoe") == ["Jane Doe"]
    assert clean_authors("") == []


def test_body_continued_after_an_advertisement_break_is_recovered():
    later = [
        "The board will publish the full engineering study next month, together with a map of the land it needs to buy.",
        "Public hearings are planned in each of the four towns, starting in the market hall of the largest one in May.",
        "A final vote on the budget is expected before the end of the year, after the national regulator has given its view.",
    ]
    first = "".join(f"<p>{p}</p>" for p in STORY)
    second = "".join(f"<p>{p}</p>" for p in later)
    html = f"""<html><head><title>{TITLE}</title></head><body><main>
      <div class="row"><div class="story-body column">{first}</div><aside><a href="/x">Most read</a></aside></div>
      <div class="row ad"><span class="ad-label">Advertisement</span><div class="slot"></div></div>
      <div class="row"><div class="story-body column">{second}</div></div>
      </main></body></html>"""
    assert html_to_text(html).split("\n\n") == STORY + later


def test_extractor_version_names_our_rules_and_trafilatura():
    assert "newskit-rules=" in EXTRACTOR_VERSION and "trafilatura=" in EXTRACTOR_VERSION


def test_runs_of_link_teasers_and_teaser_lists_are_dropped_but_a_single_link_line_stays():
    teasers = "".join(f'<p><a href="/s{n}">Other story number {n} about the town</a></p>' for n in range(3))
    related = "<ul>" + "".join(
        f'<li><a href="/r{n}">Related headline number {n} here</a> A short standfirst for it.</li>' for n in range(4)
    ) + "</ul>"
    own_link = '<p><a href="/event">Details of the public hearing schedule</a></p>'
    html = page(body_extra=teasers + related).replace("<p>READ MORE", own_link + "<p>READ MORE")
    body = html_to_text(html).split("\n\n")
    assert body == STORY[:2] + ["Details of the public hearing schedule"] + STORY[2:]
