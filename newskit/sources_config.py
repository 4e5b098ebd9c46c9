"""The sources file: which feeds, sitemaps, URL lists and WARC files a day ingests, and how politely.

The file is YAML, named by the setting `sources_file` (environment variable `NEWS_SOURCES`; see
docs/sources.md and sources.example.yaml). Every mistake is reported as a `SourcesConfigError` that names the file and
the key, so an operator can fix it without reading code.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import yaml

from newskit.limits import DEFAULT_MAX_RAW_BYTES

SOURCE_KINDS = ("feed", "sitemap", "urls", "warc")
RUN_LEVEL_SETTINGS = frozenset({"allow_private_networks", "refetch"})
DEFAULT_USER_AGENT = "newskit-news-warehouse/0.1 (polite research crawler; obeys robots.txt)"


class SourcesConfigError(ValueError):
    """The sources file is missing, unreadable or invalid; the message names the file and key."""


@dataclass(frozen=True)
class FetchSettings:
    """How one source is fetched. `defaults:` sets them for all sources; a source may override any."""

    rate_limit_per_host: float = 1.0  # requests per second to one host
    max_bytes: int = DEFAULT_MAX_RAW_BYTES  # cap on a (decompressed) body: the run's max_raw_bytes or lower
    timeout_s: float = 20.0  # connect/read timeout, and the budget for reading one body
    user_agent: str = DEFAULT_USER_AGENT
    allow_private_networks: bool = False  # loopback/private/link-local targets (tests only); run-level
    max_retries: int = 3  # retries after a 429/5xx or a network error (attempts = 1 + this)
    backoff_base_s: float = 1.0  # first retry delay; doubles with every retry
    max_retry_wait_s: float = 60.0  # a longer Retry-After gives up instead of waiting
    max_redirects: int = 5
    obey_robots: bool = True
    refetch: bool = False  # re-run of a day fetches again instead of reusing stored bytes; run-level
    max_pages_per_source: int = 500  # pages fetched for one source in one run
    max_child_sitemaps: int = 50  # children read from one sitemap index

    def validate(self, where: str) -> None:
        positive = ("rate_limit_per_host", "max_bytes", "timeout_s", "max_pages_per_source")
        for name in positive:
            if getattr(self, name) <= 0:
                raise SourcesConfigError(f"{where}.{name}: must be > 0, got {getattr(self, name)!r}")
        non_negative = (
            "max_retries",
            "backoff_base_s",
            "max_retry_wait_s",
            "max_redirects",
            "max_child_sitemaps",
        )
        for name in non_negative:
            if getattr(self, name) < 0:
                raise SourcesConfigError(f"{where}.{name}: must be >= 0, got {getattr(self, name)!r}")
        if not self.user_agent.strip():
            raise SourcesConfigError(f"{where}.user_agent: must not be empty")


@dataclass(frozen=True)
class SourceSpec:
    """One named source: `kind` is feed | sitemap | urls | warc; `locations` are URLs or file globs."""

    name: str
    kind: str
    locations: tuple[str, ...]
    settings: FetchSettings

    def warc_paths(self) -> list[Path]:
        """The WARC files the globs match today, sorted (globs are expanded at run time)."""
        paths: set[Path] = set()
        for pattern in self.locations:
            paths.update(Path(p) for p in glob.glob(pattern, recursive=True))
        return sorted(paths)


@dataclass(frozen=True)
class SourcesConfig:
    defaults: FetchSettings
    sources: tuple[SourceSpec, ...]
    path: Path | None = None


_SETTING_TYPES: dict[str, tuple[type, ...]] = {
    f.name: (
        (bool,)
        if f.type == "bool"
        else (int,)
        if f.type == "int"
        else (int, float)
        if f.type == "float"
        else (str,)
    )
    for f in fields(FetchSettings)
}


def _settings(raw: Any, base: FetchSettings, where: str) -> FetchSettings:
    if not isinstance(raw, Mapping):
        raise SourcesConfigError(f"{where}: must be a mapping, got {type(raw).__name__}")
    changes: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in _SETTING_TYPES:
            known = ", ".join(sorted(_SETTING_TYPES))
            raise SourcesConfigError(f"{where}.{key}: unknown setting (known: {known})")
        types = _SETTING_TYPES[key]
        # bool is an int in Python: do not let `max_bytes: true` through.
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            expected = "/".join(t.__name__ for t in types)
            raise SourcesConfigError(f"{where}.{key}: expected {expected}, got {value!r}")
        changes[key] = float(value) if float in types else value
    settings = replace(base, **changes)
    settings.validate(where)
    return settings


def _locations(value: Any, where: str, kind: str, base_dir: Path | None) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items:
        raise SourcesConfigError(f"{where}.{kind}: expected a string or a non-empty list of strings")
    out: list[str] = []
    for i, item in enumerate(items):
        if not isinstance(item, str) or not item.strip():
            raise SourcesConfigError(f"{where}.{kind}[{i}]: expected a non-empty string, got {item!r}")
        item = item.strip()
        if kind == "warc":
            path = Path(os.path.expanduser(item))
            if not path.is_absolute() and base_dir is not None:
                path = base_dir / path  # relative globs are relative to the sources file
            out.append(str(path))
        else:
            if not item.lower().startswith(("http://", "https://")):
                raise SourcesConfigError(f"{where}.{kind}[{i}]: only http(s) URLs are allowed, got {item!r}")
            out.append(item)
    return tuple(out)


def _within_raw_limit(settings: FetchSettings, max_raw_bytes: int, where: str) -> None:
    if settings.max_bytes > max_raw_bytes:
        raise SourcesConfigError(
            f"{where}.max_bytes: {settings.max_bytes} is over the run's raw size limit max_raw_bytes = "
            f"{max_raw_bytes} (NEWS_MAX_RAW_BYTES); a source may only lower it. Raise NEWS_MAX_RAW_BYTES "
            f"or lower max_bytes"
        )


def parse_sources_config(
    raw: Any, *, path: Path | None = None, max_raw_bytes: int = DEFAULT_MAX_RAW_BYTES
) -> SourcesConfig:
    """Validate an already-loaded YAML document; `path` names the file in errors.

    Every source's `max_bytes` defaults to the run's `max_raw_bytes` (the one raw size limit) and
    may only lower it.
    """
    origin = str(path) if path else "<sources>"
    if raw is None:
        raw = {}
    if not isinstance(raw, Mapping):
        raise SourcesConfigError(f"{origin}: top level must be a mapping with 'defaults' and 'sources'")
    unknown = set(raw) - {"defaults", "sources"}
    if unknown:
        raise SourcesConfigError(f"{origin}: unknown top-level key(s) {sorted(unknown)}; expected defaults, sources")
    defaults = _settings(raw.get("defaults") or {}, FetchSettings(max_bytes=max_raw_bytes), f"{origin}: defaults")
    _within_raw_limit(defaults, max_raw_bytes, f"{origin}: defaults")
    raw_sources = raw.get("sources") or []
    if not isinstance(raw_sources, list):
        raise SourcesConfigError(f"{origin}: sources must be a list")
    base_dir = path.resolve().parent if path else None
    sources: list[SourceSpec] = []
    seen: set[str] = set()
    for i, item in enumerate(raw_sources):
        where = f"{origin}: sources[{i}]"
        if not isinstance(item, Mapping):
            raise SourcesConfigError(f"{where}: must be a mapping")
        name = item.get("name")
        if not isinstance(name, str) or not name.strip():
            raise SourcesConfigError(f"{where}.name: required, a non-empty string")
        where = f"{origin}: sources[{i}] ({name})"
        if name in seen:
            raise SourcesConfigError(f"{where}.name: duplicate source name {name!r}")
        seen.add(name)
        kinds = [k for k in SOURCE_KINDS if k in item]
        if len(kinds) != 1:
            raise SourcesConfigError(
                f"{where}: needs exactly one of {', '.join(SOURCE_KINDS)}; found {kinds or 'none'}"
            )
        kind = kinds[0]
        overrides = {k: v for k, v in item.items() if k not in ("name", kind)}
        for key in RUN_LEVEL_SETTINGS & set(overrides):
            raise SourcesConfigError(f"{where}.{key}: can only be set under defaults (it applies to the whole run)")
        settings = _settings(overrides, defaults, where)
        _within_raw_limit(settings, max_raw_bytes, where)
        sources.append(SourceSpec(name, kind, _locations(item[kind], where, kind, base_dir), settings))
    return SourcesConfig(defaults=defaults, sources=tuple(sources), path=path)


def load_sources_config(path: str | os.PathLike[str], max_raw_bytes: int = DEFAULT_MAX_RAW_BYTES) -> SourcesConfig:
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise SourcesConfigError(f"{file}: cannot read sources file ({exc.strerror or exc})") from exc
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise SourcesConfigError(f"{file}: invalid YAML: {exc}") from exc
    return parse_sources_config(raw, path=file, max_raw_bytes=max_raw_bytes)
