"""Every registered entity rule on its own invented example: what the rule alone makes of the
model's mentions, that the example shows the rule at work, and that docs/nlp.md lists it."""

from __future__ import annotations

from pathlib import Path

import pytest

from newskit.entities import resolve_mentions
from newskit.entity_rules import RULES, Rule

DOCS = Path(__file__).resolve().parents[1] / "docs" / "nlp.md"


def spans(mentions) -> list[tuple[str, str]]:
    return [(m.text, m.label) for m in sorted(mentions, key=lambda m: (m.start, m.end))]


@pytest.mark.parametrize("rule", RULES, ids=[r.name for r in RULES])
def test_the_rule_on_its_example(rule: Rule) -> None:
    article = rule.example.article()
    assert spans(rule.apply(article)) == list(rule.example.expected)


@pytest.mark.parametrize("rule", RULES, ids=[r.name for r in RULES])
def test_the_example_shows_the_rule_at_work(rule: Rule) -> None:
    given = [(text, label) for text, label, *_ in rule.example.given]
    assert given != list(rule.example.expected)


@pytest.mark.parametrize("rule", RULES, ids=[r.name for r in RULES])
def test_removing_the_rule_changes_what_the_stage_gives_on_its_example(rule: Rule) -> None:
    example = rule.example
    ranges = example.article().ranges
    everything = spans(resolve_mentions(example.mentions(), example.body, ranges))
    without = spans(resolve_mentions(example.mentions(), example.body, ranges, rules=[r for r in RULES if r is not rule]))
    assert everything != without


def test_rules_have_unique_names_a_summary_and_a_line_in_the_docs() -> None:
    names = [r.name for r in RULES]
    assert len(names) == len(set(names))
    docs = DOCS.read_text(encoding="utf-8")
    for r in RULES:
        assert r.summary, r.name
        assert f"`{r.name}`" in docs, f"docs/nlp.md does not list {r.name}"
