"""What every worker process starts with: imported once by the workers' forkserver (newskit.workers).

The shard tasks, trafilatura and spaCy (about two seconds of imports) and py3langid's model (about
one second on its first use) are then loaded once per run, not once per worker and stage. The spaCy
model is not: it is the stage's setting, loaded once per worker by `newskit.shards.setup_nlp`.
"""

import py3langid

import newskit.article  # noqa: F401
import newskit.entities  # noqa: F401
import newskit.entity_keys  # noqa: F401
import newskit.figures  # noqa: F401
import newskit.scrape_text  # noqa: F401
import newskit.shards  # noqa: F401

py3langid.classify("warm")
