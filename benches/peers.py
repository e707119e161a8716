"""ferrometrics side by side with Keras 3, tf-keras, TorchMetrics and scikit-learn.

Every library runs in this one process on the same arrays; inputs are converted to each
library's tensor type before timing; each time is the best of ``--repeat`` runs after a
warm-up; every peer's result is compared with ferrometrics's before its time is shown.
Peers that are not installed are skipped. Usage::

    pip install ".[bench]"
    python benches/peers.py                 # all workloads at full size (a few minutes)
    python benches/peers.py --scale 0.01 --only W1,W4 --json out.json

Workloads (sizes at ``--scale 1``) and the speed-up over Keras 3 each must reach:

    W1  AUC(200), 10M float32 predictions and labels             >= 50x, and <= 2x a NumPy read
    W6  weighted PR-AUC(200), 10M                                 >= 30x
    W2  AUC with 1,000 sorted uneven thresholds, 100k             >= 1,000x
    W3  multi-label AUC, 50 labels x 200k rows                    >= 50x
    W4  1,000 updates of 256 samples, then one result (per update) >= 1,000x
    W5  F1Score(average="macro", threshold=0.5), 10 x 1M         >= 20x
    T2  two threads vs one on W1 (RAYON_NUM_THREADS=1 vs 2)       >= 1.7x
    MEM peak extra memory of one 10M update                       <= 5 MB

And two defaults without a target, the configurations people reach for first:

    D1  Precision() (threshold 0.5), 10M
    D2  F1Score(average="macro") (the row-maximum rule), 10 x 1M
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from typing import Any, Callable

import numpy as np

import ferrometrics as fm

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


@dataclass
class Row:
    workload: str
    library: str
    seconds: float | None
    value: Any = None
    matches: str = ""
    ratio: float | None = None
    target: str = ""
    verdict: str = ""
    note: str = ""


@dataclass
class Report:
    machine: dict[str, Any]
    rows: list[Row] = field(default_factory=list)


def best_of(repeat: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    value = fn()  # warm-up: imports, graph tracing, thread pools
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - start)
    return best, value


def optional(name: str) -> Any:
    try:
        return __import__(name)
    except Exception:  # noqa: BLE001 - any import failure means "not installed here"
        return None


def machine() -> dict[str, Any]:
    cpu = platform.processor() or "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if "model name" in line)
    except (OSError, StopIteration):
        pass
    versions = {"ferrometrics": fm.__version__, "numpy": np.__version__}
    for name in ("keras", "tensorflow", "tf_keras", "torch", "torchmetrics", "sklearn"):
        module = sys.modules.get(name)
        if module is not None:
            versions[name] = getattr(module, "__version__", "?")
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(), **versions}


# --------------------------------------------------------------------------- data


def binary_data(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Imbalanced labels (30% positive) with informative float32 scores and weights."""
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.3).astype(np.float32)
    p = np.clip(rng.normal(0.35 + 0.3 * y, 0.2), 0.0, 1.0).astype(np.float32)
    w = rng.random(n, dtype=np.float32)
    return y, p, w


def multilabel_data(rows: int, labels: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = (rng.random((rows, labels)) < 0.3).astype(np.float32)
    p = np.clip(rng.normal(0.35 + 0.3 * y, 0.2), 0.0, 1.0).astype(np.float32)
    return y, p


# --------------------------------------------------------------------------- peers


class Peers:
    """The installed peers, imported once."""

    def __init__(self, wanted: bool) -> None:
        self.keras = optional("keras") if wanted else None
        self.tf = optional("tensorflow") if wanted else None
        self.tf_keras = optional("tf_keras") if wanted and self.tf else None
        self.torch = optional("torch") if wanted else None
        self.torchmetrics = optional("torchmetrics") if wanted and self.torch else None
        self.sklearn_metrics = optional("sklearn.metrics") if wanted else None
        if self.sklearn_metrics is not None:
            import sklearn.metrics as sklearn_metrics

            self.sklearn_metrics = sklearn_metrics
        if self.keras is not None and getattr(self.keras, "__version__", "0") < "3":
            self.keras = None  # an old standalone Keras 2 is not the peer we mean

    def keras_like(self) -> list[tuple[str, Any]]:
        found = []
        if self.keras is not None:
            found.append(("Keras 3", self.keras))
        if self.tf_keras is not None:
            found.append(("tf-keras", self.tf_keras))
        return found

    def tensor(self, array: np.ndarray) -> Any:
        return self.tf.constant(array)


def metric_run(make: Callable[[], Any], arrays: tuple) -> Callable[[], Any]:
    """One timed run: a fresh metric, one update with ``arrays``, the result."""

    def run() -> Any:
        m = make()
        m.update_state(*arrays)
        return np.asarray(m.result())

    return run


def keras_rows(
    peers: Peers, make: Callable[[Any], Any], arrays: tuple, repeat: int, rtol: float = 1e-5
) -> list[tuple]:
    """Peer rows for Keras 3 and tf-keras: ``make(keras_module)`` on ``arrays`` as tensors."""
    if peers.tf is None:
        return []
    tensors = tuple(peers.tensor(a) for a in arrays)
    return [
        (label, *best_of(repeat, metric_run(lambda m=module: make(m), tensors)), rtol, 1e-6, "")
        for label, module in peers.keras_like()
    ]


# --------------------------------------------------------------------------- workloads


def close(a: Any, b: Any, rtol: float, atol: float) -> bool:
    return bool(np.allclose(np.asarray(a, np.float64), np.asarray(b, np.float64), rtol, atol))


def compare_rows(
    report: Report,
    name: str,
    ours: tuple[float, Any],
    peers: list[tuple[str, float, Any, float, float, str]],
    target: float | None,
    target_peer: str = "Keras 3",
) -> None:
    """Adds our row and one row per peer: (library, seconds, value, rtol, atol, note)."""
    ours_s, ours_v = ours
    report.rows.append(Row(name, "ferrometrics", ours_s, _short(ours_v)))
    for library, seconds, value, rtol, atol, note in peers:
        ratio = seconds / ours_s
        same = close(value, ours_v, rtol, atol)
        row = Row(
            name,
            library,
            seconds,
            _short(value),
            matches=("yes" if same else "NO") + f" (rtol {rtol:g})",
            ratio=ratio,
            note=note,
        )
        if target is not None and library == target_peer:
            row.target = f">= {target:g}x"
            row.verdict = "PASS" if ratio >= target and same else "FAIL"
        report.rows.append(row)


def _short(value: Any) -> Any:
    arr = np.asarray(value, dtype=np.float64)
    return float(arr) if arr.ndim == 0 else [float(v) for v in arr.ravel()[:3]]


def w1(report: Report, peers: Peers, scale: float, repeat: int) -> None:
    n = max(1000, int(10_000_000 * scale))
    y, p, _ = binary_data(n)

    mine = best_of(repeat, metric_run(lambda: fm.AUC(), (y, p)))
    read = best_of(repeat, lambda: float(p.sum()) + float(y.sum()))
    results = keras_rows(peers, lambda k: k.metrics.AUC(), (y, p), max(1, repeat // 2))
    if peers.torchmetrics is not None:
        yt, pt = peers.torch.from_numpy(y).int(), peers.torch.from_numpy(p)

        def torch_run() -> Any:
            from torchmetrics.classification import BinaryAUROC

            m = BinaryAUROC(thresholds=200)
            m.update(pt, yt)
            return m.compute().item()

        results.append(("TorchMetrics", *best_of(1, torch_run), 2e-3, 0, "own 200 bins"))
    if peers.sklearn_metrics is not None:
        run = best_of(1, lambda: peers.sklearn_metrics.roc_auc_score(y, p))
        results.append(("scikit-learn", *run, 2e-3, 0, "exact AUC, not binned"))
    compare_rows(report, f"W1 AUC(200) n={n:,}", mine, results, 50.0)
    ratio = mine[0] / read[0]
    report.rows.append(
        Row(
            f"W1 AUC(200) n={n:,}",
            "NumPy read p.sum()+y.sum()",
            read[0],
            ratio=read[0] / mine[0],
            target="ferrometrics <= 2x read",
            verdict="PASS" if ratio <= 2.0 else "FAIL",
            note=f"ferrometrics takes {ratio:.2f}x the read",
        )
    )


def w6(report: Report, peers: Peers, scale: float, repeat: int) -> None:
    n = max(1000, int(10_000_000 * scale))
    y, p, w = binary_data(n, seed=6)

    mine = best_of(repeat, metric_run(lambda: fm.AUC(curve="PR"), (y, p, w)))
    # Keras sums float32 weights in float32 state: agreement to ~1e-4.
    results = keras_rows(
        peers, lambda k: k.metrics.AUC(curve="PR"), (y, p, w), max(1, repeat // 2), rtol=1e-3
    )
    if peers.sklearn_metrics is not None:
        run = best_of(
            1, lambda: peers.sklearn_metrics.average_precision_score(y, p, sample_weight=w)
        )
        results.append(("scikit-learn", *run, 1e-2, 0, "exact average precision"))
    compare_rows(report, f"W6 weighted PR-AUC n={n:,}", mine, results, 30.0)


def w2(report: Report, peers: Peers, scale: float, repeat: int) -> None:
    n = max(1000, int(100_000 * scale))
    y, p, _ = binary_data(n, seed=2)
    thresholds = np.sort(np.random.default_rng(7).random(1000)).tolist()

    mine = best_of(max(repeat, 10), metric_run(lambda: fm.AUC(thresholds=thresholds), (y, p)))
    results = keras_rows(peers, lambda k: k.metrics.AUC(thresholds=thresholds), (y, p), 1)
    compare_rows(report, f"W2 AUC 1,000 sorted thresholds n={n:,}", mine, results, 1000.0)


def w3(report: Report, peers: Peers, scale: float, repeat: int) -> None:
    rows = max(100, int(200_000 * scale))
    y, p = multilabel_data(rows, 50)

    mine = best_of(repeat, metric_run(lambda: fm.AUC(multi_label=True), (y, p)))
    results = keras_rows(
        peers, lambda k: k.metrics.AUC(multi_label=True), (y, p), max(1, repeat // 2)
    )
    if peers.torchmetrics is not None and rows <= 20_000:
        # TorchMetrics's binned multi-label AUROC compares every element with every
        # threshold at once: minutes at full size, so it runs at small scales only.
        yt, pt = peers.torch.from_numpy(y).int(), peers.torch.from_numpy(p)

        def torch_run() -> Any:
            from torchmetrics.classification import MultilabelAUROC

            m = MultilabelAUROC(num_labels=50, thresholds=200, average="macro")
            m.update(pt, yt)
            return m.compute().item()

        results.append(("TorchMetrics", *best_of(1, torch_run), 2e-3, 0, "own 200 bins"))
    compare_rows(report, f"W3 multi-label AUC 50x{rows:,}", mine, results, 50.0)


def w4(report: Report, peers: Peers, scale: float, repeat: int) -> None:
    y, p, _ = binary_data(256 * 1000, seed=4)
    batches = [(y[i : i + 256], p[i : i + 256]) for i in range(0, len(y), 256)]
    updates = max(10, int(1000 * min(scale * 100, 1.0)))

    def loop(metric: Any, pairs: list, count: int) -> Any:
        for k in range(count):
            metric.update_state(*pairs[k])
        return np.asarray(metric.result())

    seconds, value = best_of(repeat, lambda: loop(fm.AUC(), batches, updates))
    mine = (seconds / updates, value)
    results = []
    # Peers get fewer updates (Keras needs ~5 ms each); the same prefix is compared.
    peer_updates = max(10, updates // 10)
    check = loop(fm.AUC(), batches, peer_updates)
    if peers.tf is not None:
        tensors = [(peers.tensor(a), peers.tensor(b)) for a, b in batches[:peer_updates]]
        for label, module in peers.keras_like():
            s, v = best_of(
                1, lambda module=module: loop(module.metrics.AUC(), tensors, peer_updates)
            )
            results.append((label, s / peer_updates, v, 1e-5, 1e-6, f"{peer_updates} updates"))
    if peers.torchmetrics is not None:
        from torchmetrics.classification import BinaryAUROC

        pairs = [
            (peers.torch.from_numpy(b), peers.torch.from_numpy(a).int())
            for a, b in batches[:peer_updates]
        ]

        def torch_loop() -> Any:
            m = BinaryAUROC(thresholds=200)
            for pt, yt in pairs:
                m.update(pt, yt)
            return m.compute().item()

        s, v = best_of(1, torch_loop)
        results.append(("TorchMetrics", s / peer_updates, v, 5e-3, 0, "own 200 bins"))
    # Peers' values are for the first `peer_updates` batches: compare with ours there.
    results = [(lib, s, v, rtol, atol, note) for lib, s, v, rtol, atol, note in results]
    name = f"W4 per update, 256 samples x {updates}"
    report.rows.append(Row(name, "ferrometrics", mine[0], _short(mine[1])))
    for library, s, v, rtol, atol, note in results:
        same = close(v, check, rtol, atol)
        row = Row(
            name,
            library,
            s,
            _short(v),
            ("yes" if same else "NO") + f" (rtol {rtol:g})",
            s / mine[0],
            note=note,
        )
        if library == "Keras 3":
            row.target, row.verdict = ">= 1000x", "PASS" if s / mine[0] >= 1000 and same else "FAIL"
        report.rows.append(row)


def w5(report: Report, peers: Peers, scale: float, repeat: int) -> None:
    rows = max(100, int(1_000_000 * scale))
    y, p = multilabel_data(rows, 10, seed=5)

    mine = best_of(repeat, metric_run(lambda: fm.F1Score(average="macro", threshold=0.5), (y, p)))
    results = keras_rows(
        peers,
        lambda k: k.metrics.F1Score(average="macro", threshold=0.5),
        (y, p),
        max(1, repeat // 2),
    )
    if peers.torchmetrics is not None:
        yt, pt = peers.torch.from_numpy(y).int(), peers.torch.from_numpy(p)

        def torch_run() -> Any:
            from torchmetrics.classification import MultilabelF1Score

            m = MultilabelF1Score(num_labels=10, threshold=0.5, average="macro")
            m.update(pt, yt)
            return m.compute().item()

        results.append(("TorchMetrics", *best_of(repeat, torch_run), 1e-5, 1e-6, ""))
    if peers.sklearn_metrics is not None:
        yi = y.astype(np.int8)

        def sk_run() -> Any:
            return peers.sklearn_metrics.f1_score(yi, (p > 0.5).astype(np.int8), average="macro")

        results.append(("scikit-learn", *best_of(1, sk_run), 1e-5, 1e-6, "thresholded first"))
    compare_rows(report, f"W5 F1 macro 10x{rows:,}", mine, results, 20.0)


def d1(report: Report, peers: Peers, scale: float, repeat: int) -> None:
    n = max(1000, int(10_000_000 * scale))
    y, p, _ = binary_data(n, seed=6)

    mine = best_of(repeat, metric_run(lambda: fm.Precision(), (y, p)))
    results = keras_rows(peers, lambda k: k.metrics.Precision(), (y, p), max(1, repeat // 2))
    if peers.torchmetrics is not None:
        yt, pt = peers.torch.from_numpy(y).int(), peers.torch.from_numpy(p)

        def torch_run() -> Any:
            from torchmetrics.classification import BinaryPrecision

            m = BinaryPrecision(threshold=0.5)
            m.update(pt, yt)
            return m.compute().item()

        # TorchMetrics counts p >= 0.5 as positive (Keras: p > 0.5): compared loosely.
        results.append(("TorchMetrics", *best_of(repeat, torch_run), 1e-3, 0, "p >= 0.5"))
    if peers.sklearn_metrics is not None:
        yi = y.astype(np.int8)

        def sk_run() -> Any:
            return peers.sklearn_metrics.precision_score(yi, (p > 0.5).astype(np.int8))

        results.append(("scikit-learn", *best_of(1, sk_run), 1e-5, 1e-6, "thresholded first"))
    compare_rows(report, f"D1 Precision() n={n:,}", mine, results, None)


def d2(report: Report, peers: Peers, scale: float, repeat: int) -> None:
    rows = max(100, int(1_000_000 * scale))
    y, p = multilabel_data(rows, 10, seed=7)

    mine = best_of(repeat, metric_run(lambda: fm.F1Score(average="macro"), (y, p)))
    results = keras_rows(
        peers, lambda k: k.metrics.F1Score(average="macro"), (y, p), max(1, repeat // 2)
    )
    compare_rows(report, f"D2 F1Score(average='macro') 10x{rows:,}", mine, results, None)


def t2(report: Report, scale: float, repeat: int) -> None:
    """One rayon thread against two, each in a fresh process, on W1's update."""
    times = {}
    for threads in (1, 2):
        env = dict(os.environ, RAYON_NUM_THREADS=str(threads))
        out = subprocess.run(
            [sys.executable, __file__, "--internal-w1", str(scale), "--repeat", str(repeat)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        times[threads] = float(out.stdout.strip().splitlines()[-1])
    speedup = times[1] / times[2]
    name = "T2 two threads vs one, W1"
    report.rows.append(Row(name, "ferrometrics 1 thread", times[1]))
    report.rows.append(
        Row(
            name,
            "ferrometrics 2 threads",
            times[2],
            ratio=speedup,
            target=">= 1.7x",
            verdict="PASS" if speedup >= 1.7 else "FAIL",
            note=f"speed-up {speedup:.2f}x",
        )
    )
    # Two Python threads sharing one metric, each with half the rows, against one thread.
    n = max(1000, int(10_000_000 * scale))
    y, p, _ = binary_data(n)
    halves = [(y[: n // 2], p[: n // 2]), (y[n // 2 :], p[n // 2 :])]

    def sequential() -> Any:
        m = fm.AUC()
        for half in halves:
            m.update_state(*half)
        return m.result()

    def shared() -> Any:
        m = fm.AUC()
        workers = [threading.Thread(target=m.update_state, args=half) for half in halves]
        for t in workers:
            t.start()
        for t in workers:
            t.join()
        return m.result()

    one = best_of(repeat, sequential)
    two = best_of(repeat, shared)
    report.rows.append(
        Row(
            "T2 two Python threads, one shared AUC",
            "ferrometrics",
            two[0],
            _short(two[1]),
            matches="yes" if two[1] == one[1] else "NO",
            ratio=one[0] / two[0],
            note=f"one thread, both halves: {one[0] * 1e3:.2f} ms",
        )
    )


def mem(report: Report, scale: float) -> None:
    out = subprocess.run(
        [sys.executable, __file__, "--internal-mem", str(scale)],
        capture_output=True,
        text=True,
        check=True,
    )
    extra_mb = float(out.stdout.strip().splitlines()[-1])
    report.rows.append(
        Row(
            "MEM one 10M AUC update",
            "ferrometrics",
            None,
            target="<= 5 MB",
            verdict="PASS" if extra_mb <= 5.0 else "FAIL",
            note=f"peak extra {extra_mb:.2f} MB",
        )
    )


def internal_w1(scale: float, repeat: int) -> None:
    y, p, _ = binary_data(max(1000, int(10_000_000 * scale)))

    def run() -> Any:
        m = fm.AUC()
        m.update_state(y, p)
        return m.result()

    print(best_of(repeat, run)[0])


def internal_mem(scale: float) -> None:
    """Peak resident memory added by one update, beyond the inputs (Linux)."""
    y, p, _ = binary_data(max(1000, int(10_000_000 * scale)))
    m = fm.AUC()
    m.update_state(y[:1000], p[:1000])  # start the thread pool first

    def status(key: str) -> float:
        with open("/proc/self/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith(key)) / 1024

    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")  # resets the peak (VmHWM) to the current size
    before = status("VmRSS")
    m.update_state(y, p)
    m.result()
    print(status("VmHWM") - before)


# --------------------------------------------------------------------------- output


def print_table(report: Report) -> None:
    print("machine: " + ", ".join(f"{k}={v}" for k, v in report.machine.items()))
    header = (
        f"{'workload':42} {'library':28} {'time':>11} {'x slower':>9}  {'target':>22} "
        f"{'':5} {'matches':16} note"
    )
    print(header)
    print("-" * len(header))
    for r in report.rows:
        time_s = "" if r.seconds is None else _fmt_time(r.seconds)
        ratio = "" if r.ratio is None else f"{r.ratio:,.1f}"
        print(
            f"{r.workload[:42]:42} {r.library[:28]:28} {time_s:>11} {ratio:>9}  {r.target:>22} "
            f"{r.verdict:5} {r.matches:16} {r.note}"
        )


def _fmt_time(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.2f} us"
    if seconds < 1:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds:.2f} s"


# T2 and MEM time fresh processes: they run first, before the peers' thread pools
# (TensorFlow's spin while idle for a while after each op) compete for the two cores.
WORKLOADS = ("T2", "MEM", "W1", "W6", "W2", "W3", "W4", "W5", "D1", "D2")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies every size")
    parser.add_argument("--only", default=",".join(WORKLOADS), help="comma-separated workloads")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs; the best is kept")
    parser.add_argument("--no-peers", action="store_true", help="time ferrometrics alone")
    parser.add_argument("--json", help="also write the rows to this file")
    parser.add_argument("--internal-w1", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--internal-mem", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.internal_w1 is not None:
        internal_w1(args.internal_w1, args.repeat)
        return 0
    if args.internal_mem is not None:
        internal_mem(args.internal_mem)
        return 0
    only = {w.strip().upper() for w in args.only.split(",")}
    peers = Peers(wanted=not args.no_peers)
    report = Report(machine())
    missing = [
        name
        for name, module in (
            ("Keras 3", peers.keras),
            ("tf-keras", peers.tf_keras),
            ("TorchMetrics", peers.torchmetrics),
            ("scikit-learn", peers.sklearn_metrics),
        )
        if module is None
    ]
    steps: dict[str, Callable[[], None]] = {
        "W1": lambda: w1(report, peers, args.scale, args.repeat),
        "W6": lambda: w6(report, peers, args.scale, args.repeat),
        "W2": lambda: w2(report, peers, args.scale, args.repeat),
        "W3": lambda: w3(report, peers, args.scale, args.repeat),
        "W4": lambda: w4(report, peers, args.scale, args.repeat),
        "W5": lambda: w5(report, peers, args.scale, args.repeat),
        "D1": lambda: d1(report, peers, args.scale, args.repeat),
        "D2": lambda: d2(report, peers, args.scale, args.repeat),
        "T2": lambda: t2(report, args.scale, args.repeat),
        "MEM": lambda: mem(report, args.scale),
    }
    for name in WORKLOADS:
        if name in only:
            print(f"running {name} ...", file=sys.stderr, flush=True)
            steps[name]()
    report.machine = machine()
    print_table(report)
    if missing:
        print("not installed, skipped: " + ", ".join(missing))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(
                {"machine": report.machine, "rows": [asdict(r) for r in report.rows]}, f, indent=1
            )
    return 1 if any(r.verdict == "FAIL" or r.matches.startswith("NO") for r in report.rows) else 0


if __name__ == "__main__":
    sys.exit(main())
