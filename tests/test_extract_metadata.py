"""Article metadata on invented pages: schema.org types, entities, site names in titles, authors,
time zones, bylines in the body and the language a page declares."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from lxml.html import fromstring

from newskit.extract import extract_html
from newskit.metadata import (
    ARTICLE_TYPES,
    TIME_ZONE_ABBREVIATIONS,
    TitleAffixes,
    clean_authors,
    html_metadata,
    parse_datetime,
    read_byline,
    site_title_affixes,
    strip_site_name,
    strip_title_affixes,
)
from newskit.quality import ArticleFacts, article_issues, article_language

PARAGRAPHS = [
    "The harbour board in Saltmere voted on Tuesday to dredge the old channel before the autumn storms arrive.",
    "Fishermen had asked for the work for three winters, saying their boats scraped the bottom at low tide.",
    "The dredging will take six weeks and cost the board about 400,000 pounds, most of it from reserves.",
    "Board members said the channel would be surveyed again next spring to see whether the sand returns.",
]


def page(head: str = "", body_top: str = "", lang: str = "en", paragraphs: list[str] = PARAGRAPHS) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f'<!doctype html><html lang="{lang}"><head>{head}</head><body><article><h1>Harbour channel to be dredged</h1>'
            f"{body_top}{body}</article></body></html>")


def ld(obj: dict) -> str:
    return f'<script type="application/ld+json">{json.dumps({"@context": "https://schema.org", **obj})}</script>'


def meta_of(html: str, url: str | None = "https://saltmere-post.example/news/channel") -> object:
    return html_metadata(fromstring(html), url)


@pytest.mark.parametrize("schema_type", sorted(ARTICLE_TYPES))
def test_every_schema_org_article_type_gives_json_ld_metadata(schema_type: str) -> None:
    written = schema_type.upper() if len(schema_type) % 2 else schema_type.title()  # matched case-insensitively
    head = ld({"@type": written, "headline": "Channel dredging approved", "datePublished": "2025-09-02T14:05:00+02:00",
               "author": {"@type": "Person", "name": "Ines Calder"}})
    meta = meta_of(page(head))
    assert (meta.authors, meta.authors_source) == (["Ines Calder"], "json-ld")
    assert (meta.published_at, meta.published_at_source) == (datetime(2025, 9, 2, 12, 5, tzinfo=timezone.utc), "json-ld")


def test_a_web_page_object_counts_only_when_no_article_object_has_content() -> None:
    head = ld({"@graph": [{"@type": "WebPage", "datePublished": "2025-09-01T08:00:00Z"},
                          {"@type": "ReportageNewsArticle", "headline": "Dredging", "datePublished": "2025-09-02T08:00:00Z"}]})
    assert meta_of(page(head)).published_at == datetime(2025, 9, 2, 8, tzinfo=timezone.utc)
    only_page = ld({"@type": "WebPage", "datePublished": "2025-09-01T08:00:00Z"})
    assert meta_of(page(only_page)).published_at == datetime(2025, 9, 1, 8, tzinfo=timezone.utc)


def test_html_entities_in_json_ld_are_decoded() -> None:
    head = ld({"@type": "NewsArticle", "headline": "Board&#8217;s &quot;last&quot; word &amp;#039;final&amp;#039;",
               "author": {"name": "Ros&#233; Ahlberg"}})
    meta = meta_of(page(head))
    assert meta.title == "Board’s \"last\" word 'final'"
    assert meta.authors == ["Rosé Ahlberg"]


@pytest.mark.parametrize(
    "written, sites, expected",
    [
        ("Channel to be dredged | The Saltmere Post", ["The Saltmere Post"], "Channel to be dredged"),
        ("Channel to be dredged - Saltmere Post Online", ["The Saltmere Post"], "Channel to be dredged"),
        ("Saltmere Post: Channel to be dredged", ["Saltmere Post"], "Channel to be dredged"),
        ("Channel to be dredged * Saltmere Post * by Ines Calder", ["Saltmere Post"], "Channel to be dredged"),
        ("Channel to be dredged | SaltmerePost.example", ["Saltmere Post"], "Channel to be dredged"),
        ("Channel to be dredged | saltmere-post.co.uk", ["saltmere-post"], "Channel to be dredged"),
        ("Dredging - here's what it means for boats", ["Saltmere Post"], "Dredging - here's what it means for boats"),
        ("Mayor: Channel to be dredged", ["Saltmere Post"], "Mayor: Channel to be dredged"),
    ],
)
def test_site_names_are_cut_from_titles(written: str, sites: list[str], expected: str) -> None:
    assert strip_site_name(written, sites) == expected


def test_a_title_that_extends_another_headline_of_the_page_loses_the_rest() -> None:
    assert strip_site_name("Channel to be dredged - Coast | Post", [], ["Channel to be dredged"]) == "Channel to be dredged"


def test_the_og_title_wins_and_loses_the_site_name() -> None:
    head = ('<meta property="og:title" content="Channel to be dredged - The Saltmere Post">'
            '<meta property="og:site_name" content="The Saltmere Post">'
            '<title>Channel dredging approved after three winters | The Saltmere Post</title>')
    head += ld({"@type": "NewsArticle", "headline": "Channel dredging approved after three winters of complaints"})
    meta = meta_of(page(head))
    assert (meta.title, meta.title_source) == ("Channel to be dredged", "meta")


def test_a_title_that_is_only_the_site_name_is_skipped() -> None:
    head = '<meta property="og:title" content="The Saltmere Post"><meta property="og:site_name" content="The Saltmere Post">'
    head += ld({"@type": "NewsArticle", "headline": "Channel to be dredged"})
    assert meta_of(page(head)).title == "Channel to be dredged"


def test_affixes_repeated_across_a_sites_pages_are_removed() -> None:
    titles = ["Channel to be dredged - Coast - Post", "Ferry fares rise - Coast - Post",
              "Lifeboat crew honoured - Coast - Post", "Weekly: Tide tables", "Weekly: Market days"]
    affixes = site_title_affixes(titles, min_titles=3)
    assert affixes.suffixes[0] == " - Coast - Post"
    assert strip_title_affixes("Ferry fares rise - Coast - Post", affixes) == "Ferry fares rise"
    assert strip_title_affixes("Weekly: Tide tables", affixes) == "Weekly: Tide tables"  # two titles are no pattern
    assert strip_title_affixes("Only - Coast - Post", TitleAffixes()) == "Only - Coast - Post"
    assert site_title_affixes(["A - Coast", "B - Coast", "C - Coast", "D", "E", "F", "G"]).suffixes == ()  # under half


@pytest.mark.parametrize(
    "byline, expected",
    [
        ("Lindqvist, Mara", ["Mara Lindqvist"]),
        ("Lindqvist, Mara K.", ["Mara K. Lindqvist"]),
        ("Mara Lindqvist, Tomas Berg", ["Mara Lindqvist", "Tomas Berg"]),
        ("Mara Lindqvist (ML)", ["Mara Lindqvist"]),
        ("Tomas Berg [@tberg]", ["Tomas Berg"]),
        ("Von Anna Maria Roth und Jan Peter Voss", ["Anna Maria Roth", "Jan Peter Voss"]),
        ("Por Lucía Ferrer y Tomás Vidal", ["Lucía Ferrer", "Tomás Vidal"]),
        ("Di Giulia Santoro e Marco Bellini", ["Giulia Santoro", "Marco Bellini"]),
        ("Par Claire Dumont et Luc Garnier", ["Claire Dumont", "Luc Garnier"]),
        ("Door Sanne de Vries en Pieter Smit", ["Sanne de Vries", "Pieter Smit"]),
        ("Af Mette Holm og Lars Krag", ["Mette Holm", "Lars Krag"]),
        ("De Juan Ortega", ["Juan Ortega"]),
        ("De Bruyne", ["De Bruyne"]),  # a surname particle, not "by"
        ("Mara E. Lind", ["Mara E. Lind"]),
        ("Jane Doe, Senior Political Correspondent", ["Jane Doe"]),
        ("Hanna Ek/Ola Strand", ["Hanna Ek", "Ola Strand"]),
    ],
)
def test_bylines(byline: str, expected: list[str]) -> None:
    assert clean_authors(byline) == expected


def test_the_site_itself_is_no_author_and_agencies_are_credits() -> None:
    sites = ["The Saltmere Post", "saltmere-post"]
    assert clean_authors(["Ines Calder", "Saltmere Post"], sites) == ["Ines Calder"]
    assert clean_authors(["Ines Calder", "AFP"], sites) == ["Ines Calder", "AFP"]
    assert read_byline(["Saltmere Post"], sites).names == []
    assert read_byline(["Saltmere Post"], sites).credit == "Saltmere Post"
    assert clean_authors("Saltmere Post et AFP", sites) == ["Saltmere Post et AFP"]  # no person: the credit as written
    assert clean_authors("Post staff reporter", sites) == ["Post staff reporter"]
    assert clean_authors("Saltmere P", sites) == ["Saltmere P"]  # the site's account, kept only as a credit


def test_people_of_a_later_source_win_over_the_site_as_author() -> None:
    head = ('<meta property="og:site_name" content="The Saltmere Post">' + ld({"@type": "NewsArticle", "headline": "H",
            "author": {"@type": "Organization", "name": "The Saltmere Post"}}) + '<meta name="author" content="Ines Calder">')
    assert (meta_of(page(head)).authors, meta_of(page(head)).authors_source) == (["Ines Calder"], "meta")


def test_given_and_family_names_and_id_references() -> None:
    head = ld({"@graph": [
        {"@type": "NewsArticle", "headline": "H", "author": [{"@id": "#p1"}, {"@type": "Person", "givenName": "Anna Maria", "familyName": "Roth"}]},
        {"@type": "Person", "@id": "#p1", "name": "Jan Voss"},
    ]})  # fmt: skip
    assert meta_of(page(head)).authors == ["Jan Voss", "Anna Maria Roth"]


def test_one_author_per_dc_creator_written_family_first() -> None:
    head = '<meta name="dc.creator" content="Calder, Ines"><meta name="dc.creator" content="Voss, Jan Peter">'
    assert meta_of(page(head)).authors == ["Ines Calder", "Jan Peter Voss"]


def test_a_bold_names_only_line_at_the_top_of_the_body_is_the_byline() -> None:
    html = page('<meta name="author" content="The Saltmere Post"><meta property="og:site_name" content="The Saltmere Post">',
                body_top="<p><strong>INES CALDER/Jan Voss</strong></p>")
    extracted = extract_html(html, "https://saltmere-post.example/news/channel")
    assert (extracted.authors, extracted.authors_source) == (["INES CALDER", "Jan Voss"], "body_byline")
    assert [b.text for b in extracted.blocks if b.kind == "body"] == PARAGRAPHS


def test_a_bold_heading_is_not_a_byline() -> None:
    html = page(body_top="<p><strong>What Happens Next</strong></p>")
    assert extract_html(html, None).authors == []
    plain = page(body_top="<p>Ines Calder Jan Voss</p>")  # not bold: could be anything
    assert extract_html(plain, None).authors == []


@pytest.mark.parametrize("abbreviation", sorted(TIME_ZONE_ABBREVIATIONS))
def test_time_zone_abbreviations_keep_their_offset(abbreviation: str) -> None:
    parsed = parse_datetime(f"2025-09-02 14:05 {abbreviation}")
    assert parsed is not None and parsed.utcoffset() == timedelta(hours=TIME_ZONE_ABBREVIATIONS[abbreviation])


def test_times_in_the_page_keep_their_zone() -> None:
    head = '<meta property="article:published_time" content="Tuesday 2 September 2025, 14:05 CEST">'
    assert meta_of(page(head)).published_at == datetime(2025, 9, 2, 12, 5, tzinfo=timezone.utc)


ZULU = [  # written for this test
    "Abantu abaningi bebehlangene emhlanganweni womphakathi ngoLwesibili ntambama ukuze baxoxe ngenkinga yamanzi esigodini sabo.",
    "Umholi womphakathi uthe izakhamuzi sezihlale amasonto amathathu zingenawo amanzi ahlanzekile, futhi izingane ziyagula.",
    "Umasipala uthembise ukuthi uzothumela amathangi amanzi ngokushesha, kodwa abantu bathi sebezwile lezi zithembiso kaningi.",
]


def test_confident_detection_wins_over_the_declared_language_and_the_mismatch_is_flagged() -> None:
    body = " ".join(ZULU)
    facts = ArticleFacts(body=body, title="T", published_at=None, fetched_at=datetime(2025, 9, 2, tzinfo=timezone.utc), language="en")
    assert article_language(facts) == "zu"
    codes = {i.check_name for i in article_issues(facts)}
    assert {"language_mismatch", "unexpected_language"} <= codes
    english = ArticleFacts(body=" ".join(PARAGRAPHS * 2), title="T", published_at=None, fetched_at=facts.fetched_at, language="en-GB")
    assert article_language(english) == "en"
    assert "language_mismatch" not in {i.check_name for i in article_issues(english)}
    short = ArticleFacts(body=ZULU[0], title="T", published_at=None, fetched_at=facts.fetched_at, language="en")
    assert article_language(short) == "en"  # too short to overrule the page
