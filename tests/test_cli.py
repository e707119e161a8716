"""The ``ferrometrics`` command: formats, streaming, the report's numbers, plots, errors.

The command is run through its public entry points: the installed console script's callable
(``main(argv) -> exit status``, in process), or ``python -m ferrometrics`` in a subprocess where
a process is needed (a closed pipe, the demo). The report's numbers are computed independently
with ``ferrometrics.reference``.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd
import pytest
import tqdm
from support import ATOL, RTOL

from ferrometrics import reference as ref


def console_script(name: str = "ferrometrics") -> Callable[[list[str]], int]:
    """The installed console script's callable, as ``pip`` wires the ``ferrometrics`` command."""
    scripts = entry_points()
    if hasattr(scripts, "select"):  # Python 3.10+
        found = list(scripts.select(group="console_scripts", name=name))
    else:  # Python 3.9: a dict of groups
        found = [script for script in scripts.get("console_scripts", []) if script.name == name]
    assert len(found) == 1, f"console script {name!r}: {found}"
    return found[0].load()


main = console_script()

ROWS = 5_000


def dataset(seed: int = 0, rows: int = ROWS) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    label = (rng.random(rows) < 0.2).astype(np.int64)
    score = np.clip(rng.normal(0.35 + 0.3 * label, 0.2), 0, 1).round(4)
    score[:50] = 0.5  # on the threshold
    other = (rng.random(rows) < 0.5).astype(np.int64)
    return pd.DataFrame(
        {
            "label": label,
            "score": score,
            "weight": rng.integers(1, 4, rows).astype(np.float64),
            "other_label": other,
            "other_score": rng.random(rows).round(3),
        }
    )


def expected(frame: pd.DataFrame, label="label", score="score", weight="weight", t=200) -> dict:
    """The report computed independently, with the reference implementation."""
    y, p = frame[label].to_numpy(np.float64), frame[score].to_numpy(np.float64)
    w = frame[weight].to_numpy(np.float64) if weight else None
    out = {}
    for key, metric in {
        "roc_auc": ref.AUC(num_thresholds=t),
        "pr_auc": ref.AUC(num_thresholds=t, curve="PR"),
        "prgain_auc": ref.AUC(num_thresholds=t, curve="PRGAIN"),
        "precision": ref.Precision(),
        "recall": ref.Recall(),
        "tp": ref.TruePositives(),
        "fp": ref.FalsePositives(),
        "tn": ref.TrueNegatives(),
        "fn": ref.FalseNegatives(),
        "recall_at_precision_0.9": ref.RecallAtPrecision(0.9, num_thresholds=t),
        "precision_at_recall_0.9": ref.PrecisionAtRecall(0.9, num_thresholds=t),
        "sensitivity_at_specificity_0.95": ref.SensitivityAtSpecificity(0.95, num_thresholds=t),
    }.items():
        metric.update_state(y, p, w)
        out[key] = float(np.asarray(metric.result()).reshape(-1)[0])
    f1 = ref.F1Score(threshold=0.5)
    f1.update_state(y[:, None], p[:, None], w)
    out["f1"] = float(np.asarray(f1.result())[0])
    # Best F1 over the curve's thresholds, by hand from the confusion counts.
    thresholds = np.array([-1e-7] + [i / (t - 1) for i in range(1, t - 1)] + [1 + 1e-7])
    positive = p.astype(np.float32)[:, None] > thresholds.astype(np.float32)[None, :]
    weights = np.ones_like(y) if w is None else w
    tp = ((y == 1)[:, None] & positive).T @ weights
    fp = ((y == 0)[:, None] & positive).T @ weights
    fn = ((y == 1)[:, None] & ~positive).T @ weights
    f1s = np.where(2 * tp + fp + fn > 0, 2 * tp / np.maximum(2 * tp + fp + fn, 1e-300), 0)
    out["f1_best"] = float(f1s.max())
    out["f1_best_threshold"] = float(thresholds[int(np.argmax(f1s))])
    out["rows"] = len(frame)
    return out


def run_json(capsys, *args: str) -> dict:
    assert main(["evaluate", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def assert_report(got: dict, want: dict) -> None:
    for key, value in want.items():
        assert key in got, key
        assert np.isclose(got[key], value, rtol=RTOL, atol=ATOL, equal_nan=True), (
            key,
            got[key],
            value,
        )


def write(frame: pd.DataFrame, path: Path) -> Path:
    suffix = path.suffix
    if suffix == ".csv":
        frame.to_csv(path, index=False)
    elif suffix == ".parquet":
        frame.to_parquet(path, row_group_size=1000)
    elif suffix == ".npz":
        np.savez(path, **{c: frame[c].to_numpy() for c in frame.columns})
    elif suffix == ".npy":
        structured = np.zeros(len(frame), dtype=[(c, "f8") for c in frame.columns])
        for c in frame.columns:
            structured[c] = frame[c]
        np.save(path, structured)
    return path


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".npy", ".npz"])
def test_json_report_equals_the_reference(tmp_path, capsys, suffix: str) -> None:
    frame = dataset()
    path = write(frame, tmp_path / f"scores{suffix}")
    got = run_json(capsys, str(path), "--label", "label", "--score", "score", "--weight", "weight")
    assert_report(got, expected(frame))
    for key in ["roc_auc", "pr_auc", "prgain_auc", "precision", "recall", "f1", "tp", "fp"]:
        assert key in got
    assert got["rows"] == ROWS


def test_unweighted_counts_are_integers_and_thresholds_are_honoured(tmp_path, capsys) -> None:
    frame = dataset(1)
    path = write(frame, tmp_path / "s.csv")
    got = run_json(
        capsys, str(path), "--label", "label", "--score", "score", "--num-thresholds", "50"
    )
    assert_report(got, expected(frame, weight=None, t=50))
    assert all(isinstance(got[k], int) for k in ("tp", "fp", "tn", "fn"))
    assert got["tp"] + got["fp"] + got["tn"] + got["fn"] == ROWS


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".npy"])
def test_streaming_in_small_chunks_gives_the_same_report(tmp_path, capsys, suffix) -> None:
    frame = dataset(2, rows=20_000)
    path = write(frame, tmp_path / f"s{suffix}")
    args = [str(path), "--label", "label", "--score", "score", "--weight", "weight"]
    whole = run_json(capsys, *args)
    chunked = run_json(capsys, *args, "--chunk-rows", "777")
    assert_report(chunked, expected(frame))
    for key in ("tp", "fp", "tn", "fn", "rows"):
        assert chunked[key] == whole[key]


def test_several_pairs_are_multi_label(tmp_path, capsys) -> None:
    frame = dataset(3)
    path = write(frame, tmp_path / "s.parquet")
    got = run_json(
        capsys,
        str(path),
        *("--label", "label", "--score", "score"),
        *("--label", "other_label", "--score", "other_score"),
    )
    assert got["rows"] == ROWS
    want = [
        expected(frame, weight=None),
        expected(frame, "other_label", "other_score", weight=None),
    ]
    for name, values in zip(["label/score", "other_label/other_score"], want):
        values.pop("rows")
        assert_report(got["labels"][name], values)
    multi = ref.AUC(multi_label=True)
    multi.update_state(
        frame[["label", "other_label"]].to_numpy(float),
        frame[["score", "other_score"]].to_numpy(float),
    )
    assert np.isclose(got["multi_label"]["roc_auc"], float(multi.result()), rtol=RTOL)


def test_readable_table(tmp_path, capsys) -> None:
    path = write(dataset(), tmp_path / "s.csv")
    assert main(["evaluate", str(path), "--label", "label", "--score", "score"]) == 0
    out = capsys.readouterr().out
    for title in ["ROC AUC", "PR AUC", "PR-gain AUC", "best F1", "recall @ precision 0.9"]:
        assert title in out
    assert f"{ROWS:,} rows" in out


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_plot_is_a_real_image(tmp_path, capsys, suffix: str) -> None:
    path = write(dataset(), tmp_path / "s.csv")
    out = tmp_path / f"curves{suffix}"
    args = [str(path), "--label", "label", "--score", "score", "--plot", str(out)]
    run_json(capsys, *args)
    data = out.read_bytes()
    if suffix == ".png":
        assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10_000
    else:
        root = ElementTree.fromstring(data)
        assert root.tag.endswith("svg")
        text = data.decode()
        assert "ROC" in text and "Precision-recall" in text


def error_of(capsys, *args: str) -> str:
    assert main(["evaluate", *args]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    return captured.err


def test_missing_file(tmp_path, capsys) -> None:
    err = error_of(capsys, str(tmp_path / "nope.csv"), "--label", "a", "--score", "b")
    assert "no such file" in err


def test_missing_column_lists_the_columns(tmp_path, capsys) -> None:
    for suffix in (".csv", ".parquet", ".npz", ".npy"):
        path = write(dataset(), tmp_path / f"s{suffix}")
        err = error_of(capsys, str(path), "--label", "label", "--score", "scores")
        assert "'scores' not found" in err and "'score'" in err, err


def test_unknown_and_unreadable_formats(tmp_path, capsys) -> None:
    path = tmp_path / "s.xlsx"
    path.write_text("x")
    assert "unknown file format" in error_of(capsys, str(path), "--label", "a", "--score", "b")
    path = tmp_path / "s.parquet"
    path.write_text("label,score\n1,0.5\n")
    assert "Parquet" in error_of(capsys, str(path), "--label", "label", "--score", "score")


@pytest.mark.parametrize(
    "column, value, words",
    [
        ("label", 2, ["row 1234", "label 2.0", "'label'"]),
        ("score", np.nan, ["row 1234", "nan", "'score'"]),
        ("score", 1.5, ["row 1234", "1.5", "[0, 1]"]),
        ("weight", np.inf, ["row 1234", "inf", "'weight'"]),
    ],
)
def test_bad_values_name_the_row_and_value(tmp_path, capsys, column, value, words) -> None:
    frame = dataset()
    frame[column] = frame[column].astype(float)
    frame.loc[1233, column] = value  # data row 1234
    for suffix in (".csv", ".parquet"):
        path = write(frame, tmp_path / f"s{suffix}")
        args = ["--label", "label", "--score", "score", "--weight", "weight"]
        err = error_of(capsys, str(path), *args, "--chunk-rows", "500")
        for word in words:
            assert word in err, (suffix, err)


def test_text_in_a_numeric_column(tmp_path, capsys) -> None:
    path = tmp_path / "s.csv"
    path.write_text("label,score\n1,0.5\n0,abc\n")
    err = error_of(capsys, str(path), "--label", "label", "--score", "score")
    assert "abc" in err and "score" in err


def test_python_dash_m_and_demo(tmp_path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ferrometrics", "demo", "--rows", "20000", "--plot", "d.png"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "results agree: True" in done.stdout
    assert (tmp_path / "d.png").read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize("quoting", [0, 1])  # csv.QUOTE_MINIMAL, csv.QUOTE_ALL
def test_a_byte_order_mark_is_not_part_of_the_first_column(tmp_path, capsys, quoting) -> None:
    frame = dataset(4)
    path = tmp_path / "bom.csv"
    frame.to_csv(path, index=False, encoding="utf-8-sig", quoting=quoting)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    got = run_json(capsys, str(path), "--label", "label", "--score", "score", "--weight", "weight")
    assert_report(got, expected(frame))
    # The rescan that locates a bad cell reads the header the same way.
    frame["label"] = frame["label"].astype(object)
    frame.loc[99, "label"] = "abc"
    frame.to_csv(path, index=False, encoding="utf-8-sig", quoting=quoting)
    err = error_of(capsys, str(path), "--label", "label", "--score", "score")
    assert "row 100: 'abc' in column 'label' is not a number" in err, err


@pytest.mark.parametrize("name", ["s.tsv", "s.tsv.gz", "S.CSV.GZ", "S.Tsv.Gz", "S.CSV"])
def test_tsv_gzip_and_any_case_of_extension(tmp_path, capsys, name: str) -> None:
    frame = dataset(5)
    path = tmp_path / name
    gz = name.lower().endswith(".gz")
    frame.to_csv(
        path,
        index=False,
        sep="\t" if ".tsv" in name.lower() else ",",
        compression="gzip" if gz else None,
    )
    assert path.read_bytes().startswith(b"\x1f\x8b") == gz
    got = run_json(capsys, str(path), "--label", "label", "--score", "score", "--weight", "weight")
    assert_report(got, expected(frame))
    assert got["rows"] == len(frame)


def test_corrupt_data_is_an_error_not_a_traceback(tmp_path, capsys) -> None:
    frame = dataset(6, rows=50_000)
    path = write(frame, tmp_path / "s.parquet")
    data = bytearray(path.read_bytes())
    middle = len(data) // 2  # inside the column chunks, far from the footer
    data[middle : middle + 2000] = b"\xff" * 2000
    path.write_bytes(bytes(data))
    err = error_of(capsys, str(path), "--label", "label", "--score", "score")
    assert err.startswith("ferrometrics: error: cannot read") and err.count("\n") == 1, err
    gz = tmp_path / "s.csv.gz"
    frame.to_csv(gz, index=False, compression="gzip")
    gz.write_bytes(gz.read_bytes()[: gz.stat().st_size // 2])  # truncated
    err = error_of(capsys, str(gz), "--label", "label", "--score", "score")
    assert err.startswith("ferrometrics: error: cannot read") and err.count("\n") == 1, err


@pytest.mark.parametrize("kind", ["parquet", "parquet-dictionary", "npy", "npz"])
def test_text_in_a_numeric_column_of_a_binary_file(tmp_path, capsys, kind: str) -> None:
    frame = dataset(7)
    frame["score"] = frame["score"].astype(str)
    frame.loc[1233, "score"] = "abc"  # data row 1234
    if kind.startswith("parquet"):
        path = tmp_path / "s.parquet"
        if kind.endswith("dictionary"):
            frame["score"] = frame["score"].astype("category")
        frame.to_parquet(path, row_group_size=1000)
    elif kind == "npy":
        path = tmp_path / "s.npy"
        structured = np.zeros(len(frame), dtype=[("label", "f8"), ("score", "U8")])
        structured["label"], structured["score"] = frame["label"], frame["score"]
        np.save(path, structured)
    else:
        path = tmp_path / "s.npz"
        np.savez(path, label=frame["label"].to_numpy(), score=frame["score"].to_numpy(str))
    err = error_of(capsys, str(path), "--label", "label", "--score", "score", "--chunk-rows", "500")
    assert err == "ferrometrics: error: row 1234: 'abc' in column 'score' is not a number\n", err


@pytest.mark.parametrize("command", ["evaluate", "demo"])
@pytest.mark.parametrize("plot, words", [("x.jpg", ".png or .svg"), ("nodir/x.png", "nodir")])
def test_plot_path_is_checked_before_the_data(tmp_path, capsys, command, plot, words) -> None:
    # The data is bad too: the plot's error first shows the path was checked before reading.
    path = tmp_path / "s.csv"
    path.write_text("label,score\n1,0.5\n7,0.5\n")
    args = [str(path), "--label", "label", "--score", "score"] if command == "evaluate" else []
    assert main([command, *args, "--plot", str(tmp_path / plot)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("ferrometrics: error: --plot") and words in captured.err
    assert captured.err.count("\n") == 1
    assert not list(tmp_path.rglob("x.*"))


@pytest.mark.parametrize("output", [[], ["--json"]])
def test_a_closed_pipe_exits_quietly(tmp_path, output) -> None:
    path = write(dataset(), tmp_path / "s.csv")
    args = ["evaluate", str(path), "--label", "label", "--score", "score", *output]
    process = subprocess.Popen(
        [sys.executable, "-m", "ferrometrics", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    process.stdout.close()  # like `| head` that has gone, before anything is written
    err = process.stderr.read()
    assert process.wait(timeout=300) == 1
    assert err == ""


class Terminal(io.StringIO):
    """A stderr that is a terminal: the command shows its progress bar there."""

    def isatty(self) -> bool:
        return True


class RecordedBar:
    """Stands in for ``tqdm.tqdm``: records the bar's total and each step it is advanced by."""

    bars: list[RecordedBar] = []

    def __init__(self, total: Any = None, **options: Any) -> None:
        self.total, self.options, self.steps, self.closed = total, options, [], False
        RecordedBar.bars.append(self)

    def update(self, step: int) -> None:
        self.steps.append(step)

    def close(self) -> None:
        self.closed = True


@pytest.mark.parametrize("name", ["s.csv", "s.csv.gz"])
def test_csv_progress_ends_at_the_file_size(tmp_path, capsys, monkeypatch, name: str) -> None:
    """With stderr a terminal (and no --json), the command advances a tqdm bar by the bytes read
    (compressed bytes for .gz): the steps add up to the file's size."""
    path = tmp_path / name
    frame = dataset(8, rows=100_000)
    for column in ("a", "b", "c"):  # bytes of the file that are in no decoded batch
        frame[column] = np.random.default_rng(8).random(len(frame))
    frame.to_csv(path, index=False)
    size = path.stat().st_size
    monkeypatch.setattr(RecordedBar, "bars", [])
    monkeypatch.setattr(tqdm, "tqdm", RecordedBar)
    monkeypatch.setattr(sys, "stderr", Terminal())
    args = ["evaluate", str(path), "--label", "label", "--score", "score", "--chunk-rows", "777"]
    assert main(args) == 0
    assert "rows read" in capsys.readouterr().out
    (bar,) = RecordedBar.bars
    assert bar.total == size and bar.options["unit"] == "B" and bar.closed
    steps = bar.steps
    assert min(steps) >= 0 and sum(steps) == size
    assert max(steps) < size / 2  # it moves along, not in one jump


def test_counts_are_exact_float64_sums(tmp_path, capsys) -> None:
    frame = dataset(9)
    path = write(frame, tmp_path / "s.npz")
    y, p = frame["label"].to_numpy(), frame["score"].to_numpy()
    positive = p.astype(np.float32) > np.float32(0.5)
    masks = {"tp": (y == 1) & positive, "fp": (y == 0) & positive}
    masks |= {"tn": (y == 0) & ~positive, "fn": (y == 1) & ~positive}
    args = [str(path), "--label", "label", "--score", "score"]
    # Whole-number weights past 2**24, where float32 has no odd integers: exact ints.
    np.savez(path, label=y, score=p, weight=np.full(len(y), 2.0**24 + 1))
    got = run_json(capsys, *args, "--weight", "weight")
    for name, mask in masks.items():
        assert got[name] == int(mask.sum()) * (2**24 + 1), name
    assert main(["evaluate", *args, "--weight", "weight"]) == 0
    assert f"{int(masks['tp'].sum()) * (2**24 + 1):,}" in capsys.readouterr().out
    # Fractional weights: float64 sums, not float32 digits.
    w = np.random.default_rng(9).random(len(y)) * 10
    np.savez(path, label=y, score=p, weight=w)
    got = run_json(capsys, *args, "--weight", "weight")
    for name, mask in masks.items():
        assert got[name] == pytest.approx(float(w[mask].sum()), rel=1e-12), name


@pytest.mark.parametrize("suffix", [".csv", ".csv.gz", ".parquet", ".npy", ".npz"])
def test_a_file_without_data_rows_is_an_error(tmp_path, capsys, suffix: str) -> None:
    empty = dataset().iloc[:0]
    path = tmp_path / f"s{suffix}"
    if suffix == ".csv.gz":
        empty.to_csv(path, index=False, compression="gzip")
    else:
        write(empty, path)
    err = error_of(capsys, str(path), "--label", "label", "--score", "score")
    assert err == f"ferrometrics: error: {path} has no data rows\n"


def test_a_zero_byte_csv_has_no_header(tmp_path, capsys) -> None:
    path = tmp_path / "s.csv"
    path.write_bytes(b"")
    err = error_of(capsys, str(path), "--label", "label", "--score", "score")
    assert err == f"ferrometrics: error: {path} is empty (no header)\n"


def test_table_shows_rows_read_and_a_tiny_threshold_honestly(tmp_path, capsys) -> None:
    frame = dataset(10)
    frame["label"] = 1  # every sample positive: best F1 at the lowest threshold, -1e-07
    path = write(frame, tmp_path / "s.csv")
    want = expected(frame, weight=None)["f1_best_threshold"]
    assert want < 0
    assert main(["evaluate", str(path), "--label", "label", "--score", "score"]) == 0
    lines = capsys.readouterr().out.splitlines()
    threshold = next(line for line in lines if line.strip().startswith("at threshold"))
    assert float(threshold.split()[-1]) == pytest.approx(want, rel=1e-5)
    rows = next(line for line in lines if line.startswith("rows read"))
    assert rows.split()[-1] == f"{ROWS:,}"


def test_a_repeated_pair_is_reported_under_its_own_name(tmp_path, capsys) -> None:
    frame = dataset(11)
    path = write(frame, tmp_path / "s.csv")
    pair = ("--label", "label", "--score", "score")
    got = run_json(capsys, str(path), *pair, *("--label", "other_label", "--score", "score"), *pair)
    assert list(got["labels"]) == ["label/score", "other_label/score", "label/score#2"]
    want = expected(frame, weight=None)
    want.pop("rows")
    assert_report(got["labels"]["label/score"], want)
    assert_report(got["labels"]["label/score#2"], want)


@pytest.mark.parametrize("weight", [None, "weight"])
def test_exact_adds_scikit_learns_roc_auc_and_average_precision(tmp_path, capsys, weight) -> None:
    from sklearn import metrics as sklearn_metrics

    frame = dataset(4, rows=20_000)
    path = write(frame, tmp_path / "s.parquet")
    args = [str(path), "--label", "label", "--score", "score", "--chunk-rows", "3000"]
    if weight:
        args += ["--weight", weight]
    plain = run_json(capsys, *args)
    assert "roc_auc_exact" not in plain and "average_precision" not in plain
    got = run_json(capsys, *args, "--exact")
    y, p = frame["label"].to_numpy(), frame["score"].to_numpy()
    w = frame[weight].to_numpy() if weight else None
    assert np.isclose(
        got["roc_auc_exact"], sklearn_metrics.roc_auc_score(y, p, sample_weight=w), rtol=1e-12
    )
    assert np.isclose(
        got["average_precision"],
        sklearn_metrics.average_precision_score(y, p, sample_weight=w),
        rtol=1e-12,
    )
    # The binned numbers are unchanged beside them.
    for key in ("roc_auc", "pr_auc", "tp", "rows"):
        assert got[key] == plain[key]


def test_exact_rows_in_the_table_and_per_pair(tmp_path, capsys) -> None:
    from sklearn import metrics as sklearn_metrics

    frame = dataset(5)
    path = write(frame, tmp_path / "s.csv")
    pairs = ("--label", "label", "--score", "score", "--label", "other_label")
    got = run_json(capsys, str(path), *pairs, "--score", "other_score", "--exact")
    for name, (label, score) in {
        "label/score": ("label", "score"),
        "other_label/other_score": ("other_label", "other_score"),
    }.items():
        want = sklearn_metrics.roc_auc_score(frame[label], frame[score])
        assert np.isclose(got["labels"][name]["roc_auc_exact"], want, rtol=1e-12)
    assert main(["evaluate", str(path), "--label", "label", "--score", "score", "--exact"]) == 0
    out = capsys.readouterr().out
    assert "ROC AUC, exact" in out and "average precision, exact" in out
    assert main(["evaluate", str(path), "--label", "label", "--score", "score"]) == 0
    assert "ROC AUC, exact" not in capsys.readouterr().out
