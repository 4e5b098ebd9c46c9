"""Entity-span quality on UNER English-PUD: bare spaCy vs our entity stage (annotate()).

Span-level exact match, labels mapped PERSON->PER, ORG->ORG, GPE/LOC/FAC->LOC (others ignored);
a leading "the" is stripped from bare spaCy spans, as the gold excludes determiners. Our stage
runs per document (sentences of one newdoc joined into one body, as an article would be).
The repairs were tuned on the first half of the documents only; the second half shows how they
generalise.

    .venv/bin/python bench/ner_pud.py [--pud PATH] [--model NAME] [--errors N]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from newskit.nlp import DEFAULT_MODEL, NlpInput, annotate, load_pipeline  # noqa: E402

DEFAULT_PUD = Path(__file__).resolve().parents[1].parent / "shared" / "nlp" / "uner-english-pud" / "en_pud-ud-test.iob2"
LABEL_MAP = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}
LABELS = ("PER", "ORG", "LOC")

Span = tuple[int, int, str]  # (start, end, label) in document-body offsets


@dataclass
class Document:
    doc_id: str
    sentences: list[str] = field(default_factory=list)
    gold: list[Span] = field(default_factory=list)

    def sentence_spans(self) -> list[tuple[int, int, int]]:
        spans, pos = [], 0
        for number, text in enumerate(self.sentences):
            spans.append((number, pos, pos + len(text)))
            pos += len(text) + 1
        return spans

    @property
    def body(self) -> str:
        return " ".join(self.sentences)


def _gold_spans(text: str, tokens: list[tuple[str, str]], offset: int) -> list[Span]:
    spans: list[Span] = []
    pos = 0
    current: list | None = None
    for token, tag in tokens:
        start = text.find(token, pos)
        if start < 0:
            raise ValueError(f"token {token!r} not found in {text!r}")
        end = start + len(token)
        pos = end
        if tag.startswith("B-") or (tag.startswith("I-") and (current is None or current[2] != tag[2:])):
            if current:
                spans.append(tuple(current))
            current = [offset + start, offset + end, tag[2:]]
        elif tag.startswith("I-"):
            current[1] = offset + end
        else:
            if current:
                spans.append(tuple(current))
            current = None
    if current:
        spans.append(tuple(current))
    return spans


def read_pud(path: Path) -> list[Document]:
    documents: list[Document] = []
    text = ""
    tokens: list[tuple[str, str]] = []

    def flush() -> None:
        nonlocal text, tokens
        if text:
            document = documents[-1]
            offset = sum(len(s) + 1 for s in document.sentences)
            document.gold.extend(_gold_spans(text, tokens, offset))
            document.sentences.append(text)
        text, tokens = "", []

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# newdoc id = "):
            flush()
            documents.append(Document(line.split("= ", 1)[1].strip()))
        elif line.startswith("# text = "):
            text = line.split("= ", 1)[1]
        elif line.startswith("#"):
            continue
        elif not line.strip():
            flush()
        else:
            columns = line.split("\t")
            tokens.append((columns[1], columns[2]))
    flush()
    return documents


def _strip_the(text: str, start: int) -> int:
    for article in ("the ", "The "):
        if text.startswith(article):
            return start + len(article)
    return start


def bare_spans(nlp, documents: list[Document]) -> list[list[Span]]:
    """Bare spaCy, sentence by sentence, leading 'the' stripped."""
    texts = [(s, (d, n)) for d, doc in enumerate(documents) for n, s in enumerate(doc.sentences)]
    predicted: list[list[Span]] = [[] for _ in documents]
    for parsed, (d, n) in nlp.pipe(texts, as_tuples=True):
        offset = documents[d].sentence_spans()[n][1]
        for ent in parsed.ents:
            if ent.label_ in LABEL_MAP:
                start = _strip_the(ent.text, ent.start_char)
                predicted[d].append((offset + start, offset + ent.end_char, LABEL_MAP[ent.label_]))
    return predicted


def our_spans(nlp, documents: list[Document]) -> list[list[Span]]:
    inputs = [NlpInput(str(i), d.body, None, d.sentence_spans()) for i, d in enumerate(documents)]
    predicted: list[list[Span]] = [[] for _ in documents]
    for row in annotate(nlp, inputs).entities.to_pylist():
        if row["label"] in LABEL_MAP:
            predicted[int(row["article_id"])].append((row["char_start"], row["char_end"], LABEL_MAP[row["label"]]))
    return predicted


def score(gold: list[list[Span]], predicted: list[list[Span]]) -> dict[str, tuple[float, float, float, int]]:
    tp, fp, fn = Counter(), Counter(), Counter()
    for g, p in zip(gold, predicted):
        gs, ps = set(g), set(p)
        for span in ps & gs:
            tp[span[2]] += 1
        for span in ps - gs:
            fp[span[2]] += 1
        for span in gs - ps:
            fn[span[2]] += 1
    result = {}
    for label in (*LABELS, "micro"):
        t = sum(tp.values()) if label == "micro" else tp[label]
        f_p = sum(fp.values()) if label == "micro" else fp[label]
        f_n = sum(fn.values()) if label == "micro" else fn[label]
        precision = t / (t + f_p) if t + f_p else 0.0
        recall = t / (t + f_n) if t + f_n else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        result[label] = (precision, recall, f1, t + f_n)
    return result


def print_table(title: str, scores: dict[str, tuple[float, float, float, int]]) -> None:
    print(f"\n{title}")
    print(f"  {'label':<6} {'P':>6} {'R':>6} {'F1':>6} {'gold':>5}")
    for label, (p, r, f, n) in scores.items():
        print(f"  {label:<6} {p:6.3f} {r:6.3f} {f:6.3f} {n:5d}")


def print_errors(documents: list[Document], gold: list[list[Span]], predicted: list[list[Span]], limit: int) -> None:
    shown = 0
    for doc, g, p in zip(documents, gold, predicted):
        body = doc.body
        missed = sorted(set(g) - set(p))
        wrong = sorted(set(p) - set(g))
        if not (missed or wrong):
            continue
        print(f"\n[{doc.doc_id}]")
        for s, e, label in missed:
            print(f"  - {label} {body[s:e]!r}")
        for s, e, label in wrong:
            print(f"  + {label} {body[s:e]!r}")
        shown += 1
        if shown >= limit:
            break


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pud", type=Path, default=DEFAULT_PUD)
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--errors", type=int, default=0, help="print our errors on the first N tuning documents")
    args = parser.parse_args()
    if not args.pud.exists():
        sys.exit(f"PUD file not found: {args.pud}")
    documents = read_pud(args.pud)
    half = len(documents) // 2
    nlp = load_pipeline(args.model)
    gold = [d.gold for d in documents]
    bare = bare_spans(nlp, documents)
    ours = our_spans(nlp, documents)
    print(f"UNER English-PUD: {len(documents)} documents, {sum(len(d.sentences) for d in documents)} sentences, "
          f"{sum(len(g) for g in gold)} gold entities; model {args.model}")
    for name, predicted in (("bare spaCy", bare), ("our entity stage", ours)):
        print_table(f"{name}, all documents", score(gold, predicted))
        print_table(f"{name}, first half (tuning, {half} docs)", score(gold[:half], predicted[:half]))
        print_table(f"{name}, second half (held out, {len(documents) - half} docs)", score(gold[half:], predicted[half:]))
    if args.errors:
        print_errors(documents[:half], gold[:half], ours[:half], args.errors)


if __name__ == "__main__":
    main()
