"""``ferrometrics demo``: evaluate the metrics on a generated, imbalanced scored dataset."""

from __future__ import annotations

import time

import numpy as np

import ferrometrics as fast

from . import reference

THRESHOLDS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]
# The reference builds (rows x thresholds) matrices: it is fed in chunks to bound memory.
REFERENCE_CHUNK = 100_000


def make_dataset(rows: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Labels with 10% positives and scores a decent classifier would give (float32)."""
    rng = np.random.default_rng(seed)
    labels = rng.random(rows, dtype=np.float32) < 0.1
    scores = np.where(labels, rng.beta(5, 2, rows), rng.beta(2, 5, rows)).astype(np.float32)
    return labels, scores


def _evaluate(module, labels: np.ndarray, scores: np.ndarray, chunk: int) -> tuple[dict, float]:
    metrics = {
        "roc_auc": module.AUC(),
        "pr_auc": module.AUC(curve="PR"),
        "recall_at_precision_0.9": module.RecallAtPrecision(0.9),
        "precision_at_recall_0.9": module.PrecisionAtRecall(0.9),
        "precision": module.Precision(thresholds=THRESHOLDS),
        "recall": module.Recall(thresholds=THRESHOLDS),
        "true_positives": module.TruePositives(),
        "false_positives": module.FalsePositives(),
        "true_negatives": module.TrueNegatives(),
        "false_negatives": module.FalseNegatives(),
    }
    start = time.perf_counter()
    results = {}
    for name, metric in metrics.items():
        for start_row in range(0, len(labels), chunk):
            rows = slice(start_row, start_row + chunk)
            metric.update_state(labels[rows], scores[rows])
        results[name] = metric.result()
    return results, time.perf_counter() - start


def run(rows: int) -> int:
    """Prints the metrics of ``rows`` generated samples and both implementations' times."""
    labels, scores = make_dataset(rows)
    results, fast_seconds = _evaluate(fast, labels, scores, chunk=max(rows, 1))
    expected, reference_seconds = _evaluate(reference, labels, scores, chunk=REFERENCE_CHUNK)
    print(f"ferrometrics demo: {rows:,} samples, {int(labels.sum()):,} positive\n")
    for name in ("roc_auc", "pr_auc", "recall_at_precision_0.9", "precision_at_recall_0.9"):
        print(f"{name:<24} {float(results[name]):>8.4f}")
    print()
    print(f"{'threshold':>9}  {'precision':>9}  {'recall':>9}")
    for t, p, r in zip(THRESHOLDS, results["precision"], results["recall"]):
        print(f"{t:>9.1f}  {p:>9.4f}  {r:>9.4f}")
    print()
    for name in ("true_positives", "false_positives", "true_negatives", "false_negatives"):
        print(f"{name + ' @ 0.5':<22} {float(results[name]):>14,.0f}")
    agree = all(np.allclose(results[k], expected[k], rtol=2e-5, atol=2e-6) for k in results)
    print(
        f"\nferrometrics {fast_seconds * 1e3:8.1f} ms   pure-NumPy reference "
        f"{reference_seconds * 1e3:8.1f} ms   ({reference_seconds / fast_seconds:.0f}x)"
        f"   results agree: {agree}"
    )
    return 0 if agree else 1
