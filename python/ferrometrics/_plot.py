"""ROC and PR curves side by side, labelled with their AUCs (matplotlib, no display)."""

from __future__ import annotations

import os
from typing import Any

from ._evaluation import Evaluation


def check_plot_path(path: str) -> None:
    """Raises ``ValueError`` for a path the plot cannot be written to: checked up front, so a
    long evaluation does not end in a refusal."""
    if not path.lower().endswith((".png", ".svg")):
        raise ValueError(f"--plot must name a .png or .svg file. Received: {path}")
    folder = os.path.dirname(path) or "."
    if not os.path.isdir(folder):
        raise ValueError(f"--plot: no such directory: {folder}")


def write_plot(
    evaluation: Evaluation, path: str, slices: Any = None, min_slice_rows: int = 1
) -> None:
    """Writes the curves of every label/score pair to ``path`` (.png or .svg); with ``slices``
    (``--by``), those of the first pair overall and of its largest slices (at most
    ``MAX_PLOTTED_SLICES``)."""
    check_plot_path(path)
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as error:
        raise ImportError('plots need matplotlib: pip install "ferrometrics[cli]"') from error
    figure, (roc, pr) = plt.subplots(1, 2, figsize=(11, 5))
    curves = list(zip(evaluation.pairs, evaluation.per_pair))
    if slices is not None:
        from ._slices import MAX_PLOTTED_SLICES, slice_name

        kept = slices.kept(min_slice_rows)[:MAX_PLOTTED_SLICES]
        curves = [(f"all rows {curves[0][0]}".strip(), curves[0][1])] + [
            (slice_name(slices.keys[code]), slices.pair(0, code)) for code in kept
        ]
    for name, pair in curves:
        results = pair.results()
        roc_curve, pr_curve = pair.curve_points("roc_auc"), pair.curve_points("pr_auc")
        roc.plot(roc_curve.fpr, roc_curve.recall, label=f"{name}: AUC {results['roc_auc']:.4f}")
        # Precision is undefined where nothing is predicted positive: those points are left out.
        kept = (pr_curve.tp + pr_curve.fp) > 0
        pr.plot(
            pr_curve.recall[kept],
            pr_curve.precision[kept],
            label=f"{name}: AUC {results['pr_auc']:.4f}",
        )
    roc.plot([0, 1], [0, 1], linestyle=":", color="grey", linewidth=1)
    roc.set(title="ROC", xlabel="false positive rate", ylabel="true positive rate (recall)")
    pr.set(title="Precision-recall", xlabel="recall", ylabel="precision")
    for axes in (roc, pr):
        axes.set_xlim(0, 1)
        axes.set_ylim(0, 1.02)
        axes.grid(alpha=0.3)
        axes.legend(loc="lower right" if axes is roc else "lower left")
    figure.tight_layout()
    try:
        figure.savefig(path)
    except OSError as error:  # e.g. no permission
        raise ValueError(f"cannot write {path}: {error}") from error
    finally:
        plt.close(figure)
