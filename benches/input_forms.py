"""Every input form and path against a read of its inputs (issue 19, "Performance II").

Each row times ferrometrics beside a baseline measured in the same process (or, for the
command, in fresh processes), interleaved: every repeat runs each candidate once, in a
rotating order, and the reported time is the median over repeats. The ratio is
ferrometrics's median over the baseline's median. Usage::

    python benches/input_forms.py                 # every row, 10M rows (about a minute)
    python benches/input_forms.py --only logits,f16 --repeat 31
    python benches/input_forms.py --json out.json

Rows and targets:

    ML      AUC(multi_label=True), 50 labels x 200k, float32   >= 0.9x the NumPy read
            (the read's time over ferrometrics's, so higher is faster)
    LOGITS  AUC(from_logits=True), 10M float32 logits          <= 1.5x AUC() on probabilities
    F16     float16 predictions + int16 labels, 10M            <= 1.3x float32 + float32
    LABELS  every other label dtype with float32 predictions   (reported, no target)
    CLI     `ferrometrics evaluate` on 10M Parquet rows        <= 1.15x a process reading
            the two columns with pyarrow
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any, Callable

import numpy as np

import ferrometrics as fm


def interleaved(repeat: int, candidates: dict[str, Callable[[], Any]]) -> dict[str, float]:
    """Median seconds of each candidate over `repeat` rounds, in rotating order."""
    names = list(candidates)
    for fn in candidates.values():
        fn()  # warm-up: thread pool, page faults, caches
    times: dict[str, list[float]] = {name: [] for name in names}
    for round_ in range(repeat):
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:
            start = time.perf_counter()
            candidates[name]()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def timed_update(metric: Any, y: np.ndarray, p: np.ndarray) -> Callable[[], Any]:
    def run() -> Any:
        metric.reset_state()
        metric.update_state(y, p)
        return metric.result()

    return run


def read(*arrays: np.ndarray) -> Callable[[], float]:
    return lambda: sum(float(a.sum()) for a in arrays)


def binary_inputs(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.3).astype(np.float32)
    p = np.clip(rng.normal(0.35 + 0.3 * y, 0.2), 0.0, 1.0).astype(np.float32)
    return y, p


def row(
    name: str,
    fm_s: float,
    base_name: str,
    base_s: float,
    ratio: float,
    target: str,
    ok: bool | None,
) -> dict[str, Any]:
    verdict = "" if ok is None else ("PASS" if ok else "FAIL")
    return {
        "row": name,
        "ferrometrics_ms": fm_s * 1e3,
        "baseline": base_name,
        "baseline_ms": base_s * 1e3,
        "ratio": ratio,
        "target": target,
        "verdict": verdict,
    }


def bench_ml(rows: int, repeat: int) -> list[dict[str, Any]]:
    rng = np.random.default_rng(1)
    y = (rng.random((rows, 50)) < 0.3).astype(np.float32)
    p = np.clip(rng.normal(0.35 + 0.3 * y, 0.2), 0.0, 1.0).astype(np.float32)
    m = fm.AUC(multi_label=True)
    t = interleaved(repeat, {"fm": timed_update(m, y, p), "read": read(p, y)})
    speed = t["read"] / t["fm"]
    return [
        row(
            f"ML AUC(multi_label=True) 50x{rows:,} float32",
            t["fm"],
            "NumPy read",
            t["read"],
            speed,
            "read/fm >= 0.9",
            speed >= 0.9,
        )
    ]


def bench_logits(n: int, repeat: int) -> list[dict[str, Any]]:
    y, p = binary_inputs(n)
    logits = np.log(p / (1 - p) + 1e-12).astype(np.float32)  # some large, none infinite
    logits = np.clip(logits, -30, 30)
    out = []
    for dtype in ("float32", "float64"):
        prob = fm.AUC(dtype=dtype)
        logit = fm.AUC(from_logits=True, dtype=dtype)
        t = interleaved(
            repeat,
            {
                "logits": timed_update(logit, y, logits),
                "prob": timed_update(prob, y, p),
                "read": read(p, y),
            },
        )
        ratio = t["logits"] / t["prob"]
        out.append(
            row(
                f"LOGITS AUC(from_logits=True, dtype={dtype}) {n:,}",
                t["logits"],
                "AUC() on probabilities",
                t["prob"],
                ratio,
                "<= 1.5x",
                ratio <= 1.5,
            )
        )
        out.append(row("  (NumPy read of the same)", t["read"], "", 0.0, float("nan"), "", None))
    return out


def bench_dtypes(n: int, repeat: int) -> list[dict[str, Any]]:
    y, p = binary_inputs(n)
    m = fm.AUC()
    p16, y16 = p.astype(np.float16), y.astype(np.int16)
    t = interleaved(
        repeat, {"f16": timed_update(m, y16, p16), "f32": timed_update(m, y, p), "read": read(p, y)}
    )
    ratio = t["f16"] / t["f32"]
    out = [
        row(
            f"F16 AUC() float16 preds + int16 labels {n:,}",
            t["f16"],
            "float32 + float32",
            t["f32"],
            ratio,
            "<= 1.3x",
            ratio <= 1.3,
        )
    ]
    labels = [
        "bool",
        "int8",
        "uint8",
        "int16",
        "uint16",
        "int32",
        "uint32",
        "int64",
        "uint64",
        "float16",
        "float64",
    ]
    candidates = {"f32": timed_update(m, y, p)}
    for dtype in labels:
        candidates[dtype] = timed_update(m, y.astype(dtype), p)
    t = interleaved(max(3, repeat // 2), candidates)
    for dtype in labels:
        ratio = t[dtype] / t["f32"]
        out.append(
            row(
                f"LABELS {dtype} labels, float32 preds",
                t[dtype],
                "float32 labels",
                t["f32"],
                ratio,
                "<= 1.3x",
                ratio <= 1.3,
            )
        )
    return out


READ_ONLY = """
import sys, pyarrow.parquet as pq
t = pq.read_table(sys.argv[1], columns=["y", "p"])
y = t.column("y").to_numpy(); p = t.column("p").to_numpy()
print(float(y.sum()) + float(p.sum()))
"""


def bench_cli(n: int, repeat: int) -> list[dict[str, Any]]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    y, p = binary_inputs(n)
    tmp = tempfile.mkdtemp(prefix="fm-bench-")
    path = os.path.join(tmp, "scores.parquet")
    # The common export: integer labels, float64 scores, another column not asked for.
    table = pa.table(
        {"y": y.astype(np.int64), "p": p.astype(np.float64), "id": np.arange(n, dtype=np.int64)}
    )
    pq.write_table(table, path)
    cli = [
        sys.executable,
        "-m",
        "ferrometrics",
        "evaluate",
        path,
        "--label",
        "y",
        "--score",
        "p",
        "--json",
    ]
    reader = [sys.executable, "-c", READ_ONLY, path]

    def process(cmd: list[str]) -> Callable[[], None]:
        return lambda: subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)

    t = interleaved(repeat, {"cli": process(cli), "read": process(reader)})
    os.remove(path)
    os.rmdir(tmp)
    ratio = t["cli"] / t["read"]
    return [
        row(
            f"CLI evaluate, {n:,} Parquet rows, whole process",
            t["cli"],
            "pyarrow read of y, p",
            t["read"],
            ratio,
            "<= 1.15x",
            ratio <= 1.15,
        )
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--only", default="ml,logits,f16,cli")
    parser.add_argument("--json")
    args = parser.parse_args()
    only = set(args.only.lower().split(","))
    load_before = os.getloadavg()
    rows: list[dict[str, Any]] = []
    if "ml" in only:
        rows += bench_ml(args.rows // 50, args.repeat)
    if "logits" in only:
        rows += bench_logits(args.rows, args.repeat)
    if "f16" in only:
        rows += bench_dtypes(args.rows, args.repeat)
    if "cli" in only:
        rows += bench_cli(args.rows, max(5, args.repeat // 3))
    load_after = os.getloadavg()
    print(
        f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} "
        f"(1 min); {os.cpu_count()} CPUs; median of interleaved repeats"
    )
    print(f"{'row':58} {'ferrometrics':>12} {'baseline':>24} {'ratio':>6}  target")
    failed = False
    for r in rows:
        base = f"{r['baseline']} {r['baseline_ms']:.2f} ms" if r["baseline"] else ""
        ratio = "" if r["ratio"] != r["ratio"] else f"{r['ratio']:.2f}"
        print(
            f"{r['row']:58} {r['ferrometrics_ms']:9.2f} ms {base:>24} {ratio:>6}  "
            f"{r['target']} {r['verdict']}"
        )
        failed |= r["verdict"] == "FAIL"
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"load": [load_before, load_after], "rows": rows}, f, indent=1)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
