"""Momo's PII scanner against Microsoft Presidio, side by side on one labelled set.

    .venv/bin/pip install -e '.[dev,bench]'
    .venv/bin/python bench/pii.py [--data tests/privacy/data/pii_labelled.jsonl]

Presidio runs pattern-only (the ``no_op`` NLP engine), configured as fairly as
it allows: its email, phone (regions CN, US, GB, DE, JP, FR, AU, SG, HK), credit
card and IP recognizers registered for both ``zh`` and ``en``; each text is
analysed in ``zh`` when it contains Chinese, else ``en``. Kinds Presidio has no
recognizer for are reported as such. Both run in this one process on one core.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.privacy.pii_scoring import score  # noqa: E402

from momo.privacy.pii import KINDS, scan  # noqa: E402

PRESIDIO_KINDS = {
    "PHONE_NUMBER": "phone",
    "EMAIL_ADDRESS": "email",
    "CREDIT_CARD": "bank_card",
    "IP_ADDRESS": "ip_address",
}
Span = tuple[int, int, str]


def momo_predict(text: str) -> list[Span]:
    return [(f.start, f.end, f.kind) for f in scan(text)]


def presidio_predict() -> Callable[[str], list[Span]]:
    # Presidio's email check asks the network for the public-suffix list; this
    # machine has none, and its bundled copy is used instead. Hush the retry noise.
    logging.getLogger("tldextract").setLevel(logging.CRITICAL)
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NoOpNlpEngine
    from presidio_analyzer.predefined_recognizers import (
        CreditCardRecognizer,
        EmailRecognizer,
        IpRecognizer,
        PhoneRecognizer,
    )

    regions = ["CN", "US", "GB", "DE", "JP", "FR", "AU", "SG", "HK"]
    registry = RecognizerRegistry(supported_languages=["en", "zh"])
    for language in ("en", "zh"):
        registry.add_recognizer(EmailRecognizer(supported_language=language))
        registry.add_recognizer(
            PhoneRecognizer(supported_language=language, supported_regions=regions)
        )
        registry.add_recognizer(CreditCardRecognizer(supported_language=language))
        registry.add_recognizer(IpRecognizer(supported_language=language))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        engine = AnalyzerEngine(
            registry=registry,
            nlp_engine=NoOpNlpEngine(
                models=[
                    {"lang_code": "en", "model_name": "no_op"},
                    {"lang_code": "zh", "model_name": "no_op"},
                ]
            ),
            supported_languages=["en", "zh"],
        )

    def predict(text: str) -> list[Span]:
        language = "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in text) else "en"
        results = engine.analyze(text=text, language=language)
        spans = [
            (r.start, r.end, PRESIDIO_KINDS[r.entity_type])
            for r in results
            if r.entity_type in PRESIDIO_KINDS
        ]
        # Presidio may report overlapping candidates; keep the best-scored, as it would.
        return sorted(set(spans))

    return predict


def throughput(predict: Callable[[str], Any], texts: list[str]) -> float:
    started = time.process_time()
    for text in texts:
        predict(text)
    elapsed = time.process_time() - started
    return sum(len(t) for t in texts) / elapsed


PROSE = (
    "周末和朋友去了成都，第一天吃火锅，晚上在春熙路逛街，人超级多。第2天早上9点去了宽窄巷子，"
    "拍了好多照片，推荐大家早点去。Spent the afternoon at a tiny coffee place, the flat white was "
    "great and the owner was lovely. 总之这次旅行很开心，下次还想再来！"
)


def make_notes(rows: list[dict[str, Any]], dense: bool) -> list[str]:
    """5,000-character notes: prose with a few findings (typical), or nothing but
    labelled sentences, most of them carrying personal data (dense)."""
    rng = random.Random(5)
    notes = []
    for _ in range(20):
        text = ""
        while len(text) < 5000:
            text += (rng.choice(rows)["text"] if dense or rng.random() < 0.05 else PROSE) + "\n"
        notes.append(text[:5000])
    return notes


def note_latency_ms(predict: Callable[[str], Any], notes: list[str], runs: int) -> float:
    samples = []
    for index in range(runs):
        started = time.perf_counter()
        predict(notes[index % len(notes)])
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def table(name: str, results: dict[str, dict[str, dict[str, float]]]) -> None:
    print(f"\n{name}")
    print(f"{'kind':<12}" + "".join(f"{tool + ' P':>12}{'R':>7}{'F1':>7}" for tool in results))
    for kind in KINDS:
        line = f"{kind:<12}"
        for tool, per_kind in results.items():
            if tool == "presidio" and kind not in PRESIDIO_KINDS.values():
                line += f"{'no recognizer':>26}"
                continue
            m = per_kind.get(kind, {"precision": 1.0, "recall": 0.0, "f1": 0.0})
            line += f"{m['precision']:>12.3f}{m['recall']:>7.3f}{m['f1']:>7.3f}"
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=ROOT / "tests/privacy/data/pii_labelled.jsonl")
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines()]
    texts = [row["text"] for row in rows]
    presidio = presidio_predict()
    print(
        f"{len(rows)} labelled texts, {sum(len(t) for t in texts)} characters, "
        f"{sum(len(r['spans']) for r in rows)} spans, {sum(not r['spans'] for r in rows)} negatives"
    )
    for overlap in (False, True):
        table(
            "overlap match" if overlap else "exact-span match",
            {
                "momo": score(rows, momo_predict, overlap),
                "presidio": score(rows, presidio, overlap),
            },
        )
    momo_rate, presidio_rate = throughput(momo_predict, texts), throughput(presidio, texts)
    print("\nthroughput on one core (characters per second of CPU time)")
    print(f"  momo      {momo_rate:>12,.0f}")
    print(f"  presidio  {presidio_rate:>12,.0f}")
    print(f"  ratio     {momo_rate / presidio_rate:>12.1f}x")
    print("\n5,000-character note, median latency")
    for label, dense in (
        ("typical (prose, a few findings)", False),
        ("dense (PII on most lines)", True),
    ):
        notes = make_notes(rows, dense)
        momo_note = note_latency_ms(momo_predict, notes, args.runs)
        presidio_note = note_latency_ms(presidio, notes, max(20, args.runs // 10))
        print(f"  {label:<34} momo {momo_note:6.2f} ms   presidio {presidio_note:7.2f} ms")


if __name__ == "__main__":
    main()
