"""Production behaviour across EVERY class (issue 5): what is left is the documentation rule.

Moved out: threads and fork (test_concurrency.py); pickling, copying and merging
(test_pickling_and_merging.py); input forms and no-copy intake (test_input_forms.py); exact
counts beyond 2**24 (test_exact_counts.py); failing updates (test_input_validation.py). The
registry of configurations is in support.py.
"""

from __future__ import annotations

import inspect
from typing import Any

import pytest

import ferrometrics as fm
from ferrometrics import reference as ref

# ------------------------------------------------------------------------------ documentation


def public_objects() -> list[tuple[str, Any]]:
    found = []
    for module in (fm, ref):
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isclass(obj) or inspect.isfunction(obj):
                found.append((f"{module.__name__}.{name}", obj))
    return found


@pytest.mark.parametrize("qualified, obj", public_objects(), ids=[q for q, _ in public_objects()])
def test_every_public_class_and_function_has_a_runnable_example(qualified: str, obj: Any) -> None:
    """Google-style docstrings: Args/Returns where they apply, and a doctest example.

    The examples themselves run in test_doc_examples.py (doctest over both modules).
    """
    doc = inspect.getdoc(obj) or ""
    assert doc.strip(), f"{qualified} has no docstring"
    assert ">>> " in doc, f"{qualified} has no runnable example"
