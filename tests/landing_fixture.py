"""A small landing folder written by the tests: every input form and the usual bad inputs."""

from __future__ import annotations

import json
import zlib
from pathlib import Path

DAY = "2026-02-03"
NEXT_DAY = "2026-02-04"

COUNCIL_TXT = """date 2026-02-03 Help keep local news free. Donate today and support reporting you trust. The district council of Harwick voted on Friday to rebuild the old ferry terminal, ending a dispute that had dragged on for nearly three years.

Council leader Miriam Okafor said the terminal would reopen within two years and would cost the district about $48 million. Okafor told reporters that the vote was "the end of a long wait for people who cross the river every day."

open image in gallery The old ferry terminal at Harwick, closed since 2023 ( Tom Reyes/Harwick Post )

Opposition member Daniel Frost said the plan relied on a grant from the Coastal Development Fund that had not yet been confirmed. Frost asked for a public meeting before any contract is signed.

About 2,300 passengers used the ferry each day before the terminal closed, according to the council's own figures, and the nearest bridge adds 40 minutes to a trip into the town centre.
"""

STORM_HTML = """<!doctype html><html lang="en"><head><title>Storm cuts power across the northern valleys</title>
<meta property="og:site_name" content="Valley Courier"><meta name="author" content="Ruth Lindqvist">
<meta property="article:published_time" content="2026-02-03T07:30:00Z">
<link rel="canonical" href="https://valley-courier.example/news/storm-power"></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Storm cuts power across the northern valleys</h1>
<p>A winter storm swept across the northern valleys on Monday night, leaving more than 11,000 homes without electricity and closing two mountain roads, the regional grid operator said.</p>
<p>Engineers from Northline Power worked through the night to restore supply, and by Tuesday afternoon fewer than 900 households were still waiting for their lights to come back on.</p>
<p>The storm brought gusts of up to 120 km an hour to the higher passes. Police asked drivers to avoid the Carrow Pass road until crews had cleared fallen trees.</p>
<p>Schools in three villages stayed closed on Tuesday, and the county said it would decide on Wednesday morning whether they could reopen.</p>
</article><footer>Copyright Valley Courier</footer></body></html>"""

WIRE_TEXT = (
    "Shipping through the port of Lanmouth rose by 12 percent last year, the port authority said on Monday, "
    "as new cranes cut the time ships spend at the quay.\n\n"
    "The authority handled almost 640,000 containers in the year, a record, and said it expected growth to slow "
    "as two rival ports finish their own expansions.\n\n"
    "Chief executive Anders Holm said the port would hire about 150 more staff over the next eighteen months."
)


def write_landing(root: Path) -> Path:
    """Write two days of scrapes; returns the scrapes root."""
    day = root / DAY
    (day / "harwick-post.example").mkdir(parents=True)
    (day / "harwick-post.example" / "ferry.txt").write_text(COUNCIL_TXT, encoding="utf-8")
    (day / "storm.html").write_text(STORM_HTML, encoding="utf-8")
    (day / "latin1.txt").write_bytes(
        ("Le café de la gare à Sainte-Odile a rouvert ses portes après des travaux qui ont duré près de "
         "deux ans, a annoncé la mairie jeudi. La propriétaire, Zoë Marchand, a déclaré que la clientèle "
         "était revenue dès le premier matin. Les habitants attendaient cette réouverture depuis longtemps, "
         "car le café était le seul lieu ouvert le dimanche dans tout le quartier de la gare.").encode("latin-1")
    )
    (day / "empty.html").write_bytes(b"")
    (day / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n" + zlib.compress(bytes(range(256)) * 8))
    (day / "notes.pdf").write_bytes(b"%PDF-1.4 not a scrape format")
    feeds = day / "feeds"
    feeds.mkdir()
    lines = [
        json.dumps({"url": "https://wire.example/port-record", "fetched_at": "2026-02-03T09:00:00Z", "text": WIRE_TEXT}),
        "",
        '{"url": "https://wire.example/broken", "text": "cut off',
        json.dumps({"url": "https://wire.example/no-body"}),
        json.dumps({"url": "https://harbour.example/port", "html": "<html><body><article>"
                    + "".join(f"<p>{p}</p>" for p in WIRE_TEXT.split("\n\n")) + "</article></body></html>"}),
    ]
    (feeds / "wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    nxt = root / NEXT_DAY
    nxt.mkdir()
    (nxt / "storm-again.html").write_text(STORM_HTML, encoding="utf-8")
    return root


# scrapes written for DAY and how each must end
EXPECTED_DAY = {
    f"{DAY}/harwick-post.example/ferry.txt": "article",
    f"{DAY}/storm.html": "article",
    f"{DAY}/latin1.txt": "article",
    f"{DAY}/empty.html": "empty",
    f"{DAY}/image.html": "not_text",
    f"{DAY}/notes.pdf": "unsupported_type",
    f"{DAY}/feeds/wire.jsonl:1": "article",
    f"{DAY}/feeds/wire.jsonl:3": "invalid_json",
    f"{DAY}/feeds/wire.jsonl:4": "missing_content",
    f"{DAY}/feeds/wire.jsonl:5": "article",
}
