"""The sources file: a valid file loads with defaults and overrides; every mistake names file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from newskit.sources_config import (
    FetchSettings,
    SourcesConfigError,
    load_sources_config,
)

REPO = Path(__file__).resolve().parents[1]


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_example_file_in_repo_is_valid() -> None:
    config = load_sources_config(REPO / "sources.example.yaml")
    assert {s.kind for s in config.sources} == {"feed", "sitemap", "urls", "warc"}
    assert config.defaults.allow_private_networks is False


def test_defaults_overrides_and_relative_warc_globs(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
defaults:
  rate_limit_per_host: 2
  max_bytes: 1000
  user_agent: "test-agent/1.0"
sources:
  - name: river-news
    feed: https://river.example/rss.xml
    rate_limit_per_host: 0.5
  - name: picks
    urls: [https://a.example/1, https://b.example/2]
  - name: archive
    warc: archives/*.warc.gz
""",
    )
    config = load_sources_config(path)
    feed, picks, archive = config.sources
    assert config.defaults == FetchSettings(rate_limit_per_host=2.0, max_bytes=1000, user_agent="test-agent/1.0")
    assert (feed.kind, feed.locations, feed.settings.rate_limit_per_host) == ("feed", ("https://river.example/rss.xml",), 0.5)
    assert feed.settings.max_bytes == 1000  # inherited from defaults
    assert picks.locations == ("https://a.example/1", "https://b.example/2")
    assert archive.locations == (str(tmp_path / "archives" / "*.warc.gz"),)
    (tmp_path / "archives").mkdir()
    (tmp_path / "archives" / "b.warc.gz").write_bytes(b"")
    (tmp_path / "archives" / "a.warc.gz").write_bytes(b"")
    assert [p.name for p in archive.warc_paths()] == ["a.warc.gz", "b.warc.gz"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sources: [{name: x, feed: ftp://x.example/f}]", r"sources\[0\] \(x\)\.feed\[0\]: only http\(s\)"),
        ("sources: [{name: x}]", r"sources\[0\] \(x\): needs exactly one of"),
        ("sources: [{name: x, feed: https://a.example, urls: [https://b.example]}]", r"needs exactly one"),
        ("sources: [{feed: https://a.example}]", r"sources\[0\]\.name: required"),
        ("defaults: {max_bytes: -5}", r"defaults\.max_bytes: must be > 0"),
        ("defaults: {max_bytes: yes}", r"defaults\.max_bytes: expected int"),
        ("defaults: {rate_limit: 3}", r"defaults\.rate_limit: unknown setting"),
        ("sources: [{name: x, urls: []}]", r"\.urls: expected a string or a non-empty list"),
        ("sources: [{name: x, feed: https://a.example}, {name: x, feed: https://b.example}]", r"duplicate source name"),
        ("feeds: []", r"unknown top-level key"),
        ("sources: {name: x}", r"sources must be a list"),
        ("defaults: [1, 2]", r"defaults: must be a mapping"),
        ("sources: [{name: x, feed: [https://a.example, 3]}]", r"\.feed\[1\]: expected a non-empty string"),
    ],
)
def test_invalid_files_name_the_file_and_key(tmp_path: Path, text: str, expected: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(SourcesConfigError, match=expected) as info:
        load_sources_config(path)
    assert str(path) in str(info.value)


def test_yaml_syntax_error_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SourcesConfigError, match="invalid YAML"):
        load_sources_config(_write(tmp_path, "sources: [unclosed"))
    with pytest.raises(SourcesConfigError, match="cannot read sources file"):
        load_sources_config(tmp_path / "missing.yaml")


def test_the_settings_name_the_file(tmp_path: Path) -> None:
    from pipelines.settings import NewsSettings

    path = _write(tmp_path, "sources: [{name: x, urls: https://a.example/1}]")
    assert NewsSettings.from_env({}).sources is None
    settings = NewsSettings.from_env({"NEWS_SOURCES": str(path)})
    assert settings.sources == path
    config = load_sources_config(settings.sources)
    assert config.sources[0].locations == ("https://a.example/1",)
