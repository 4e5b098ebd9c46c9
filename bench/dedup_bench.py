"""Duplicate detection: precision/recall on a generated syndication set, and cost vs history size.

    .venv/bin/python bench/dedup_bench.py                       # P/R sweep + timings 1k/10k/100k
    .venv/bin/python bench/dedup_bench.py --sizes 1000,10000    # quicker
    .venv/bin/python bench/dedup_bench.py --corpus ../shared/corpus/aeb   # also real article bodies
    .venv/bin/python bench/dedup_bench.py --skip-quality --skip-timings --warehouse   # the load's cost

Texts are generated here (topics with their own people, places and numbers, sentences from a
bank of news phrasings), so distinct articles on the same topic share names, figures and stock
phrases: the hard negatives. Each original gets syndicated copies with another site's template
(intro/outro lines), a changed headline line, paragraphs reordered, added or dropped, and light
edits (synonyms, spelling, quote style, number formats). A copy counts as found when it is linked
to a member of its own story; a link counts as correct when both ends belong to the same story.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from newskit.dedup import DEFAULT_DEDUP_CONFIG, DedupConfig, article_signatures, find_duplicates  # noqa: E402

FIRST_NAMES = ["Maria", "James", "Aisha", "Tomas", "Li", "Fatima", "Oliver", "Priya", "Kwame", "Elena", "Jonas",
               "Sofia", "Ahmed", "Hannah", "Diego", "Mei", "Samuel", "Ingrid", "Rafael", "Zara", "Pavel", "Nadia"]
LAST_NAMES = ["Okafor", "Lindqvist", "Moreau", "Haddad", "Kowalski", "Tanaka", "Brennan", "Castillo", "Nguyen",
              "Osei", "Varga", "Petrov", "Abbott", "Sato", "Mendes", "Reyes", "Holm", "Adeyemi", "Fischer", "Quinn"]
PLACES = ["Harwick", "Lanmouth", "Corriston", "Eastvale", "Brindle Bay", "Marrow Heath", "Kestrel Point",
          "Ashford Cross", "Pellham", "Dunmore", "Greyhaven", "Tollbridge", "Wexley", "Oakridge", "Saltmarsh"]
ORG_KINDS = ["Council", "Water Authority", "Port Authority", "Health Trust", "Transport Board", "University",
             "Police Service", "Energy Company", "Housing Association", "Chamber of Commerce", "Fire Service"]
SUBJECTS = ["the new ferry terminal", "the hospital expansion", "the bus network", "the flood defences",
            "the school rebuilding plan", "the wind farm", "the housing scheme", "the bridge repairs",
            "the library closures", "the water restrictions", "the airport runway", "the recycling contract",
            "the tram extension", "the harbour dredging", "the solar park", "the road tolls"]
VERBS_SAID = ["said", "told reporters", "said in a statement", "told a news conference", "wrote in a letter",
              "said on social media", "told local radio", "confirmed"]
DAYS = ["on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "at the weekend", "last week",
        "earlier this month", "on Sunday evening"]
ADJ = ["long-awaited", "controversial", "costly", "ambitious", "delayed", "popular", "scaled-back", "revised",
       "temporary", "emergency", "multi-year", "unexpected"]
NOUNS = ["residents", "commuters", "business owners", "parents", "campaigners", "farmers", "pensioners",
         "students", "shopkeepers", "nurses", "fishermen", "drivers"]
TEMPLATES = [
    "{person}, the {role} of the {org}, {said} {day} that {subject} would {outcome}.",
    "The {org} {said} {day} that it had set aside {money} for {subject}, {adj} work that {nouns} have asked for since {year}.",
    "About {count} {nouns} attended a meeting in {place} {day}, where many asked why {subject} had {problem}.",
    "\"We have listened to {nouns} and we will {promise},\" {person} {said}.",
    "Critics say {subject} will {cost_effect}, and {person2}, who represents {place}, called the plan {judgement}.",
    "According to figures published by the {org}, {percent} per cent of {nouns} in {place} were affected {day}.",
    "The decision comes after {count2} complaints were lodged with the {org} over the past {months} months.",
    "{person2} {said} that {nouns} in {place2} had waited {years} years for a decision on {subject}.",
    "Work on {subject} is expected to start in {month} and take about {months} months, the {org} {said}.",
    "A spokesperson for the {org} declined to comment on the cost but {said} that {subject} remained {status}.",
    "In {year}, a similar proposal for {place2} was abandoned after the budget rose to {money}.",
    "Local {nouns} have organised a petition, which had gathered {count2} signatures by {day_end}.",
    "The {org} will publish a full report on {subject} in {month}, {person} {said}.",
    "Opposition members asked for an independent review of {subject}, saying the {adj} project had {problem}.",
    "{person} added that the {org} would {promise} and that {nouns} would be consulted before {month}.",
    "Traffic in {place} was disrupted for {hours} hours {day} while engineers inspected {subject}.",
]
FILL = {
    "role": ["chief executive", "chair", "director", "leader", "head of operations", "spokesperson"],
    "outcome": ["be completed by the end of next year", "cost more than first planned", "go ahead despite objections",
                "be reviewed by an independent panel", "be paused until the spring", "reopen within two years"],
    "problem": ["run over budget", "been delayed twice", "been changed without consultation", "stalled for months",
                "lost its main contractor", "faced legal challenges"],
    "promise": ["publish every contract", "hold public meetings in every ward", "protect jobs at the site",
                "cut the waiting time", "keep fares frozen", "repair the damage before winter"],
    "cost_effect": ["push up local taxes", "take money from other services", "help only a few", "create hundreds of jobs",
                    "bring more visitors to the area", "harm the estuary wildlife"],
    "judgement": ["reckless", "a good start", "too little, too late", "a waste of money", "overdue", "unworkable"],
    "status": ["a priority", "on schedule", "under review", "fully funded", "subject to approval"],
    "month": ["January", "March", "April", "June", "September", "October", "November"],
    "day_end": ["Friday", "Sunday night", "the end of the week", "Monday morning"],
}
OUTROS = [
    ["Sign up for our free morning newsletter.", "Copyright {site}. All rights reserved."],
    ["Read more: local news from across the region.", "This story was first published by {site}."],
    ["Additional reporting by {name}.", "Follow {site} for the latest updates."],
    ["Have a story? Email the newsroom at {site}.", ""],
]
SYNONYMS = {"said": "says", "about": "around", "expected": "due", "residents": "locals", "decision": "ruling",
            "asked": "called", "published": "released", "meeting": "gathering", "organised": "organized",
            "programme": "program", "per cent": "percent", "complaints": "objections"}


class Story:
    """A topic: its own cast, places, organisation, subject and numbers, shared by all its articles."""

    def __init__(self, rng: random.Random):
        self.people = [f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}" for _ in range(3)]
        self.places = rng.sample(PLACES, 2)
        self.org = f"{self.places[0]} {rng.choice(ORG_KINDS)}"
        self.subject = rng.choice(SUBJECTS)
        self.numbers = {"money": f"${rng.randint(2, 90)} million", "count": rng.randint(40, 900),
                        "count2": f"{rng.randint(1, 30)},{rng.randint(100, 999)}", "percent": rng.randint(5, 80),
                        "year": rng.randint(1998, 2022), "months": rng.randint(3, 30), "years": rng.randint(2, 12),
                        "hours": rng.randint(2, 9)}

    def sentence(self, rng: random.Random) -> str:
        values = {key: rng.choice(options) for key, options in FILL.items()}
        values |= self.numbers | {
            "person": rng.choice(self.people), "person2": rng.choice(self.people), "org": self.org,
            "subject": self.subject, "place": self.places[0], "place2": self.places[1], "said": rng.choice(VERBS_SAID),
            "day": rng.choice(DAYS), "adj": rng.choice(ADJ), "nouns": rng.choice(NOUNS),
        }
        return rng.choice(TEMPLATES).format(**values)

    def article(self, rng: random.Random) -> list[str]:
        return [" ".join(self.sentence(rng) for _ in range(rng.randint(2, 3))) for _ in range(rng.randint(5, 9))]


def light_edits(paragraph: str, rng: random.Random) -> str:
    for word, other in SYNONYMS.items():
        if word in paragraph and rng.random() < 0.3:
            paragraph = paragraph.replace(word, other, 1)
    if rng.random() < 0.3:
        paragraph = paragraph.replace('"', "“", 1).replace('"', "”", 1)
    return paragraph


def syndicate(paragraphs: list[str], rng: random.Random, site: str) -> list[str]:
    """Another site's copy of the same story, with 2-4 of the usual changes."""
    copy = list(paragraphs)
    changes = rng.sample(["template", "headline", "reorder", "drop", "add", "edits", "edits"], rng.randint(2, 4))
    if "reorder" in changes and len(copy) > 3:
        i = rng.randrange(1, len(copy) - 1)
        copy[i], copy[i + 1] = copy[i + 1], copy[i]
    if "drop" in changes and len(copy) > 4:
        for _ in range(rng.randint(1, 2)):
            del copy[rng.randrange(1, len(copy))]
    if "add" in changes:
        copy.insert(rng.randrange(1, len(copy) + 1), f"{site} has asked the authorities for further details and will update this report.")
    if "edits" in changes:
        copy = [light_edits(p, rng) for p in copy]
    if "headline" in changes:
        copy.insert(0, rng.choice(["UPDATED:", "Breaking:", "Exclusive:", "Analysis:"]) + " " + copy[0].split(",")[0][:70])
    if "template" in changes:
        outro = [line.format(site=site, name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}") for line in rng.choice(OUTROS)]
        copy = [f"{site.upper()} -- {copy[0]}", *copy[1:], *[line for line in outro if line]]
    return copy


def generated_set(stories: int, distinct_per_story: int, copies_per_original: int, seed: int) -> tuple[list[str], list[int], list[str]]:
    """(bodies, story cluster per article, kind) with originals first in time within each cluster."""
    rng = random.Random(seed)
    bodies, clusters, kinds = [], [], []
    cluster = 0
    for _ in range(stories):
        story = Story(rng)
        for _ in range(distinct_per_story):  # distinct articles on the same story: separate clusters
            original = story.article(rng)
            bodies.append("\n\n".join(original)); clusters.append(cluster); kinds.append("original")
            for c in range(rng.randint(0, copies_per_original)):
                site = rng.choice(["Valley Courier", "Harbour Post", "Daily Ledger", "Wire Service", "Metro Times"])
                bodies.append("\n\n".join(syndicate(original, rng, site))); clusters.append(cluster); kinds.append("copy")
            cluster += 1
    return bodies, clusters, kinds


def corpus_set(corpus: Path, copies_per_original: int, seed: int) -> tuple[list[str], list[int], list[str]]:
    """Real article bodies from an extraction benchmark's gold text (evaluation only, never stored)."""
    rng = random.Random(seed)
    gold = json.loads((corpus / "ground-truth.json").read_text(encoding="utf-8"))
    bodies, clusters, kinds = [], [], []
    for cluster, item in enumerate(sorted(gold.values(), key=lambda g: g["url"])):
        paragraphs = [p for p in item["articleBody"].split("\n") if p.strip()]
        if len(" ".join(paragraphs).split()) < 150:
            continue
        bodies.append("\n\n".join(paragraphs)); clusters.append(cluster); kinds.append("original")
        for _ in range(rng.randint(1, copies_per_original)):
            bodies.append("\n\n".join(syndicate(paragraphs, rng, "Daily Ledger"))); clusters.append(cluster); kinds.append("copy")
    return bodies, clusters, kinds


def articles_table(bodies: list[str], seed: int) -> pa.Table:
    """Articles with publication times: each copy after its original, the set shuffled in order."""
    start = datetime(2025, 1, 1, tzinfo=timezone.utc)
    times = [start + timedelta(minutes=7 * i) for i in range(len(bodies))]
    order = list(range(len(bodies)))
    random.Random(seed).shuffle(order)
    return pa.table(
        {
            "article_id": [f"a{i:07d}" for i in order],
            "url": [f"https://site{i % 50}.test/story/{i}" for i in order],
            "body": [bodies[i] for i in order],
            "published_at": pa.array([times[i] for i in order], pa.timestamp("us", tz="UTC")),
            "fetched_at": pa.array([times[i] + timedelta(hours=1) for i in order], pa.timestamp("us", tz="UTC")),
        }
    )


def precision_recall(links: pa.Table, clusters: list[int], kinds: list[str]) -> tuple[float, float, int, int]:
    cluster_of = {f"a{i:07d}": c for i, c in enumerate(clusters)}
    found = {r["article_id"] for r in links.to_pylist() if cluster_of[r["article_id"]] == cluster_of[r["duplicate_of"]]}
    copies = sum(1 for k in kinds if k == "copy")
    precision = len(found) / links.num_rows if links.num_rows else 1.0
    recall = len(found) / copies if copies else 1.0
    return precision, recall, links.num_rows, copies


def with_signatures(table: pa.Table, config: DedupConfig) -> pa.Table:
    return table.drop_columns(["body"]).join(article_signatures(table, config), "article_id")


def quality(args: argparse.Namespace) -> None:
    bodies, clusters, kinds = generated_set(args.stories, 3, 4, args.seed)
    print(f"generated set: {len(bodies)} articles, {kinds.count('copy')} syndicated copies, "
          f"{len(set(clusters))} distinct articles over {args.stories} stories (3 per story)")
    sets = [("generated", bodies, clusters, kinds)]
    if args.corpus:
        sets.append(("corpus", *corpus_set(Path(args.corpus), 3, args.seed)))
        print(f"corpus set: {len(sets[1][1])} articles, {sets[1][3].count('copy')} copies")
    print("\n| set | shingle | threshold | precision | recall | links | copies |\n|---|---|---|---|---|---|---|")
    for name, b, c, k in sets:
        table = articles_table(b, args.seed)
        for shingle in (2, 3, 4):
            config = replace(DEFAULT_DEDUP_CONFIG, shingle_words=shingle)
            stored = with_signatures(table, config)
            for threshold in (0.3, 0.4, 0.45, 0.5, 0.6, 0.7):
                cfg = replace(config, near_threshold=threshold, lsh_threshold=max(0.1, threshold - 0.1))
                p, r, n_links, copies = precision_recall(find_duplicates(stored, cfg), c, k)
                mark = " (default)" if cfg == DEFAULT_DEDUP_CONFIG else ""
                print(f"| {name} | {shingle} | {threshold}{mark} | {p:.3f} | {r:.3f} | {n_links} | {copies} |")


def timings(args: argparse.Namespace) -> None:
    """CPU seconds (process time, robust to other load on the machine) and wall seconds."""
    print("\n| history | signatures CPU s | per article ms | find_duplicates CPU s (wall) | per article µs | links |\n|---|---|---|---|---|---|")
    for size in (int(s) for s in args.sizes.split(",")):
        bodies, _, _ = generated_set(max(1, size // 8), 3, 4, args.seed + size)
        table = articles_table(bodies[:size], args.seed)
        cpu = time.process_time()
        stored = with_signatures(table, DEFAULT_DEDUP_CONFIG)
        signing = time.process_time() - cpu
        cpu, wall = time.process_time(), time.perf_counter()
        links = find_duplicates(stored)
        linking, linking_wall = time.process_time() - cpu, time.perf_counter() - wall
        print(f"| {table.num_rows:,} | {signing:.1f} | {1000 * signing / table.num_rows:.2f} | {linking:.2f} ({linking_wall:.2f}) | "
              f"{1e6 * linking / table.num_rows:.0f} | {links.num_rows:,} |", flush=True)


def warehouse_timings(args: argparse.Namespace) -> None:
    """The load's real cost: refresh_duplicates inside a DuckDB transaction, signatures stored."""
    import duckdb

    from warehouse.duplicates import refresh_duplicates
    from warehouse.migrate import migrate

    print("\n| history | refresh_duplicates in DuckDB CPU s (wall) | per article µs |\n|---|---|---|")
    for size in (int(s) for s in args.sizes.split(",")):
        bodies, _, _ = generated_set(max(1, size // 8), 3, 4, args.seed + size)
        table = articles_table(bodies[:size], args.seed)
        signatures = article_signatures(table)
        con = duckdb.connect()
        migrate(con)
        con.register("bench_articles", table)
        con.register("bench_signatures", signatures)
        con.execute(
            """INSERT INTO news.articles (article_id, scrape_id, partition_date, url, canonical_url, domain, title,
                   published_at, fetched_at, body, word_count, content_sha256, status, extractor_version)
               SELECT article_id, article_id, CAST(published_at AS DATE), url, url, 'site.test', 'T',
                   published_at, fetched_at, body, 1, 'h', 'ok', 'bench' FROM bench_articles"""
        )
        con.execute(
            """INSERT INTO news.article_signatures SELECT s.article_id, CAST(a.published_at AS DATE), s.body_hash, s.minhash
               FROM bench_signatures s JOIN bench_articles a USING (article_id)"""
        )
        con.execute("BEGIN TRANSACTION")
        cpu, wall = time.process_time(), time.perf_counter()
        refresh_duplicates(con)
        used, used_wall = time.process_time() - cpu, time.perf_counter() - wall
        con.execute("COMMIT")
        con.close()
        print(f"| {table.num_rows:,} | {used:.2f} ({used_wall:.2f}) | {1e6 * used / table.num_rows:.0f} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=150)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--corpus", help="an extraction corpus folder with ground-truth.json (optional)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--skip-timings", action="store_true")
    parser.add_argument("--warehouse", action="store_true", help="also time refresh_duplicates inside DuckDB")
    args = parser.parse_args()
    if not args.skip_quality:
        quality(args)
    if not args.skip_timings:
        timings(args)
    if args.warehouse:
        warehouse_timings(args)


if __name__ == "__main__":
    main()
