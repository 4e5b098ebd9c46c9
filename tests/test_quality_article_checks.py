"""Per-article malformed checks (newskit.quality) on invented articles."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml

from newskit.quality import DEFAULT_CONFIG, ArticleFacts, QualityConfig, article_issues

ARTICLES = yaml.safe_load((Path(__file__).parent / "data" / "quality_articles.yaml").read_text(encoding="utf-8"))
FETCHED = datetime(2025, 8, 16, 9, 30, tzinfo=timezone.utc)


def facts(name: str = "drought_a", **changes: object) -> ArticleFacts:
    article = ARTICLES[name]
    base = ArticleFacts(
        body="\n\n".join(article["paragraphs"]),
        title=article["title"],
        published_at=FETCHED - timedelta(hours=5),
        fetched_at=FETCHED,
        language="en",
    )
    return replace(base, **changes)


def codes(f: ArticleFacts, config: QualityConfig = DEFAULT_CONFIG) -> dict[str, str]:
    return {i.check_name: i.severity for i in article_issues(f, config)}


@pytest.mark.parametrize("name", sorted(ARTICLES))
def test_well_formed_articles_have_no_issues(name: str) -> None:
    assert article_issues(facts(name)) == []


def test_empty_and_short_bodies_are_errors() -> None:
    assert codes(facts(body="  \n ")) == {"no_article_text": "error"}
    assert codes(facts(body="Police closed the road after a crash."))["too_short"] == "error"
    short = "\n\n".join(ARTICLES["bridge"]["paragraphs"][:2])  # > 200 chars, < 80 words
    assert codes(facts("bridge", body=short)) == {"short_body": "warn"}


def test_missing_title_and_date_are_warnings() -> None:
    assert codes(facts(title=None)) == {"no_title": "warn"}
    assert codes(facts(title="   ")) == {"no_title": "warn"}
    assert codes(facts(published_at=None)) == {"missing_date": "warn"}


def test_implausible_dates() -> None:
    assert codes(facts(published_at=FETCHED + timedelta(days=3))) == {"date_in_future": "warn"}
    # within the time-zone tolerance a date slightly after the fetch is fine
    assert codes(facts(published_at=FETCHED + timedelta(hours=10))) == {}
    assert codes(facts(published_at=datetime(1994, 12, 31, tzinfo=timezone.utc))) == {"date_too_old": "warn"}
    naive = datetime(1970, 1, 1)  # epoch default of a broken date parser
    assert codes(facts(published_at=naive)) == {"date_too_old": "warn"}


def test_replacement_characters_warn_then_error() -> None:
    body = facts().body
    assert codes(facts(body=body.replace("Kestrel", "Kestr\ufffdl", 1))) == {"replacement_characters": "warn"}
    damaged = body.replace("e", "\ufffd")
    assert codes(facts(body=damaged))["replacement_characters"] == "error"


def test_mojibake_is_flagged() -> None:
    body = facts().body
    mojibake = body.encode("utf-8").decode("cp1252", errors="replace")  # “We … utility’s
    assert "â€" in mojibake
    assert codes(facts(body=mojibake)).get("mojibake") == "warn"


def test_markup_residue_warn_for_a_trace_error_for_a_page() -> None:
    body = facts().body
    assert codes(facts(body=body + " &nbsp;")) == {"markup_residue": "warn"}
    script = '<script type="text/javascript">var ads = []; window.dataLayer = window.dataLayer || [];</script>'
    style = ".article-body { font-size: 14px; color: #333; } @media (max-width: 600px) { .ad { display: none !important; } }"
    polluted = "\n\n".join([script, style, body[:400], '<div class="share">Share</div>'])
    assert codes(facts(body=polluted))["markup_residue"] == "error"


def test_consent_wall_and_paywall_stub_are_errors() -> None:
    consent = (
        "Before you continue to our site. We use cookies and data to deliver and maintain our services, "
        "measure audience engagement and show personalised ads. Select Accept all cookies to agree, or "
        "Manage privacy settings to choose what we may use."
    )
    assert codes(facts(body=consent, title="Before you continue"))["consent_wall"] == "error"
    paywall = (
        "Marlowe County Water announced on Monday that households across the valley will be barred from "
        "using hosepipes. This article is for subscribers only. Subscribe to read the full story. "
        "Already a subscriber? Sign in to continue."
    )
    assert codes(facts(body=paywall))["paywall_stub"] == "error"


def test_wall_phrase_inside_a_full_article_is_only_a_warning() -> None:
    body = facts().body
    assert len(body) > DEFAULT_CONFIG.wall_max_body_chars
    body += "\n\nTo continue reading about the drought, see our live coverage."
    assert codes(facts(body=body)) == {"paywall_stub": "warn"}


def test_binary_and_non_text_input_are_errors() -> None:
    assert codes(facts(content_type="application/octet-stream"))["non_text_input"] == "error"
    assert codes(facts(content_type="text/html; charset=utf-8")) == {}
    binary = "PK\x03\x04\x14\x00\x06\x00" * 40 + facts().body[:300]
    assert codes(facts(body=binary))["binary_content"] == "error"


def test_wrong_and_unknown_language() -> None:
    german = (
        "Der Stadtrat von Marlowe hat am Montag beschlossen, die Nutzung von Gartenschläuchen ab der "
        "kommenden Woche zu verbieten. Die Pegel der Talsperre sind auf 41 Prozent gefallen, und seit "
        "März hat es weniger als die Hälfte des üblichen Regens gegeben. Landwirte im Süden des Kreises "
        "sagen, das Verbot komme viel zu spät, weil ihre Brunnen schon seit Juni trocken seien."
    )
    assert codes(facts(body=german, language="de")) == {"unexpected_language": "warn", "short_body": "warn"}
    assert codes(facts(language="fr"))["language_mismatch"] == "warn"
    digits = " ".join(str(n * 7919 % 100000) for n in range(80))  # no language at all
    assert codes(facts(body=digits))["unknown_language"] == "warn"
    assert codes(facts(body=german, language="de"), QualityConfig(accepted_languages=frozenset({"en", "de"}))) == {"short_body": "warn"}


def test_boilerplate_ratio() -> None:
    body_chars = len(facts().body)
    assert codes(facts(boilerplate_chars=body_chars // 2)) == {}
    assert codes(facts(boilerplate_chars=body_chars * 3)) == {"boilerplate_ratio": "warn"}
    assert codes(facts(boilerplate_chars=body_chars * 20)) == {"boilerplate_ratio": "error"}


def test_thresholds_and_severities_come_from_the_config() -> None:
    strict = QualityConfig(min_body_chars=5000, severities={**DEFAULT_CONFIG.severities, "no_title": "error"})
    found = codes(facts(title=None), strict)
    assert found == {"too_short": "error", "no_title": "error"}


def test_walls_are_found_in_the_text_cleaning_removed() -> None:
    lead = ARTICLES["drought_a"]["paragraphs"][0]
    teaser = facts(body=lead, removed_text="Subscribe to read the full story\nAlready a subscriber? Log in.")
    found = [i.check_name for i in article_issues(teaser)]
    assert found[0] == "paywall_stub"  # the specific cause first: it becomes the quarantine reason
    assert codes(teaser)["paywall_stub"] == "error"
    interstitial = facts(
        title="Before you continue",
        body='Click "Reject all" to refuse non-essential cookies, or "Manage options" to choose what we may '
             "use. You can change your choice at any time from the settings link at the bottom of the page.",
    )
    assert codes(interstitial)["consent_wall"] == "error"
    # a cookie banner the cleaner removed from a full article is not a problem
    banner = facts(removed_text="We and our 120 partners use cookies to personalise content. Accept all cookies")
    assert codes(banner) == {}
