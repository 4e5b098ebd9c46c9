"""Each day's work done once: what a re-run copies (`reused`) and computes (`computed`), per stage.

Two sites on one day; a paragraph repeats on four stories of harbour.example, one short of a site
template (`TEMPLATE_MIN_STORIES` = 5) until the day before brings two more stories with it.
"""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import dagster as dg
import pyarrow.parquet as pq
import pytest

import assets.clean
import assets.extract
import newskit.dedup
import newskit.nlp
import newskit.scrape_text
from pipelines.definitions import defs
from pipelines.settings import NewsSettings
from tests.pipeline_helpers import all_assets, snapshot

pytestmark = pytest.mark.slow

DAY = date(2026, 4, 9)
STAGES = ("extracted", "cleaned", "nlp")
REPEATED = "The Harbour Bulletin is delivered free to every home in Lanmouth and Carrow by our volunteer riders."
PEOPLE = ["Mara Lind", "Tomas Berg", "Ines Carvalho", "Owen Maddox", "Ruth Okonkwo", "Felix Amsel", "Hana Sato"]
TOWNS = ["Lanmouth", "Carrow", "Ashby", "Dunmore", "Fernhill", "Glenrock", "Hollins"]


def _story(n: int, site: str, repeated: bool) -> str:
    person, town = PEOPLE[n % len(PEOPLE)], TOWNS[(n * 3) % len(TOWNS)]
    paragraphs = [
        f"Story {n} of {site}",
        f"{person} told the council of {town} on Tuesday that {120 + 7 * n} families had asked for a new bus route, "
        f"and that the service would cost about ${2 + n} million over {3 + n % 4} years.",
        f"The council said a survey of {40 + n} streets in {town} would be published in June, after {person} "
        "asked for the figures to be checked by an independent engineer.",
    ]
    if repeated:
        paragraphs.insert(2, REPEATED)
    return "\n\n".join(paragraphs)


def _write_day(scrapes: Path, day: date, harbour: range, valley: range, repeated: bool) -> None:
    for site, numbers in (("harbour.example", harbour), ("valley.example", valley)):
        folder = scrapes / day.isoformat() / site
        folder.mkdir(parents=True, exist_ok=True)
        for n in numbers:
            text = _story(n, site, repeated and site == "harbour.example")
            (folder / f"story-{n}.txt").write_text(f"date {day.isoformat()}\n{text}\n", encoding="utf-8")


def _counts(result: dg.ExecuteInProcessResult) -> dict[str, tuple[int, int]]:
    """(computed, reused) per stage, from the asset metadata."""
    out = {}
    for node in STAGES:
        metadata = result.asset_materializations_for_node(node)[0].metadata
        out[node] = (metadata["computed"].value, metadata["reused"].value)
    return out


def _ingest(settings: NewsSettings, day: date = DAY) -> dg.ExecuteInProcessResult:
    result = dg.materialize(all_assets(), partition_key=day.isoformat(), resources={"settings": settings})
    assert result.success
    return result


def _reextract(settings: NewsSettings) -> dg.ExecuteInProcessResult:
    result = defs.resolve_job_def("reextract_job").execute_in_process(partition_key=DAY.isoformat(), resources={"settings": settings})
    assert result.success
    return result


@pytest.fixture(scope="module")
def first_run(tmp_path_factory) -> tuple[Path, dict[str, tuple[int, int]]]:
    root = tmp_path_factory.mktemp("reuse")
    _write_day(root / "scrapes", DAY, range(4), range(10, 13), repeated=True)
    settings = NewsSettings(scrapes_dir=str(root / "scrapes"), warehouse_path=str(root / "wh" / "warehouse.duckdb"), workers=1)
    return root, _counts(_ingest(settings))


@pytest.fixture
def loaded(first_run, tmp_path: Path) -> NewsSettings:
    """A copy of the day as the first run left it (landing folder, lake and warehouse)."""
    root, _ = first_run
    shutil.copytree(root, tmp_path / "copy")
    return NewsSettings(scrapes_dir=str(tmp_path / "copy" / "scrapes"),
                        warehouse_path=str(tmp_path / "copy" / "wh" / "warehouse.duckdb"), workers=1)


def test_the_first_run_computes_everything(first_run):
    _, counts = first_run
    assert counts == {"extracted": (7, 0), "cleaned": (7, 0), "nlp": (7, 0)}


def test_an_unchanged_rerun_computes_nothing_and_changes_nothing(loaded: NewsSettings, monkeypatch):
    def no_minhash(*args):
        raise AssertionError("an unchanged article's MinHash is copied, not computed")

    monkeypatch.setattr(newskit.dedup, "minhash_signature", no_minhash)
    before = snapshot(loaded.warehouse)
    stage = loaded.lake / "stage" / "nlp_entities" / f"partition_date={DAY}" / "data.parquet"
    entities = pq.read_table(stage)
    assert _counts(_ingest(loaded)) == {"extracted": (0, 7), "cleaned": (0, 7), "nlp": (0, 7)}
    assert pq.read_table(stage).equals(entities)
    assert snapshot(loaded.warehouse) == before


@pytest.mark.parametrize(
    ("module", "version", "expected"),
    [
        # a new extractor: extraction and cleaning again; the same bodies keep their entities
        (assets.extract, "EXTRACTOR_VERSION", {"extracted": (7, 0), "cleaned": (7, 0), "nlp": (0, 7)}),
        # new cleaning rules: cleaning again, extraction copied
        (assets.clean, "CLEANING_VERSION", {"extracted": (0, 7), "cleaned": (7, 0), "nlp": (0, 7)}),
        # new entity rules or model: annotation again, nothing before it
        (newskit.nlp, "NLP_RULES_VERSION", {"extracted": (0, 7), "cleaned": (0, 7), "nlp": (7, 0)}),
    ],
    ids=["extracted", "cleaned", "nlp"],
)
def test_a_bumped_stage_version_recomputes_that_stage_and_after_never_before(loaded: NewsSettings, monkeypatch,
                                                                            module, version, expected):
    before = snapshot(loaded.warehouse)
    monkeypatch.setattr(module, version, "bumped-by-a-test")
    assert _counts(_reextract(loaded)) == expected
    assert snapshot(loaded.warehouse) == before  # the rules did not really change
    assert _counts(_reextract(loaded)) == {"extracted": (0, 7), "cleaned": (0, 7), "nlp": (0, 7)}  # recorded


def test_a_changed_template_recleans_that_sites_scrapes_only(loaded: NewsSettings):
    scrapes = Path(loaded.scrapes_dir)
    _write_day(scrapes, DAY - timedelta(days=1), range(20, 22), range(0), repeated=True)  # 4 + 2 stories: a template
    assert dg.materialize(all_assets(), selection=[dg.AssetKey("raw_scrapes")], partition_key=(DAY - timedelta(days=1)).isoformat(),
                          resources={"settings": loaded}).success
    result = _reextract(loaded)
    # harbour's four scrapes lose the repeated paragraph; valley's three are copied, and so are their entities
    assert _counts(result) == {"extracted": (0, 7), "cleaned": (4, 3), "nlp": (4, 3)}
    bodies = pq.read_table(loaded.lake / "stage" / "cleaned_articles" / f"partition_date={DAY}" / "data.parquet",
                           columns=["domain", "body"]).to_pylist()
    assert all(REPEATED not in row["body"] for row in bodies)
    assert {row["domain"] for row in bodies} == {"harbour.example", "valley.example"}


def test_an_internal_error_is_computed_again_not_reused(loaded: NewsSettings, monkeypatch):
    real = newskit.scrape_text.extract_text

    def broken(text, url=None):
        if "Story 11 " in text:
            raise ValueError("extractor bug for this page")
        return real(text, url)

    (Path(loaded.scrapes_dir) / DAY.isoformat() / "valley.example" / "story-11.txt").write_text(
        f"date {DAY.isoformat()}\n{_story(11, 'valley.example', False)} Updated.\n", encoding="utf-8")  # a new version
    monkeypatch.setattr(newskit.scrape_text, "extract_text", broken)
    stages = [dg.AssetKey(n) for n in ("raw_scrapes", "extracted")]
    first = dg.materialize(all_assets(), selection=stages, partition_key=DAY.isoformat(), resources={"settings": loaded})
    assert first.asset_materializations_for_node("extracted")[0].metadata["internal_errors"].value == 1
    monkeypatch.undo()
    again = dg.materialize(all_assets(), selection=stages, partition_key=DAY.isoformat(), resources={"settings": loaded})
    metadata = again.asset_materializations_for_node("extracted")[0].metadata
    assert (metadata["computed"].value, metadata["reused"].value, metadata["internal_errors"].value) == (1, 7, 0)


def test_a_damaged_stage_file_is_computed_again_not_copied(loaded: NewsSettings):
    entities = loaded.lake / "stage" / "nlp_entities" / f"partition_date={DAY}" / "data.parquet"
    rows = pq.read_table(entities).num_rows
    entities.write_bytes(entities.read_bytes()[:-100])  # truncated: its footer is gone
    (loaded.lake / "stage" / "extracted_manifest" / f"partition_date={DAY}" / "data.parquet").write_bytes(b"not parquet")
    assert _counts(_reextract(loaded)) == {"extracted": (7, 0), "cleaned": (0, 7), "nlp": (7, 0)}
    assert pq.read_table(entities).num_rows == rows
