"""Per-article quality checks: each problem is an Issue with a reason code and a severity.

Severity `error` quarantines the article (it does not load); `warn` loads it with a flag.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

Severity = Literal["error", "warn"]


@dataclass(frozen=True)
class QualityConfig:
    min_body_chars: int = 200
    min_body_words_warn: int = 80


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
    language: str | None
    boilerplate_chars: int = 0


def article_issues(facts: ArticleFacts, config: QualityConfig = DEFAULT_CONFIG) -> list[Issue]:
    issues: list[Issue] = []
    if not facts.body.strip():
        issues.append(Issue("no_article_text", "error", "no article text after extraction and cleaning"))
    elif len(facts.body) < config.min_body_chars:
        issues.append(
            Issue("too_short", "error", f"body has {len(facts.body)} characters (< {config.min_body_chars})")
        )
    if not facts.title:
        issues.append(Issue("no_title", "warn", "no title found"))
    if facts.published_at is None:
        issues.append(Issue("missing_date", "warn", "no publication date found"))
    return issues
