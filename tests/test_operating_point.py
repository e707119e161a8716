"""The four operating-point metrics worked by hand, on both implementations (SPEC section 6).

``get_config``/``from_config``, names and thresholds of every class, and ``operating_point()``
on the Keras documentation's data: the value, and the threshold where it is reached (NaN when no
threshold qualifies). Random inputs against the reference are in
``test_operating_point_properties.py``.
"""

from __future__ import annotations

import math
import pickle

import numpy as np
import pytest
from support import AT_CLASSES, AT_VALUE_NAMES, DEFAULT_NAMES, IMPLEMENTATIONS


@pytest.mark.parametrize("module", IMPLEMENTATIONS)
@pytest.mark.parametrize("class_name", AT_CLASSES)
def test_operating_point_config(module, class_name: str) -> None:
    cls = getattr(module, class_name)
    value_name = AT_VALUE_NAMES[class_name]
    assert cls(0.5).get_config() == {
        "name": DEFAULT_NAMES[class_name],
        "dtype": "float32",
        "class_id": None,
        "num_thresholds": 200,
        value_name: 0.5,
    }
    metric = cls(**{value_name: 1}, num_thresholds=7, class_id=2, name="x", dtype="float64")
    config = metric.get_config()
    assert config == {
        "name": "x",
        "dtype": "float64",
        "class_id": 2,
        "num_thresholds": 7,
        value_name: 1,
    }
    rebuilt = cls.from_config(config)
    assert type(rebuilt) is cls
    assert rebuilt.get_config() == config
    assert rebuilt.thresholds == metric.thresholds == [0.0, 1 / 6, 2 / 6, 3 / 6, 4 / 6, 5 / 6, 1.0]
    assert getattr(metric, value_name) == 1
    assert cls(0.5, num_thresholds=1).thresholds == [0.5]
    assert cls(0.5).name == DEFAULT_NAMES[class_name]
    clone = pickle.loads(pickle.dumps(metric))
    assert clone.get_config() == config


@pytest.mark.parametrize("module", IMPLEMENTATIONS)
def test_operating_point_on_the_keras_doc_data(module) -> None:
    """Worked by hand on the Keras doc data, T = 200 (thresholds i/199, p > t).

    y = [0, 0, 0, 1, 1], p = [0, 0.3, 0.8, 0.3, 0.8]. Thresholds below 0.3 (i <= 59): tp 2,
    fp 2, tn 1; from 0.3 to below 0.8 (60 <= i <= 159): tp 1, fp 1, tn 2; above: tp 0, fp 0.
    PrecisionAtRecall(0.5): recall >= 0.5 for i <= 159; precision is 0.5 everywhere there;
    the highest recall (1.0) is at i <= 59, the lowest threshold is 0.0.
    """
    metric = module.PrecisionAtRecall(0.5)
    metric.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
    value, threshold = metric.operating_point()
    assert value == np.float32(0.5)
    assert threshold == 0.0
    # SensitivityAtSpecificity(0.5): specificity >= 0.5 needs tn 2 of 3 (i >= 60); the best
    # sensitivity there is 0.5 (i <= 159); highest specificity among them: 2/3 everywhere, so
    # the lowest threshold, i = 60.
    metric = module.SensitivityAtSpecificity(0.5)
    metric.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
    assert metric.operating_point() == (np.float32(0.5), 60 / 199)
    # RecallAtPrecision(1.0): precision 1 is never reached (tp 0 above 0.8: precision 0).
    metric = module.RecallAtPrecision(1.0)
    metric.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
    value, threshold = metric.operating_point()
    assert value == 0.0 and math.isnan(threshold)
