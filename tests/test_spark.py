"""The README's Spark recipe, run on a local Spark session: pickled states merged on the driver."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
from pyspark.sql import SparkSession

import ferrometrics as fm


def test_spark_partitions_merged_on_the_driver_equal_one_update() -> None:
    def count_partitions(batches):
        """The executor side: metrics per partition, returned pickled (defined here so
        that Spark ships the function itself, not a reference to this test module)."""
        metrics = [fm.AUC(), fm.Precision(thresholds=[0.3, 0.5]), fm.RecallAtPrecision(0.6)]
        for batch in batches:
            for metric in metrics:
                metric.update_state(
                    batch["label"].to_numpy(),
                    batch["score"].to_numpy(),
                    batch["weight"].to_numpy(),
                )
        yield pd.DataFrame({"state": [pickle.dumps(metrics)]})

    rng = np.random.default_rng(0)
    rows = 30_000
    frame = pd.DataFrame(
        {
            "label": rng.integers(0, 2, rows).astype(np.float64),
            "score": rng.random(rows),
            "weight": rng.integers(0, 4, rows).astype(np.float64),
        }
    )
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("ferrometrics-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    try:
        df = spark.createDataFrame(frame).repartition(7)
        states = df.mapInPandas(count_partitions, "state binary").collect()
    finally:
        spark.stop()
    assert len(states) >= 2
    merged = [fm.AUC(), fm.Precision(thresholds=[0.3, 0.5]), fm.RecallAtPrecision(0.6)]
    for row in states:
        for metric, part in zip(merged, pickle.loads(row.state)):
            metric.merge_state(part)
    for metric in merged:
        single = type(metric).from_config(metric.get_config())
        single.update_state(frame["label"], frame["score"], frame["weight"])
        for a, b in zip(metric.variables, single.variables):
            assert np.array_equal(a, b)
