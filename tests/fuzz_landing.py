"""Generated hostile landing days for the fuzz suite (tests/test_fuzz_day.py, bench/fuzz_day.py).

A generated day is a list of files of every input kind (html, txt, jsonl, warc, warc.gz) with
random and adversarial content: deep nesting, NULs, huge lines, bogus and conflicting charsets
(meta charset vs BOM vs declared), UTF-16/32 without a BOM, truncated gzip, odd file names. Beside
them every day holds symlinks out of the landing folder (to a decoy that must never be read) and a
FIFO. `check_day` runs the real assets on it and checks what the warehouse says happened to each.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import random
import sys
import tempfile
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import strategies as st

DAY = "2026-02-03"
MAX_RAW_BYTES = 64_000  # small, so that lines and files over the raw limit are cheap to make
DECOY_TOKEN = b"DECOY-SECRET-7f3a9c"
# every reason a scrape may end with; internal_error is not one of them: it is a bug to fix
SPECIFIC_REASONS = frozenset(
    """empty not_text undecodable invalid_json missing_content too_large unsupported_type
    outside_scrapes_dir broken_symlink symlink_loop not_regular_file unreadable corrupt_record
    truncated_record not_warc no_response_records no_article_text too_short consent_wall paywall_stub
    replacement_characters mojibake markup_residue binary_content non_text_input boilerplate_ratio""".split()
)

WORDS = """the council ferry harbour minister said on Monday people passengers about nearly years
bridge would cost million police storm roads schools village county report government plan vote
Harwick Ostby Lanmouth Okafor Frost Lindqvist Northline January spring percent 2,300 40 12 three""".split()
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "cp1252",
             "latin-1", "shift_jis", "koi8-r", "iso-8859-7", "gb18030"]
CHARSET_NAMES = ENCODINGS + ["x-bogus", "utf-7", "unicode-1-1-utf-7", "", "utf-8\x00", "ébcdic", "cp500"]
BOMS = [b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"]
URLS = ["https://news.example/a", "http://[::1", "http://[::1]:8080/x", "http://a.example:99999/",
        "javascript:alert(1)", "", "http://exa mple.com/", "file:///etc/passwd", "https://\u0431\u0443\u043a.example/",
        "http://%zz/", "https://news.example/" + "x" * 3000, "//news.example/rel", "mailto:a@b"]
TIMES = ["2026-02-03T09:00:00Z", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00", "9999-12-31T23:59:59Z",
         "0001-01-01T00:00:00Z", "2026-13-45T99:99:99", "yesterday", "", "2026-02-03", "1969-12-31T23:59:59Z"]
NAME_STEMS = ["page", "café", "空白 名前", "-leading-dash", "with space", ".hidden", "UPPER", "a" * 150,
              "semi;colon", "quote'name", "back\\slash", "new\nline", "tab\there", "emoji-\U0001f4f0"]


@dataclass
class FuzzFile:
    name: bytes  # path inside the day folder, may start with a subfolder
    data: bytes
    kind: str  # html | txt | jsonl | warc | warc.gz | other


@dataclass
class FuzzDay:
    files: list[FuzzFile] = field(default_factory=list)


def _pick(draw, options, salt: int):
    """One of `options`. The draw is shifted by `salt` (the file's index times a prime), so that the
    files of Hypothesis's simplest example (every draw 0) still differ from each other."""
    return options[(draw(st.integers(0, len(options) - 1)) + salt) % len(options)]


def _number(draw, low: int, high: int, salt: int) -> int:
    return low + (draw(st.integers(0, high - low)) + salt) % (high - low + 1)


def _sentences(draw, salt: int, low: int = 1, high: int = 12) -> str:
    """Article-like sentences from the vocabulary: one draw seeds them (a draw per word would make
    a day too large for Hypothesis to generate)."""
    rng = random.Random(draw(st.integers(0, 1 << 16)) * 1_000_003 + salt)
    return " ".join(
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 18))).capitalize() + "."
        for _ in range(rng.randint(low, high))
    )


def _noise_text(draw, salt: int) -> str:
    choice = _number(draw, 0, 4, salt)
    if choice == 0:
        return draw(st.text(max_size=120))
    if choice == 1:
        return "\x00" * draw(st.integers(1, 50))
    if choice == 2:
        return "x" * draw(st.integers(1, MAX_RAW_BYTES * 2))  # a huge line without a space
    if choice == 3:
        return "\u202e\u200b\ufeff\ufffd" + draw(st.text(st.characters(codec="utf-8"), max_size=60))
    return "<div>" * 500 + "{[(" * 300


def _body_text(draw, salt: int) -> str:
    paragraphs = [_sentences(draw, salt + n) for n in range(_number(draw, 0, 6, salt + 1))]
    if _number(draw, 0, 2, salt) == 0:
        paragraphs.insert(draw(st.integers(0, len(paragraphs))), _noise_text(draw, salt))
    return "\n\n".join(paragraphs)


def _encode(draw, text: str, salt: int) -> bytes:
    encoding = _pick(draw, ENCODINGS, salt)
    data = text.encode(encoding, errors="replace")
    if _number(draw, 0, 3, salt) == 0:  # a byte-order mark that may contradict the encoding
        data = _pick(draw, BOMS, salt) + data
    return data


def _mutate(draw, data: bytes, salt: int) -> bytes:
    choice = _number(draw, 0, 7, salt)
    if choice == 0 and data:  # cut anywhere
        return data[: draw(st.integers(0, len(data)))]
    if choice == 1 and data:  # NULs and random bytes in the middle
        at = draw(st.integers(0, len(data)))
        return data[:at] + draw(st.binary(min_size=1, max_size=64)) + data[at:]
    if choice == 2:
        return draw(st.binary(max_size=400))  # random bytes
    return data


def html_page(draw, salt: int) -> bytes:
    charset = _pick(draw, CHARSET_NAMES, salt)
    depth = _pick(draw, [0, 0, 3, 300, 3000], salt)
    paragraphs = "".join(f"<p>{p}</p>" for p in _body_text(draw, salt).split("\n\n"))
    head = f'<meta charset="{charset}">' if _number(draw, 0, 1, salt) else ""
    if _number(draw, 0, 2, salt + 1) == 0:
        head += f'<meta http-equiv="Content-Type" content="text/html; charset={_pick(draw, CHARSET_NAMES, salt * 3)}">'
    title = f"<title>{_sentences(draw, salt, 1, 1)}</title>" if _number(draw, 0, 1, salt + 1) else ""
    canonical = f'<link rel="canonical" href="{_pick(draw, URLS, salt)}">' if _number(draw, 0, 2, salt) == 0 else ""
    date = f'<meta property="article:published_time" content="{_pick(draw, TIMES, salt)}">' if _number(draw, 0, 1, salt) else ""
    page = (f"<!doctype html><html><head>{head}{title}{canonical}{date}</head><body>"
            + "<div>" * depth + f"<article>{paragraphs}</article>" + "</div>" * draw(st.integers(0, depth))
            + "</body></html>")
    return _mutate(draw, _encode(draw, page, salt), salt)


def text_scrape(draw, salt: int) -> bytes:
    header = _pick(draw, ["", "date 2026-02-03 ", "title: A title\nauthor: A. Writer\n", "date 9999-99-99 "], salt)
    return _mutate(draw, _encode(draw, header + _body_text(draw, salt), salt), salt)


def _json_line(draw, salt: int) -> bytes:
    kind = _number(draw, 0, 11, salt)
    if kind == 0:
        depth = _pick(draw, [10, 5000, 200_000], salt)
        return (b"[" * depth + b"]" * depth) if draw(st.booleans()) else (b'{"a":' * depth + b"1" + b"}" * depth)
    if kind == 1:
        return json.dumps({"url": "https://news.example/cut", "text": "cut"}).encode()[: draw(st.integers(1, 20))]
    if kind == 2:
        return json.dumps(draw(st.one_of(st.integers(), st.lists(st.integers(), max_size=3), st.text(max_size=20), st.none()))).encode()
    if kind == 3:
        return b" \t \r"  # a blank line (not a scrape)
    if kind == 4:
        return b'{"url": "https://news.example/\\ud800", "text": "lone \\udc00 surrogate"}'
    if kind == 5:
        return b'{"text": "' + b"y" * (MAX_RAW_BYTES + draw(st.integers(1, 5000))) + b'"}'  # over the raw limit
    if kind == 6:
        return draw(st.binary(max_size=200)).replace(b"\n", b"")  # invalid UTF-8, NULs
    if kind == 7:
        return json.dumps({"url": draw(st.sampled_from(URLS)), "html": 12, "text": ["not", "a", "string"]}).encode()
    record: dict = {"url": _pick(draw, URLS, salt)}
    if draw(st.booleans()):
        record["fetched_at"] = draw(st.one_of(st.sampled_from(TIMES), st.integers(), st.none()))
    body = _body_text(draw, salt)
    if draw(st.booleans()):
        record["html"] = "<html><body><article>" + "".join(f"<p>{p}</p>" for p in body.split("\n\n")) + "</article></body></html>"
    else:
        record["text"] = body
    line = json.dumps(record, ensure_ascii=draw(st.booleans()))
    encoding = _pick(draw, ["utf-8", "utf-8", "utf-8", "utf-16", "utf-32-le", "latin-1"], salt)
    return line.encode(encoding, errors="replace").replace(b"\n", b"")


def jsonl_file(draw, salt: int) -> bytes:
    lines = [_json_line(draw, salt * 5 + n) for n in range(_number(draw, 0, 8, salt))]
    ending = draw(st.sampled_from([b"\n", b"\r\n"]))
    data = ending.join(lines) + (ending if draw(st.booleans()) else b"")
    return data


def _warc_bytes(draw, gzipped: bool, salt: int) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzipped)
    for n in range(_number(draw, 0, 4, salt)):
        rec_type = _pick(draw, ["response", "response", "response", "request", "warcinfo", "resource"], salt + n)
        payload = html_page(draw, salt * 11 + n)
        status = _pick(draw, ["200 OK", "200 OK", "404 Not Found", "301 Moved", "abc"], salt + n)
        content_type = _pick(draw, ["text/html; charset=" + _pick(draw, CHARSET_NAMES, salt + n),
                                    "text/plain", "application/pdf", "", "text/html; charset"], salt)
        uri = _pick(draw, URLS + ["urn:uuid:1", "dns:news.example"], salt + n)
        # a fixed record id: warcio's random one would change the gzip size and so the later draws
        # (and an empty WARC-Date would be replaced by the current time)
        headers = {"WARC-Date": _pick(draw, TIMES, salt + n) or "2026-02-03", "WARC-Record-ID": f"<urn:uuid:{uuid.UUID(int=salt * 8 + n)}>"}
        http = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1") if rec_type == "response" else None
        try:
            record = writer.create_warc_record(uri, rec_type, payload=io.BytesIO(payload), http_headers=http,
                                               warc_headers_dict=headers)
            writer.write_record(record)
        except Exception:  # warcio refuses some header values: that record is just not written
            continue
    data = buffer.getvalue()
    choice = _number(draw, 0, 5, salt)
    if choice == 0 and data:
        return data[: draw(st.integers(1, len(data)))]  # truncated (mid gzip member, mid record)
    if choice == 1 and data:
        at = draw(st.integers(0, len(data) - 1))
        return data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1 :]  # one flipped byte
    if choice == 2:
        return data + b"\0" * draw(st.integers(1, 70_000))  # trailing zeros
    if choice == 3:
        return draw(st.binary(max_size=400)) if not gzipped else gzip.compress(draw(st.binary(max_size=400)), mtime=0)
    return data


KINDS = ["html", "html", "txt", "txt", "jsonl", "jsonl", "warc", "warc.gz", "other"]


@st.composite
def fuzz_file(draw, index: int) -> FuzzFile:
    salt = index * 7919
    kind = _pick(draw, KINDS, index)
    if kind == "html":
        data = html_page(draw, salt)
    elif kind == "txt":
        data = text_scrape(draw, salt)
    elif kind == "jsonl":
        data = jsonl_file(draw, salt)
    elif kind in ("warc", "warc.gz"):
        data = _warc_bytes(draw, kind == "warc.gz", salt)
    else:
        data = draw(st.binary(max_size=200))
    if _number(draw, 0, 9, salt) == 0:  # over the raw limit as a whole
        data = data + b"z" * (MAX_RAW_BYTES + 1)
    stem = _pick(draw, NAME_STEMS, index * 3).encode()
    if _number(draw, 0, 5, index) == 0:
        stem += b"-\xff\xfe"  # not valid UTF-8
    suffix = {"html": _pick(draw, [b".html", b".HTM", b".htm"], index), "txt": b".txt", "jsonl": b".jsonl",
              "warc": b".warc", "warc.gz": b".warc.gz", "other": _pick(draw, [b".pdf", b"", b".json", b".gz"], index)}[kind]
    folder = _pick(draw, [b"", b"", b"site.example/", b"deep/er/", b"www.Mixed.Example/"], index * 5)
    return FuzzFile(folder + f"{index:03d}-".encode() + stem + suffix, data, kind)


@st.composite
def fuzz_day(draw, files: int = 30) -> FuzzDay:
    return FuzzDay([draw(fuzz_file(i)) for i in range(files)])


# -- writing a day and checking what the run did with it -------------------------------------------


class OpenedPaths:
    """Paths opened or listed under `watched` since `start`, from Python's audit hooks (every open
    and listing by Python code, symlinks resolved)."""

    _installed = False
    _watched: list[str] = []
    seen: list[str] = []

    @classmethod
    def watch(cls, folder: Path) -> None:
        if not cls._installed:
            sys.addaudithook(cls._hook)
            cls._installed = True
        cls._watched = [os.path.realpath(folder) + os.sep]
        cls.seen = []

    @classmethod
    def stop(cls) -> None:
        cls._watched = []

    @classmethod
    def _hook(cls, event: str, args: tuple) -> None:
        if not cls._watched or event not in ("open", "os.listdir", "os.scandir"):
            return
        path = args[0] if args else None
        if isinstance(path, (str, bytes, os.PathLike)):
            real = os.path.realpath(os.fsdecode(path))
            if any(real.startswith(w) or real + os.sep == w for w in cls._watched):
                cls.seen.append(real)


def write_day(root: Path, day: FuzzDay) -> Path:
    """The landing folder `root/scrapes` with the day's files, symlinks out of it and a FIFO;
    the decoy the symlinks point to is `root/outside`."""
    outside = root / "outside"
    outside.mkdir(parents=True)
    (outside / "secret.html").write_bytes(b"<html><body><p>" + DECOY_TOKEN * 50 + b"</p></body></html>")
    folder = root / "scrapes" / DAY
    folder.mkdir(parents=True)
    for file in day.files:
        path = os.fsencode(folder) + b"/" + file.name
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(file.data)
    os.symlink(outside / "secret.html", folder / "zz-leak.html")
    os.symlink("../../outside", folder / "zz-escape")
    if (folder / "site.example").is_dir():
        os.symlink(outside / "secret.html", folder / "site.example" / "zz-leak-in-site.txt")
    os.mkfifo(folder / "zz-pipe.jsonl")
    return root / "scrapes"


def display(name: bytes) -> str:
    return name.decode("utf-8", errors="backslashreplace")


def expected_sources(day: FuzzDay) -> tuple[dict[str, str | None], list[str]]:
    """Exact sources (with the reason they must have, or None for any specific one) and the WARC
    files, whose records are `<file>@<offset>` (or one `<file>` row when nothing could be read)."""
    exact: dict[str, str | None] = {}
    warcs = []
    for file in day.files:
        source = f"{DAY}/{display(file.name)}"
        lower = file.name.lower()
        if lower.endswith((b".warc", b".warc.gz")):
            warcs.append(source)
        elif lower.endswith(b".jsonl"):
            for number, line in enumerate(file.data.split(b"\n"), start=1):
                if len(line) > MAX_RAW_BYTES or line.strip():
                    exact[f"{source}:{number}"] = None
        else:
            exact[source] = None
    exact[f"{DAY}/zz-leak.html"] = "outside_scrapes_dir"
    exact[f"{DAY}/zz-escape"] = "outside_scrapes_dir"
    exact[f"{DAY}/zz-pipe.jsonl"] = "not_regular_file"
    if any(f.name.startswith(b"site.example/") for f in day.files):
        exact[f"{DAY}/site.example/zz-leak-in-site.txt"] = "outside_scrapes_dir"
    return exact, warcs


@dataclass
class DayOutcome:
    rows: list[tuple[str, str, str | None]]  # (source, 'article' or first reason, detail)
    reasons: Counter[str]
    problems: list[str]


def check_outcome(day: FuzzDay, rows: list[tuple[str, str, str | None, int]], contents: list[bytes]) -> DayOutcome:
    """Problems with one run's result: rows are (source, outcome, detail, outcomes per raw scrape)."""
    problems = []
    exact, warcs = expected_sources(day)
    by_source: dict[str, list[tuple[str, str | None, int]]] = {}
    for source, outcome, detail, count in rows:
        by_source.setdefault(source, []).append((outcome, detail, count))
    for source, found in by_source.items():
        if len(found) != 1 or found[0][2] != 1:
            problems.append(f"{source!r}: {len(found)} raw rows with {[f[2] for f in found]} outcomes, not exactly one")
    for source, reason in exact.items():
        if source not in by_source:
            problems.append(f"{source!r}: missing (no row at all)")
        elif reason is not None and by_source[source][0][0] != reason:
            problems.append(f"{source!r}: {by_source[source][0][0]} instead of {reason}")
    for warc in warcs:
        if not any(s == warc or s.startswith(warc + "@") for s in by_source):
            problems.append(f"{warc!r}: WARC file left no row")
    for source in by_source:
        if source not in exact and not any(source == w or source.startswith(w + "@") for w in warcs):
            problems.append(f"{source!r}: a row no input explains")
    reasons: Counter[str] = Counter()
    for source, found in by_source.items():
        outcome, detail, _ = found[0]
        reasons[outcome] += 1
        if outcome != "article" and outcome not in SPECIFIC_REASONS:
            problems.append(f"{source!r}: {outcome}: {detail}")
    if any(DECOY_TOKEN in c for c in contents):
        problems.append("the decoy outside the landing folder was read into raw_scrapes")
    return DayOutcome([(s, f[0][0], f[0][1]) for s, f in by_source.items()], reasons, problems)


def run_fuzz_day(day: FuzzDay, keep: Path | None = None) -> DayOutcome:
    """Write the day in a temp folder, materialise the real assets into a temp DuckDB, check it."""
    from pipelines.settings import NewsSettings
    from tests.pipeline_helpers import query, run_day

    root = Path(tempfile.mkdtemp(prefix="fuzz-day-", dir=keep))
    scrapes = write_day(root, day)
    settings = NewsSettings(scrapes_dir=str(scrapes), warehouse_path=str(root / "wh" / "warehouse.duckdb"),
                            max_raw_bytes=MAX_RAW_BYTES)
    OpenedPaths.watch(root / "outside")
    try:
        result = run_day(settings, DAY, raise_on_error=False)
    finally:
        OpenedPaths.stop()
    problems = []
    if OpenedPaths.seen:
        problems.append(f"opened outside the landing folder: {sorted(set(OpenedPaths.seen))}")
    if not result.success:
        messages = [f"{e.step_key}: {_root_cause(e.event_specific_data.error)}"
                    for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
        checks = [e.event_specific_data for e in result.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"
                  and not e.event_specific_data.passed]
        messages += [f"check {c.check_name} failed: {c.metadata}" for c in checks]
        return DayOutcome([], Counter(), problems + [f"the run failed (kept in {root}): {messages}"])
    rows = query(settings.warehouse, """
        SELECT r.source, coalesce(q.reasons[1], 'article'), q.detail,
               (SELECT count(*) FROM news.articles a WHERE a.scrape_id = r.scrape_id)
             + (SELECT count(*) FROM news.quarantine q2 WHERE q2.scrape_id = r.scrape_id)
        FROM news.raw_scrapes r LEFT JOIN news.quarantine q USING (scrape_id)""")
    contents = [c for (c,) in query(settings.warehouse, "SELECT content FROM news.raw_scrapes")]
    outcome = check_outcome(day, rows, contents)
    outcome.problems[:0] = problems
    if outcome.problems:
        outcome.problems.append(f"(the day is kept in {root})")
    else:
        _remove(root)
    return outcome


def _root_cause(error) -> str:
    """The innermost error of a step failure with its last frames (not Dagster's wrapper)."""
    while error is not None and error.cause is not None:
        error = error.cause
    return "unknown" if error is None else f"{error.message.strip()} at {''.join(error.stack[-3:]).strip()}"[:2000]


def _remove(root: Path) -> None:
    import shutil

    shutil.rmtree(root, ignore_errors=True)


