"""``ferrometrics evaluate --by COL``: the report per slice (and per crossed slice), in JSON and
as a table, ``--min-slice-rows``, and ``--plot`` with one curve per slice. Each slice's numbers
equal the overall report computed (with the reference) on that slice's rows alone."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree

import numpy as np
import pandas as pd
import pytest
from test_cli import assert_report, dataset, expected, main, write


def frame_with_groups(rows: int = 3_000) -> pd.DataFrame:
    frame = dataset(rows=rows)
    rng = np.random.default_rng(9)
    frame["country"] = rng.choice(["FR", "DE", "IT"], rows, p=[0.5, 0.45, 0.05])
    frame["device"] = rng.choice([1, 2], rows)
    return frame


def run(capsys, *args: str) -> dict:
    assert main(["evaluate", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".npz"])
def test_each_slice_is_the_report_of_its_rows(tmp_path, capsys, suffix) -> None:
    frame = frame_with_groups()
    path = write(frame, tmp_path / f"scores{suffix}")
    if suffix == ".npz":  # text as a NumPy string array (object arrays need pickle)
        columns = {c: frame[c].to_numpy() for c in frame.columns}
        np.savez(path, **{**columns, "country": frame["country"].to_numpy().astype("U2")})
    args = [str(path), "--label", "label", "--score", "score", "--weight", "weight"]
    got = run(capsys, *args, "--by", "country", "--chunk-rows", "700")
    assert_report(got, expected(frame))
    assert set(got["slices"]) == {"FR", "DE", "IT"}
    for country, rows in frame.groupby("country"):
        want = expected(rows.reset_index(drop=True))
        assert_report(got["slices"][country], want)
    assert got["slices_left_out"] == 0 and got["by"] == "country"


def test_crossed_slices_are_joined_and_small_ones_left_out(tmp_path, capsys) -> None:
    frame = frame_with_groups()
    path = write(frame, tmp_path / "scores.parquet")
    args = [str(path), "--label", "label", "--score", "score", "--weight", "weight"]
    got = run(capsys, *args, "--by", "country", "--by", "device", "--min-slice-rows", "500")
    sizes = frame.groupby(["country", "device"]).size()
    kept = {f"{c}|{d}" for (c, d), n in sizes.items() if n >= 500}
    assert set(got["slices"]) == kept and 0 < len(kept) < len(sizes)
    assert got["slices_left_out"] == len(sizes) - len(kept)
    for (country, device), rows in frame.groupby(["country", "device"]):
        name = f"{country}|{device}"
        if name in kept:
            assert_report(got["slices"][name], expected(rows.reset_index(drop=True)))
    assert list(got["slices"].values())[0]["rows"] == sizes.max()  # largest first


def test_table_and_plot(tmp_path, capsys) -> None:
    frame = frame_with_groups()
    path = write(frame, tmp_path / "scores.csv")
    plot = tmp_path / "curves.svg"
    args = ["evaluate", str(path), "--label", "label", "--score", "score"]
    assert main([*args, "--by", "country", "--min-slice-rows", "200", "--plot", str(plot)]) == 0
    out = capsys.readouterr().out
    assert "by country: 2 slices; 1 with fewer than 200 rows left out" in out
    assert "FR" in out and "DE" in out
    text = plot.read_text()
    ElementTree.fromstring(text)
    assert "all rows" in text and "FR: AUC" in text and "IT: AUC" not in text


def test_several_pairs_have_slices_each(tmp_path, capsys) -> None:
    frame = frame_with_groups(1_000)
    path = write(frame, tmp_path / "scores.csv")
    got = run(
        capsys,
        str(path),
        *("--label", "label", "--score", "score", "--label", "other_label"),
        *("--score", "other_score", "--by", "device"),
    )
    for name in ("label/score", "other_label/other_score"):
        assert set(got["labels"][name]["slices"]) == {"1", "2"}


def test_a_missing_group_column_is_an_error(tmp_path, capsys) -> None:
    path = write(frame_with_groups(100), tmp_path / "scores.csv")
    args = ["evaluate", str(path), "--label", "label", "--score", "score", "--by", "nope"]
    assert main(args) == 1
    assert "column 'nope' not found" in capsys.readouterr().err
