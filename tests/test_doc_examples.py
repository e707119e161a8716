"""Documentation examples: our doctests run, and Keras's own examples hold on both implementations.

- ``doctest`` runs the examples of every module of the installed package (found with
  ``pkgutil``, so the tests follow the package's layout without naming its private modules);
  the modules that define the public classes and functions, ``ferrometrics.dask`` and
  ``ferrometrics.reference`` must carry examples, and every public class and function of
  ``ferrometrics`` and ``ferrometrics.reference`` has a docstring with a runnable example.
- The examples of the Keras 3 API pages (copied in
  ``tests/data/keras-docs/keras3-confusion-metrics.txt``) are encoded below as plain asserts,
  with the values Keras prints; a test also checks that those examples are still in the file as
  encoded.
"""

from __future__ import annotations

import doctest
import importlib
import inspect
import itertools
import pkgutil
import re
from typing import Any

import numpy as np
import pytest
from support import (
    ATOL,
    CONFUSION_CLASSES,
    DATA_DIR,
    IMPLEMENTATIONS,
    KERAS_EXAMPLES,
    POSITIONAL,
    RTOL,
    example_id,
    is_two_d,
    run_example,
)

import ferrometrics as fm
import ferrometrics.dask
from ferrometrics import reference as ref

KERAS_DOCS = DATA_DIR / "keras-docs"

# ---------------------------------------------------------------------------------------------
# Our doctests


def public_objects() -> list[tuple[str, Any]]:
    """The public classes and functions of ``ferrometrics`` and ``ferrometrics.reference``."""
    found = []
    for module in (fm, ref):
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isclass(obj) or inspect.isfunction(obj):
                found.append((f"{module.__name__}.{name}", obj))
    return found


KERAS_PACKAGE = f"{fm.__name__}.keras"


def package_modules() -> list[str]:
    """Every module of the installed package, but ``__main__`` (importing it runs the command)
    and ``ferrometrics.keras`` (it needs Keras and a backend: ``tests/keras`` runs its
    examples, once per backend)."""
    found = [fm.__name__]
    for module in pkgutil.walk_packages(fm.__path__, prefix=f"{fm.__name__}.", onerror=None):
        name = module.name
        if name.rpartition(".")[2] == "__main__" or name.startswith(KERAS_PACKAGE):
            continue
        found.append(name)
    return sorted(found)


# The modules that must carry examples: those that define the public classes and functions,
# and the public modules documented with examples of their own.
MODULES_WITH_EXAMPLES = sorted(
    {obj.__module__ for _, obj in public_objects()} | {ferrometrics.dask.__name__, ref.__name__}
)


def test_the_modules_with_examples_are_in_the_package() -> None:
    modules = package_modules()
    assert set(MODULES_WITH_EXAMPLES) <= set(modules), set(MODULES_WITH_EXAMPLES) - set(modules)


@pytest.mark.parametrize("module_name", package_modules())
def test_doctests(module_name: str) -> None:
    module = importlib.import_module(module_name)
    outcome = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert outcome.failed == 0, f"{outcome.failed} example(s) failed in {module_name}"
    if module_name in MODULES_WITH_EXAMPLES:
        assert outcome.attempted > 0, f"{module_name} has no doctest examples"


def test_fast_doctests_come_from_the_installed_module() -> None:
    """The fast confusion classes' examples, found on the installed public classes."""
    classes = [getattr(fm, name) for name in CONFUSION_CLASSES]
    assert not any(cls.__module__.startswith(ref.__name__) for cls in classes)
    examples = sum(
        len(test.examples)
        for cls in classes
        for test in doctest.DocTestFinder().find(cls)
        if test.examples
    )
    # Precision (4 examples of 3 lines), Recall (2) and the four counts (2 each).
    assert examples >= 6 * 6


@pytest.mark.parametrize("qualified, obj", public_objects(), ids=[q for q, _ in public_objects()])
def test_every_public_class_and_function_has_a_runnable_example(qualified: str, obj: Any) -> None:
    """Google-style docstrings: Args/Returns where they apply, and a doctest example.

    The examples themselves run in ``test_doctests`` (doctest over every module).
    """
    doc = inspect.getdoc(obj) or ""
    assert doc.strip(), f"{qualified} has no docstring"
    assert ">>> " in doc, f"{qualified} has no runnable example"


# ---------------------------------------------------------------------------------------------
# Keras's own examples

# Keras prints these results exactly (float32 values of short decimals): compared bit for bit.
# The others are printed rounded (e.g. 0.333333, or 0.8333334 for a computed 0.8333332):
# compared within the documented tolerance (rtol 2e-5, atol 2e-6).
EXACT_CLASSES = frozenset(CONFUSION_CLASSES)


def assert_doc_value(result, example) -> None:
    class_name, _, _, expected = example
    expected = np.asarray(expected, dtype=np.float64)
    if expected.ndim:
        assert isinstance(result, np.ndarray)
        assert result.dtype == np.float32
        assert result.shape == expected.shape
    else:
        assert isinstance(result, np.float32)
    np.testing.assert_allclose(np.asarray(result, dtype=np.float64), expected, rtol=RTOL, atol=ATOL)
    if class_name in EXACT_CLASSES:
        assert result == np.float32(expected)  # Keras prints the float32 value
        assert f"{result}" == f"{np.float32(expected)}"


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("example", KERAS_EXAMPLES, ids=[example_id(e) for e in KERAS_EXAMPLES])
def test_keras_doc_example(impl, example) -> None:
    class_name, kwargs, _, _ = example
    metric = getattr(impl, class_name)(**kwargs)
    run_example(metric, example)
    assert_doc_value(metric.result(), example)


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("class_name", ["Precision", "Recall", "TruePositives"])
def test_keras_doc_example_with_reset(impl, class_name: str) -> None:
    """The docs reuse one metric: update, result, reset_state, weighted update, result."""
    metric = getattr(impl, class_name)()
    metric.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    first = {"Precision": 0.6666667, "Recall": 0.6666667, "TruePositives": 2.0}[class_name]
    assert metric.result() == np.float32(first)
    metric.reset_state()
    metric.update_state([0, 1, 1, 1], [1, 0, 1, 1], sample_weight=[0, 0, 1, 0])
    assert metric.result() == np.float32(1.0)


def same_metric_groups():
    """Runs of consecutive examples with the same class and arguments (one metric in the docs)."""
    groups = itertools.groupby(KERAS_EXAMPLES, key=lambda e: (e[0], repr(e[1])))
    for (class_name, args), examples in groups:
        examples = list(examples)
        if len(examples) > 1:
            yield pytest.param(examples, id=f"{class_name}{args}")


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("examples", list(same_metric_groups()))
def test_keras_doc_examples_reuse_one_metric(impl, examples) -> None:
    """As the docs do: one metric, with ``reset_state()`` between the examples."""
    class_name, kwargs, _, _ = examples[0]
    metric = getattr(impl, class_name)(**kwargs)
    for example in examples:
        metric.reset_state()
        run_example(metric, example)
        assert_doc_value(metric.result(), example)


def doc_statements(text: str) -> list[str]:
    """The doc file's lines, stripped, with ``... `` continuation lines joined to the statement."""
    statements: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("... ") and statements:
            statements[-1] += " " + line[4:].strip()
        elif line.startswith(">>> #"):
            continue  # a comment (the AUC example explains its arithmetic)
        else:
            statements.append(line)
    return statements


def printed_numbers(line: str) -> list[float]:
    """The numbers of a printed result: ``0.75``, ``[0.38 , 0.9]``, ``array([...], dtype=...)``."""
    return [float(number) for number in re.findall(r"-?\d+\.\d*(?:e[-+]?\d+)?", line)]


def constructor_call(class_name: str, kwargs: dict) -> str:
    args = []
    for key, value in kwargs.items():
        args.append(f"{value}" if POSITIONAL.get(class_name) == key else f"{key}={value}")
    return f"keras.metrics.{class_name}({', '.join(args)})"


def test_keras_examples_are_in_the_docs() -> None:
    """Every example encoded above appears in the Keras documentation file, with its value."""
    text = (KERAS_DOCS / "keras3-confusion-metrics.txt").read_text()
    lines = doc_statements(text)
    constructors = [i for i, line in enumerate(lines) if " = keras.metrics." in line]
    for example in KERAS_EXAMPLES:
        class_name, kwargs, (y_true, y_pred, weights), expected = example
        call = constructor_call(class_name, kwargs)
        matches = [i for i in constructors if lines[i].endswith(f" = {call}")]
        assert matches, call
        # The example must sit in this constructor's section: up to the next constructor.
        start = matches[0]
        variable = lines[start][4:].split(" = ")[0]  # "m" or "metric"
        end = next((i for i in constructors if i > start), len(lines))
        section = lines[start:end]
        if is_two_d(example):
            assert f">>> y_true = np.array({y_true}, np.int32)" in section, call
            assert f">>> y_pred = np.array({y_pred}, np.float32)" in section, call
            update = f">>> {variable}.update_state(y_true, y_pred)"
        else:
            update = f">>> {variable}.update_state({y_true}, {y_pred}"
            update += ")" if weights is None else f", sample_weight={weights})"
        assert update in section, update
        at = section.index(update)
        # Then the result (">>> m.result()", or ">>> result = metric.result()" and maybe
        # ">>> result"), and the printed value on the first line that is not a statement.
        assert section[at + 1] in (f">>> {variable}.result()", f">>> result = {variable}.result()")
        printed = next(line for line in section[at + 2 :] if not line.startswith(">>>"))
        assert printed_numbers(printed) == pytest.approx(
            np.atleast_1d(expected).tolist(), abs=1e-7
        ), (call, printed)
