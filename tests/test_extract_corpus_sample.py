"""Our extractor against trafilatura on a fixed slice of the shared gold corpus (skipped without it)."""

import importlib.util
import sys
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SCORER = SHARED / "tools" / "extraction_eval.py"
PAGES = 20


@pytest.fixture(scope="module")
def scorer():
    if not SCORER.exists() or not (SHARED / "corpus" / "aeb").exists():
        pytest.skip("../shared corpus and scorer not present")
    spec = importlib.util.spec_from_file_location("extraction_eval", SCORER)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_first_aeb_pages_score_at_least_as_well_as_trafilatura(scorer):
    corpus = scorer.load_corpus(SHARED / "corpus" / "aeb", limit=PAGES)
    ours = scorer.evaluate(corpus, "ours", scorer.resolve_extractor("newskit.extract:html_to_text"))
    theirs = scorer.evaluate(corpus, "trafilatura", scorer.resolve_extractor("trafilatura"))
    ours_f1 = scorer.aggregate_fulltext(ours.scores)["f1"]
    theirs_f1 = scorer.aggregate_fulltext(theirs.scores)["f1"]
    assert not any(s.error for s in ours.scores)
    assert ours_f1 >= theirs_f1
