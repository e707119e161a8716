"""Keras training loops: epochs with ferrometrics.keras metrics against the same keras.metrics.

A small MLP (32 inputs -> Dense(64, relu) -> Dense(1, sigmoid); for F1Score/FBetaScore a
Dense(3, softmax) head with one-hot (N, 3) labels) is trained for one epoch with ``model.fit``
and run through ``model.evaluate``, batch 256, 64 steps, on each Keras backend, three ways:

    none          compiled without metrics
    Keras         compiled with keras.metrics.X
    ferrometrics  compiled with ferrometrics.keras.X (the same classes, counted on the host)

Each backend runs in its own process (Keras picks its backend once per process). All models of
a head start from the same initial weights, restored before each run, and train with plain SGD
without shuffling, so the three runs compute the same weights: the final logs of the Keras and
ferrometrics runs (loss and every metric) must agree to float32 rounding (rtol 1e-5), and the
loss with the metric-free run's. Timing starts after a warm-up epoch and evaluate per model
(graph tracing, ``jax.jit`` compilation); the repeats are interleaved (none, Keras, ferrometrics
in a rotating order, workload after workload) and medians and min-max are reported.

Per-step overhead = (median epoch with metrics - median epoch without) / steps, from wall time
and from the process's CPU time (steadier on a shared machine: time spent waiting for a core
does not count). The ratio is the median over repeats of the ferrometrics epoch over the Keras
epoch of the same repeat; "no slower" passes at <= 1.05. PyTorch runs with one intra-op thread
(``--torch-threads``): with two, its OpenMP threads spin at every barrier and an epoch takes up
to 10x longer whenever another process holds a core, whatever the metrics. Usage::

    python benches/keras_epoch.py                        # tensorflow, jax, torch: ~5 min
    python benches/keras_epoch.py --backends jax --repeat 3 --only auc,all
    python benches/keras_epoch.py --markdown --json out.json   # tables for BENCHMARKS.md
    python benches/keras_epoch.py --breakdown            # where a step's metric time goes

``--breakdown`` times the metric updates of one step (batch 256; one AUC, then the 11 binary
metrics) as the training step makes them: inside ``tf.function`` / ``jax.jit`` / eagerly, for
Keras and ferrometrics, beside the parts of ferrometrics's update: the host function alone (the
Rust count and the float64 state out) and the host-call mechanism alone (as many trivial
``tf.numpy_function`` / ``io_callback`` / ``pure_callback`` calls returning the same arrays).

The script exits non-zero if a result does not match or a "no slower" check fails.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any, Callable

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

BACKENDS = ("tensorflow", "jax", "torch")
BATCH = 256
FEATURES = 32
RTOL = 1e-5
NO_SLOWER = 1.05  # ferrometrics epoch / Keras epoch: room for a shared machine's noise
VARIANTS = ("none", "keras", "ferrometrics")
PHASES = ("fit", "evaluate")


# --------------------------------------------------------------------------- workloads


def counts(m: Any) -> list:
    return [
        m.TruePositives(name="tp"),
        m.TrueNegatives(name="tn"),
        m.FalsePositives(name="fp"),
        m.FalseNegatives(name="fn"),
    ]


def binary_all(m: Any) -> list:
    return [
        m.AUC(name="auc"),
        m.Precision(name="precision"),
        m.Recall(name="recall"),
        *counts(m),
        m.PrecisionAtRecall(0.8, name="p_at_r"),
        m.RecallAtPrecision(0.8, name="r_at_p"),
        m.SensitivityAtSpecificity(0.8, name="sens_at_spec"),
        m.SpecificityAtSensitivity(0.8, name="spec_at_sens"),
    ]


def f_scores(m: Any) -> list:
    return [
        m.F1Score(average="macro", name="f1"),
        m.FBetaScore(beta=2.0, average="weighted", threshold=0.4, name="f2"),
    ]


# key -> (label, head, metrics(module)), module being keras.metrics or ferrometrics.keras.
# Explicit names: Keras 3 numbers default names apart across models (auc, auc_1, ...).
WORKLOADS: dict[str, tuple[str, str, Callable[[Any], list]]] = {
    "auc": ("AUC()", "binary", lambda m: [m.AUC(name="auc")]),
    "precision": ("Precision()", "binary", lambda m: [m.Precision(name="precision")]),
    "recall": ("Recall()", "binary", lambda m: [m.Recall(name="recall")]),
    "counts": ("TP, TN, FP, FN", "binary", counts),
    "at": ("PrecisionAtRecall(0.8)", "binary", lambda m: [m.PrecisionAtRecall(0.8, name="p")]),
    "all": ("all 11: AUC, P, R, 4 counts, 4 *At*", "binary", binary_all),
    "fbeta": ("F1Score + FBetaScore, 3 classes", "multi", f_scores),
}


def data(steps: int) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Inputs with a learnable signal: binary labels (about 30% positive) and 3 classes."""
    rng = np.random.default_rng(0)
    n = steps * BATCH
    x = rng.normal(size=(n, FEATURES)).astype(np.float32)
    w = rng.normal(size=(FEATURES, 3))
    z = x @ w + rng.normal(scale=2.0, size=(n, 3))
    y = (z[:, :1] > 1.5).astype(np.float32)
    classes = np.eye(3, dtype=np.float32)[z.argmax(axis=1)]
    return {"binary": (x, y), "multi": (x, classes)}


# --------------------------------------------------------------------------- one backend


def machine() -> dict[str, Any]:
    cpu = platform.processor() or "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if "model name" in line)
    except (OSError, StopIteration):
        pass
    versions = {"python": platform.python_version(), "numpy": np.__version__}
    for name in ("ferrometrics", "keras", "tensorflow", "jax", "torch"):
        module = sys.modules.get(name)
        if module is not None:
            versions[name] = getattr(module, "__version__", "?")
    return {"cpu": cpu, "cores": os.cpu_count(), **versions}


def to_float(value: Any) -> Any:
    arr = np.asarray(value, dtype=np.float64)
    return float(arr) if arr.ndim == 0 else arr.tolist()


def differing(a: dict[str, Any], b: dict[str, Any], keys: list[str] | None = None) -> list[str]:
    """The keys on which two logs differ beyond float32 rounding (a missing key differs)."""
    bad = []
    for k in sorted(set(a) | set(b)) if keys is None else keys:
        if k not in a or k not in b:
            bad.append(k)
        elif not np.allclose(np.asarray(a[k]), np.asarray(b[k]), rtol=RTOL, atol=1e-7):
            bad.append(k)
    return bad


def limit_torch_threads(threads: int) -> None:
    import keras

    if threads > 0 and keras.backend.backend() == "torch":
        import torch

        torch.set_num_threads(threads)


def run_backend(names: list[str], repeat: int, steps: int, torch_threads: int) -> dict[str, Any]:
    """Times every workload on the backend of this process (KERAS_BACKEND)."""
    import keras

    import ferrometrics.keras as fmk

    limit_torch_threads(torch_threads)
    keras.utils.set_random_seed(0)
    arrays = data(steps)
    heads = {
        "binary": (1, "sigmoid", "binary_crossentropy"),
        "multi": (3, "softmax", "categorical_crossentropy"),
    }

    def build(head: str, metrics: list) -> Any:
        units, activation, loss = heads[head]
        model = keras.Sequential(
            [
                keras.Input((FEATURES,)),
                keras.layers.Dense(64, activation="relu"),
                keras.layers.Dense(units, activation=activation),
            ]
        )
        model.compile(keras.optimizers.SGD(learning_rate=0.05), loss, metrics=metrics)
        return model

    initial = {head: build(head, []).get_weights() for head in heads}
    models = {("none", head): build(head, []) for head in heads}
    expected = {}  # the keys each log must have
    for name in names:
        _, head, make = WORKLOADS[name]
        theirs = make(keras.metrics)
        expected[name] = ["loss", *(m.name for m in theirs)]
        models[(name, "keras")] = build(head, theirs)
        models[(name, "ferrometrics")] = build(head, make(fmk))

    def once(name: str, variant: str) -> dict[str, tuple[float, float, dict]]:
        """One epoch and one evaluate: {phase: (wall s, CPU s, logs)}."""
        head = WORKLOADS[name][1]
        x, y = arrays[head]
        model = models[("none", head) if variant == "none" else (name, variant)]
        model.set_weights(initial[head])
        wall, cpu = time.perf_counter(), time.process_time()
        history = model.fit(x, y, batch_size=BATCH, epochs=1, verbose=0, shuffle=False)
        fit = (time.perf_counter() - wall, time.process_time() - cpu)
        wall, cpu = time.perf_counter(), time.process_time()
        evaluated = model.evaluate(x, y, batch_size=BATCH, verbose=0, return_dict=True)
        ev = (time.perf_counter() - wall, time.process_time() - cpu)
        return {
            "fit": (*fit, {k: to_float(v[-1]) for k, v in history.history.items()}),
            "evaluate": (*ev, {k: to_float(v) for k, v in evaluated.items()}),
        }

    loads = [os.getloadavg()[0]]
    start = time.perf_counter()
    for name in names:  # warm-up: tracing and compilation, both phases
        for variant in VARIANTS:
            once(name, variant)
    warm_up_s = time.perf_counter() - start

    wall = {n: {p: {v: [] for v in VARIANTS} for p in PHASES} for n in names}
    cpu = {n: {p: {v: [] for v in VARIANTS} for p in PHASES} for n in names}
    mismatches: dict[str, list[str]] = {n: [] for n in names}
    logs: dict[str, dict] = {n: {} for n in names}
    for r in range(repeat):
        for name in names:
            got = {}
            for variant in VARIANTS[r % 3 :] + VARIANTS[: r % 3]:
                got[variant] = once(name, variant)
                for phase in PHASES:
                    wall[name][phase][variant].append(got[variant][phase][0])
                    cpu[name][phase][variant].append(got[variant][phase][1])
            for phase in PHASES:
                theirs, ours, none = (got[v][phase][2] for v in VARIANTS[1:] + VARIANTS[:1])
                bad = [f"{phase} {k}" for k in differing(theirs, ours)]
                bad += [f"{phase} {k} missing" for k in expected[name] if k not in ours]
                bad += [f"{phase} loss vs no metrics" for _ in differing(none, ours, ["loss"])]
                mismatches[name] += [b for b in bad if b not in mismatches[name]]
                logs[name][phase] = {"keras": theirs, "ferrometrics": ours}
        loads.append(os.getloadavg()[0])
        print(f"  {keras.backend.backend()}: repeat {r + 1}/{repeat}", file=sys.stderr)
    return {
        "backend": keras.backend.backend(),
        "machine": machine(),
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "steps": steps,
        "repeat": repeat,
        "torch_threads": torch_threads,
        "warm_up_s": warm_up_s,
        "load_1min": loads,
        "wall": wall,
        "cpu": cpu,
        "mismatches": mismatches,
        "logs": logs,
    }


# --------------------------------------------------------------------------- breakdown


def measure(cases: list[tuple[str, str, Callable[[], Any], int]], repeat: int) -> dict:
    """{label: {column: seconds per call}}: the median over ``repeat`` rounds, the cases
    interleaved in a rotating order; each case's function makes ``n`` calls."""
    for _, _, fn, _ in cases:
        fn()  # warm-up: tracing, compilation, thread pools
    times: list[list[float]] = [[] for _ in cases]
    for r in range(repeat):
        for i in [(r + j) % len(cases) for j in range(len(cases))]:
            start = time.perf_counter()
            cases[i][2]()
            times[i].append((time.perf_counter() - start) / cases[i][3])
    rows: dict[str, dict[str, float]] = {}
    for (label, column, _, _), t in zip(cases, times):
        rows.setdefault(label, {})[column] = statistics.median(t)
    return rows


def run_breakdown(repeat: int, torch_threads: int) -> dict[str, Any]:
    """The metric updates of one step, and their parts, on this process's backend."""
    import keras

    import ferrometrics.keras as fmk

    limit_torch_threads(torch_threads)
    backend = keras.backend.backend()
    rng = np.random.default_rng(3)
    y = (rng.random((BATCH, 1)) < 0.3).astype(np.float32)
    p = rng.random((BATCH, 1), dtype=np.float32)
    sets = {"1 AUC": lambda m: [m.AUC(name="auc")], "11 binary": binary_all}
    cases: list[tuple[str, str, Callable[[], Any], int]] = []

    for column, make in sets.items():
        calls = 20 if column != "1 AUC" and backend == "torch" else 100

        def add(label: str, fn: Callable, batched: bool = False, column=column, n=calls) -> None:
            """``fn`` makes one call, or ``n`` calls when ``batched``."""
            loop = fn if batched else lambda: [fn() for _ in range(n)]
            cases.append((label, column, loop, n))

        ours, theirs = make(fmk), make(keras.metrics)
        specs = [
            [(tuple(v.shape), keras.backend.standardize_dtype(v.dtype)) for v in m.variables]
            for m in ours
        ]
        zeros = [[np.zeros(shape, dtype) for shape, dtype in spec] for spec in specs]

        def host_only(ours: list = ours) -> None:
            for m in ours:
                m._count_on_host(y, p, None)

        add("host function alone (Rust count, float64 state out)", host_only)
        if backend == "tensorflow":
            breakdown_tf(add, ours, theirs, zeros, y, p)
        elif backend == "jax":
            breakdown_jax(add, ours, theirs, zeros, y, p, calls)
        else:
            breakdown_torch(add, ours, theirs, zeros, y, p)
    return {
        "backend": backend,
        "machine": machine(),
        "rows": measure(cases, repeat),
        "columns": list(sets),
        "fit_rows": fit_probe(repeat) if backend != "torch" else {},
    }


def fit_probe(repeat: int, steps: int = 64) -> dict[str, float]:
    """Per fit step over no metrics: Keras's AUC alone, then with one added host call that
    returns 1 or 4 arrays of zeros (added to the AUC's variables, so that it runs), beside
    ferrometrics's AUC (one call, four (200,) arrays out): what a host call costs a compiled
    training step, whatever it does."""
    import keras

    import ferrometrics.keras as fmk

    backend = keras.backend.backend()
    x, y = data(steps)["binary"]
    zeros = np.zeros(200, np.float32)

    def host_zeros(kind: str, outputs: int, y_pred: Any) -> list | None:
        """A trivial host call from the compiled step, or None when not compiling."""
        if backend == "tensorflow":
            import tensorflow as tf

            if tf.executing_eagerly():
                return None
            out = tf.numpy_function(
                lambda _: [zeros] * outputs, [y_pred], [tf.float32] * outputs, stateful=True
            )
            for tensor in out:
                tensor.set_shape(zeros.shape)
            return out
        import jax
        from jax.experimental import io_callback

        if not isinstance(y_pred, jax.core.Tracer):
            return None
        specs = [jax.ShapeDtypeStruct(zeros.shape, zeros.dtype)] * outputs
        if kind == "pure_callback":
            return jax.pure_callback(lambda _: [zeros] * outputs, specs, y_pred)
        ordered = kind.startswith("ordered")
        return io_callback(lambda _: [zeros] * outputs, specs, y_pred, ordered=ordered)

    class AUCWithHostCall(keras.metrics.AUC):
        def __init__(self, kind: str, outputs: int) -> None:
            super().__init__(name="auc")
            self.kind, self.outputs = kind, outputs

        def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
            super().update_state(y_true, y_pred, sample_weight)
            out = host_zeros(self.kind, self.outputs, y_pred)
            for variable, zero in zip(self.variables, out or []):
                variable.assign(variable + zero)

    if backend == "tensorflow":
        kinds = [("tf.numpy_function", 1), ("tf.numpy_function", 4)]
    else:
        kinds = [("ordered io_callback", 1), ("ordered io_callback", 4)]
        kinds += [("unordered io_callback", 1), ("pure_callback", 1)]
    variants = {"no metric": [], "Keras AUC": [keras.metrics.AUC(name="auc")]}
    for kind, n in kinds:
        label = f"Keras AUC + one trivial {kind}, {n} output{'s' * (n > 1)}"
        variants[label] = [AUCWithHostCall(kind, n)]
    variants["ferrometrics AUC (one call, 4 outputs)"] = [fmk.AUC(name="auc")]
    models = {}
    for label, metrics in variants.items():
        model = keras.Sequential(
            [
                keras.Input((FEATURES,)),
                keras.layers.Dense(64, activation="relu"),
                keras.layers.Dense(1, activation="sigmoid"),
            ]
        )
        model.compile(
            keras.optimizers.SGD(learning_rate=0.05), "binary_crossentropy", metrics=metrics
        )
        models[label] = lambda model=model: model.fit(
            x, y, batch_size=BATCH, epochs=1, verbose=0, shuffle=False
        )
    rows = measure([(label, "fit", fit, steps) for label, fit in models.items()], repeat)
    base = rows.pop("no metric")["fit"]
    return {label: cols["fit"] - base for label, cols in rows.items()}


def breakdown_tf(add, ours, theirs, zeros, y, p) -> None:
    import tensorflow as tf

    tf.get_logger().setLevel("ERROR")  # AutoGraph's "could not transform _build_for"
    yt, pt = tf.constant(y), tf.constant(p)

    def updating(metrics: list, autograph: bool) -> Callable[[], Any]:
        @tf.function(autograph=autograph)
        def step(a: Any, b: Any) -> None:
            for m in metrics:
                m.update_state(a, b)

        return lambda: step(yt, pt)

    variables = [[tf.Variable(z) for z in zs] for zs in zeros]

    @tf.function(autograph=False)
    def trivial(a: Any, b: Any) -> None:
        for zs, vs in zip(zeros, variables):
            out = tf.numpy_function(
                lambda _a, _b, zs=zs: zs, [a, b], [tf.as_dtype(z.dtype) for z in zs]
            )
            for v, o in zip(vs, out):
                v.assign(o)

    empty = tf.function(lambda a, b: a)
    add("empty tf.function call (baseline)", lambda: empty(yt, pt))
    add("Keras update_state in tf.function", updating(theirs, False))
    add("ferrometrics update_state in tf.function (as in fit)", updating(ours, False))
    add("ferrometrics, user @tf.function with AutoGraph on", updating(ours, True))
    add("trivial tf.numpy_function + assigns (mechanism alone)", lambda: trivial(yt, pt))


def breakdown_jax(add, ours, theirs, zeros, y, p, calls) -> None:
    import jax
    from jax.experimental import io_callback

    weights = [np.ones(s, np.float32) for s in ((FEATURES, 64), (64,), (64, 1), (1,))]

    def stepping(update: Callable[[list, Any, Any], list] | None, state: list) -> Callable:
        """A jitted step over the MLP's weights and the metrics' state, called back to back."""

        @jax.jit
        def step(w: list, s: list, a: Any, b: Any) -> tuple[list, list]:
            return [x * 0.999 for x in w], (s if update is None else update(s, a, b))

        held = [[jax.numpy.asarray(x) for x in weights], state]

        def run() -> None:
            for _ in range(calls):
                held[:] = step(*held, y, p)
            jax.block_until_ready(held)

        return run

    def metric_update(metrics: list) -> Callable:
        return lambda s, a, b: [m.stateless_update_state(v, a, b) for m, v in zip(metrics, s)]

    def trivial(kind: str) -> Callable:
        def update(s: list, a: Any, b: Any) -> list:
            out = []
            for zs in zeros:
                specs = [jax.ShapeDtypeStruct(z.shape, z.dtype) for z in zs]
                host = lambda _a, _b, zs=zs: zs  # noqa: E731
                if kind == "pure":
                    out.append(jax.pure_callback(host, specs, a, b))
                else:
                    out.append(io_callback(host, specs, a, b, ordered=True))
            return out

        return update

    def state(metrics: list) -> list:
        return [[v.value for v in m.variables] for m in metrics]

    for label, update, init in (
        ("jitted step, no metric (baseline)", None, []),
        ("Keras stateless_update_state in jax.jit", metric_update(theirs), state(theirs)),
        ("ferrometrics in jax.jit (ordered io_callback)", metric_update(ours), state(ours)),
        ("trivial ordered io_callback (mechanism alone)", trivial("io"), zeros),
        ("trivial pure_callback, for comparison", trivial("pure"), zeros),
    ):
        add(label, stepping(update, init), batched=True)


def breakdown_torch(add, ours, theirs, zeros, y, p) -> None:
    import keras

    yt, pt = keras.ops.convert_to_tensor(y), keras.ops.convert_to_tensor(p)

    def updating(metrics: list) -> Callable[[], None]:
        def run() -> None:
            for m in metrics:
                m.update_state(yt, pt)

        return run

    def to_numpy() -> None:
        for _ in ours:
            keras.ops.convert_to_numpy(yt), keras.ops.convert_to_numpy(pt)

    def assigns() -> None:
        for m, zs in zip(ours, zeros):
            for v, z in zip(m.variables, zs):
                v.assign(z)

    add("Keras update_state (eager)", updating(theirs))
    add("ferrometrics update_state (eager)", updating(ours))
    add("tensors to NumPy (part of it)", to_numpy)
    add("variable assigns (part of it)", assigns)


# --------------------------------------------------------------------------- output


def summarize(result: dict[str, Any]) -> list[dict[str, Any]]:
    steps = result["steps"]
    rows = []
    for name in result["wall"]:
        for phase in PHASES:
            wall, cpu = result["wall"][name][phase], result["cpu"][name][phase]
            med = {v: statistics.median(t) for v, t in wall.items()}
            cpu_med = {v: statistics.median(t) for v, t in cpu.items()}
            paired = [f / k for f, k in zip(wall["ferrometrics"], wall["keras"])]
            ratio = statistics.median(paired)
            bad = result["mismatches"][name]
            rows.append(
                {
                    "workload": WORKLOADS[name][0],
                    "phase": phase,
                    "median": med,
                    "min": {v: min(t) for v, t in wall.items()},
                    "max": {v: max(t) for v, t in wall.items()},
                    "per_step": {v: (med[v] - med["none"]) / steps for v in VARIANTS[1:]},
                    "cpu_per_step": {
                        v: (cpu_med[v] - cpu_med["none"]) / steps for v in VARIANTS[1:]
                    },
                    "ratio": ratio,
                    "ratio_range": (min(paired), max(paired)),
                    "verdict": "PASS" if ratio <= NO_SLOWER else "FAIL",
                    "matches": ("NO: " + ", ".join(bad)) if bad else "yes",
                }
            )
    return rows


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:.0f}" if seconds >= 0.1 else f"{seconds * 1e3:.1f}"


def _us(seconds: float) -> str:
    return f"{seconds * 1e6:+,.0f}"


def render(head: list[str], body: list[list[str]], markdown: bool, numeric: int) -> str:
    """A Markdown or plain-text table; columns from ``numeric`` on are right-aligned."""
    if markdown:
        rule = ["---" if i < numeric else "---:" for i in range(len(head))]
        return "\n".join("| " + " | ".join(r) + " |" for r in [head, rule, *body])
    widths = [max(len(r[i]) for r in [head, *body]) for i in range(len(head))]
    lines = [
        "  ".join(
            c.ljust(w) if i < numeric else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))
        )
        for r in [head, *body]
    ]
    return "\n".join([lines[0], "-" * len(lines[0]), *lines[1:]])


def epoch_table(result: dict[str, Any], markdown: bool) -> str:
    head = ["workload", "phase", "none ms", "Keras ms", "ferrometrics ms", "Keras µs/step"]
    head += ["ferrometrics µs/step", "CPU µs/step Keras", "CPU µs/step ferrometrics"]
    head += ["ferrometrics/Keras", "no slower", "logs match"]
    body = []
    for r in summarize(result):
        cells = [r["workload"], r["phase"]]
        cells += [
            f"{_ms(r['median'][v])} ({_ms(r['min'][v])}-{_ms(r['max'][v])})" for v in VARIANTS
        ]
        cells += [_us(r["per_step"][v]) for v in VARIANTS[1:]]
        cells += [_us(r["cpu_per_step"][v]) for v in VARIANTS[1:]]
        lo, hi = r["ratio_range"]
        cells += [f"{r['ratio']:.2f} ({lo:.2f}-{hi:.2f})", r["verdict"], r["matches"]]
        body.append(cells)
    return render(head, body, markdown, numeric=2)


def breakdown_table(result: dict[str, Any], markdown: bool) -> str:
    head = ["per step, batch 256", *(f"{c} µs" for c in result["columns"])]
    body = [
        [label, *(f"{cols[c] * 1e6:,.1f}" for c in result["columns"])]
        for label, cols in result["rows"].items()
    ]
    return render(head, body, markdown, numeric=1)


def header(result: dict[str, Any]) -> str:
    m = result["machine"]
    versions = ", ".join(f"{k} {v}" for k, v in m.items() if k not in ("cpu", "cores"))
    lines = [f"{result['backend']}: {m['cpu']}, {m['cores']} cores; {versions}"]
    if "load_1min" in result:
        loads = result["load_1min"]
        lines.append(
            f"{result['date']}: {result['steps']} steps of {BATCH}, {result['repeat']} "
            f"interleaved repeats, medians (min-max); warm-up {result['warm_up_s']:.0f} s; "
            f"1-min load average {min(loads):.1f}-{max(loads):.1f}"
            + (f"; torch threads {result['torch_threads']}" if result["backend"] == "torch" else "")
        )
    return "\n".join(lines)


# --------------------------------------------------------------------------- driver


def child(backend: str, args: argparse.Namespace, out: str) -> int:
    """Runs this script for one backend in a fresh process; returns its exit code."""
    argv = [sys.executable, __file__, "--internal-out", out, "--backends", backend]
    argv += ["--repeat", str(args.repeat), "--steps", str(args.steps), "--only", args.only]
    argv += ["--torch-threads", str(args.torch_threads)]
    argv += ["--breakdown"] if args.breakdown else []
    return subprocess.run(argv, env=dict(os.environ, KERAS_BACKEND=backend)).returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--backends", default=",".join(BACKENDS), help="comma-separated")
    parser.add_argument("--only", default=",".join(WORKLOADS), help="comma-separated workloads")
    parser.add_argument("--repeat", type=int, default=15, help="interleaved timed runs")
    parser.add_argument("--steps", type=int, default=64, help="steps (batches of 256) per epoch")
    parser.add_argument("--torch-threads", type=int, default=1, help="0: PyTorch's default")
    parser.add_argument("--breakdown", action="store_true", help="time one step's parts")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables")
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--internal-out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.only.split(",") if n.strip()]
    if unknown := [n for n in names if n not in WORKLOADS]:
        parser.error(f"unknown workloads {unknown}; known: {', '.join(WORKLOADS)}")

    if args.internal_out:  # the child: one backend, chosen by KERAS_BACKEND
        if args.breakdown:
            result = run_breakdown(args.repeat, args.torch_threads)
        else:
            result = run_backend(names, args.repeat, args.steps, args.torch_threads)
        with open(args.internal_out, "w") as f:
            json.dump(result, f)
        return 0

    results, failed = [], False
    for backend in [b.strip() for b in args.backends.split(",") if b.strip()]:
        print(f"running {backend} ...", file=sys.stderr, flush=True)
        with tempfile.NamedTemporaryFile(suffix=".json") as out:
            if (code := child(backend, args, out.name)) != 0:
                print(f"{backend}: failed (exit {code})", file=sys.stderr)
                failed = True
                continue
            with open(out.name) as f:
                results.append(json.load(f))
    for result in results:
        print("\n" + header(result))
        if args.breakdown:
            print(breakdown_table(result, args.markdown))
            if result["fit_rows"]:
                head = [f"fit, {BATCH} x 64, per step over no metric", "µs"]
                body = [[k, f"{v * 1e6:+,.0f}"] for k, v in result["fit_rows"].items()]
                print("\n" + render(head, body, args.markdown, numeric=1))
            continue
        print(epoch_table(result, args.markdown))
        failed |= any(r["verdict"] == "FAIL" or r["matches"] != "yes" for r in summarize(result))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
