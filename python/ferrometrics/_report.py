"""The report table that ``ferrometrics evaluate`` and ``ferrometrics demo`` print."""

from __future__ import annotations

from typing import Any

ROWS = [
    ("rows read", "rows"),
    ("ROC AUC", "roc_auc"),
    ("PR AUC", "pr_auc"),
    ("PR-gain AUC", "prgain_auc"),
    ("ROC AUC, exact", "roc_auc_exact"),
    ("average precision, exact", "average_precision"),
    ("precision @ 0.5", "precision"),
    ("recall @ 0.5", "recall"),
    ("F1 @ 0.5", "f1"),
    ("best F1", "f1_best"),
    ("  at threshold", "f1_best_threshold"),
    ("recall @ precision 0.9", "recall_at_precision_0.9"),
    ("precision @ recall 0.9", "precision_at_recall_0.9"),
    ("sensitivity @ specificity 0.95", "sensitivity_at_specificity_0.95"),
    ("true positives @ 0.5", "tp"),
    ("false positives @ 0.5", "fp"),
    ("true negatives @ 0.5", "tn"),
    ("false negatives @ 0.5", "fn"),
]


def format_report(report: dict[str, Any], source: str) -> str:
    """A readable table: one value column, or one per label."""
    per_label = report.get("labels") or {"": report}
    per_label = {name: {**values, "rows": report["rows"]} for name, values in per_label.items()}
    width = max(14, *(len(name) for name in per_label))
    lines = [f"{source}: {report['rows']:,} rows in {report['seconds']:.2f} s", ""]
    if len(per_label) > 1:
        lines.append(f"{'':32}" + "".join(f"{name:>{width + 2}}" for name in per_label))
    for title, key in ROWS:
        if key not in next(iter(per_label.values())):  # the exact rows: only with --exact
            continue
        cells = "".join(f"{_cell(values[key], key):>{width + 2}}" for values in per_label.values())
        lines.append(f"{title:32}{cells}")
    if "multi_label" in report:
        lines.append("")
        for name, value in report["multi_label"].items():
            lines.append(f"{'multi-label ' + name.replace('_', ' ').upper():32}{value:>16.6f}")
    return "\n".join(lines)


def _cell(value: float | int, key: str = "") -> str:
    if isinstance(value, int):
        return f"{value:,}"
    if value != value:  # NaN: no threshold qualified
        return "n/a"
    if key == "f1_best_threshold":  # significant digits: the lowest is -1e-07, not -0.000000
        return f"{value:.6g}"
    return f"{value:.6f}" if abs(value) < 1e6 else f"{value:,.1f}"
