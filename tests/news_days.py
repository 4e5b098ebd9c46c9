"""A generated landing folder of one news site over two weeks, for run-order and template tests.

Every page of `courier.example` carries the site's two template paragraphs. Each day with data has
one distinct story as a JSONL line (with a URL) and one as an HTML file without a URL (its site
comes from the folder); a developing story is fetched six times over the first week (versions of
one canonical URL, relative in the page); one wire story is filed in five sections on `WIRE_DAY`.
Story text is drawn from word lists with a fixed seed, so distinct stories share almost no word
triples (they must not look like near duplicates of each other).
"""

from __future__ import annotations

import json
import os
import random
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

SITE = "courier.example"
FIRST_DAY = date(2026, 3, 2)
# Two weeks, five of them with data; the days between are left out of the runs (a run of a day
# with no folder and no scrapes in the lake changes nothing), which keeps the suite fast.
DAYS = [FIRST_DAY + timedelta(days=n) for n in (0, 3, 6, 9, 13)]
WIRE_DAY = DAYS[3]
WIRE_SECTIONS = ["world", "business", "region", "politics", "transport"]
TEMPLATES = [
    "The Courier is owned by the Northfield Media Trust and has reported on the valley towns since 1911.",
    "Every story in this edition was checked by two editors before it went to print on the morning run.",
]
FIRE = [
    "Firefighters were called to a timber warehouse on Quay Street in Northfield harbour shortly after six "
    "in the morning, when dock workers saw smoke rising from the roof of the old customs shed.",
    "Eleven crews fought the blaze through the morning while the harbour master closed the inner basin to "
    "shipping and asked the owners of moored boats to stay away from the quay until it was safe.",
    "By noon the fire had spread to a second shed used by the fishing cooperative, and police evacuated "
    "forty homes on Rope Walk as a precaution against the thick smoke drifting over the old town.",
    "The fire service said on Tuesday evening that the blaze was under control but that crews would stay "
    "overnight to damp down hot spots in the collapsed roof timbers of the customs shed.",
    "Residents of Rope Walk were allowed back into their homes on Wednesday morning after air quality tests "
    "by the county showed the smoke had cleared from the streets around the harbour.",
    "Investigators from the fire service began work inside the ruined shed on Thursday and said it was too "
    "early to say how the fire started, though they had ruled out the electrical supply.",
    "The fishing cooperative said it had lost nets, ice machines and a year of stored gear worth about "
    "$400,000, and that its members would land their catch at Eastmoor until a new shed is built.",
]
# (day index, hour) of the six fetches of the developing story: six times within a week
FIRE_FETCHES = [(0, 9), (0, 18), (1, 9), (1, 18), (2, 9), (2, 18)]
WIRE = [
    "The governments of Northfield and Carrowmere signed an agreement on Monday to share the cost of "
    "deepening the channel into Lanmouth port, ending two years of talks over who should pay for it.",
    "Under the deal each side will pay half of the estimated $210 million, and dredging is due to begin "
    "next spring once the environmental survey of the estuary mud banks has been published.",
    "Port officials said the deeper channel would let container ships twice the size of today's call at "
    "Lanmouth, and that the number of jobs at the quays could grow by a fifth within five years.",
    "Fishing groups said they would watch the survey closely, because the estuary banks are nursery "
    "grounds for sole and plaice that the coastal fleet depends on through the winter months.",
]

_NAMES = ["Ada Brennan", "Tomas Leclerc", "Priya Natarajan", "Owen Maddox", "Ines Carvalho", "Ruth Okonkwo",
          "Felix Amsel", "Grete Holm", "Marcus Webb", "Leila Haddad", "Jonah Price", "Sofia Marin",
          "Callum Reid", "Hana Sato", "Pavel Novak", "Imogen Frost", "Desmond Achebe", "Clara Voss"]
_PLACES = ["Ashby", "Bramwell", "Coldharbour", "Dunmore", "Elsworth", "Fernhill", "Glenrock", "Hollins",
           "Ivybridge", "Juniper Vale", "Kestrel Point", "Longford", "Millbrook", "Netherby", "Oakhurst",
           "Pennock", "Quarry Hill", "Redcliffe", "Saltmarsh", "Thornbury"]
_BODIES = ["parish council", "water board", "school trust", "bus company", "hospital board", "library service",
           "planning office", "housing association", "chamber of trade", "rowing club"]
_THINGS = ["footbridge", "swimming pool", "tram depot", "market hall", "cycle lane", "flood barrier",
           "community orchard", "lifeboat station", "cinema", "skate park", "car park", "bandstand",
           "allotments", "bakery", "quarry road", "youth centre", "ferry ramp", "clock tower"]
_ACTS = ["rebuild", "close", "reopen", "extend", "sell", "repaint", "move", "insure", "survey", "light"]
_MONTHS = ["January", "February", "April", "June", "August", "September", "October", "November"]
_FRAMES = [
    "{name} of the {place} {body} said the {thing} would {act} by {month} at a cost of {n} thousand pounds.",
    "Work on the {thing} in {place} stopped for {n} days after {name} asked the {body} to {act} it first.",
    "{name} told a packed meeting in {place} that {n} families had written to oppose plans to {act} the {thing}.",
    "A survey for the {body} found {n} faults in the {thing} at {place}, and {name} wants to {act} it soon.",
    "The {place} {thing} drew {n} visitors in {month}, figures from the {body} published by {name} show.",
    "{name} said the {body} could {act} the {thing} only if {place} found another {n} volunteers by {month}.",
]


def _story(rng: random.Random, paragraphs: int = 3) -> tuple[str, list[str]]:
    def sentence() -> str:
        return rng.choice(_FRAMES).format(
            name=rng.choice(_NAMES), place=rng.choice(_PLACES), body=rng.choice(_BODIES), thing=rng.choice(_THINGS),
            act=rng.choice(_ACTS), month=rng.choice(_MONTHS), n=rng.randint(12, 990),
        )

    title = f"{rng.choice(_PLACES)} {rng.choice(_THINGS)} plan divides {rng.choice(_BODIES)}"
    return title, [f"{sentence()} {sentence()}" for _ in range(paragraphs)]


def page(title: str, paragraphs: list[str], section: str, published: datetime, canonical: str | None) -> str:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    body = "".join(f"<p>{p}</p>" for p in [*paragraphs, *TEMPLATES])
    return (
        f'<!doctype html><html lang="en"><head><title>{title} | The Courier</title>{link}'
        f'<meta property="article:published_time" content="{published.isoformat()}"></head><body>'
        f'<nav><a href="/">Home</a> <a href="/{section}">{section.title()}</a></nav>'
        f"<article><h1>{title}</h1>{body}</article><footer>The Courier, Northfield</footer></body></html>"
    )


def _line(url: str, fetched_at: datetime, html: str) -> str:
    return json.dumps({"url": url, "fetched_at": fetched_at.isoformat().replace("+00:00", "Z"), "html": html})


def write_days(root: Path, seed: int = 7) -> Path:
    """Write the landing folder under `root`; returns it."""
    rng = random.Random(seed)
    for index, day in enumerate(DAYS):
        folder = root / day.isoformat()
        (folder / SITE).mkdir(parents=True)
        morning = datetime(day.year, day.month, day.day, 8, tzinfo=timezone.utc)
        title, text = _story(rng)
        slug = f"news/{day.isoformat()}-{rng.randint(1000, 9999)}"
        lines = [_line(f"https://{SITE}/{slug}?ref=home", morning, page(title, text, "news", morning, f"/{slug}"))]
        for day_index, hour in FIRE_FETCHES:
            if day_index == index:
                fetched = morning.replace(hour=hour)
                so_far = FIRE[: 2 + FIRE_FETCHES.index((day_index, hour))]
                html = page("Fire at Northfield harbour", so_far, "news", datetime.combine(DAYS[0], morning.timetz()), "/news/harbour-fire")
                lines.append(_line(f"https://{SITE}/news/harbour-fire", fetched, html))
        if day == WIRE_DAY:
            for section in WIRE_SECTIONS:
                html = page("Port channel deal signed", WIRE, section, morning, f"/{section}/port-channel-deal")
                lines.append(_line(f"https://{SITE}/{section}/port-channel-deal", morning, html))
        (folder / SITE / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        title, text = _story(rng)
        standalone = folder / SITE / "story.html"
        standalone.write_text(page(title, text, "news", morning, None), encoding="utf-8")
        stamp = morning.timestamp()
        for path in (standalone, folder / SITE / "feed.jsonl"):
            os.utime(path, (stamp, stamp))
    return root
