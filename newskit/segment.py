"""Body paragraphs and sentences with character offsets into the article body."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

PARAGRAPH_SEPARATOR = "\n\n"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"])")


@dataclass
class Segmented:
    body: str
    paragraphs: list[tuple[int, int]] = field(default_factory=list)  # (start, end) per paragraph
    sentences: list[tuple[int, int, int]] = field(default_factory=list)  # (paragraph_index, start, end)


def segment(paragraphs: list[str]) -> Segmented:
    body = PARAGRAPH_SEPARATOR.join(paragraphs)
    seg = Segmented(body=body)
    pos = 0
    for index, text in enumerate(paragraphs):
        seg.paragraphs.append((pos, pos + len(text)))
        start = 0
        for match in _SENTENCE_END.finditer(text):
            seg.sentences.append((index, pos + start, pos + match.start()))
            start = match.end()
        if start < len(text):
            seg.sentences.append((index, pos + start, pos + len(text)))
        pos += len(text) + len(PARAGRAPH_SEPARATOR)
    return seg
