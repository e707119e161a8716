"""Writes checkpoints (pickled metrics) in the state format of ferrometrics 0.1.0 (format 0).

Run once with the 0.1.0 build (commit e4cd967) to produce ``format0.pkl``; the test
suite loads them with the current build and compares them with the same updates replayed today.
Each entry: class name, constructor arguments, the updates applied, and the metric's pickle.
"""

import pickle
import sys

import numpy as np

import ferrometrics as fm

rng = np.random.default_rng(20261202)


def binary(n, cols=None):
    shape = (n,) if cols is None else (n, cols)
    y = (rng.random(shape) < 0.4).astype(np.float32)
    p = rng.random(shape).astype(np.float32)
    w = rng.integers(0, 4, size=n).astype(np.float32)
    return y.tolist(), p.tolist(), w.tolist()


CONFIGS = [
    ("Precision", {}, None),
    ("Precision", {"thresholds": [0.3, 0.5, 0.7], "dtype": "float64"}, None),
    ("Precision", {"top_k": 2}, 4),
    ("Recall", {"class_id": 1, "thresholds": [0.0, 0.25, 0.5, 0.75, 1.0]}, 3),
    ("TruePositives", {"thresholds": [0.1, 0.9]}, None),
    ("TrueNegatives", {}, None),
    ("FalsePositives", {"thresholds": 0.3}, None),
    ("FalseNegatives", {"name": "fn_at_half"}, None),
    ("AUC", {}, None),
    ("AUC", {"num_thresholds": 50, "curve": "PR", "dtype": "float64"}, None),
    ("AUC", {"curve": "PRGAIN", "summation_method": "minoring", "thresholds": [0.2, 0.4]}, None),
    ("AUC", {"multi_label": True, "num_thresholds": 20}, 3),
    ("AUC", {"multi_label": True, "num_labels": 2, "label_weights": [1.0, 3.0]}, 2),
    ("AUC", {"multi_label": True}, "unbuilt"),
    ("AUC", {"label_weights": [0.5, 2.0]}, 2),
    ("SensitivityAtSpecificity", {"specificity": 0.5}, None),
    ("SpecificityAtSensitivity", {"sensitivity": 0.7, "num_thresholds": 1}, None),
    ("PrecisionAtRecall", {"recall": 0.4, "class_id": 0}, 2),
    ("RecallAtPrecision", {"precision": 0.6, "num_thresholds": 30, "dtype": "float64"}, None),
    ("F1Score", {}, 3),
    ("F1Score", {"average": "micro", "threshold": 0.5}, 4),
    ("FBetaScore", {"average": "weighted", "beta": 2.0, "threshold": 0.3}, 3),
    ("FBetaScore", {"average": "macro"}, "unbuilt"),
]

entries = []
for class_name, kwargs, width in CONFIGS:
    metric = getattr(fm, class_name)(**kwargs)
    updates = []
    if width != "unbuilt":
        for n in (37, 5):
            y, p, w = binary(n, width)
            updates.append((y, p, w))
            metric.update_state(np.asarray(y, np.float32), np.asarray(p, np.float32), np.asarray(w))
    entries.append(
        {"class": class_name, "kwargs": kwargs, "updates": updates, "pickle": pickle.dumps(metric)}
    )

with open(sys.argv[1], "wb") as out:
    pickle.dump({"ferrometrics": fm.__version__, "entries": entries}, out, protocol=4)
print(len(entries), "checkpoints written")
