"""The unit every extraction stage passes on: one paragraph-like block of an article."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

BlockKind = Literal["body", "caption", "credit"]


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str
    tag: str = "p"  # structure the extractor saw: p, head, list, quote, table (HTML) or p (text)
