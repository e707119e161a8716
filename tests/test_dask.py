"""ferrometrics.dask.evaluate: partitions counted separately, states merged, exact."""

from __future__ import annotations

import dask
import dask.array as da
import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest
from distributed import Client, LocalCluster

import ferrometrics as fm
from ferrometrics.dask import evaluate

ROWS = 50 * 1_000


def data(seed: int = 0, columns: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    shape = (ROWS, columns) if columns else (ROWS,)
    y_true = rng.integers(0, 2, shape).astype(np.float32)
    y_pred = rng.random(shape, dtype=np.float32)
    y_pred[rng.random(shape) < 0.02] = 0.5
    weights = rng.integers(0, 5, ROWS).astype(np.float64)  # integer: exact in any order
    return y_true, y_pred, weights


def binary_metrics() -> list:
    return [
        fm.AUC(),
        fm.AUC(curve="PR", thresholds=[0.1, 0.5, 0.9]),
        fm.Precision(thresholds=[0.3, 0.5]),
        fm.Recall(),
        fm.TruePositives(),
        fm.SensitivityAtSpecificity(0.6),
        fm.SpecificityAtSensitivity(0.6),
        fm.PrecisionAtRecall(0.5),
        fm.RecallAtPrecision(0.5, num_thresholds=77),
    ]


def assert_same(got: list, want: list) -> None:
    for g, w in zip(got, want):
        assert type(g) is type(w)
        assert len(g.variables) == len(w.variables)
        for a, b in zip(g.variables, w.variables):
            assert np.array_equal(a, b), type(g).__name__
        assert np.array_equal(np.asarray(g.result()), np.asarray(w.result()))


def single_update(metrics: list, *args) -> list:
    for m in metrics:
        m.update_state(*args)
    return metrics


@pytest.fixture(scope="module")
def cluster_client():
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


@pytest.mark.parametrize("weighted", [False, True])
def test_fifty_partitions_on_the_local_scheduler_equal_one_update(weighted: bool) -> None:
    y_true, y_pred, w = data()
    chunks = ROWS // 50
    args = [da.from_array(y_true, chunks), da.from_array(y_pred, chunks)]
    if weighted:
        args.append(da.from_array(w, chunks))
    assert args[1].npartitions == 50
    got = evaluate(binary_metrics(), *args)
    want = single_update(binary_metrics(), y_true, y_pred, w if weighted else None)
    assert_same(got, want)


def test_fifty_partitions_on_a_two_worker_cluster_equal_one_update(cluster_client) -> None:
    y_true, y_pred, w = data(1)
    chunks = ROWS // 50
    got = evaluate(
        binary_metrics(),
        da.from_array(y_true, chunks),
        da.from_array(y_pred, chunks),
        da.from_array(w, chunks),
    )
    want = single_update(binary_metrics(), y_true, y_pred, w)
    assert_same(got, want)
    # The same graph ran on the workers: the cluster did the counting.
    assert cluster_client.run(lambda: 1)  # two live workers answered
    assert len(cluster_client.scheduler_info()["workers"]) == 2


def test_multi_label_and_f_scores_split_along_rows_only() -> None:
    y_true, y_pred, w = data(2, columns=6)
    # Chunked along columns too: evaluate must rejoin the columns.
    labels = da.from_array(y_true, chunks=(1000, 3))
    preds = da.from_array(y_pred, chunks=(1700, 2))

    def make() -> list:
        return [
            fm.AUC(multi_label=True),
            fm.AUC(multi_label=True, label_weights=[1, 2, 3, 0, 1, 1]),
            fm.F1Score(average="macro", threshold=0.5),
            fm.F1Score(),
            fm.FBetaScore(average="weighted", beta=0.5),
            fm.Precision(top_k=2, class_id=3),
        ]

    got = evaluate(make(), labels, preds, da.from_array(w, chunks=5000))
    want = single_update(make(), y_true, y_pred, w)
    assert_same(got, want)


def test_one_metric_in_one_metric_out_and_existing_state_is_kept() -> None:
    y_true, y_pred, w = data(3)
    metric = fm.AUC()
    metric.update_state(y_true[:100], y_pred[:100])
    same = evaluate(metric, da.from_array(y_true, 7000), da.from_array(y_pred, 7000))
    assert same is metric
    want = fm.AUC()
    want.update_state(y_true[:100], y_pred[:100])
    want.update_state(y_true, y_pred)
    assert_same([metric], [want])


def test_misaligned_chunks_and_numpy_inputs_are_aligned() -> None:
    y_true, y_pred, w = data(4)
    got = evaluate(
        binary_metrics(),
        da.from_array(y_true, chunks=3333),
        da.from_array(y_pred, chunks=5000),
        w,  # a NumPy array is split like the predictions
    )
    assert_same(got, single_update(binary_metrics(), y_true, y_pred, w))
    got = evaluate(binary_metrics(), y_true, da.from_array(y_pred, chunks=4096), 2.0)
    assert_same(got, single_update(binary_metrics(), y_true, y_pred, 2.0))


def test_dask_dataframe_columns() -> None:
    y_true, y_pred, w = data(5)
    frame = dd.from_pandas(pd.DataFrame({"y": y_true, "p": y_pred, "w": w}), npartitions=13)
    got = evaluate(binary_metrics(), frame["y"], frame["p"], frame["w"])
    assert_same(got, single_update(binary_metrics(), y_true, y_pred, w))


def test_a_bad_partition_raises_and_changes_nothing() -> None:
    y_true, y_pred, _ = data(6)
    y_true = y_true.copy()
    y_true[ROWS - 10] = 2.0  # in the last partition
    metrics = binary_metrics()
    for m in metrics:
        m.update_state(y_true[:10], y_pred[:10])
    before = [[v.copy() for v in m.variables] for m in metrics]
    with pytest.raises(ValueError, match="y_true"):
        evaluate(metrics, da.from_array(y_true, 1000), da.from_array(y_pred, 1000))
    for m, saved in zip(metrics, before):
        for a, b in zip(m.variables, saved):
            assert np.array_equal(a, b)


def test_rows_that_do_not_line_up_are_refused() -> None:
    y_true, y_pred, _ = data(7)
    with pytest.raises(ValueError, match="same number of rows"):
        evaluate(fm.AUC(), da.from_array(y_true[:-1], 1000), da.from_array(y_pred, 1000))
    with pytest.raises(TypeError):
        evaluate(["not a metric"], y_true, y_pred)


def test_one_task_per_partition_plus_the_merge_tree() -> None:
    y_true, y_pred, _ = data(8)
    calls = []
    original = fm.AUC.update_state

    def counting(self, *args, **kwargs):
        calls.append(len(args[0]))
        return original(self, *args, **kwargs)

    fm.AUC.update_state = counting  # type: ignore[method-assign]
    try:
        with dask.config.set(scheduler="sync"):
            evaluate([fm.AUC(), fm.AUC(curve="PR")], da.from_array(y_true, 2500), y_pred)
    finally:
        fm.AUC.update_state = original  # type: ignore[method-assign]
    assert sorted(calls) == sorted([2500] * 20 * 2)  # 20 partitions x 2 metrics, one pass


def test_parquet_columns_are_read_once_with_their_partitions(tmp_path) -> None:
    # Selecting columns of a Parquet frame lets Dask fuse partitions when it optimises;
    # evaluate must count the partitions of the graph that runs (dask/dask#12411).
    y_true, y_pred, w = data(9)
    for i, rows in enumerate(np.array_split(np.arange(ROWS), 5)):
        pd.DataFrame(
            {"label": y_true[rows], "score": y_pred[rows], "weight": w[rows], "extra": 1.0}
        ).to_parquet(tmp_path / f"part{i}.parquet")
    frame = dd.read_parquet(str(tmp_path / "*.parquet"))
    got = evaluate(binary_metrics(), frame["label"], frame["score"], sample_weight=frame["weight"])
    assert_same(got, single_update(binary_metrics(), y_true, y_pred, w))


def test_columns_of_one_frame_are_loaded_once_per_partition() -> None:
    y_true, y_pred, w = data(10)
    base = dd.from_pandas(pd.DataFrame({"y": y_true, "p": y_pred, "w": w}), npartitions=10)
    loads = []

    def load(part: pd.DataFrame) -> pd.DataFrame:
        loads.append(len(part))
        return part

    frame = base.map_partitions(load, meta=base._meta)
    with dask.config.set(scheduler="sync"):
        got = evaluate(binary_metrics(), frame["y"], frame["p"], frame["w"])
    assert len(loads) == 10
    assert_same(got, single_update(binary_metrics(), y_true, y_pred, w))


def test_unknown_chunk_sizes_pair_up_or_are_computed() -> None:
    y_true, y_pred, w = data(11)
    labels, preds, weights = (da.from_array(a, 2000) for a in (y_true, y_pred, w))
    keep = preds > 0.3  # boolean masks leave the block lengths unknown
    assert np.isnan(labels[keep].shape[0])
    kept = y_pred > 0.3
    want = single_update(binary_metrics(), y_true[kept], y_pred[kept], w[kept])
    assert_same(evaluate(binary_metrics(), labels[keep], preds[keep], weights[keep]), want)
    # Unknown lengths with a NumPy input, or with another number of blocks: lengths computed.
    assert_same(evaluate(binary_metrics(), y_true[kept], preds[keep], weights[keep]), want)
    other = da.from_array(y_true[kept], 3000)
    assert_same(evaluate(binary_metrics(), other, preds[keep], weights[keep]), want)
    frame = dd.from_pandas(pd.DataFrame({"y": y_true, "p": y_pred}), npartitions=7)
    got = evaluate(binary_metrics(), frame["y"].to_dask_array(), frame["p"].to_dask_array())
    assert_same(got, single_update(binary_metrics(), y_true, y_pred))


def test_blocks_that_do_not_line_up_are_refused_by_partition() -> None:
    y_true, y_pred, _ = data(12)
    labels = da.from_array(y_true, 2000)
    preds = da.from_array(y_pred, 2000)
    with pytest.raises(ValueError, match=r"partition \d+: rows do not line up"):
        evaluate(fm.AUC(), labels[preds > 0.3], preds[preds > 0.4])


def test_a_failed_merge_changes_no_metric() -> None:
    y_true, y_pred, _ = data(13, columns=4)
    first, second = fm.Precision(), fm.AUC(multi_label=True)
    second.update_state(y_true[:10, :3], y_pred[:10, :3])  # now holds 3 labels
    before = [first.variables[0].copy(), second.variables[0].copy()]
    with pytest.raises(ValueError, match="holds 3"):
        evaluate([first, second], da.from_array(y_true, 1000), da.from_array(y_pred, 1000))
    assert np.array_equal(first.variables[0], before[0])
    assert np.array_equal(second.variables[0], before[1])


def test_bad_values_are_located_by_partition_and_first_row() -> None:
    y_true, y_pred, _ = data(14)
    y_true = y_true.copy()
    y_true[ROWS - 5] = 2.0
    with pytest.raises(ValueError, match=r"partition 49 \(rows from 49000\).*2\.0 at index 995"):
        evaluate(fm.AUC(), da.from_array(y_true, 1000), da.from_array(y_pred, 1000))


def test_scalar_like_weights_and_misused_arguments() -> None:
    y_true, y_pred, _ = data(15)
    labels, preds = da.from_array(y_true, 5000), da.from_array(y_pred, 5000)
    want = single_update(binary_metrics(), y_true, y_pred, 3.0)
    assert_same(evaluate(binary_metrics(), labels, preds, da.from_array(np.array(3.0))), want)
    assert_same(evaluate(binary_metrics(), labels, preds, np.array([3.0])), want)
    with pytest.raises(TypeError, match=r"pass AUC\(\)"):
        evaluate(fm.AUC, labels, preds)
    with pytest.raises(ValueError, match="at least one dimension"):
        evaluate(fm.AUC(), da.from_array(np.array(1.0)), preds)


# ---------------------------------------------------------------------------------------------
# Sliced metrics: `groups=`


def test_sliced_metrics_over_dask_arrays_and_series() -> None:
    y_true, y_pred, weights = data(seed=11)
    rng = np.random.default_rng(12)
    country = rng.choice(np.array(["FR", "DE", "IT"]), ROWS)
    device = rng.integers(0, 3, ROWS)
    want = [fm.Sliced(fm.AUC()), fm.Sliced(fm.Precision())]
    for m in want:
        m.update_state(y_true, y_pred, weights, groups=(country, device))
    chunks = 7_000
    got = evaluate(
        [fm.Sliced(fm.AUC()), fm.Sliced(fm.Precision())],
        da.from_array(y_true, chunks=chunks),
        da.from_array(y_pred, chunks=chunks),
        da.from_array(weights, chunks=chunks),
        groups=(da.from_array(country, chunks=chunks), da.from_array(device, chunks=5_000)),
    )
    for g, w in zip(got, want):
        assert sorted(g) == sorted(w)
        assert_same([g[k] for k in sorted(w)], [w[k] for k in sorted(w)])
    frame = dd.from_pandas(pd.DataFrame({"y": y_true, "p": y_pred, "c": country}), npartitions=4)
    (sliced,) = evaluate([fm.Sliced(fm.AUC())], frame["y"], frame["p"], groups=frame["c"])
    alone = fm.Sliced(fm.AUC())
    alone.update_state(y_true, y_pred, groups=country)
    assert_same([sliced[k] for k in "FR DE IT".split()], [alone[k] for k in "FR DE IT".split()])


def test_groups_need_sliced_metrics_and_a_bad_partition_changes_nothing() -> None:
    y_true, y_pred, _ = data(seed=13)
    groups = np.arange(ROWS) % 5
    with pytest.raises(TypeError, match="Sliced"):
        evaluate(fm.AUC(), y_true, y_pred, groups=groups)
    sliced = fm.Sliced(fm.AUC())
    bad = y_true.copy()
    bad[ROWS - 3] = 2
    with pytest.raises(ValueError, match="partition"):
        evaluate(sliced, da.from_array(bad, chunks=10_000), y_pred, groups=groups)
    assert len(sliced) == 0
