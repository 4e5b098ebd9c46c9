"""Generated news pages for the throughput benchmarks: invented, seeded, about 500 words each.

A day is a landing folder of HTML pages (a site layout with navigation, byline, a photo caption, a
newsletter plea and a footer that repeat on every page of the site), text scrapes (a `date` header,
a title line, "open image in gallery" captions and "Read more" lines) and JSON lines (a URL and the
text, or the HTML). Stories are drawn from sentence frames filled with people, titles,
organisations, invented places, numbers in the forms news uses ("nearly 19,500 children", "$48
million", "three hours", "14 percent"), days and months, so spaCy sees names, numbers and places
as it would in real news. Nothing is copied from a real page.
"""

from __future__ import annotations

import html
import json
import random
from datetime import date
from pathlib import Path

FIRST = ["Ada", "Tomas", "Priya", "Owen", "Ines", "Ruth", "Felix", "Grete", "Marcus", "Leila", "Jonah", "Sofia",
         "Callum", "Hana", "Pavel", "Imogen", "Desmond", "Clara", "Miriam", "Daniel", "Anders", "Yusuf", "Marta",
         "Kwame", "Elena", "Rafael", "Noor", "Declan", "Ingrid", "Samuel", "Aiko", "Bruno", "Fatima", "Gideon"]
LAST = ["Brennan", "Leclerc", "Natarajan", "Maddox", "Carvalho", "Okonkwo", "Amsel", "Holm", "Webb", "Haddad",
        "Price", "Marin", "Reid", "Sato", "Novak", "Frost", "Achebe", "Voss", "Okafor", "Lindqvist", "Moreau",
        "Keller", "Osei", "Varga", "Quinlan", "Ferreira", "Nakamura", "Albright", "Delacroix", "Mensah"]
ROLES = ["council leader", "chief executive", "head teacher", "police spokesman", "harbour master", "mayor",
         "finance director", "union organiser", "fire chief", "hospital manager", "planning officer", "coach"]
PLACES = ["Ashby", "Bramwell", "Coldharbour", "Dunmore", "Elsworth", "Fernhill", "Glenrock", "Hollins",
          "Ivybridge", "Juniper Vale", "Kestrel Point", "Longford", "Millbrook", "Netherby", "Oakhurst",
          "Pennock", "Quarry Hill", "Redcliffe", "Saltmarsh", "Thornbury", "Harwick", "Lanmouth", "Carrowmere"]
ORGS = ["Northline Power", "the Coastal Development Fund", "Harwick District Council", "the Lanmouth Port Authority",
        "Bramwell General Hospital", "the Valley Water Board", "Redcliffe Rovers", "Fernhill Academy Trust",
        "the Regional Transport Agency", "Kestrel Bank", "the Saltmarsh Fishing Cooperative", "Dunmore Steel"]
THINGS = ["footbridge", "swimming pool", "tram depot", "market hall", "cycle lane", "flood barrier", "ferry terminal",
          "lifeboat station", "bus route", "clinic", "library", "stadium", "bypass", "rail line", "school", "pier"]
COUNTED = ["families", "children", "passengers", "workers", "homes", "patients", "visitors", "students",
           "volunteers", "jobs", "households", "drivers", "nurses", "tickets"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
SMALL = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
UNITS = ["hours", "days", "weeks", "months", "years", "minutes"]
VERBS = ["rebuild", "close", "reopen", "extend", "sell", "repair", "move", "insure", "survey", "replace"]

FRAMES = [
    "{person}, the {role} of {place}, said on {day} that the {thing} would {verb} by {month} at a cost of {money}.",
    "Work on the {thing} in {place} stopped for {small} {unit} after {person} asked {org} to {verb} it first.",
    "{person} told a packed meeting in {place} that {qual} {count} {counted} had written to oppose the plan.",
    "A survey for {org} found {count} faults in the {thing} at {place}, and {last} wants to {verb} it soon.",
    "The {place} {thing} drew {count} {counted} in {month}, figures published by {org} on {day} show.",
    "\"We cannot wait another {small} {unit},\" said {person}, who has led the campaign in {place} since {year}.",
    "{org} said {pct} percent of {counted} in {place} had waited more than {small} {unit} last year.",
    "Prices rose by {pct} percent in {month}, and {last} said {org} expected {money} in extra costs.",
    "Police closed the road between {place} and {place2} for {small} {unit} on {day} after a lorry overturned.",
    "The {role}, {person}, said {org} had set aside {money} to {verb} the {thing} before {month}.",
    "About {count} {counted} use the {thing} each day, and the nearest alternative adds {minutes} minutes to a trip.",
    "{last} said the vote on {day} was the end of a long wait for {counted} in {place} and {place2}.",
    "Under the deal {org} will pay half of the estimated {money}, and work is due to begin in {month} {year2}.",
    "Opposition member {person} said the plan relied on a grant from {org} that had not yet been confirmed.",
    "The storm brought gusts of up to {speed} km an hour to {place}, and {qual} {count} {counted} lost power.",
    "{person} scored twice as {place} beat {place2} {score} on {day} in front of {count} supporters.",
    "The court in {place} heard on {day} that {last} had taken {money} from {org} over {small} {unit}.",
    "{org} plans to hire {qual} {count} more staff over the next {small} months, {person} said.",
]

SITES = [
    ("harwick-post.example", "Harwick Post"),
    ("valley-courier.example", "Valley Courier"),
    ("lanmouth-herald.example", "Lanmouth Herald"),
    ("coastal-times.example", "Coastal Times"),
    ("northfield-gazette.example", "Northfield Gazette"),
]


def _count(rng: random.Random) -> str:
    n = rng.choice([rng.randint(12, 990), rng.randint(1_000, 99_000), rng.randint(100, 9_999)])
    return f"{n:,}"


def _money(rng: random.Random) -> str:
    return rng.choice([f"${rng.randint(2, 480)} million", f"£{rng.randint(1, 90)}.{rng.randint(1, 9)}m",
                       f"{rng.randint(20, 900)},000 euros", f"${rng.randint(2, 99)},{rng.randint(100, 999)}"])


def sentence(rng: random.Random) -> str:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    place, place2 = rng.sample(PLACES, 2)
    text = rng.choice(FRAMES).format(
        person=f"{first} {last}", last=last, role=rng.choice(ROLES), place=place, place2=place2,
        org=rng.choice(ORGS), thing=rng.choice(THINGS), verb=rng.choice(VERBS), day=rng.choice(DAYS),
        month=rng.choice(MONTHS), money=_money(rng), small=rng.choice(SMALL), unit=rng.choice(UNITS),
        qual=rng.choice(["nearly", "about", "more than", "almost", "at least", "fewer than"]), count=_count(rng),
        counted=rng.choice(COUNTED), pct=rng.randint(2, 48), year=rng.randint(1998, 2024),
        year2=rng.randint(2026, 2030), minutes=rng.randint(5, 90), speed=rng.randint(60, 160),
        score=f"{rng.randint(1, 5)}-{rng.randint(0, 3)}",
    )
    return text[0].upper() + text[1:]


def story(rng: random.Random, words: int = 500) -> tuple[str, list[str]]:
    """(title, paragraphs) of about `words` words."""
    paragraphs, total = [], 0
    while total < words:
        paragraph = " ".join(sentence(rng) for _ in range(rng.randint(2, 4)))
        paragraphs.append(paragraph)
        total += len(paragraph.split())
    title = f"{rng.choice(PLACES)} {rng.choice(THINGS)} to {rng.choice(VERBS)} after {rng.choice(DAYS).lower()} vote"
    return title[0].upper() + title[1:], paragraphs


def _html_page(rng: random.Random, site: tuple[str, str], day: date, n: int, title: str, paragraphs: list[str]) -> str:
    domain, name = site
    author = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    caption = f"The {rng.choice(THINGS)} at {rng.choice(PLACES)} on {rng.choice(DAYS)}"
    related = "".join(f'<li><a href="/news/{n}-{k}">{html.escape(story(rng, 8)[0])}</a></li>' for k in range(4))
    return f"""<!doctype html><html lang="en"><head><title>{html.escape(title)} | {name}</title>
<meta property="og:site_name" content="{name}"><meta name="author" content="{author}">
<meta property="article:published_time" content="{day.isoformat()}T{rng.randint(5, 22):02d}:{rng.randint(0, 59):02d}:00Z">
<link rel="canonical" href="https://{domain}/news/{day.isoformat()}/{n}"></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a> <a href="/business">Business</a></nav>
<article><h1>{html.escape(title)}</h1><p class="byline">By {author}</p>
<figure><img src="/img/{n}.jpg"><figcaption>{caption}. Photo: {rng.choice(LAST)} / {name}</figcaption></figure>
{body}
<p>Sign up to the {name} morning briefing and get the stories that matter to your town in your inbox every day.</p>
</article><aside><h2>Most read</h2><ul>{related}</ul></aside>
<footer><p>{name} is published by the {rng.choice(LAST)} Media Trust. All rights reserved.</p></footer></body></html>"""


def _text_scrape(rng: random.Random, day: date, title: str, paragraphs: list[str]) -> str:
    parts = [f"date {day.isoformat()}", title, *paragraphs[:2],
             f"open image in gallery The {rng.choice(THINGS)} in {rng.choice(PLACES)} ( {rng.choice(FIRST)} {rng.choice(LAST)} )",
             *paragraphs[2:], "Read more", "Help keep local news free. Donate today and support reporting you trust."]
    return parts[0] + "\n" + "\n\n".join(parts[1:])


def write_news_day(root: Path, day: date, pages: int, seed: int = 0, words: int = 500) -> Path:
    """Write `pages` generated scrapes for `day` under `root/<day>/`; returns the day folder."""
    rng = random.Random(f"{seed}:{day.isoformat()}")
    folder = root / day.isoformat()
    folder.mkdir(parents=True, exist_ok=True)
    feeds: dict[str, list[str]] = {}
    for n in range(pages):
        site = SITES[n % len(SITES)]
        title, paragraphs = story(rng, words)
        kind = (n // len(SITES)) % 3
        if kind == 0:
            target = folder / site[0] / f"story-{n}.html"
            target.parent.mkdir(exist_ok=True)
            target.write_text(_html_page(rng, site, day, n, title, paragraphs), encoding="utf-8")
        elif kind == 1:
            target = folder / site[0] / f"story-{n}.txt"
            target.parent.mkdir(exist_ok=True)
            target.write_text(_text_scrape(rng, day, title, paragraphs), encoding="utf-8")
        else:
            url = f"https://{site[0]}/wire/{day.isoformat()}/{n}"
            record = ({"url": url, "html": _html_page(rng, site, day, n, title, paragraphs)} if n % 2
                      else {"url": url, "text": title + "\n\n" + "\n\n".join(paragraphs)})
            feeds.setdefault(f"wire-{n % 4}.jsonl", []).append(json.dumps(record))
    for name, lines in feeds.items():
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder
