"""``ferrometrics demo``: evaluate a generated, imbalanced scored dataset, next to the reference."""

from __future__ import annotations

import sys
import time

import numpy as np

import ferrometrics as fast

from . import reference
from ._evaluation import DEFAULT_THRESHOLDS, Evaluation
from ._report import format_report

# The reference builds (rows x thresholds) matrices: it is fed in chunks to bound memory,
# and timed on a prefix of the data so the demo stays quick.
REFERENCE_CHUNK = 100_000
REFERENCE_ROWS = 200_000


def make_dataset(rows: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Labels with 10% positives and scores a decent classifier would give (float32)."""
    rng = np.random.default_rng(seed)
    labels = rng.random(rows, dtype=np.float32) < 0.1
    scores = np.where(labels, rng.beta(5, 2, rows), rng.beta(2, 5, rows)).astype(np.float32)
    return labels, scores


def _evaluate(module, labels: np.ndarray, scores: np.ndarray, chunk: int) -> tuple:
    evaluation = Evaluation(["score"], DEFAULT_THRESHOLDS, module)
    pairs = [("label", "score")]
    start = time.perf_counter()
    for first in range(0, len(labels), chunk):
        rows = slice(first, first + chunk)
        y = labels[rows].astype(np.float32)
        evaluation.update([y], [scores[rows]], None, first + 1, pairs, None)
    results = evaluation.results()
    return evaluation, results, time.perf_counter() - start


def run(rows: int, plot: str | None = None) -> int:
    """Prints the report for ``rows`` generated samples and both implementations' times."""

    labels, scores = make_dataset(rows)
    evaluation, results, fast_seconds = _evaluate(fast, labels, scores, chunk=max(rows, 1))
    results["seconds"] = fast_seconds
    print(f"ferrometrics demo: {int(labels.sum()):,} positives among generated samples\n")
    print(format_report(results, "generated data"))
    # Side by side on the same prefix: both implementations, same chunks, same numbers.
    n = min(rows, REFERENCE_ROWS)
    _, ours, ours_seconds = _evaluate(fast, labels[:n], scores[:n], REFERENCE_CHUNK)
    _, expected, reference_seconds = _evaluate(reference, labels[:n], scores[:n], REFERENCE_CHUNK)
    agree = all(
        np.allclose(ours[key], expected[key], rtol=2e-5, atol=2e-6)
        for key in expected
        if key != "rows"
    )
    print(
        f"\nfirst {n:,} rows: ferrometrics {ours_seconds * 1e3:.1f} ms, pure-NumPy reference "
        f"{reference_seconds * 1e3:.1f} ms ({reference_seconds / ours_seconds:.0f}x); "
        f"results agree: {agree}"
    )
    if plot:
        from ._plot import write_plot

        try:
            write_plot(evaluation, plot)
            print(f"curves written to {plot}")
        except ImportError as error:  # the demo runs without matplotlib, just without curves
            print(f"no plot: {error}")
        except ValueError as error:
            print(f"ferrometrics: error: {error}", file=sys.stderr)
            return 1
    return 0 if agree else 1
