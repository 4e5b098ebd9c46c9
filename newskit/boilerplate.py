"""Rules that recognise boilerplate paragraphs: pleas, link teasers, sign-ups, notices, credits.

Every rule is about the *kind* of text (what a donation plea or a share line looks like), never
about a particular site. A rule only fires on paragraphs short enough to be that kind of text,
so an article paragraph that merely mentions "subscribers" or "cookies" is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newskit.normalise import fold_for_hash

_I = re.IGNORECASE


@dataclass(frozen=True)
class Rule:
    reason: str
    pattern: re.Pattern[str]
    max_words: int


def _rule(reason: str, pattern: str, max_words: int, flags: int = _I) -> Rule:
    return Rule(reason, re.compile(pattern, flags), max_words)


_SOCIAL = r"(?:facebook|twitter|x|linkedin|whatsapp|email|e-mail|pinterest|reddit|messenger|telegram|instagram|youtube|tiktok|print|copy link|flipboard|share|tweet|mail)"

_AGENCY = r"(?:getty images|shutterstock|afp|reuters|associated press|ap(?: photo)?|epa(?:-efe)?|alamy|istock(?:photo)?|dpa|picture alliance|pa (?:wire|media)|anadolu|xinhua|bloomberg)"

# "read more" / "related" teaser labels in the languages of our sources (en, de, es, fr, pt, it, pl, nl)
_READ_MORE = "|".join([
    r"read more|read also|also read|read next|read the full story|related(?: articles?| stories| coverage| content| news| reading| video| topics?)?",
    r"see also|more from [\w .]+|more on this(?: story)?|more|recommended(?: for you)?|most (?:read|popular)|what to read next",
    r"you (?:may|might) also like|trending(?: now)?|watch(?: now)?|click here|top stories|editor'?s picks?|further reading",
    r"lesen sie (?:auch|hier|mehr)|auch lesen|mehr zum thema|mehr dazu|mehr themen|weitere artikel(?: zum thema)?|schon gelesen",
    r"das könnte sie auch interessieren|auch interessant|empfohlene beiträge|ähnliche (?:beiträge|artikel)|verwandte artikel|passend dazu|weiterlesen",
    r"lea (?:también|más)|lee también|vea también|mire|leer más|ver más|notas relacionadas|noticias relacionadas|te puede interesar|temas",
    r"(?:à )?lire aussi|voir aussi|lire la suite|sur le même sujet|leia (?:também|mais)|veja também|saiba mais",
    r"leggi anche|potrebbe interessarti|articoli correlati|czytaj (?:też|także|więcej)|zobacz (?:też|także)|lees (?:ook|meer)",
    r"weitere (?:informationen|infos|themen|beiträge|artikel|nachrichten|meldungen)(?: [\w ]{0,40})?|lesen sie auch(?: [\w ]{0,30})?",
    r"(?:das|dieses) (?:thema )?könnte (?:dich|sie) auch interessieren|contenido relacionado|le puede interesar|más sobre [\w ]{1,40}",
    r"über diese reihe|kontakt|zusatzinformationen|quellenangaben|teilnehmende blogs|release date|kategorie|category",
])

RULES: tuple[Rule, ...] = (
    _rule("no_text", r"^[\W_]+$", 10),
    _rule("copyright", r"\ball rights reserved\b|\balle rechte vorbehalten\b|^materiał chroniony prawem|^our standards:|^sofern nicht anders (?:angegeben|ausgewiesen)", 20),
    _rule("advertisement", r"^(?:advertisement|advertising|ad|sponsored( content)?|anzeige|publicidade|publicidad|story continues below(?: (?:this )?advertisement)?|continue reading (?:the main story|below)|article continues (?:below|after (?:this )?advertisement))\W*$", 8),
    _rule("read_more", rf"^[\W_]*(?:{_READ_MORE})\s*(?:[:\-–—|»›>?!.]|$)", 30),
    _rule("read_more", r"^(?:read more|click here)\b.{0,40}\b(?:here|about|on|at)\b", 15),
    _rule("newsletter", r"(?:sign(?:ing)? up|subscribe|register)\b.{0,80}\b(?:newsletters?|inbox|e-?mail updates|daily briefing|alerts?)\b|\bnewsletters?\b.{0,60}\b(?:sign up|subscribe|inbox|delivered)\b", 60),
    _rule("subscription", r"^(?:subscribe(?: now| today)?|already (?:a subscriber|have an account)|become a (?:member|subscriber)|to continue reading|get unlimited (?:digital )?access|start your (?:free )?trial|this (?:article|content) is (?:for|available to) (?:subscribers|members)|you have reached your (?:free )?article limit)\b", 40),
    _rule("subscription", r"\bsubscribe\b.{0,60}\b(?:unlimited|for just|for only|per (?:month|week)|today|free trial)\b|\bsubscription\b.{0,40}\b(?:offer|for just|for only|per (?:month|week))\b", 40),
    _rule("cookie_notice", r"\b(?:we|this (?:web)?site|our (?:web)?site|our partners)\b.{0,60}\bcookies\b|\b(?:accept|allow|reject) (?:all )?cookies\b|\bcookies? (?:policy|settings|preferences|consent)\b|\bcookies\b.{0,80}\b(?:consent|browser settings)\b|\bnon-essential cookies\b|\baccept all\W{0,3}.{0,60}\breject all\b", 80),
    _rule("share_line", rf"^(?:share(?: this| on| the| via)?(?: article| story| page| post)?|click to share|follow (?:us|me|@\w+)(?: on)?|like us on)\b[\s:]*(?:{_SOCIAL}\b[\s,|/:·•]*)*\W*$", 20),
    _rule("share_line", rf"^(?:{_SOCIAL}\b[\s,|/:·•]*){{2,}}$", 20),
    _rule("share_line", r"^(?:copy (?:the )?link|print(?: this)?(?: article| page)?|e-?mail(?: this)?(?: article)?|send by e-?mail)\W*$", 4),
    _rule("share_line", r"^(?:follow|connect with) (?:us|me|[A-Z][\w.]+(?: [A-Z][\w.]+)?) on (?:twitter|facebook|instagram|linkedin|x)\b|^follow @\w+", 40),
    _rule("comment_notice", r"^(?:comments? (?:are|is) (?:closed|disabled|turned off)|leave a (?:comment|reply)|join the (?:conversation|discussion|debate)|view (?:\d+ )?comments|show comments|post a comment|add a comment|\d+ comments?|be the first to comment|comments have been (?:closed|disabled)|we welcome (?:your )?comments|commenting (?:is|has been) (?:closed|disabled))\b", 40),
    _rule("reporting_credit", r"^\(?\s*(?:additional |further )?(?:reporting|writing|research) by\b.{0,200}(?:\b(?:editing|edited) by\b|;|\)\s*$|$)", 60),
    _rule("reporting_credit", r"^\(?\s*(?:editing|edited|compiled|produced|written) by\b.{0,150}$|^contributing:\s", 30),
    _rule("photo_credit", r"^\(?\s*(?:photos?|photograph|picture|image|images|credit|photo credit|image credit|foto|fotos|bild)\s*(?:by\b|:|/)", 20),
    _rule("photo_credit", rf"^\(?\s*(?:[\w .,'’&-]{{1,60}}\s*/\s*)?{_AGENCY}(?:\s*(?:via|/)\s*[\w .]+)?\s*\)?$", 12),
    _rule("photo_credit", r"^\(\s*(?:ap|afp|reuters|getty|epa|pa)\b[^)]{0,80}\)$", 14),
    _rule("gallery_marker", r"^(?:open image in gallery|view (?:image in )?gallery|view (?:all )?\d+ (?:images|photos)|(?:image|photo|slide) \d+ (?:of|/) \d+|enlarge (?:this )?image|toggle caption|hide caption|expand)\W*$", 12),
    _rule("dateline", r"^(?:updated|published|posted|last (?:updated|modified)|first published)\b[\s:]+.{0,60}\b(?:\d{1,2}:\d{2}|\d{4}|ago|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\b.{0,40}$", 16),
    _rule("newsletter", r"^(?:thanks? (?:you )?for (?:signing up|subscribing)|keep an eye on your inbox|there was an error processing your subscription|sorry!?$)", 14),
    _rule("subscription", r"^(?:to (?:view|read) the (?:full|rest of the) (?:story|article),? (?:please )?(?:subscribe|log ?in|sign in)|pour (?:lire la suite|accéder en illimité)|jetzt abonnieren|zum weiterlesen|weiterlesen mit)", 40),
    _rule("photo_credit", r"^\(?\s*(?:©|copyright\s*:|crédits? photos?\s*:|bild(?:quelle)?\s*:|titelbild\s*:|fotos?\s*:|foto(?:grafie)?\s*:)", 16),
    _rule("share_line", r"^(?:teilen(?: mit)?|compartir|partager|condividi|udostępnij|compartilhe)\s*:?\s*$", 4),
    _rule("page_chrome", r"^(?:bild anzeigen|inhaltsverzeichnis|table of contents|contents|wird geladen|loading|print|drucken|zurück|back to top|nach oben|top)\W*$", 4),
    _rule("read_more", r"^(?:mehr zum thema|more on|more from|mehr von|mehr bei|auch auf)\b.{0,40}$|^(?:lea|lee|mira|vea|lesen sie|lies|czytaj|leia|leggi|lire)\s*:|^(?:vorschau auf den )?(?:nächster|vorheriger) artikel\b|^(?:next|previous) (?:article|story|post)\b", 8),
    _rule("subscription", r"\balready (?:a subscriber|subscribed)\b|\bbereits abonnent\b|\bdéjà abonné\b", 40),
    _rule("figure_caption", r"^(?:abbildung|abb\.|figure|fig\.|grafik|grafico|gráfico|tabelle|table|bild|image|photo|foto)\s*\d+\s*[:.]", 40),
    _rule("photo_credit", r"(?:^|\s[|–—-]\s|\s)©\s*[\w .,&/'’-]{2,60}$", 20),
    _rule("app_promo", r"\bdownload (?:the|our) .{0,60}\bapps?\b|\b(?:unser(?:en|e)?|our|nuestro|notre|nosso)\b.{0,25}\b(?:youtube|telegram|whatsapp|instagram|tiktok)[- ]?(?:channel|canal|kanal)\b|\bcanal de (?:youtube|telegram|whatsapp)\b", 30),
    _rule("donation_plea", r"^(?:unterstütze|unterstützen sie|apoya|soutenez|wesprzyj|apoie)\s+(?:uns|unsere?n?|nuestro|notre|nosso|[A-Z]\w+)\b", 15, 0),
    _rule("page_chrome", r"^video verfügbar bis\b|^(?:video|audio) (?:available|verfügbar) (?:until|bis)\b", 8),
    _rule("dateline", r"^(?:aktualisiert|veröffentlicht|letzte änderung|zuletzt (?:aktualisiert|geändert)|stand|erstellt|geändert|news date|publié le|mis à jour|actualizado|publicado)\b(?: am| le| el)?\s*:?\s*\d", 12),
    _rule("dateline", r"^(?:\d{1,2}\.\d{1,2}\.\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4})(?:\s*[|,–-]\s*[\w .:]{0,30})?$", 6),
    _rule("source_credit", r"^\(?(?:quelle|quellen|source|sources|fuente|fonte|źródło)\s*:", 10),
    _rule("photo_credit", r"^(?:fot\.|beitragsbild\s*:|bildnachweis\s*:|image source\s*:)", 16),
    _rule("advertisement", r"^\*?(?:anzeige|werbung|advertisement|sponsored|publicidad|reklama)\b", 12),
    _rule("comment_notice", r"^(?:keine kommentare|kommentare insgesamt|\d+ kommentare?|kommentar schreiben|kommentieren|no comments(?: yet)?|sin comentarios|aucun commentaire)\b", 12),
    _rule("newsletter", r"\bnewsletter\b|\bsign up (?:here|now|today)\b|\bjetzt anmelden\b", 12),
    _rule("page_chrome", r"\b(?:nicht eingeloggt|not logged in|not signed in)\b|^\(?alle angaben ohne gewähr\)?$", 10),
    _rule("reading_time", r"\b(?:\d+\s*)?(?:min(?:ute)?s? read|minuten? lesezeit)\b|^lesezeit\b|\bprzeczytasz w\b|^tiempo de lectura\b", 10),
    _rule("contact_line", r"^(?:tel(?:efon|\.)?|phone|fax)\s*[.:]?\s*\+?[\d(]", 12),
    _rule("byline", r"^[Bb][Yy]\s+[A-Z][\w.'’-]+(?:\s+(?:[A-Z][\w.'’-]+|and|&|,|de|van|von|da|le))*(?:\s*[,|–—-]\s*.{0,60})?$", 14, 0),
)

_PLEA_CUES = re.compile(
    r"\b(?:your support|support (?:us|now|our|independent|quality|journalism)|donat\w*|contribut\w* (?:to|today|now)|"
    r"make a (?:contribution|donation|gift)|(?:independent|quality|trusted|free) journalism|paywalls?|reader[- ]funded|"
    r"funded by (?:our )?readers|keep (?:our )?journalism|every contribution|support makes|afford it|become a (?:member|supporter)|"
    r"subscribe (?:now|today)|sending journalists|reporters on the ground|bezahlschranke|unterstütz\w+ (?:uns|unsere?n? arbeit)|spende\w*|freiwillig\w* (?:beitrag|zahlen))\b",
    _I,
)
# a plea asks the reader: at least one of these must be present, not only words about donations
_PLEA_APPEAL = re.compile(
    r"\b(?:your (?:support|donation|contribution)|support (?:us|now|our|independent|quality)|donate (?:now|today)|"
    r"make a (?:contribution|donation|gift)|subscribe (?:now|today)|become a (?:member|supporter|subscriber)|"
    r"every contribution|reader[- ]funded|paywalls?|bezahlschranke|unterstütz\w+ (?:uns|unsere?n? arbeit))\b",
    _I,
)
_PLEA_CLOSERS = re.compile(
    r"(?:read more|support now|donate now|donate|contribute now|subscribe now|your support makes all the difference\.?|"
    r"support (?:us|independent journalism)(?: today| now)?|thank you\.?)(?=\s|$)",
    _I,
)
_PLEA_MAX_WORDS = 300


def _word_count(text: str) -> int:
    return len(text.split())


def _distinct_plea_cues(text: str) -> int:
    return len({m.group(0).lower() for m in _PLEA_CUES.finditer(text)})


def is_plea(text: str) -> bool:
    """A donation or subscription plea: several distinct plea phrases in one short-enough text."""
    words = _word_count(text)
    return (
        words <= _PLEA_MAX_WORDS
        and _PLEA_APPEAL.search(text) is not None
        and _distinct_plea_cues(text) >= (2 if words <= 60 else 3)
    )


def split_leading_plea(text: str) -> tuple[str, str]:
    """Split a plea glued in front of real text: returns (plea, rest); plea is "" when there is none.

    The plea ends at its last closing phrase ("Read more", "Support now", ...) that still has
    plea cues before it; whatever follows is the article's own first paragraph.
    """
    end = 0
    for match in _PLEA_CLOSERS.finditer(text):
        if _distinct_plea_cues(text[: match.end()]) < 2:
            continue
        if match.start() - end > 400 and not _PLEA_CUES.search(text[end : match.start()]):
            break  # a long stretch without any plea phrase: this closer is inside the article
        end = match.end()
    if end == 0 or not is_plea(text[:end]):
        return ("", text) if not is_plea(text) else (text, "")
    rest = text[end:].strip()
    return text[:end].strip(), rest


def title_variants(title: str | None) -> frozenset[str]:
    """The folded title and its pieces around " | ", " - ", ": " (site names are glued that way)."""
    if not title:
        return frozenset()
    parts = [title, *re.split(r"\s+[|–—-]\s+|\s*[|:]\s+", title)]
    return frozenset(fold_for_hash(p).rstrip(" .") for p in parts if len(p) >= 15)


def repeats_title(text: str, title_parts: frozenset[str]) -> bool:
    if not title_parts or not any(abs(len(text) - len(part)) <= 3 + len(part) // 10 for part in title_parts):
        return False  # folding keeps lengths within a few characters: skip the costly fold otherwise
    return fold_for_hash(text).rstrip(" .") in title_parts


def boilerplate_reason(text: str, title: str | frozenset[str] | None = None) -> str | None:
    """The kind of boilerplate a paragraph is, or None for article text.

    `title` is the article title or, when calling for many paragraphs, its `title_variants`.
    """
    stripped = text.strip()
    if not stripped:
        return "empty"
    if repeats_title(stripped, title if isinstance(title, frozenset) else title_variants(title)):
        return "title_repeat"
    words = _word_count(stripped)
    for rule in RULES:
        if words <= rule.max_words and rule.pattern.search(stripped):
            return rule.reason
    if is_plea(stripped):
        return "donation_plea"
    return None
