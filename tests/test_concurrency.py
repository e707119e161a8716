"""Concurrency (SPEC section 10): metrics shared across threads, the GIL released, fork safety.

- Threads sharing one metric: concurrent updates (with readers, merges, pickling and copying
  in between, and resets racing with updates) end in exactly the state of the same updates in
  sequence, for every configuration of the registry; readers only ever see whole updates.
- The GIL is released while a big batch is counted: a pure-Python thread keeps counting
  meanwhile, on each family's long-running path.
- Fork: a child forked after the thread pool exists (or while another thread updates a shared
  metric) keeps working, every class included, and sees the state after whole updates only.
"""

from __future__ import annotations

import copy
import os
import pickle
import subprocess
import sys
import textwrap
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from support import CONFIGS, NAMES, assert_same_result, assert_same_state, batch

import ferrometrics as fm

# ---------------------------------------------------------------------------------------------
# Threads sharing one metric

NUM_THREADS = 8
UPDATES_PER_THREAD = 24
BIG = 20_000


def make_batches(seed: int, shape_tail: tuple[int, ...] = ()) -> list[tuple]:
    """A thread's updates: mostly small batches, every fourth one >= 20_000 elements."""
    rng = np.random.default_rng(seed)
    batches = []
    for index in range(UPDATES_PER_THREAD):
        rows = BIG if index % 4 == 0 else int(rng.integers(0, 50))
        shape = (rows, *shape_tail)
        y_true = rng.integers(0, 2, shape).astype(np.float32)
        y_pred = rng.random(shape, dtype=np.float32)
        y_pred[rng.random(shape) < 0.05] = 0.5  # on a threshold
        weights = rng.integers(-1, 4, rows).astype(np.float64)  # integer weights: exact sums
        batches.append((y_true, y_pred, weights))
    return batches


METRICS = {
    "precision_even": (lambda: fm.Precision(thresholds=list(np.linspace(0, 1, 51))), ()),
    "recall_top_k": (lambda: fm.Recall(top_k=2, class_id=1, thresholds=[0.5, 0.1, 0.9]), (3,)),
    "true_positives": (lambda: fm.TruePositives(thresholds=[0.5, 0.25]), ()),
    "false_negatives": (lambda: fm.FalseNegatives(), (2,)),
}


@pytest.mark.parametrize("metric_name", sorted(METRICS))
def test_concurrent_updates_equal_sequential(metric_name: str) -> None:
    factory, shape_tail = METRICS[metric_name]
    per_thread = [make_batches(seed, shape_tail) for seed in range(NUM_THREADS)]

    shared = factory()
    start = threading.Barrier(NUM_THREADS + 1)
    stop_reading = threading.Event()
    reads: list[int] = []
    errors: list[BaseException] = []

    def update(batches) -> None:
        start.wait()
        for y_true, y_pred, weights in batches:
            shared.update_state(y_true, y_pred, weights)

    def read() -> None:
        count = 0
        try:
            start.wait()
            while not stop_reading.is_set():
                result = np.asarray(shared.result())
                assert result.dtype == np.float32
                for value in shared.variables:
                    assert value.dtype == np.float64
                count += 1
        except BaseException as error:  # reported below
            errors.append(error)
        reads.append(count)

    reader = threading.Thread(target=read)
    reader.start()
    with ThreadPoolExecutor(max_workers=NUM_THREADS) as pool:
        futures = [pool.submit(update, batches) for batches in per_thread]
        for future in futures:
            future.result(timeout=300)
    stop_reading.set()
    reader.join(timeout=60)
    assert not errors, errors
    assert reads and reads[0] > 0

    sequential = factory()
    for batches in per_thread:
        for y_true, y_pred, weights in batches:
            sequential.update_state(y_true, y_pred, weights)
    for concurrent_value, sequential_value in zip(shared.variables, sequential.variables):
        assert np.array_equal(concurrent_value, sequential_value)
    assert np.array_equal(shared.result(), sequential.result())


def test_updates_are_atomic_for_readers() -> None:
    """Every batch adds as much to tp as to fp, so every snapshot must have tp == fp."""
    metric = fm.Precision(thresholds=[0.5, 0.2])
    half = BIG // 2
    big = (np.tile([1.0, 0.0], half), np.full(BIG, 0.9), None)
    small = ([1, 0, 1, 0], [0.9, 0.9, 0.3, 0.3], [2, 2, 1, 1])  # balanced at 0.5 and 0.2
    stop = threading.Event()
    snapshots: list[tuple] = []

    def write(index: int) -> None:
        for step in range(30):
            metric.update_state(*(big if (step + index) % 3 == 0 else small))

    def read() -> None:
        while not stop.is_set():
            snapshots.append((metric.variables, metric.result()))

    reader = threading.Thread(target=read)
    reader.start()
    with ThreadPoolExecutor(max_workers=NUM_THREADS) as pool:
        for future in [pool.submit(write, index) for index in range(NUM_THREADS)]:
            future.result(timeout=300)
    stop.set()
    reader.join(timeout=60)
    assert snapshots
    for (true_positives, false_positives), result in snapshots:
        assert np.array_equal(true_positives, false_positives)
        assert set(np.asarray(result).tolist()) <= {0.0, 0.5}
    true_positives, false_positives = metric.variables
    assert np.array_equal(true_positives, false_positives)
    assert true_positives.tolist()[0] > 0


def test_concurrent_merge_and_pickle() -> None:
    """merge_state and pickling from several threads while others update."""
    target = fm.TruePositives(thresholds=[0.5])
    sources = []
    for _ in range(NUM_THREADS):
        source = fm.TruePositives(thresholds=[0.5])
        source.update_state(np.ones(BIG), np.ones(BIG))  # BIG each
        sources.append(source)

    def merge(source) -> None:
        for _ in range(5):
            target.merge_state([source])
            pickle.loads(pickle.dumps(target))
            source.update_state([1], [0.9])  # concurrent with other threads' merges

    with ThreadPoolExecutor(max_workers=NUM_THREADS) as pool:
        for future in [pool.submit(merge, source) for source in sources]:
            future.result(timeout=300)
    # Source i is merged 5 times, holding BIG + k ones at the k-th merge (k = 0..4).
    expected = NUM_THREADS * (5 * BIG + (0 + 1 + 2 + 3 + 4))
    assert target.variables[0].tolist() == [float(expected)]


@pytest.mark.parametrize("name", NAMES)
def test_threads_sharing_one_instance_equal_the_same_updates_in_sequence(name: str) -> None:
    """8 threads update, read, merge and pickle one metric; the state is exact."""
    config = CONFIGS[name]
    threads, per_thread = 8, 6
    work = [
        [
            batch(config, 40_000 if k % 3 == 0 else 7 + k, seed=100 * t + k)
            for k in range(per_thread)
        ]
        for t in range(threads)
    ]
    donor = config.make()
    donor.update_state(*batch(config, 500, seed=9999))
    shared = config.make()
    start = threading.Barrier(threads)

    def run(batches: list) -> None:
        start.wait()
        for k, b in enumerate(batches):
            shared.update_state(*b)
            shared.result()
            if k == 1:
                shared.merge_state([donor])
                pickle.loads(pickle.dumps(shared))
                copy.deepcopy(shared)

    with ThreadPoolExecutor(max_workers=threads) as pool:
        for future in [pool.submit(run, batches) for batches in work]:
            future.result(timeout=300)
    sequential = config.make()
    for batches in work:
        for b in batches:
            sequential.update_state(*b)
        sequential.merge_state([donor])
    assert_same_state(shared, sequential)
    assert_same_result(shared, sequential)


@pytest.mark.parametrize("name", ["AUC", "AUC_multi_label", "PrecisionAtRecall", "F1Score_macro"])
def test_reset_racing_with_updates_leaves_a_consistent_metric(name: str) -> None:
    """Resets interleave with updates: no exception, and afterwards the metric works."""
    config = CONFIGS[name]
    shared = config.make()
    errors: list[BaseException] = []

    def hammer(seed: int) -> None:
        try:
            for k in range(20):
                shared.update_state(*batch(config, 2_000 if k % 5 else 50_000, seed + k))
                if k % 4 == seed % 4:
                    shared.reset_state()
                shared.result()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    workers = [threading.Thread(target=hammer, args=(1000 * t,)) for t in range(8)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=300)
    assert not errors, errors
    shared.reset_state()
    fresh = config.make()
    b = batch(config, 300, seed=5)
    shared.update_state(*b)
    fresh.update_state(*b)
    assert_same_state(shared, fresh)


# ---------------------------------------------------------------------------------------------
# The GIL is released while a big batch is counted


def test_gil_is_released_during_a_big_precision_update() -> None:
    """A pure-Python thread keeps counting while another thread counts a huge batch."""
    size = 20_000_000
    rng = np.random.default_rng(0)
    y_true = rng.random(size, dtype=np.float32) < 0.5
    y_pred = rng.random(size, dtype=np.float32)
    thresholds = sorted(rng.random(300).tolist())  # not evenly spaced: the direct path
    metric = fm.Precision(thresholds=thresholds)
    metric.update_state(y_true[:1000], y_pred[:1000])  # warm up

    counter = [0]
    stop = threading.Event()

    def count() -> None:
        while not stop.is_set():
            counter[0] += 1

    old_interval = sys.getswitchinterval()
    # A short switch interval keeps the progress the counter can make *around* the update
    # (while this thread holds the GIL in Python code) tiny next to the update itself.
    sys.setswitchinterval(1e-4)
    counter_thread = threading.Thread(target=count, daemon=True)
    try:
        counter_thread.start()
        time.sleep(0.2)  # calibration: the counter's rate when it runs freely
        before = counter[0]
        calibration_start = time.perf_counter()
        time.sleep(0.2)
        rate = (counter[0] - before) / (time.perf_counter() - calibration_start)

        progress = []
        durations = []
        for _ in range(3):
            start_count = counter[0]
            started = time.perf_counter()
            metric.update_state(y_true, y_pred)
            durations.append(time.perf_counter() - started)
            progress.append(counter[0] - start_count)
    finally:
        stop.set()
        counter_thread.join(timeout=10)
        sys.setswitchinterval(old_interval)

    assert rate > 0
    total_progress = sum(progress)
    total_duration = sum(durations)
    # Holding the GIL, the counter could only run between updates: at most a few switch
    # intervals (0.1 ms each) per update, so well under 5% of what it could do meanwhile.
    possible = rate * total_duration
    assert total_progress > 0.05 * possible, (
        f"counter advanced {total_progress} during {total_duration:.3f} s of updates; "
        f"it counts {rate:.0f}/s when free (so up to {possible:.0f})"
    )
    # The result is still right (not a torn or skipped update).
    lowest = np.float32(thresholds[0])
    true_positives, _ = metric.variables
    assert true_positives[0] == 3 * np.count_nonzero(y_true & (y_pred > lowest)) + (
        np.count_nonzero(y_true[:1000] & (y_pred[:1000] > lowest))
    )


# One long-running update per family (tens of milliseconds: long next to thread-scheduling
# jitter on a busy machine), with a pure-Python thread counting meanwhile.
GIL_CASES = {
    "AUC_logits": (lambda: fm.AUC(from_logits=True), 6_000_000, "binary"),
    "SensitivityAtSpecificity": (
        lambda: fm.SensitivityAtSpecificity(0.5, num_thresholds=3000),
        16_000_000,
        "binary",
    ),
    "F1Score_row_max": (lambda: fm.F1Score(average="macro"), 6_000_000, "columns"),
    "AUC_multi_label_logits": (
        lambda: fm.AUC(multi_label=True, from_logits=True),
        1_500_000,
        "columns",
    ),
}


@pytest.mark.parametrize("name", sorted(GIL_CASES))
def test_the_gil_is_released_while_a_big_batch_is_counted(name: str) -> None:
    make, rows, kind = GIL_CASES[name]
    rng = np.random.default_rng(3)
    shape = (rows, 4) if kind == "columns" else (rows,)
    y_true = rng.random(shape, dtype=np.float32) < 0.5
    y_pred = rng.random(shape, dtype=np.float32)
    metric = make()
    metric.update_state(y_true[:100], y_pred[:100])
    counter = [0]
    stop = threading.Event()

    def count() -> None:
        while not stop.is_set():
            counter[0] += 1

    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-4)
    thread = threading.Thread(target=count, daemon=True)
    try:
        thread.start()
        before = counter[0]
        t0 = time.perf_counter()
        time.sleep(0.2)
        rate = (counter[0] - before) / (time.perf_counter() - t0)
        start_count = counter[0]
        t0 = time.perf_counter()
        metric.update_state(y_true, y_pred)
        duration = time.perf_counter() - t0
        progress = counter[0] - start_count
    finally:
        stop.set()
        thread.join(timeout=10)
        sys.setswitchinterval(old)
    # Holding the GIL, the counter could only run a few 0.1 ms switch intervals.
    assert progress > 0.05 * rate * duration, (progress, rate, duration)


# ---------------------------------------------------------------------------------------------
# Fork

FORK_SCRIPT = textwrap.dedent(
    """
    import os, signal, sys, time
    import numpy as np
    import ferrometrics as fm

    size = 2_000_000
    rng = np.random.default_rng(1)
    y_true = rng.random(size, dtype=np.float32) < 0.5
    y_pred = rng.random(size, dtype=np.float32)
    expected = float(np.count_nonzero(y_true & (y_pred > np.float32(0.5))))

    metric = fm.TruePositives()
    metric.update_state(y_true, y_pred)  # the parallel path: the thread pool exists now
    assert metric.variables[0][0] == expected

    pid = os.fork()
    if pid == 0:  # child: the library must still work, including the parallel path
        try:
            child = fm.Precision(thresholds=[i / 99 for i in range(100)])
            child.update_state(y_true, y_pred)
            metric.update_state(y_true, y_pred)
            ok = metric.variables[0][0] == 2 * expected
            os._exit(0 if ok else 1)
        except BaseException:
            os._exit(2)

    deadline = time.monotonic() + 60
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:  # a hung child: kill it, report failure
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            print("child timed out", flush=True)
            sys.exit(3)
        time.sleep(0.05)
    # The parent keeps working too.
    metric.update_state(y_true, y_pred)
    assert metric.variables[0][0] == 2 * expected
    sys.exit(os.waitstatus_to_exitcode(status))
    """
)


def test_fork_after_use() -> None:
    completed = subprocess.run(
        [sys.executable, "-c", FORK_SCRIPT],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, (completed.returncode, completed.stdout, completed.stderr)


# A thread updating a shared metric (the state lock held briefly, the GIL released for a
# large batch) while another thread forks: the child must not inherit the lock held, and
# must see the state after a whole number of updates. Every batch is the same, with
# integer weights, so a consistent state is exactly k times the state of one update.
FORK_DURING_UPDATES_SCRIPT = textwrap.dedent(
    """
    import os, signal, sys, threading, time
    import numpy as np
    import ferrometrics as fm

    FORKS, CHILD_TIMEOUT = 20, 20.0
    rng = np.random.default_rng(0)
    make = {
        # Large states: adding a counted batch takes long enough for forks to land in it.
        "auc_multi_label": lambda: fm.AUC(multi_label=True, num_labels=20_000, num_thresholds=50),
        "f1_many_classes": lambda: fm.F1Score(threshold=0.5),
        "sensitivity_many_thresholds": lambda: fm.SensitivityAtSpecificity(
            0.5, num_thresholds=200_000
        ),
    }[sys.argv[1]]
    shape = {"auc_multi_label": (2, 20_000), "f1_many_classes": (2, 200_000)}.get(
        sys.argv[1], (20_000,)
    )
    y_true = rng.random(shape) < 0.5
    y_pred = rng.random(shape, dtype=np.float32)
    weights = np.full(shape[0], 3.0)

    def variables(metric):
        return [np.asarray(v, np.float64) for v in metric.variables]

    single = make()
    start = time.perf_counter()
    single.update_state(y_true, y_pred, weights)
    update_seconds = time.perf_counter() - start
    unit = variables(single)
    probe = next(i for i, v in enumerate(unit) if v.sum() != 0)

    shared = make()
    stop = threading.Event()

    def hammer():
        while not stop.is_set():
            shared.update_state(y_true, y_pred, weights)

    thread = threading.Thread(target=hammer, daemon=True)
    thread.start()
    for attempt in range(FORKS):
        time.sleep(0.01)
        # Holding the GIL, let the updater (which released it) run on for a random moment,
        # so the fork lands anywhere in its counting or adding.
        until = time.perf_counter() + update_seconds * rng.random()
        while time.perf_counter() < until:
            pass
        pid = os.fork()
        if pid == 0:
            try:
                got = variables(shared)
                k = got[probe].sum() / unit[probe].sum() if got else 0.0
                consistent = k == int(k) and all(
                    np.array_equal(g, int(k) * u) for g, u in zip(got, unit)
                )
                shared.result()
                shared.update_state(y_true, y_pred, weights)  # the child keeps working
                os._exit(0 if consistent else 1)
            except BaseException as error:
                print("child failed:", repr(error), flush=True)
                os._exit(2)
        deadline = time.monotonic() + CHILD_TIMEOUT
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                print(f"fork {attempt}: child hung", flush=True)
                sys.exit(3)
            time.sleep(0.005)
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            print(f"fork {attempt}: child exited with {code}", flush=True)
            sys.exit(4)
    stop.set()
    thread.join(timeout=60)
    shared.result()  # the parent keeps working too
    print("ok", flush=True)
    """
)


@pytest.mark.parametrize(
    "kind", ["auc_multi_label", "f1_many_classes", "sensitivity_many_thresholds"]
)
def test_fork_while_another_thread_updates(kind: str) -> None:
    completed = subprocess.run(
        [sys.executable, "-c", FORK_DURING_UPDATES_SCRIPT, kind],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert completed.returncode == 0, (completed.returncode, completed.stdout, completed.stderr)


EVERY_CLASS_FORK_SCRIPT = textwrap.dedent(
    """
    import os, pickle, sys
    import numpy as np
    sys.path.insert(0, {tests!r})
    from support import CONFIGS, batch
    results = {{}}
    for name, config in sorted(CONFIGS.items()):
        metric = config.make()
        metric.update_state(*batch(config, 300_000, seed=1))  # the parallel path runs here
    pid = os.fork()
    if pid == 0:
        try:
            for name, config in sorted(CONFIGS.items()):
                child = config.make()
                b = batch(config, 300_000, seed=2)
                child.update_state(*b)
                again = config.make()
                again.update_state(*b)
                for x, y in zip(child.variables, again.variables):
                    assert np.array_equal(x, y), name
                child.result()
            os._exit(0)
        except BaseException as error:
            print("child failed:", repr(error), flush=True)
            os._exit(2)
    import time, signal
    deadline = time.monotonic() + 120
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            print("child hung", flush=True)
            sys.exit(3)
        time.sleep(0.05)
    sys.exit(os.waitstatus_to_exitcode(status))
    """
)


def test_every_class_works_in_a_forked_child() -> None:
    script = EVERY_CLASS_FORK_SCRIPT.format(tests=os.path.dirname(__file__))
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, (done.returncode, done.stdout, done.stderr)
