"""Named-entity mentions of one article: trimmed spans, labels repaired with article context,
one canonical name per entity.

`ent_mention` and `cue_mentions` read a parsed Doc: the model's entities with the role each
plays in its clause, and names the model left untagged. `resolve_mentions` is string logic on
plain mentions (offsets into the article body), so it runs on any NER output: it applies the
registered repairs of `newskit.entity_rules` in order, then gives every mention its canonical
name: "Putin" -> "Vladimir Putin" (the earliest full name with that surname or given name),
"ICC" -> "International Criminal Court" when the article spells it out, "OSLO" -> "Oslo", and a
few country aliases ("U.S." -> "United States").
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy
from spacy.attrs import ENT_TYPE, POS
from spacy.parts_of_speech import PROPN as PROPN_POS

from newskit.entity_rules import (
    _ACRONYM,
    _NAME_WORDS,
    _WHO,
    COMMON_ACRONYMS,
    EVENT_HEADS,
    LEGAL_SUFFIXES,
    PERSON,
    Mention,
    Rule,
    _head_label,
    _person_for,
    full_org_names,
    run_rules,
    trim,
)
from newskit.gazetteer import is_given_name, is_known_place

__all__ = ["Mention", "cue_mentions", "ent_mention", "ent_role", "resolve_mentions", "trim"]

# Well-known aliases the article need not spell out.
ALIASES = {
    "U.S.": "United States", "US": "United States", "U.S.A.": "United States",
    "USA": "United States", "United States of America": "United States",
    "UK": "United Kingdom", "U.K.": "United Kingdom", "Britain": "United Kingdom",
    "Great Britain": "United Kingdom", "EU": "European Union", "E.U.": "European Union",
    "UN": "United Nations", "U.N.": "United Nations",
}  # fmt: skip
_ACRONYM_FILLERS = frozenset({"of", "the", "for", "and", "on", "in", "de", "du", "des", "la", "&"})
_CAPITALISED_RUN = re.compile(
    r"\b[A-Z][\w'’-]*(?:\s+(?:(?:of|the|for|and|on|in|de|du|des|la|&)\s+)*[A-Z][\w'’-]*)+"
)
SPEECH_VERBS = frozenset(
    {"say", "tell", "add", "explain", "argue", "claim", "insist", "write", "recall", "note", "admit",
     "warn", "ask", "reply", "believe", "think", "feel", "complain", "describe", "tweet", "testify"}
)  # fmt: skip
PERSONAL_PRONOUNS = frozenset({"he", "his", "him", "himself", "she", "her", "hers", "herself"})
_ROMAN = re.compile(r"^[IVXLCDM]+$")
# Dependencies of a speech verb that make it speech: what was said, or a quote beside it.
_SAID_DEPS = frozenset({"ccomp", "parataxis", "xcomp", "advcl"})


def resolve_mentions(
    mentions: list[Mention], body: str, sentence_ranges: list[tuple[int, int]] | None = None, rules: list[Rule] | None = None
) -> list[Mention]:
    """Mentions after the entity rules (`newskit.entity_rules.RULES`, or `rules`), with canonical
    names, in text order."""
    article = run_rules(mentions, body, sentence_ranges, rules)
    found, people = article.mentions, article.people()
    full_names = full_org_names(found)
    expansions: dict[str, str] | None = None
    resolved = []
    for m in sorted(found, key=lambda m: m.start):
        canonical = " ".join(m.text.split())
        if m.label == PERSON:
            person = _person_for(canonical, m.start, people)
            if person is not None:
                canonical = person.full
        elif canonical in ALIASES:
            canonical = ALIASES[canonical]
        elif canonical.isupper() and m.label == "GPE" and is_known_place(canonical.title()):
            canonical = canonical.title()  # "OSLO" in a dateline
        elif _ACRONYM.match(canonical):
            if expansions is None:
                expansions = _expansions(found, body)
            canonical = expansions.get(_acronym_letters(canonical), canonical)
        elif m.label == "ORG":
            canonical = _with_legal_suffix(canonical, found)
            if " " not in canonical:
                canonical = full_names.get(canonical, canonical)
        resolved.append(replace(m, canonical=canonical))
    return resolved


def _speaks(verb) -> bool:  # type: ignore[no-untyped-def]
    """Whether a verb of saying is used for speech ("Norway said", "X told reporters that ..."),
    not for its other senses ("Norway recalled its envoy", "warned Russia")."""
    if verb.lemma_ not in SPEECH_VERBS:
        return False
    children = [c.dep_ for c in verb.children]
    return "dobj" not in children or any(dep in _SAID_DEPS for dep in children)


def _acronym_letters(acronym: str) -> str:
    return acronym.replace(".", "").replace("&", "")


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w.lower() not in _ACRONYM_FILLERS and w[:1].isupper())


def _expansions(mentions: list[Mention], body: str) -> dict[str, str]:
    """Initials -> the spelled-out name: a multi-word mention with those initials, else a
    capitalised phrase the body follows with the acronym in brackets ("... Court (ICC)")."""
    found: dict[str, str] = {}
    for m in sorted(mentions, key=lambda m: m.start):
        if m.label != PERSON and " " in m.text:
            found.setdefault(_initials(m.text), " ".join(m.text.split()))
    for match in _CAPITALISED_RUN.finditer(body):
        bracket = re.match(r"\s*\(([A-Z][A-Z.&]+)\)", body[match.end() : match.end() + 12])
        if bracket is None:
            continue
        words = match.group(0).split()
        letters = _acronym_letters(bracket.group(1))
        for k in range(len(words)):  # the run may start before the name ("In March the ...")
            if words[k][:1].isupper() and words[k] not in ("The", "A", "An") and _initials(" ".join(words[k:])) == letters:
                found.setdefault(letters, " ".join(words[k:]))
                break
    return found


def _rest_of_sentence(doc, i: int):
    """Tokens after token i up to the end of its sentence (without building sentence spans)."""
    end = i + 1
    while end < len(doc) and not doc[end].is_sent_start:
        end += 1
    return doc[i + 1 : end]


def _shouting(doc, i: int) -> bool:
    """Whether the words around token i are all capitals (a headline), so capitals mean nothing."""
    window = doc[max(0, i - 4) : i + 5]
    words = [t.text for t in window if t.is_alpha]
    return len(words) > 2 and all(w.isupper() for w in words)


SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})


def ent_mention(ent, offset: int = 0) -> Mention:
    """The Mention of a spaCy entity span (offsets + offset), with its parse role. A given name
    the model left out just before a short name makes the whole a person ("Teodor" + "Vasquez
    Hale" tagged ORG)."""
    doc, start = ent.doc, ent.start
    if start > 0 and len(ent) <= 2:
        before = doc[start - 1]
        if before.pos_ == "PROPN" and before.is_title and not before.ent_type_ and is_given_name(before.text):
            if _NAME_WORDS.isdisjoint(t.text for t in ent) and not is_known_place(ent.text):
                return Mention(offset + before.idx, offset + ent.end_char, doc[before.i : ent.end].text, PERSON, role=ent_role(ent))
    return Mention(offset + ent.start_char, offset + ent.end_char, ent.text, ent.label_, role=ent_role(ent))


def ent_role(ent) -> str:
    """The role a spaCy entity span plays in its clause (see `Mention.role`)."""
    root = ent.root
    dep = root.dep_
    if dep in SUBJECT_DEPS:
        if _speaks(root.head):
            return "speaker"
        if any(t.lower_ in PERSONAL_PRONOUNS for t in _rest_of_sentence(ent.doc, root.i)):
            return "speaker" if len(ent) == 1 else "person_subject"
        return "subject"
    if dep == "poss":
        possessed = root.head.lemma_
        if possessed in STATE_POSSESSIONS or (possessed == "government" and ent.label_ != PERSON):
            return "state"  # "Norvania's economy"; "Merkel's government" is a person's
        return "possessor"
    return ""


# What only a country or region has: "Eastmark's economy", "Norland's parliament".
STATE_POSSESSIONS = frozenset(
    "economy parliament capital constitution military army navy currency population "
    "gdp inflation unemployment exports imports border borders coastline embassy citizens".split()
)


def cue_mentions(doc, offset: int = 0) -> list[Mention]:
    """Names a parsed paragraph's NER left untagged, found from cues in the parse: a proper noun
    that speaks ("Leive said"), is a "who", or is the subject of a clause about "his"/"her" is a
    PERSON; an all-caps proper noun ("GCHQ") is an ORG; a one-word proper noun after in/at/near
    ("the freight line at Ostby") is a GPE. `doc` is a spaCy Doc; offsets + offset."""
    found: list[Mention] = []
    array = doc.to_array([POS, ENT_TYPE])
    for i in numpy.flatnonzero((array[:, 0] == PROPN_POS) & (array[:, 1] == 0)).tolist():
        token = doc[i]
        if token.is_stop:
            continue
        text = token.text
        if text.isupper() and 2 <= len(text) <= 6 and text.replace("&", "").isalpha():
            if text not in COMMON_ACRONYMS and not _ROMAN.match(text) and not _shouting(doc, token.i):
                found.append(Mention(offset + token.idx, offset + token.idx + len(text), text, "ORG"))
            continue
        if token.dep_ == "poss" and token.is_title and token.head.lemma_ in STATE_POSSESSIONS:
            found.append(Mention(offset + token.idx, offset + token.idx + len(text), text, "GPE"))  # "Eastmark's economy"
            continue
        next_is_name = token.i + 1 < len(doc) and doc[token.i + 1].pos_ == "PROPN"
        if next_is_name and is_given_name(text) and (token.i == 0 or doc[token.i - 1].pos_ != "PROPN"):
            name = _untagged_name(doc, token.i)
            if name is not None:
                found.append(Mention(offset + name.start_char, offset + name.end_char, name.text, PERSON))
                continue
        if (
            token.is_title
            and not next_is_name
            and token.i > 0
            and doc[token.i - 1].lower_ in ("in", "at", "near")
            and token.dep_ == "pobj"
            and not doc[token.i - 1].is_sent_start
        ):
            found.append(Mention(offset + token.idx, offset + token.idx + len(text), text, "GPE"))  # "at Ostby"
            continue
        if not token.is_title or token.dep_ not in ("nsubj", "nsubjpass") or next_is_name:
            continue
        head = token.head
        # from the tokens, not doc.text: Doc.text joins the whole doc on every call
        follows = "".join(t.text_with_ws for t in doc[token.i : token.i + 9])[len(text) : len(text) + 8]
        speaks = _speaks(head)
        who = _WHO.match(follows) is not None
        about_him = any(t.lower_ in PERSONAL_PRONOUNS for t in _rest_of_sentence(doc, token.i))
        if speaks or who or about_him:
            start = token
            while start.i > 0 and doc[start.i - 1].pos_ == "PROPN" and doc[start.i - 1].is_title and not doc[start.i - 1].ent_type_:
                start = doc[start.i - 1]
            found.append(Mention(offset + start.idx, offset + token.idx + len(text), doc[start.i : token.i + 1].text, PERSON))
    return found


def _untagged_name(doc, i: int):
    """'Nils Ekdahl III': a given name at token i followed by one or two capitalised untagged
    proper nouns (and an optional generation suffix) that make no organisation or place name."""
    end = i + 1
    while end < len(doc) and end - i < 4 and doc[end].pos_ == "PROPN" and doc[end].is_title and not doc[end].ent_type_:
        end += 1
    if end < len(doc) and doc[end].text in ("Jr", "Jr.", "Sr", "Sr.", "II", "III", "IV") and not doc[end].ent_type_:
        end += 1
    if not 2 <= end - i <= 4 or (end < len(doc) and doc[end].pos_ == "PROPN"):
        return None
    span = doc[i:end]
    if is_known_place(span.text) or _head_label(Mention(0, 0, span.text, "RUN")) != "RUN" or span[-1].text in EVENT_HEADS:
        return None
    return span


def _with_legal_suffix(name: str, mentions: list[Mention]) -> str:
    """'Lenn Ferries' -> 'Lenn Ferries Ltd' when the article names the company in full."""
    for m in mentions:
        words = m.text.split()
        if m.label == "ORG" and len(words) >= 2 and words[-1] in LEGAL_SUFFIXES and " ".join(words[:-1]) == name:
            return m.text
    return name
