"""``Sliced`` on random inputs, for every configuration of the registry (docs/semantics.md §15).

- Each group of ``Sliced(metric)`` holds exactly the state of ``metric`` updated with that
  group's rows alone (integer weights: exact), whatever the group values (ints over a narrow or
  a wide range, strings, bools, crosses of two columns), the batches the rows are split into,
  and when the parts are pickled and merged.
- The generic path (a reference metric, updated group by group) and the reference ``Sliced``
  agree with the fast one within the documented tolerance.
- A batch with one bad value, anywhere, raises and changes nothing, adding no group.

The number of examples is set by the Hypothesis profile (``HYPOTHESIS_PROFILE``, see conftest).
"""

from __future__ import annotations

import pickle

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from support import CONFIGS, NAMES, assert_close, batch, split_bounds

import ferrometrics as fm
from ferrometrics import reference as ref

GROUP_FORMS = ("narrow", "wide", "str", "bool", "cross")


def group_values(form: str, rows: int, seed: int):
    rng = np.random.default_rng(seed)
    if form == "narrow":
        return rng.integers(-3, 4, rows)
    if form == "wide":
        return rng.choice(np.array([-(2**40), 7, 2**50]), rows)
    if form == "str":
        return rng.choice(np.array(["a", "bb", ""]), rows)
    if form == "bool":
        return rng.random(rows) < 0.3
    return (rng.choice(np.array(["x", "y"]), rows), rng.integers(0, 3, rows))


def keys_of(groups) -> list:
    if isinstance(groups, tuple):
        return list(zip(*(g.tolist() for g in groups)))
    return groups.tolist()


def pick(groups, rows: slice):
    return tuple(g[rows] for g in groups) if isinstance(groups, tuple) else groups[rows]


cases = st.tuples(
    st.sampled_from(NAMES),
    st.sampled_from(GROUP_FORMS),
    st.integers(0, 60),
    st.integers(0, 2**16),
    st.lists(st.integers(0, 60), max_size=3),
    st.booleans(),
)


@given(cases)
def test_each_group_is_its_rows_alone_under_splits_merges_and_pickling(case) -> None:
    name, form, rows, seed, cuts, merged = case
    config = CONFIGS[name]
    y_true, y_pred, w = batch(config, rows, seed)
    groups = group_values(form, rows, seed)
    parts = []
    sliced = fm.Sliced(config.make(fm))
    for start, stop in split_bounds(rows, cuts):
        target = fm.Sliced(config.make(fm)) if merged else sliced
        part = slice(start, stop)
        target.update_state(y_true[part], y_pred[part], w[part], groups=pick(groups, part))
        if merged:
            parts.append(pickle.loads(pickle.dumps(target)))
    if merged:
        sliced.merge_state(parts)
    keys = keys_of(groups)
    assert sorted(sliced, key=repr) == sorted(set(keys), key=repr)
    for key in sliced:
        mask = np.array([k == key for k in keys], dtype=bool)
        alone = config.make(fm)
        alone.update_state(y_true[mask], y_pred[mask], w[mask])
        got, want = sliced[key].variables, alone.variables
        assert [v.shape for v in got] == [v.shape for v in want], key
        for a, b in zip(got, want):
            assert np.array_equal(a, b), (key, a, b)


@given(st.sampled_from(NAMES), st.sampled_from(GROUP_FORMS), st.integers(1, 40), st.integers())
def test_the_generic_path_and_the_reference_agree(name, form, rows, seed) -> None:
    config = CONFIGS[name]
    seed %= 2**32
    y_true, y_pred, w = batch(config, rows, seed)
    groups = group_values(form, rows, seed)
    fast, generic = fm.Sliced(config.make(fm)), fm.Sliced(config.make(ref))
    reference = ref.Sliced(config.make(ref))
    for sliced in (fast, generic, reference):
        sliced.update_state(y_true, y_pred, w, groups=groups)
    assert sorted(fast, key=repr) == sorted(generic, key=repr) == sorted(reference, key=repr)
    for key in fast:
        for other in (generic, reference):
            assert_close(fast[key].result(), other[key].result(), f"{name} {key!r}")


@given(st.sampled_from(NAMES), st.integers(2, 40), st.integers(0, 2**16), st.data())
def test_a_bad_value_anywhere_changes_nothing(name, rows, seed, data) -> None:
    config = CONFIGS[name]
    y_true, y_pred, w = batch(config, rows, seed)
    groups = group_values("narrow", rows, seed)
    sliced = fm.Sliced(config.make(fm))
    sliced.update_state(y_true[:1], y_pred[:1], w[:1], groups=groups[:1])
    before = {k: sliced[k].variables for k in sliced}
    row = data.draw(st.integers(1, rows - 1))
    what = data.draw(st.sampled_from(["label", "nan", "weight", "groups"]))
    y_true, y_pred, w = y_true.copy(), y_pred.copy(), w.copy()
    if what == "label":
        y_true[row] = 2
    elif what == "nan":
        y_pred[row] = np.nan
    elif what == "weight":
        w[row] = np.inf
    else:
        groups = groups[:-1]
    try:
        sliced.update_state(y_true, y_pred, w, groups=groups)
    except ValueError:
        pass
    else:
        raise AssertionError("a bad batch was accepted")
    assert list(sliced) == list(before)
    for key, variables in before.items():
        for a, b in zip(sliced[key].variables, variables):
            assert np.array_equal(a, b)
