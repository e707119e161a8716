"""Pickling, copying and merging, on every class.

- Every configuration of the registry: pickle (protocols 0, 2, 5), ``copy.copy`` and
  ``copy.deepcopy`` round trip, unbuilt, updated or reset, and the copy keeps accumulating
  independently; parts merged (pickled, as if computed elsewhere) equal one update over
  everything; merging an incompatible metric (or something that is not a metric) merges
  nothing. Subclasses keep their class and instance attributes through pickling and copying.
- The confusion metrics, worked by hand: state kept through pickling, merges add (a single
  metric, an iterable, the metric itself), mismatched configurations are refused all or
  nothing.
- AUC: an unbuilt multi-label AUC merges as zeros of any label count; another configuration is
  refused; the same thresholds given as a count or as a list merge.
- Across implementations: a fast metric refuses to merge a reference one, naming both.
- Checkpoints: pickles written by ferrometrics 0.1.0 (format 0) load as the same updates
  replayed; a pickle records its state format; a newer format, or a corrupt state (NaN, inf,
  missing or reshaped variables, text, a bad format or width), is refused with a ValueError.
"""

from __future__ import annotations

import copy
import pickle
import threading
from typing import Any, Callable

import numpy as np
import pytest
from support import (
    CONFIGS,
    CONFUSION_CLASSES,
    DATA_DIR,
    EXPECTED_VARIABLES,
    IMPLEMENTATIONS,
    NAMES,
    THRESHOLDS,
    VARIABLE_NAMES,
    WEIGHTS,
    Y_PRED,
    Y_TRUE,
    Config,
    assert_same_result,
    assert_same_state,
    assert_variables_equal,
    batch,
    copy_variables,
    each_implementation,
    state_bytes,
    two_column_data,
)

import ferrometrics as fm
from ferrometrics import reference as ref

# ---------------------------------------------------------------------------------------------
# Every configuration of the registry


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(
    "how",
    ["pickle0", "pickle2", "pickle5", "deepcopy", "copy"],
)
@pytest.mark.parametrize("when", ["unbuilt", "updated", "after_reset"])
def test_pickle_and_copy_round_trip_and_keep_accumulating(name: str, how: str, when: str) -> None:
    config = CONFIGS[name]
    metric = config.make()
    if when != "unbuilt":
        metric.update_state(*batch(config, 200, seed=1))
    if when == "after_reset":
        metric.reset_state()
    if how.startswith("pickle"):
        clone = pickle.loads(pickle.dumps(metric, protocol=int(how[-1])))
    elif how == "deepcopy":
        clone = copy.deepcopy(metric)
    else:
        clone = copy.copy(metric)
    assert type(clone) is type(metric)
    assert clone.get_config() == metric.get_config()
    assert_same_state(clone, metric)
    more = batch(config, 300, seed=2)
    clone.update_state(*more)
    metric.update_state(*more)
    assert_same_state(clone, metric)
    assert_same_result(clone, metric)
    clone.update_state(*batch(config, 10, seed=3))  # the copy is independent
    assert state_bytes(clone) != state_bytes(metric)


@pytest.mark.parametrize("name", NAMES)
def test_merged_parts_equal_one_update_over_everything(name: str) -> None:
    config = CONFIGS[name]
    parts = [batch(config, rows, seed=k) for k, rows in enumerate([0, 1, 50, 70_000, 333])]
    whole = tuple(
        None if parts[0][i] is None else np.concatenate([p[i] for p in parts]) for i in range(3)
    )
    single = config.make()
    single.update_state(*whole)
    pieces = []
    for p in parts:
        m = config.make()
        m.update_state(*p)
        pieces.append(pickle.loads(pickle.dumps(m)))  # as if computed elsewhere
    merged = config.make()
    merged.merge_state(pieces[:2])
    merged.merge_state(pieces[2])
    merged.merge_state(iter(pieces[3:]))
    merged.merge_state([config.make()])  # an unbuilt metric adds nothing
    assert_same_state(merged, single)
    assert_same_result(merged, single)
    reference = config.make(ref)
    reference.update_state(*whole)
    np.testing.assert_allclose(
        np.asarray(merged.result(), np.float64),
        np.asarray(reference.result(), np.float64),
        rtol=1e-5,
        atol=1e-6,
    )


# A configuration whose state cannot be added to each config's state.
INCOMPATIBLE: dict[str, Callable[[], Any]] = {
    "AUC": lambda: fm.AUC(num_thresholds=100),
    "AUC_PR_minoring": lambda: fm.AUC(curve="ROC", summation_method="minoring"),
    "AUC_PRGAIN_thresholds": lambda: fm.AUC(curve="PRGAIN", thresholds=[0.2, 0.5]),
    "AUC_logits": lambda: fm.AUC(from_logits=False),
    "AUC_multi_label": lambda: fm.AUC(),
    "AUC_label_weights": lambda: fm.AUC(multi_label=True, num_labels=3),
    "Precision": lambda: fm.Recall(),
    "Precision_top_k": lambda: fm.Precision(top_k=1, class_id=1),
    "Recall": lambda: fm.Recall(thresholds=[0.1, 0.5]),
    "TruePositives": lambda: fm.TrueNegatives(),
    "TrueNegatives": lambda: fm.TrueNegatives(thresholds=[0.6, 0.3]),
    "FalsePositives": lambda: fm.FalsePositives(thresholds=[0.4]),
    "FalseNegatives": lambda: fm.FalsePositives(),
    "PrecisionAtRecall": lambda: fm.PrecisionAtRecall(0.6, num_thresholds=100),
    "RecallAtPrecision": lambda: fm.PrecisionAtRecall(0.7, num_thresholds=50),
    "SensitivityAtSpecificity": lambda: fm.SensitivityAtSpecificity(0.5, class_id=0),
    "SpecificityAtSensitivity": lambda: fm.SpecificityAtSensitivity(0.5, class_id=1),
    "F1Score_none": lambda: fm.F1Score(average="micro"),
    "F1Score_micro": lambda: fm.F1Score(average="micro", threshold=0.6),
    "F1Score_macro": lambda: fm.FBetaScore(average="macro", threshold=0.4),
    "FBetaScore_weighted": lambda: fm.FBetaScore(average="weighted", beta=1.0, threshold=0.6),
}


@pytest.mark.parametrize("name", NAMES)
def test_merging_an_incompatible_metric_merges_nothing(name: str) -> None:
    config = CONFIGS[name]
    metric = config.make()
    metric.update_state(*batch(config, 100, seed=1))
    good = config.make()
    good.update_state(*batch(config, 100, seed=2))
    bad = INCOMPATIBLE[name]()
    if config.data == "columns" and name != "AUC_label_weights":  # that one is built: 3 labels
        bad.update_state(*batch(Config("x", {}, "columns"), 20, seed=3)[:2])
    before = state_bytes(metric)
    with pytest.raises(ValueError):
        metric.merge_state([good, bad, good])
    assert state_bytes(metric) == before
    with pytest.raises((ValueError, TypeError)):
        metric.merge_state([good, "not a metric"])
    assert state_bytes(metric) == before


@pytest.mark.parametrize("name", NAMES)
def test_subclasses_work_pickle_and_keep_instance_attributes(name: str) -> None:
    config = CONFIGS[name]
    base = type(config.make())
    subclass = type("Custom" + base.__name__, (base,), {"__module__": __name__})
    globals()[subclass.__name__] = subclass  # picklable by name
    m = subclass(**config.kwargs)
    m.owner = "team-a"
    y_true, y_pred, w = batch(config, 300, seed=2)
    m.update_state(y_true, y_pred, w)
    plain = config.make()
    plain.update_state(y_true, y_pred, w)
    assert_same_state(m, plain)
    for clone in (pickle.loads(pickle.dumps(m)), copy.deepcopy(m), copy.copy(m)):
        assert type(clone) is subclass and clone.owner == "team-a"
        assert_same_state(clone, m)


# ---------------------------------------------------------------------------------------------
# The confusion metrics, worked by hand


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("class_name", CONFUSION_CLASSES)
@pytest.mark.parametrize("how", ["pickle", "deepcopy"])
def test_pickle_and_copy_keep_state(impl, class_name: str, how: str) -> None:
    kwargs = {"thresholds": THRESHOLDS, "name": "m", "dtype": "float64"}
    metric = getattr(impl, class_name)(**kwargs)
    half = len(Y_TRUE) // 2
    metric.update_state(Y_TRUE[:half], Y_PRED[:half], WEIGHTS[:half])
    if how == "pickle":
        clone = pickle.loads(pickle.dumps(metric))
    else:
        clone = copy.deepcopy(metric)
    before = copy_variables(metric)
    assert type(clone) is type(metric)
    assert clone.get_config() == metric.get_config()
    assert_variables_equal(clone.variables, before)
    clone.update_state(Y_TRUE[half:], Y_PRED[half:], WEIGHTS[half:])
    assert_variables_equal(clone.variables, EXPECTED_VARIABLES[class_name])
    assert np.asarray(clone.result()).dtype == np.float64
    assert_variables_equal(metric.variables, before)  # the original is independent
    metric.update_state(Y_TRUE[half:], Y_PRED[half:], WEIGHTS[half:])
    assert_variables_equal(metric.variables, EXPECTED_VARIABLES[class_name])


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
def test_pickle_of_top_k_class_id(impl) -> None:
    y_true, y_pred, weights, expected = two_column_data()
    metric = impl.Recall(top_k=1, class_id=1, thresholds=[0.5, 0.1])
    clone = pickle.loads(pickle.dumps(metric, protocol=pickle.HIGHEST_PROTOCOL))
    clone.update_state(y_true, y_pred, weights)
    # Column 1 kept in rows 0, 2, 3 (values 0.7, 0.6, 0.4), dropped in row 1 (label 1, w 2).
    # Labels 1 in column 1: rows 1 (w 2), 2 (w 3), 3 (w 4).
    # t=0.5: tp = 3 (row 2); fn = 2 + 4 = 6. t=0.1: tp = 3 + 4 = 7; fn = 2.
    assert_variables_equal(clone.variables, [[3.0, 7.0], [6.0, 2.0]])
    assert clone.get_config() == metric.get_config()


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("class_name", CONFUSION_CLASSES)
def test_merge_state_adds(impl, class_name: str) -> None:
    cls = getattr(impl, class_name)
    half = len(Y_TRUE) // 2
    first, second, third = (cls(thresholds=THRESHOLDS) for _ in range(3))
    first.update_state(Y_TRUE[:half], Y_PRED[:half], WEIGHTS[:half])
    second.update_state(Y_TRUE[half:], Y_PRED[half:], WEIGHTS[half:])
    first.merge_state([second, third])
    assert_variables_equal(first.variables, EXPECTED_VARIABLES[class_name])
    # The merged metrics are not changed.
    assert_variables_equal(third.variables, [[0.0] * 3] * len(VARIABLE_NAMES[class_name]))
    first.merge_state([])
    assert_variables_equal(first.variables, EXPECTED_VARIABLES[class_name])
    merged = cls(thresholds=THRESHOLDS)
    merged.merge_state(iter([pickle.loads(pickle.dumps(first))]))
    assert_variables_equal(merged.variables, EXPECTED_VARIABLES[class_name])


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
def test_merge_state_into_itself(impl) -> None:
    metric = impl.TruePositives(thresholds=THRESHOLDS)
    metric.update_state(Y_TRUE, Y_PRED, WEIGHTS)
    done = threading.Event()

    def merge() -> None:
        metric.merge_state([metric])
        done.set()

    thread = threading.Thread(target=merge, daemon=True)
    thread.start()
    thread.join(timeout=30)
    assert done.is_set(), "merge_state([self]) did not return (deadlock?)"
    assert_variables_equal(metric.variables, [[12.0, 8.0, 2.0]])


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize(
    "make_other",
    [
        lambda impl: impl.Recall(thresholds=THRESHOLDS),
        lambda impl: impl.Precision(thresholds=[0.25, 0.5]),
        lambda impl: impl.Precision(thresholds=[0.5, 0.25, 0.75]),
        lambda impl: impl.Precision(thresholds=THRESHOLDS, top_k=1),
        lambda impl: impl.Precision(thresholds=THRESHOLDS, class_id=0),
        lambda impl: impl.TruePositives(thresholds=THRESHOLDS),
    ],
    ids=["other_class", "fewer_thresholds", "other_order", "top_k", "class_id", "count"],
)
def test_merge_state_refuses_mismatch(impl, make_other) -> None:
    metric = impl.Precision(thresholds=THRESHOLDS)
    metric.update_state(Y_TRUE, Y_PRED, WEIGHTS)
    good = impl.Precision(thresholds=THRESHOLDS)
    good.update_state(Y_TRUE, Y_PRED, WEIGHTS)
    other = make_other(impl)
    other.update_state([[1, 0], [0, 1]], [[0.9, 0.9], [0.8, 0.1]])
    with pytest.raises(ValueError):
        metric.merge_state([good, other])  # all or nothing: `good` is not merged either
    assert_variables_equal(metric.variables, EXPECTED_VARIABLES["Precision"])


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
def test_merge_state_takes_a_single_metric(impl) -> None:
    a, b = impl.TruePositives(), impl.TruePositives()
    a.update_state([1, 1], [0.9, 0.8])
    b.update_state([1, 0], [0.9, 0.8])
    a.merge_state(b)
    assert_variables_equal(a.variables, [[3.0]])


# ---------------------------------------------------------------------------------------------
# AUC


@pytest.mark.parametrize("cls", each_implementation("AUC"))
def test_auc_merge_of_an_unbuilt_multi_label_auc(cls) -> None:
    """An unbuilt multi-label AUC merges as zeros of any label count, in both directions."""
    y_true = np.array([[0, 1, 1], [1, 0, 1], [1, 1, 0], [0, 0, 1]], dtype=np.float32)
    y_pred = np.array(
        [[0.2, 0.9, 0.4], [0.8, 0.1, 0.7], [0.6, 0.5, 0.0], [0.3, 0.25, 1.0]], dtype=np.float32
    )
    built = cls(num_thresholds=5, multi_label=True)
    built.update_state(y_true, y_pred, [1, 2, 3, 4])
    expected = built.variables
    assert expected[0].shape == (5, 3)

    unbuilt = cls(num_thresholds=5, multi_label=True)
    assert unbuilt.variables == []
    unbuilt.merge_state(built)  # adopts the label count
    for actual, wanted in zip(unbuilt.variables, expected):
        assert np.array_equal(actual, wanted)
    assert unbuilt.result() == built.result()

    built.merge_state([cls(num_thresholds=5, multi_label=True)])  # adds nothing
    for actual, wanted in zip(built.variables, expected):
        assert np.array_equal(actual, wanted)

    empty = cls(num_thresholds=5, multi_label=True)
    empty.merge_state([cls(num_thresholds=5, multi_label=True)])  # still unbuilt
    assert empty.variables == []
    assert empty.result() == 0.0
    empty.update_state(y_true[:, :2], y_pred[:, :2])  # any label count is still possible
    assert empty.variables[0].shape == (5, 2)

    other = cls(num_thresholds=5, multi_label=True)
    other.update_state(y_true[:, :2], y_pred[:, :2])
    before = built.variables
    with pytest.raises(ValueError):
        built.merge_state([cls(num_thresholds=5, multi_label=True), other])
    for actual, wanted in zip(built.variables, before):
        assert np.array_equal(actual, wanted)


@pytest.mark.parametrize("cls", each_implementation("AUC"))
@pytest.mark.parametrize(
    "other_kwargs",
    [
        {"num_thresholds": 6},
        {"curve": "PR"},
        {"summation_method": "minoring"},
        {"thresholds": [0.2, 0.5, 0.75]},
        {"from_logits": True},
        {"dtype": "float64"},
        {"label_weights": [1.0]},
    ],
    ids=lambda kwargs: ",".join(kwargs),
)
def test_auc_merge_refuses_another_configuration(cls, other_kwargs: dict) -> None:
    metric = cls(num_thresholds=5)
    metric.update_state([0, 1, 1], [0.2, 0.7, 0.4])
    before = metric.variables
    good = cls(num_thresholds=5)
    good.update_state([1], [0.9])
    other = cls(**{"num_thresholds": 5, **other_kwargs})
    with pytest.raises(ValueError):
        metric.merge_state([good, other])  # all or nothing
    for actual, wanted in zip(metric.variables, before):
        assert np.array_equal(actual, wanted)


def test_the_same_thresholds_given_two_ways_merge() -> None:
    y_true, y_pred, w = batch(CONFIGS["AUC"], 500, seed=1)
    by_count, by_list = fm.AUC(num_thresholds=3), fm.AUC(thresholds=[0.5])
    assert by_count.thresholds == by_list.thresholds
    by_list.update_state(y_true, y_pred, w)
    by_count.merge_state(by_list)
    want = ref.AUC(num_thresholds=3)
    want.update_state(y_true, y_pred, w)
    for got, expected in zip(by_count.variables, want.variables):
        np.testing.assert_allclose(got, expected, rtol=0, atol=0)
    with pytest.raises(ValueError, match="different configurations"):
        fm.AUC(num_thresholds=3).merge_state(fm.AUC(thresholds=[0.4]))


# ---------------------------------------------------------------------------------------------
# Across implementations


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
def test_merge_state_refuses_other_implementation(impl) -> None:
    other_impl = ref if impl is fm else fm
    metric = impl.Precision(thresholds=THRESHOLDS)
    with pytest.raises(ValueError):
        metric.merge_state([other_impl.Precision(thresholds=THRESHOLDS)])


@pytest.mark.parametrize("name", ["AUC", "Precision", "F1Score_macro"])
def test_merging_a_metric_of_the_other_implementation_names_both(name: str) -> None:
    config = CONFIGS[name]
    ours, theirs = config.make(fm), config.make(ref)
    for other in (theirs, [theirs]):
        with pytest.raises(ValueError, match=r"ferrometrics\.reference\..* into a ferrometrics\._"):
            ours.merge_state(other)


# ---------------------------------------------------------------------------------------------
# Checkpoints: the saved-state format


FORMAT0 = DATA_DIR / "checkpoints" / "format0.pkl"


def saved_state(metric: Any) -> tuple:
    """The pickling protocol's parts: reconstructor, class, config, saved state."""
    restore, (cls, config, state), _ = metric.__reduce__()
    return restore, cls, config, state


class Checkpoint:
    """Pickles as ``metric`` would, with its saved state replaced (a tampered checkpoint)."""

    def __init__(self, metric: Any, state: Any) -> None:
        self.parts = saved_state(metric)[:3] + (state,)

    def __reduce__(self) -> tuple:
        restore, cls, config, state = self.parts
        return restore, (cls, config, state)


def format0_entries() -> list[dict]:
    with open(FORMAT0, "rb") as checkpoints:
        return pickle.load(checkpoints)["entries"]


@pytest.mark.parametrize("entry", format0_entries(), ids=lambda e: f"{e['class']}{e['kwargs']}")
def test_checkpoints_written_by_0_1_0_load_as_the_same_updates_replayed(entry: dict) -> None:
    loaded = pickle.loads(entry["pickle"])
    replayed = getattr(fm, entry["class"])(**entry["kwargs"])
    for y_true, y_pred, weights in entry["updates"]:
        replayed.update_state(
            np.asarray(y_true, np.float32), np.asarray(y_pred, np.float32), np.asarray(weights)
        )
    assert type(loaded) is type(replayed)
    assert loaded.get_config() == replayed.get_config()
    assert_same_state(loaded, replayed)
    assert_same_result(loaded, replayed)


def test_the_format0_checkpoints_cover_every_class() -> None:
    covered = {entry["class"] for entry in format0_entries()}
    assert covered == {name for name in fm.__all__ if name[0].isupper()} - {
        "AUCCurve",
        "AUCSummationMethod",
        "CurvePoints",
        "PrecisionRecallData",
        "Sliced",  # a wrapper of metrics, newer than format 0: its pickles hold theirs
        "ExactAUC",  # newer than format 0; its own state format is tested in test_exact_auc.py
    }


@pytest.mark.parametrize("name", NAMES)
def test_a_checkpoint_records_the_state_format(name: str) -> None:
    metric = CONFIGS[name].make()
    metric.update_state(*batch(CONFIGS[name], 40, seed=3))
    state = saved_state(metric)[3]
    assert state["format"] == 1
    assert [v.shape for v in state["variables"]] == [v.shape for v in metric.variables]


@pytest.mark.parametrize("name", NAMES)
def test_a_checkpoint_of_a_newer_format_is_refused(name: str) -> None:
    metric = CONFIGS[name].make()
    metric.update_state(*batch(CONFIGS[name], 40, seed=4))
    state = dict(saved_state(metric)[3], format=2)
    with pytest.raises(ValueError, match="state format 2.*written by a newer version"):
        pickle.loads(pickle.dumps(Checkpoint(metric, state)))


def corrupted(state: dict, how: str) -> dict:
    variables = [np.array(v, dtype=np.float64) for v in state["variables"]]
    if how == "nan":
        variables[-1].reshape(-1)[-1] = np.nan
    elif how == "inf":
        variables[0].reshape(-1)[0] = -np.inf
    elif how == "missing":
        variables = variables[:-1]
    elif how == "reshaped":
        variables[0] = np.append(variables[0].reshape(-1), 0.0)
    elif how == "text":
        variables[0] = np.array(["a"] * variables[0].size)
    elif how == "format":
        return dict(state, format="1")
    elif how == "width":
        return dict(state, width=-1)
    return dict(state, variables=variables)


@pytest.mark.parametrize("how", ["nan", "inf", "missing", "reshaped", "text", "format", "width"])
@pytest.mark.parametrize("name", NAMES)
def test_a_corrupt_checkpoint_is_refused(name: str, how: str) -> None:
    metric = CONFIGS[name].make()
    metric.update_state(*batch(CONFIGS[name], 40, seed=5))
    state = corrupted(saved_state(metric)[3], how)
    with pytest.raises(ValueError, match="Corrupt checkpoint"):
        pickle.loads(pickle.dumps(Checkpoint(metric, state)))
