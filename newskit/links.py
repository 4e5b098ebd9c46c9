"""Link teasers: lines of the extracted text that are (mostly) the text of links on the page.

Related-story lists and "more from" boxes survive main-text extraction as plain lines; on the
page they are anchors. A short line whose characters are mostly anchor text is such a teaser.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from newskit.blocks import Block

_MIN_ANCHOR_CHARS = 12
_MAX_TEASER_WORDS = 25
_LINKED_SHARE = 0.6
_LIST_MARK = re.compile(r"^[-–•*·|»›>\s]+")


_TEASER_LIST_SHARE = 0.6
MIN_TEASER_RUN = 3


class Anchors:
    """Whitespace-normalised texts of the page's links that are long enough to be headlines."""

    def __init__(self, tree: HtmlElement) -> None:
        texts = (" ".join(a.text_content().split()) for a in tree.iter("a"))
        self.texts = frozenset(t for t in texts if len(t) >= _MIN_ANCHOR_CHARS)
        self._by_prefix: dict[str, list[str]] = {}
        for text in self.texts:
            self._by_prefix.setdefault(text[:_MIN_ANCHOR_CHARS], []).append(text)

    def starts_line(self, line: str) -> bool:
        return any(line.startswith(t) for t in self._by_prefix.get(line[:_MIN_ANCHOR_CHARS], ()))


def is_link_teaser(text: str, anchors: Anchors) -> bool:
    """A short line that is mostly link text."""
    line = _LIST_MARK.sub("", text)
    if not anchors.texts or not line:
        return False
    if line in anchors.texts:
        return True
    if len(line.split()) > _MAX_TEASER_WORDS:
        return False
    linked = sum(len(a) for a in anchors.texts if len(a) <= len(line) and a in line)
    return linked >= _LINKED_SHARE * len(line)


def drop_teaser_runs(blocks: list[Block], anchors: Anchors) -> list[Block]:
    """The blocks without runs of `MIN_TEASER_RUN` or more consecutive link teasers.

    A single linked line is often the article's own (a linked heading, a "here is the event"
    line); several in a row are a box of links to other pages.
    """
    teaser = [is_link_teaser(b.text, anchors) for b in blocks]
    keep = [True] * len(blocks)
    start = 0
    while start < len(blocks):
        end = start
        while end < len(blocks) and teaser[end]:
            end += 1
        if end - start >= MIN_TEASER_RUN:
            keep[start:end] = [False] * (end - start)
        start = end + 1
    return [b for b, k in zip(blocks, keep) if k]


def is_teaser_list(items: list[str], anchors: Anchors) -> bool:
    """A list whose items mostly open with a link: related stories with their standfirsts."""
    if len(items) < MIN_TEASER_RUN or not anchors.texts:
        return False
    linked = sum(anchors.starts_line(_LIST_MARK.sub("", item)) for item in items)
    return linked >= _TEASER_LIST_SHARE * len(items)
