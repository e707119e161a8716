"""Sliced evaluation: ``Sliced(AUC())`` against one unsliced ``AUC()`` pass over the same rows.

Target: 10M rows in 1,000 groups take at most 3x one ``AUC()`` update of the same rows (the
group ids are coded from the raw group array inside the timed call, and every group's metric
is created inside it too). Runs are interleaved (unsliced, sliced, unsliced, ...) and medians
reported, so a loaded machine slows both alike. Also timed, for scale: a per-group loop of
``AUC()`` updates over boolean masks (what looping over pandas groups does). Usage::

    python benches/sliced.py                  # 10M rows, 1,000 groups, 7 rounds
    python benches/sliced.py --rows 1000000 --groups 200 --rounds 5 --dtype str
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

import ferrometrics as fm


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--groups", type=int, default=1_000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--dtype", choices=["int", "str", "category"], default="int")
    parser.add_argument("--loop", action="store_true", help="also time a per-group mask loop")
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, args.rows).astype(np.float32)
    p = rng.random(args.rows, dtype=np.float32)
    groups: object = rng.integers(0, args.groups, args.rows)
    if args.dtype == "str":
        groups = np.array([f"g{i}" for i in range(args.groups)])[groups]
    elif args.dtype == "category":
        import pandas as pd

        groups = pd.Categorical.from_codes(groups, [f"g{i}" for i in range(args.groups)])

    def plain() -> None:
        fm.AUC().update_state(y, p)

    def sliced() -> None:
        s = fm.Sliced(fm.AUC())
        s.update_state(y, p, groups=groups)
        assert len(s) == args.groups

    plain(), sliced()  # warm-up
    times: dict[str, list[float]] = {"AUC()": [], "Sliced(AUC())": []}
    for _ in range(args.rounds):
        for name, run in (("AUC()", plain), ("Sliced(AUC())", sliced)):
            started = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - started)
    medians = {name: statistics.median(values) for name, values in times.items()}
    print(f"{args.rows:,} rows, {args.groups:,} groups ({args.dtype}), {args.rounds} rounds")
    for name, median in medians.items():
        print(f"  {name:16} median {median * 1e3:8.1f} ms   (min {min(times[name]) * 1e3:.1f})")
    ratio = medians["Sliced(AUC())"] / medians["AUC()"]
    print(f"  ratio {ratio:.2f}x (target <= 3x)")
    if args.loop:
        codes = np.asarray(rng.integers(0, args.groups, args.rows))
        started = time.perf_counter()
        for g in range(args.groups):
            rows = codes == g
            fm.AUC().update_state(y[rows], p[rows])
        print(f"  per-group mask loop: {(time.perf_counter() - started) * 1e3:.1f} ms")


if __name__ == "__main__":
    main()
