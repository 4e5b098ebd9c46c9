"""Stage logic of the news warehouse: plain, typed functions with no Dagster in them."""

from importlib.metadata import version

RULES_VERSION = "2"

EXTRACTOR_VERSION = ";".join(
    [f"newskit-rules={RULES_VERSION}"] + [f"{pkg}={version(pkg)}" for pkg in ("trafilatura", "lxml", "htmldate", "ftfy", "py3langid")]
)
"""Stamped on every article: a change of our rules or of an extraction package changes it (read from
the installed packages' metadata, so knowing it imports none of them)."""
