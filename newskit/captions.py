"""Image captions and photo credits: gallery lines in text scrapes, <figcaption> in HTML.

A credit is split from its caption so that photographers and agencies never reach the article
body (entity extraction would count them as people in the story).
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

_GALLERY_LINE = re.compile(r"^\s*(?:open image in gallery|view image in gallery|image in gallery)\s*", re.IGNORECASE)
_CREDIT_WORDS = r"(?:photo(?:graph)?s?|picture|image|credit|courtesy|source|foto|bild|illustration)"
# "( Name/Agency )" or "(Photo: Name)" at the end of a caption.
_TRAILING_PARENS = re.compile(r"\s*\(\s*([^()]{2,160}?)\s*\)\s*\.?\s*$")
# "Photo: Name", "Credit: Agency", "Photograph by Name" at the end.
_TRAILING_LABEL = re.compile(rf"\s*[|.–—-]?\s*\b({_CREDIT_WORDS}(?: credit)?\s*(?::|by\b)\s*[^.]{{2,120}}?)\s*$", re.IGNORECASE)
# "... Name/Getty Images" or "... REUTERS/Name" at the end.
_TRAILING_AGENCY_SLASH = re.compile(r"\s+([A-Z]{2,}/\s*[A-Z][\w .'’-]{1,60})\s*$")
_TRAILING_NAME_SLASH = re.compile(r"\s+([A-Z][\w.'’-]*\s[A-Z][\w.'’-]*/\s*[A-Z][\w .'’-]{1,60})\s*$")
_CREDIT_HINT = re.compile(rf"/|\b{_CREDIT_WORDS}\b|getty|reuters|afp|\bap\b|associated press|epa|shutterstock|alamy|©|\bvia\b", re.IGNORECASE)
_CREDIT_CLASS = re.compile(r"credit|copyright|byline|source|author|photographer|attribution", re.IGNORECASE)


def split_credit(caption: str) -> tuple[str, str | None]:
    """("caption text", "credit") from a caption that ends in a photo credit; credit None if there is none."""
    text = caption.strip()
    for pattern in (_TRAILING_PARENS, _TRAILING_LABEL, _TRAILING_AGENCY_SLASH, _TRAILING_NAME_SLASH):
        match = pattern.search(text)
        if match and _looks_like_credit(match.group(1), short_names_ok=pattern is _TRAILING_PARENS):
            return text[: match.start()].strip(), match.group(1).strip()
    return text, None


def _looks_like_credit(text: str, short_names_ok: bool) -> bool:
    """Agency names, slashes or credit words; in parentheses a short capitalised name also counts."""
    return bool(_CREDIT_HINT.search(text)) or short_names_ok and len(text.split()) <= 4 and text[:1].isupper()


def gallery_caption(line: str) -> str | None:
    """The caption of an "open image in gallery <caption>" line of a text scrape, else None."""
    match = _GALLERY_LINE.match(line)
    return line[match.end():].strip() if match else None


def figure_captions(tree: HtmlElement) -> list[tuple[str, str | None]]:
    """(caption, credit) for every <figcaption> of a page, in document order.

    Credit elements inside the caption (class names like "credit", "copyright") give the credit
    directly; otherwise the credit is split off the caption text.
    """
    out: list[tuple[str, str | None]] = []
    for figcaption in tree.iter("figcaption"):
        credit_parts = []
        for el in figcaption.iter():
            if el is not figcaption and _CREDIT_CLASS.search(el.get("class", "") + " " + el.get("itemprop", "")):
                credit_parts.append(" ".join(el.text_content().split()))
        full = " ".join(figcaption.text_content().split())
        credit = " ".join(p for p in credit_parts if p) or None
        if credit:
            caption = full.replace(credit, "").strip()
        else:
            caption, credit = split_credit(full)
        if caption or credit:
            out.append((caption, credit))
    return out
