"""Recover article text that continues in a second body container after an in-article break.

Some layouts split the article into several containers of the same kind (same tag and class),
with advertisements or promos between them; trafilatura keeps only the first. When the
paragraphs it kept sit in such a container, the later containers of the same kind are read too.
"""

from __future__ import annotations

import re
from collections import Counter

from lxml.html import HtmlElement

from newskit.blocks import Block

_TEXT_TAGS = ("p", "h2", "h3", "h4", "blockquote")
_MIN_PROSE_PARAGRAPHS = 3  # a teaser list or an "about us" box has fewer full sentences than this
_PROSE = re.compile(r"\w.{58,}[.!?…\"”’)]$")


def _text(element: HtmlElement) -> str:
    return " ".join(element.text_content().split())


def _classed_ancestor(element: HtmlElement) -> HtmlElement | None:
    parent = element.getparent()
    while parent is not None and not parent.get("class"):
        parent = parent.getparent()
    return parent


def _container_blocks(container: HtmlElement, known: set[str]) -> list[Block]:
    blocks = []
    for node in container.iter(*_TEXT_TAGS):
        if node.tag != "blockquote" and any(a.tag in _TEXT_TAGS for a in node.iterancestors()):
            continue
        text = _text(node)
        if text and text not in known:
            blocks.append(Block("body", text, "head" if node.tag.startswith("h") else "p"))
    return blocks


def continued_body(tree: HtmlElement, blocks: list[Block]) -> list[Block]:
    """Body blocks found in later containers of the kind that holds the extracted paragraphs."""
    known = {" ".join(b.text.split()) for b in blocks if b.kind == "body"}
    holders: Counter[HtmlElement] = Counter()
    for paragraph in tree.iter("p"):
        if _text(paragraph) in known and (holder := _classed_ancestor(paragraph)) is not None:
            holders[holder] += 1
    if not holders:
        return []
    container, held = holders.most_common(1)[0]
    if held < 2:
        return []
    same_kind = [el for el in tree.iter(container.tag) if el.get("class") == container.get("class")]
    if len(same_kind) < 2:
        return []
    after = same_kind[same_kind.index(container) + 1 :]
    out: list[Block] = []
    for other in after:
        if any(a is container for a in other.iterancestors()) or any(a in after for a in other.iterancestors()):
            continue
        found = _container_blocks(other, known)
        if sum(1 for b in found if b.tag == "p" and _PROSE.match(b.text)) >= _MIN_PROSE_PARAGRAPHS:
            out.extend(found)
            known.update(b.text for b in found)
    return out
