"""What each registered entity rule does to the UNER English-PUD score: the stage with all rules,
then with each rule removed in turn (the rest in their order).

    .venv/bin/python bench/entity_rules.py [--pud PATH] [--model NAME]

The model parses the documents once; every variant runs the real `annotate` on those parses,
with the rule taken out of `newskit.entity_rules.RULES` for that run. A negative delta means the
rule helps on that half. The first half of the documents is the one the rules were tuned on;
the second half is held out.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.ner_pud import DEFAULT_PUD, our_spans, read_pud, score  # noqa: E402
from newskit.entity_rules import RULES  # noqa: E402
from newskit.nlp import DEFAULT_MODEL, load_pipeline  # noqa: E402


class ParsedOnce:
    """A pipeline whose `pipe` parses its texts the first time and returns the same Docs after."""

    def __init__(self, nlp) -> None:
        self.nlp = nlp
        self.docs: list | None = None

    def pipe(self, items, as_tuples: bool = True, batch_size: int = 256):
        items = list(items)
        if self.docs is None:
            self.docs = [doc for doc, _ in self.nlp.pipe(items, as_tuples=True, batch_size=batch_size)]
        return zip(self.docs, (context for _, context in items))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pud", type=Path, default=DEFAULT_PUD)
    parser.add_argument("--model", default=DEFAULT_MODEL)
    args = parser.parse_args()
    if not args.pud.exists():
        sys.exit(f"PUD file not found: {args.pud}")
    documents = read_pud(args.pud)
    half = len(documents) // 2
    gold = [d.gold for d in documents]
    nlp = ParsedOnce(load_pipeline(args.model))

    def f1s() -> tuple[float, float, float]:
        predicted = our_spans(nlp, documents)
        return tuple(score(g, p)["micro"][2] for g, p in ((gold, predicted), (gold[:half], predicted[:half]), (gold[half:], predicted[half:])))

    base = f1s()
    print(f"UNER English-PUD, {len(documents)} documents: all rules F1 {base[0]:.3f} (tuning {base[1]:.3f}, held out {base[2]:.3f})\n")
    print(f"{'rule removed':<28} {'all':>7} {'tuning':>7} {'held out':>8}")
    for index in range(len(RULES)):
        removed = RULES.pop(index)
        try:
            scores = f1s()
        finally:
            RULES.insert(index, removed)
        print(f"{removed.name:<28} " + " ".join(f"{s - b:+7.3f}" for s, b in zip(scores, base)) + f"   {scores[0]:.3f}")


if __name__ == "__main__":
    main()
