"""Every query of docs/queries.md, read from the doc itself, on the published copy of the sample warehouse.

The warehouse is the bundled sample run through the real assets, plus one story of our own that
is fetched again with changed text on the second day (the sample has no updated story, and the
versions query needs one). Answers are checked against sample/annotations.json.
"""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipelines.settings import NewsSettings
from tests.pipeline_helpers import run_day
from warehouse.load import published_path

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample"
ANNOTATIONS: dict[str, dict] = json.loads((SAMPLE / "annotations.json").read_text(encoding="utf-8"))
DAYS = sorted({path[:10] for path in ANNOTATIONS})
STORY_DAYS = DAYS[:2]  # our story and its update
QUERY_BLOCK = re.compile(r"```sql\n-- query: (\w+)\n(.*?)```", re.S)
QUERIES: dict[str, str] = dict(QUERY_BLOCK.findall((REPO / "docs" / "queries.md").read_text(encoding="utf-8")))

# the story of our own, in two versions under one canonical URL
STORY_URL = "https://bayside-herald.example/news/corran-pier-tide-gauge"
STORY_PARAGRAPHS = [
    "The tide gauge at Corran Pier, which has recorded sea levels on the estuary since 1962, will be replaced "
    "after it was damaged in last month's storm, the Bayside Harbour Board said on Saturday.",
    "The board said the new gauge would cost about £85,000 and should be working by the end of April.",
    "Fishing crews have relied on estimates from a gauge 12 km along the coast while the pier instrument "
    "has been out of action.",
    "Engineers found that the storm had cracked the concrete housing and flooded the electronics of the "
    "instrument, which had last been serviced in the autumn.",
    "The board said it would publish the first readings from the new gauge on its website, as it did for "
    "the old one, and keep the historical records open to the public.",
]
STORY_UPDATE_TITLE = "Corran Pier tide gauge to be replaced by April, harbour board confirms"
STORY_UPDATE_PARAGRAPHS = [
    STORY_PARAGRAPHS[0],
    "The board said the new gauge would cost about £92,000, more than first thought, and should be working "
    "by the end of April.",
    *STORY_PARAGRAPHS[2:],
    "A temporary gauge will be fitted next week, the board added, so that crews no longer need to rely on "
    "readings taken further along the coast.",
]


def story_page(title: str, published: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f'<!doctype html><html lang="en"><head><title>{title}</title>'
            f'<meta property="og:site_name" content="Bayside Herald">'
            f'<meta property="article:published_time" content="{published}">'
            f'<link rel="canonical" href="{STORY_URL}"></head>'
            f"<body><article><h1>{title}</h1>{body}</article></body></html>")


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("cookbook")
    scrapes = tmp / "scrapes"
    shutil.copytree(SAMPLE / "scrapes", scrapes)
    first = scrapes / STORY_DAYS[0] / "bayside-herald.example" / "tide-gauge.html"
    first.parent.mkdir()
    first.write_text(story_page("Tide gauge at Corran Pier to be replaced after storm damage",
                                f"{STORY_DAYS[0]}T07:00:00Z", STORY_PARAGRAPHS), encoding="utf-8")
    update = scrapes / STORY_DAYS[1] / "bayside-herald.example" / "tide-gauge.html"
    update.parent.mkdir()
    update.write_text(story_page(STORY_UPDATE_TITLE, f"{STORY_DAYS[1]}T09:30:00Z", STORY_UPDATE_PARAGRAPHS), encoding="utf-8")
    settings = NewsSettings(scrapes_dir=str(scrapes), warehouse_path=str(tmp / "warehouse.duckdb"))
    for day in DAYS:
        assert run_day(settings, day).success
    return published_path(settings.warehouse)


@pytest.fixture(scope="module")
def con(published: Path):
    connection = duckdb.connect(str(published), read_only=True)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def site_of(con) -> dict[str, str]:
    """Annotation path -> the article's site (domain) in the warehouse."""
    rows = con.execute("SELECT r.source, a.domain FROM news.articles a JOIN news.raw_scrapes r USING (scrape_id)").fetchall()
    return dict(rows)


def run(con, name: str, **params) -> list[dict]:
    sql = QUERIES[name]
    assert set(re.findall(r"\$(\w+)", sql)) == set(params), f"{name}: bind exactly its parameters"
    cursor = con.execute(sql, params)
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


def kept() -> dict[str, dict]:
    """Annotated articles that are not duplicates (what news.articles_current holds of the sample)."""
    return {p: a for p, a in ANNOTATIONS.items() if a["expected"] == "article" and not a.get("duplicate_of")}


def canonicals(labels: set[str]) -> set[str]:
    return {e["canonical"] for a in ANNOTATIONS.values() for e in a.get("entities", []) if e["label"] in labels}


def surface_forms(canonical: str) -> set[str]:
    return {e["text"] for a in ANNOTATIONS.values() for e in a.get("entities", []) if e["canonical"] == canonical}


def figures(kind: str) -> list[tuple[str, dict]]:
    return [(path, f) for path, a in kept().items() for f in a.get("figures", []) if f["kind"] == kind]


def check_people_this_week(con, site_of):
    rows = run(con, "people_this_week")
    assert rows and list(rows[0]) == ["person", "mentions", "articles", "sites", "first_day", "last_day"]
    assert rows[0]["person"] in canonicals({"PERSON"})
    assert [r["mentions"] for r in rows] == sorted((r["mentions"] for r in rows), reverse=True)
    newest = date.fromisoformat(DAYS[-1])
    assert all((newest - r["first_day"]).days < 7 and r["last_day"] <= newest for r in rows)


def check_figures_about_organisation(con, site_of):
    org = "Saltmere Port Authority"
    rows = run(con, "figures_about_organisation", org=org.lower())
    forms = surface_forms(org)
    assert rows and all(any(form in r["sentence"] for form in forms) for r in rows)
    northwire = ANNOTATIONS["2026-03-14/northwire.example/saltmere-port-terminal.html"]
    assert any(f["text"] == "€95 million" for f in northwire["figures"])
    assert "€95 million" in {r["figure"] for r in rows}


def check_money_by_site_and_day(con, site_of):
    rows = run(con, "money_by_site_and_day")
    got = {(str(r["partition_date"]), r["site"], r["currency"]): r for r in rows}
    expected: dict[tuple, list[float]] = defaultdict(list)
    for path, figure in figures("money"):
        expected[(path[:10], site_of[path], figure["unit"])].append(figure["value"])
    assert expected and set(expected) <= set(got)
    for key, values in expected.items():
        assert got[key]["amounts"] >= len(values) and got[key]["total"] >= sum(values) - 0.5, key


def check_duplicate_cluster(con, site_of):
    copy_path = "2026-03-15/coastline-courier.example/saltmere-terminal-green-light.html"
    copy = ANNOTATIONS[copy_path]
    rows = run(con, "duplicate_cluster", article=copy["url"])
    assert {(r["method"], r["title"]) for r in rows} == {
        ("original", ANNOTATIONS[copy["duplicate_of"]]["title"]), (copy["duplicate_method"], copy["title"])}
    assert rows[0]["method"] == "original" and len({r["original_id"] for r in rows}) == 1


def check_story_versions(con, site_of):
    rows = [r for r in run(con, "story_versions") if r["canonical_url"] == STORY_URL]
    assert [(r["version_no"], r["is_latest"]) for r in rows] == [(1, False), (2, True)]
    assert rows[1]["title"] == STORY_UPDATE_TITLE and [str(r["partition_date"]) for r in rows] == STORY_DAYS
    assert rows[1]["words_added"] > 0
    current = con.execute("SELECT title FROM news.articles_current WHERE canonical_url = ?", [STORY_URL]).fetchall()
    assert current == [(STORY_UPDATE_TITLE,)]


def check_quarantine_reasons_over_time(con, site_of):
    rows = run(con, "quarantine_reasons_over_time")
    got = {(str(r["partition_date"]), r["reason"]): r for r in rows}
    expected = Counter((p[:10], a["quarantine_reason"]) for p, a in ANNOTATIONS.items() if a["expected"] == "quarantine")
    received = Counter(p[:10] for p in ANNOTATIONS) + Counter(STORY_DAYS)  # plus our story's page on each of its days
    for key, n in expected.items():
        assert got[key]["quarantined"] >= n and got[key]["scrapes"] == received[key[0]], key
        assert got[key]["pct_of_scrapes"] == round(100.0 * got[key]["quarantined"] / received[key[0]], 1)


def check_site_fill_rates(con, site_of):
    site = "riverside-gazette.example"
    rows = run(con, "site_fill_rates", site=site)
    assert [str(r["partition_date"]) for r in rows] == sorted({p[:10] for p in ANNOTATIONS if site_of.get(p) == site})
    for row in rows:
        day = str(row["partition_date"])
        articles = [a for p, a in ANNOTATIONS.items() if p.startswith(day) and a["expected"] == "article" and site_of.get(p) == site]
        assert row["articles"] == len(articles)
        assert row["title_fill"] == round(sum(bool(a.get("title")) for a in articles) / len(articles), 2)
        assert 0.0 <= row["authors_fill_7d"] <= 1.0
    assert rows[0]["title_fill"] < 1.0  # St Aldric's roof has no title


def check_sentences_with_two_entities(con, site_of):
    person, org = "Ingrid Halvorsen", "Saltmere Port Authority"
    assert person in canonicals({"PERSON"}) and org in canonicals({"ORG"})
    rows = run(con, "sentences_with_two_entities", first=person, second=org)
    assert rows
    for row in rows:
        assert any(f in row["sentence"] for f in surface_forms(person)) and any(f in row["sentence"] for f in surface_forms(org))


def check_top_places(con, site_of):
    rows = run(con, "top_places")
    assert rows and rows[0]["place"] in canonicals({"GPE", "LOC", "FAC"})
    assert [r["articles"] for r in rows] == sorted((r["articles"] for r in rows), reverse=True)


def check_figures_of_a_kind_over_time(con, site_of):
    rows = run(con, "figures_of_a_kind_over_time", kind="percent")
    per_day = Counter()
    for r in rows:
        per_day[str(r["partition_date"])] += r["figures"]
        assert r["smallest"] <= r["median"] <= r["largest"]
    expected = Counter(path[:10] for path, _ in figures("percent"))
    assert expected and all(per_day[day] >= n for day, n in expected.items())


def check_articles_by_author(con, site_of):
    rows = run(con, "articles_by_author", author="aisha barrow")
    expected = {a["title"] for a in kept().values() if "Aisha Barrow" in (a.get("authors") or [])}
    assert len(expected) >= 2 and {r["title"] for r in rows} == expected


def check_dates_in_the_future(con, site_of):
    rows = run(con, "dates_in_the_future")
    assert rows and all(r["date_value"] > r["written_on"] for r in rows)
    ahead = {f["text"] for path, f in figures("date")
             if f.get("resolved", "") > (ANNOTATIONS[path].get("published") or path)[:10]}
    assert ahead and ahead & {r["date_text"] for r in rows}


def check_people_and_organisations(con, site_of):
    rows = run(con, "people_and_organisations")
    assert rows and rows[0]["person"] in canonicals({"PERSON"}) and rows[0]["organisation"] in canonicals({"ORG"})
    assert [r["articles"] for r in rows] == sorted((r["articles"] for r in rows), reverse=True)


def check_quality_flags_by_site(con, site_of):
    rows = run(con, "quality_flags_by_site")
    got = {(str(r["partition_date"]), r["site"], r["check_name"]): r["flags"] for r in rows}
    assert got.get((DAYS[0], "riverside-gazette.example", "no_title")) == 1  # St Aldric's roof
    # every duplicate link carries a flag: the sample's two, and the version link of our story's update
    duplicates = Counter(p[:10] for p, a in ANNOTATIONS.items() if a.get("duplicate_of")) + Counter([STORY_DAYS[1]])
    flagged = Counter()
    for (day, _, check), n in got.items():
        if check == "duplicate":
            flagged[day] += n
    assert flagged == duplicates


def check_articles_with_phrase(con, site_of):
    phrase = "Flood Defence"
    rows = run(con, "articles_with_phrase", phrase=phrase)
    expected = {a["title"] for a in kept().values()
                if any(phrase.lower() in s.lower() for s in a.get("body_must_contain", []))}
    assert expected and expected <= {r["title"] for r in rows}
    assert all(r["first_sentence"] is None or phrase.lower() in r["first_sentence"].lower() for r in rows)


def check_days_loaded(con, site_of):
    rows = run(con, "days_loaded")
    assert [str(r["partition_date"]) for r in rows] == DAYS[::-1]
    received = Counter(p[:10] for p in ANNOTATIONS) + Counter(STORY_DAYS)
    for r in rows:
        day = str(r["partition_date"])
        assert r["scrapes"] == received[day] == r["articles"] + r["quarantined"]
        assert r["duplicates"] == sum(1 for p, a in ANNOTATIONS.items() if p.startswith(day) and a.get("duplicate_of"))


def annotated_quotes() -> list[tuple[str, dict]]:
    return [(path, q) for path, a in kept().items() for q in a.get("quotes", [])]


def check_who_said_what_about(con, site_of):
    about = "Munich"
    rows = run(con, "who_said_what_about", about=about.lower())
    forms = surface_forms(about)
    expected = {(q["speaker_canonical"] or q["speaker"], q["text"]) for _, q in annotated_quotes()
                if any(form in q["text"] for form in forms) and q["speaker_canonical"] != about}
    assert len(expected) >= 2 and {(r["speaker"], r["quote"]) for r in rows} == expected
    assert {r["kind"] for r in rows} == {"direct", "reported"}


def _km(a: dict, b: dict) -> float:
    from math import asin, cos, radians, sin, sqrt

    dlat, dlon = radians(b["latitude"] - a["latitude"]), radians(b["longitude"] - a["longitude"])
    h = sin(dlat / 2) ** 2 + cos(radians(a["latitude"])) * cos(radians(b["latitude"])) * sin(dlon / 2) ** 2
    return 2 * 6371 * asin(sqrt(h))


def check_articles_near_place(con, site_of):
    """Against the articles whose places are annotated (the 2026-03-16 day's); the others' places
    are only held to the distance."""
    places = [(path, p) for path, a in kept().items() for p in a.get("places", []) if p["latitude"] is not None]
    annotated = {kept()[path]["title"] for path, _ in places}
    for name, country, km in (("Perth", "GB", 100), ("Munich", "DE", 500)):
        centre = next(p for _, p in places if p["name"] == name and p["country_code"] == country)
        rows = run(con, "articles_near_place", place=name, country=country, km=km)
        expected = {kept()[path]["title"] for path, p in places if _km(centre, p) <= km}
        assert expected and {r["title"] for r in rows if r["title"] in annotated} == expected, name
        assert all(r["km"] <= km for r in rows)
        assert [r["km"] for r in rows] == sorted(r["km"] for r in rows) and rows[0]["nearest_place"] == name
    # the Scottish article also names Perth, Western Australia: near that Perth through that place only
    rows = run(con, "articles_near_place", place="Perth", country="AU", km=100)
    assert [(r["nearest_place"], r["country_code"], r["km"]) for r in rows] == [("Perth", "AU", 0.0)]


def check_entity_this_month(con, site_of):
    person = "Helena Ostrowski"
    rows = run(con, "entity_this_month", entity=person)
    expected = {a["title"] for a in kept().values() if any(e["canonical"] == person for e in a.get("entities", []))}
    assert len({str(r["partition_date"]) for r in rows}) >= 2 and {r["title"] for r in rows} == expected
    assert {r["entity_key"] for r in rows} == {"PERSON:helena ostrowski"}
    speaker = "Morag Kinnear"
    rows = run(con, "entity_this_month", entity=f"PERSON:{speaker.lower()}")
    said = {f"{speaker}: {q['text']}" for _, q in annotated_quotes() if q["speaker_canonical"] == speaker}
    assert len(rows) == 1 and len(said) >= 3 and said <= set(rows[0]["quotes"])
    assert rows[0]["mentions"] == sum(e["canonical"] == speaker for a in kept().values() for e in a.get("entities", []))


CHECKS = {name.removeprefix("check_"): check for name, check in globals().items() if name.startswith("check_")}


def test_the_cookbook_and_its_checks_name_the_same_queries():
    assert len(QUERIES) >= 12
    assert set(QUERIES) == set(CHECKS)


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_query(con, site_of, name: str):
    CHECKS[name](con, site_of)


def test_views_hold_every_mention_of_current_articles_and_nothing_else(con):
    not_current = con.execute("SELECT count(*) FROM news.articles WHERE status NOT IN ('ok', 'flagged')").fetchall()
    assert not_current == [(3,)]  # the two sample duplicates and the first version of our story
    for view, table in (("entity_mentions", "entities"), ("figure_mentions", "figures")):
        expected = con.execute(f"""SELECT count(*) FROM news.{table} t JOIN news.articles a USING (article_id, partition_date)
                                   WHERE a.status IN ('ok', 'flagged')""").fetchall()
        assert con.execute(f"SELECT count(*) FROM news.{view}").fetchall() == expected
        assert con.execute(f"SELECT count(*) FROM news.{view} WHERE position(text IN sentence) = 0").fetchall() == [(0,)]
