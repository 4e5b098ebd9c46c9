"""Per-article quality checks: each problem is an Issue with a reason code and a severity.

Severity `error` quarantines the article (it does not load); `warn` loads it with a flag in
`news.quality_flags`. Every threshold and every severity lives in `QualityConfig` (documented in
docs/quality.md); a check that fires at two levels (for example a few replacement characters vs a
body full of them) has one threshold per level.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Callable, Literal

Severity = Literal["error", "warn"]

# Phrases of cookie/consent interstitials and paywall teasers. A short body containing one is
# the interstitial itself (error); a full-length body containing one is flagged only.
CONSENT_WALL_PATTERNS: tuple[str, ...] = (
    r"before you continue",
    r"we value your privacy",
    r"\b(accept|agree to|reject|allow) (all )?cookies",
    r"\b(we|our \d* ?partners) (and our \d+ partners )?use cookies",
    r"non-essential cookies",
    r"[\"“](accept all|reject all|manage options)[\"”]",
    r"manage (your )?(privacy|cookie) (settings|preferences|choices)",
    r"consent to (the use of|our use of)",
)
PAYWALL_PATTERNS: tuple[str, ...] = (
    r"subscribe (now )?to (read|continue|unlock)",
    r"(this (article|content|story) is )?(available )?(for|to) subscribers only",
    r"already a subscriber\??",
    r"to continue reading",
    r"(sign|log) in to (read|continue)",
    r"get unlimited access",
    r"unlock (this|the full) (article|story)",
    r"start your (free )?trial",
)
# Markup that survived extraction: HTML tags/entities, script and style code.
MARKUP_PATTERNS: tuple[str, ...] = (
    r"</?(?:div|span|p|a|img|script|style|iframe|br|ul|li|table|td|tr|meta|link|noscript)\b[^>]*>",
    r"&(?:nbsp|amp|lt|gt|quot|#\d{2,5});",
    r"\b(?:function\s*\([^)]*\)\s*\{|var\s+\w+\s*=|const\s+\w+\s*=|document\.\w+|window\.\w+)",
    r"[.#]?[\w-]+\s*\{\s*[\w-]+\s*:\s*[^;{}]+;",  # CSS rule
    r"@media\s*\(|!important\b",
)


@dataclass(frozen=True)
class QualityConfig:
    """All per-article thresholds. Ratios are fractions of the body length in characters."""

    min_body_chars: int = 200  # error below: too short to be an article
    min_body_words_warn: int = 80  # warn below
    earliest_published: datetime = datetime(1995, 1, 1, tzinfo=timezone.utc)
    future_tolerance: timedelta = timedelta(days=1)  # published_at may lead fetched_at (time zones)
    max_replacement_chars_warn: int = 0  # warn above this many U+FFFD
    max_replacement_ratio: float = 0.005  # error above this share of U+FFFD
    max_control_ratio: float = 0.01  # error above: binary or non-text content
    max_markup_ratio_warn: float = 0.0  # warn above: any markup residue
    max_markup_ratio: float = 0.10  # error above
    wall_max_body_chars: int = 1000  # a consent/paywall phrase in a body shorter than this is the wall
    accepted_languages: frozenset[str] = frozenset({"en"})
    min_language_chars: int = 200  # shorter bodies are not language-checked
    min_language_confidence: float = 0.9  # detection this sure wins over the declared language
    max_boilerplate_ratio_warn: float = 0.60  # removed boilerplate / (boilerplate + body)
    max_boilerplate_ratio: float = 0.90
    text_content_types: tuple[str, ...] = ("text/", "application/json", "application/xhtml", "application/xml")
    severities: dict[str, Severity] = field(
        default_factory=lambda: {
            "no_title": "warn",
            "missing_date": "warn",
            "date_in_future": "warn",
            "date_too_old": "warn",
            "mojibake": "warn",
            "unknown_language": "warn",
            "unexpected_language": "warn",
            "language_mismatch": "warn",
        }
    )


DEFAULT_CONFIG = QualityConfig()


@dataclass(frozen=True)
class Issue:
    check_name: str
    severity: Severity
    detail: str


@dataclass
class ArticleFacts:
    body: str
    title: str | None
    published_at: datetime | None
    fetched_at: datetime
    language: str | None  # declared by the page or the extractor; None when unknown
    boilerplate_chars: int = 0  # characters removed by cleaning (templates, pleas, captions)
    content_type: str | None = None  # of the raw scrape
    removed_text: str = ""  # what cleaning removed (or the whole extracted text): scanned for walls


_CONSENT = re.compile("|".join(CONSENT_WALL_PATTERNS), re.IGNORECASE)
_PAYWALL = re.compile("|".join(PAYWALL_PATTERNS), re.IGNORECASE)
_MARKUP = re.compile("|".join(MARKUP_PATTERNS), re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@lru_cache(maxsize=1)
def _language_identifier():  # type: ignore[no-untyped-def]
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@lru_cache(maxsize=64)  # the checks and `article_language` ask about the same body
def detect_language(text: str) -> tuple[str, float]:
    """(ISO 639-1 code, probability) by py3langid."""
    lang, prob = _language_identifier().classify(text)
    return str(lang), float(prob)


def _declared(language: str | None) -> str | None:
    return (language or "").split("-")[0].lower() or None


def article_language(facts: ArticleFacts, config: QualityConfig = DEFAULT_CONFIG) -> str | None:
    """The article's language: the body's when detection is confident (a page that says
    `<html lang="en">` over isiZulu text is isiZulu), else the declared one."""
    declared = _declared(facts.language)
    if len(facts.body) < config.min_language_chars:
        return declared
    detected, prob = detect_language(facts.body)
    if detected != "zxx" and (prob >= config.min_language_confidence or (declared is None and prob >= 0.5)):
        return detected
    return declared


def _is_text_content_type(content_type: str | None, config: QualityConfig) -> bool:
    if not content_type:
        return True
    return content_type.lower().startswith(config.text_content_types)


def _as_utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def article_issues(facts: ArticleFacts, config: QualityConfig = DEFAULT_CONFIG) -> list[Issue]:
    """Every problem found in one article, most specific cause first (input, walls, length, title,
    date, encoding, markup, language, boilerplate): the first error is the main quarantine reason."""
    issues: list[Issue] = []

    def report(code: str, default: Severity, detail: str) -> None:
        issues.append(Issue(code, config.severities.get(code, default), detail))

    body = facts.body
    n = len(body)
    if not _is_text_content_type(facts.content_type, config):
        report("non_text_input", "error", f"content type {facts.content_type!r} is not text")
    controls = len(_CONTROL.findall(body))
    if n and controls / n > config.max_control_ratio:
        report("binary_content", "error", f"{controls} control characters in {n}")

    _wall_issues(facts, config, report)
    if not body.strip():
        report("no_article_text", "error", "no article text after extraction and cleaning")
    elif n < config.min_body_chars:
        report("too_short", "error", f"body has {n} characters (< {config.min_body_chars})")
    else:
        words = len(body.split())
        if words < config.min_body_words_warn:
            report("short_body", "warn", f"body has {words} words (< {config.min_body_words_warn})")

    if not (facts.title or "").strip():
        report("no_title", "warn", "no title found")

    if facts.published_at is None:
        report("missing_date", "warn", "no publication date found")
    else:
        published = _as_utc(facts.published_at)
        # a difference, not fetched_at + tolerance: that overflows for a fetch time of 9999-12-31
        if published - _as_utc(facts.fetched_at) > config.future_tolerance:
            report("date_in_future", "warn", f"published {published.isoformat()} after fetch {facts.fetched_at.isoformat()}")
        if published < config.earliest_published:
            report("date_too_old", "warn", f"published {published.isoformat()} before {config.earliest_published.date()}")

    if n:
        _text_issues(facts, config, report)
    return issues


def _wall_issues(facts: ArticleFacts, config: QualityConfig, report: Callable[[str, Severity, str], None]) -> None:
    """Consent interstitials and paywall teasers.

    The wall's own wording is often removed by cleaning, so the title and the removed text are
    scanned too: a short body next to a wall phrase is the wall (error); a wall phrase inside a
    full-length body is flagged; a banner the cleaner removed from a full article is fine.
    """
    n = len(facts.body)
    page = f"{facts.title or ''}\n{facts.removed_text}"
    for code, pattern in (("consent_wall", _CONSENT), ("paywall_stub", _PAYWALL)):
        in_body = pattern.search(facts.body)
        match = in_body or pattern.search(page)
        if match and n < config.wall_max_body_chars:
            report(code, "error", f"{match.group(0)!r} beside a body of {n} characters")
        elif in_body:
            report(code, "warn", f"{in_body.group(0)!r} in a body of {n} characters")


def _text_issues(facts: ArticleFacts, config: QualityConfig, report: Callable[[str, Severity, str], None]) -> None:
    """Encoding damage, markup residue, walls, language and boilerplate share (body non-empty)."""
    from ftfy.badness import is_bad

    body = facts.body
    n = len(body)
    replacements = body.count("\ufffd")
    if replacements / n > config.max_replacement_ratio:
        report("replacement_characters", "error", f"{replacements} U+FFFD in {n} characters")
    elif replacements > config.max_replacement_chars_warn:
        report("replacement_characters", "warn", f"{replacements} U+FFFD in {n} characters")
    if is_bad(unicodedata.normalize("NFC", body)):
        report("mojibake", "warn", "text looks like mis-decoded UTF-8 (ftfy)")

    markup = [m.group(0) for m in _MARKUP.finditer(body)]
    if markup:
        ratio = sum(map(len, markup)) / n
        detail = f"{len(markup)} markup fragments ({ratio:.1%} of body), e.g. {markup[0][:60]!r}"
        if ratio > config.max_markup_ratio:
            report("markup_residue", "error", detail)
        elif ratio > config.max_markup_ratio_warn:
            report("markup_residue", "warn", detail)


    if n >= config.min_language_chars:
        detected, prob = detect_language(body)
        declared = _declared(facts.language)
        if prob < 0.5 or detected == "zxx":  # zxx: no linguistic content
            report("unknown_language", "warn", f"language not identified (best {detected} at {prob:.2f})")
        else:
            if detected not in config.accepted_languages:
                report("unexpected_language", "warn", f"body is {detected!r} (p={prob:.2f}), expected {sorted(config.accepted_languages)}: the nlp stage's model reads only those")
            if declared and declared != detected and prob >= config.min_language_confidence:
                report("language_mismatch", "warn", f"page declares {declared!r} but the body is {detected!r} (p={prob:.2f}); stored as {detected!r}")

    if facts.boilerplate_chars > 0:
        ratio = facts.boilerplate_chars / (facts.boilerplate_chars + n)
        detail = f"boilerplate is {ratio:.0%} of the extracted text ({facts.boilerplate_chars} of {facts.boilerplate_chars + n} chars)"
        if ratio > config.max_boilerplate_ratio:
            report("boilerplate_ratio", "error", detail)
        elif ratio > config.max_boilerplate_ratio_warn:
            report("boilerplate_ratio", "warn", detail)
