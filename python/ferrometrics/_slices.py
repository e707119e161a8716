"""``ferrometrics evaluate --by COL``: the report per slice of rows, next to the overall one.

Every metric of the report is wrapped in ``Sliced``. Each chunk's group values are coded
once (``_groups.encode``) and mapped to codes kept across chunks, so every sliced metric
receives plain integer ids (counted in one pass, without coding strings again).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._evaluation import PairMetrics
from ._groups import encode

#: Curves drawn per plot with ``--plot``: the largest slices.
MAX_PLOTTED_SLICES = 8

#: Slice columns of the printed table: (title, key).
COLUMNS = [
    ("rows", "rows"),
    ("ROC AUC", "roc_auc"),
    ("PR AUC", "pr_auc"),
    ("precision", "precision"),
    ("recall", "recall"),
    ("F1", "f1"),
    ("best F1", "f1_best"),
]


def slice_name(key: Any) -> str:
    """A key as the report shows it: crossed values joined by ``|``, missing ones ``(missing)``."""
    parts = key if isinstance(key, tuple) else (key,)
    return "|".join("(missing)" if p is None else str(p) for p in parts)


class Slices:
    """The report's metrics per slice for each label/score pair, and the rows of each slice."""

    def __init__(self, pairs: int, num_thresholds: int, module: Any) -> None:
        from ._sliced import Sliced

        self.per_pair = [
            {name: Sliced(m) for name, m in PairMetrics(module, num_thresholds).metrics.items()}
            for _ in range(pairs)
        ]
        self.keys: list = []
        self._codes: dict = {}
        self.rows = np.zeros(0, dtype=np.int64)

    def update(
        self, labels: list[np.ndarray], scores: list[np.ndarray], weights: Any, by: list
    ) -> None:
        """Adds one chunk (values already checked); ``by`` holds the group columns."""
        ids, keys = encode(tuple(by) if len(by) > 1 else by[0])
        lookup = np.array([self._code(key) for key in keys], dtype=np.int64)
        codes = lookup[ids] if len(lookup) else ids
        self.rows = np.bincount(codes, minlength=len(self.keys)) + np.pad(
            self.rows, (0, len(self.keys) - len(self.rows))
        )
        for metrics, y, p in zip(self.per_pair, labels, scores):
            for name, sliced in metrics.items():
                if name == "f1":  # F-scores take (N, classes)
                    sliced.update_state(y[:, None], p[:, None], weights, groups=codes)
                else:
                    sliced.update_state(y, p, weights, groups=codes)

    def _code(self, key: Any) -> int:
        code = self._codes.get(key)
        if code is None:
            code = self._codes[key] = len(self.keys)
            self.keys.append(key)
        return code

    def kept(self, min_rows: int) -> list[int]:
        """Codes of the slices with at least ``min_rows`` rows, largest first."""
        codes = [c for c in range(len(self.keys)) if self.rows[c] >= min_rows]
        return sorted(codes, key=lambda c: (-int(self.rows[c]), slice_name(self.keys[c])))

    def pair(self, index: int, code: int) -> PairMetrics:
        """The report's metrics of one slice for pair ``index``."""
        return PairMetrics.of({name: s[code] for name, s in self.per_pair[index].items()})

    def results(self, index: int, min_rows: int) -> dict[str, dict[str, Any]]:
        """``{slice name: report keys and rows}`` for pair ``index``."""
        return {
            slice_name(self.keys[code]): {
                **self.pair(index, code).results(),
                "rows": int(self.rows[code]),
            }
            for code in self.kept(min_rows)
        }


def format_slices(slices: dict[str, dict[str, Any]], title: str) -> str:
    """A table with one line per slice."""
    from ._report import _cell

    width = max([16, *(len(name) for name in slices)])
    lines = [title, f"{'slice':{width}}" + "".join(f"{t:>12}" for t, _ in COLUMNS)]
    for name, values in slices.items():
        cells = "".join(f"{_cell(values[key], key):>12}" for _, key in COLUMNS)
        lines.append(f"{name:{width}}{cells}")
    return "\n".join(lines)
