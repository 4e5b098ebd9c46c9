"""Generated hostile days through the real day run (dagster materialize into a temp DuckDB).

Every example is a whole day of generated files of every input kind (tests/fuzz_landing.py), so
the run's fixed cost is paid once per example. The run must succeed, every file and JSONL line must
end exactly once (article or quarantine), every quarantine reason must be a specific one (an
`internal_error` is a bug to fix, not a pass) and nothing outside the landing folder may be read.
CI runs a fixed, derandomised set of examples (`FUZZ_EXAMPLES`, default 3); `bench/fuzz_day.py`
runs many more with fresh seeds.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from tests.fuzz_landing import FuzzDay, fuzz_day, run_fuzz_day

pytestmark = pytest.mark.slow
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))


@settings(
    max_examples=EXAMPLES,
    derandomize=True,  # the same examples on every CI run
    database=None,
    deadline=None,
    phases=[Phase.generate],  # no shrinking in CI: each example is a whole day run
    suppress_health_check=list(HealthCheck),
)
@given(day=fuzz_day(files=40))
def test_a_generated_hostile_day_loads_and_accounts_for_every_input(day: FuzzDay):
    outcome = run_fuzz_day(day)
    assert not outcome.problems, "\n".join(outcome.problems)
    assert outcome.reasons["article"] > 0  # the generator makes real articles too, not only garbage
