"""``ferrometrics.stats``: DeLong intervals and tests.

Oracles, none of them ferrometrics's own fast code:
- ``ferrometrics.reference`` (placements by direct comparison of every positive with every
  negative, docs/semantics.md §14);
- an independent midrank form of DeLong written here (Sun & Xu's formulation, SciPy's ranks);
- scikit-learn's ``roc_auc_score`` for the AUC itself;
- SciPy's normal and Student t distributions;
- exact properties: integer frequency weights equal repeated rows, a score compared with itself
  gives Z = 0 and p = 1, swapping the scores negates the statistic.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats as scipy_stats
from sklearn.metrics import roc_auc_score

from ferrometrics import stats
from ferrometrics.reference import _delong as ref

RTOL = 1e-12


def close(actual: float, expected: float, rtol: float = RTOL, atol: float = 1e-15) -> bool:
    if math.isnan(expected):
        return math.isnan(actual)
    return abs(actual - expected) <= atol + rtol * abs(expected)


@st.composite
def labelled_scores(draw, weighted: bool = False, scores: int = 1):
    """Both classes present, at least two of each; ties from a small score alphabet."""
    n = draw(st.integers(4, 40))
    labels = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    labels[:4] = [True, True, False, False]
    alphabet = draw(st.sampled_from([3, 8, 1000]))
    columns = [
        np.array(draw(st.lists(st.integers(0, alphabet), min_size=n, max_size=n))) / alphabet
        for _ in range(scores)
    ]
    weight = None
    if weighted:
        weight = np.array(draw(st.lists(st.integers(1, 4), min_size=n, max_size=n)), float)
    return np.array(labels), columns, weight


def midrank_delong(y: np.ndarray, score: np.ndarray) -> tuple[float, float]:
    """(AUC, variance) from midranks: V10 = (rank among all - rank among positives) / n_neg."""
    pos, neg = score[y], score[~y]
    m, n = len(pos), len(neg)
    rank_all = scipy_stats.rankdata(np.concatenate([pos, neg]))
    v10 = (rank_all[:m] - scipy_stats.rankdata(pos)) / n
    v01 = 1.0 - (rank_all[m:] - scipy_stats.rankdata(neg)) / m
    auc = v10.mean()
    return auc, np.var(v10, ddof=1) / m + np.var(v01, ddof=1) / n


@given(labelled_scores())
def test_interval_equals_the_midrank_form_and_scikit_learn(case) -> None:
    y, (score,), _ = case
    result = stats.roc_auc_ci(y, score)
    auc, var = midrank_delong(y, score)
    assert close(result.auc, auc) and close(result.auc, roc_auc_score(y, score))
    assert close(result.variance, var)
    sd = math.sqrt(var)
    z = scipy_stats.norm.ppf(0.975)
    assert close(result.low, max(0.0, auc - z * sd), atol=1e-14)
    assert close(result.high, min(1.0, auc + z * sd), atol=1e-14)


@given(labelled_scores(weighted=True), st.floats(0.5, 0.999))
def test_interval_equals_the_reference(case, level) -> None:
    y, (score,), weight = case
    got = stats.roc_auc_ci(y, score, sample_weight=weight, confidence_level=level)
    auc, low, high, var = ref.roc_auc_ci(y, score, weight, confidence_level=level)
    assert close(got.auc, auc) and close(got.variance, var)
    assert close(got.low, low, atol=1e-14) and close(got.high, high, atol=1e-14)


@given(labelled_scores(weighted=True))
def test_integer_weights_are_repeated_rows(case) -> None:
    y, (score,), weight = case
    repeats = weight.astype(int)
    weighted = stats.roc_auc_ci(y, score, sample_weight=weight)
    repeated = stats.roc_auc_ci(np.repeat(y, repeats), np.repeat(score, repeats))
    assert close(weighted.variance, repeated.variance, rtol=1e-11)
    assert close(weighted.low, repeated.low, atol=1e-13)


@given(labelled_scores(weighted=True, scores=2), st.sampled_from(["two-sided", "greater", "less"]))
def test_paired_test_equals_the_reference(case, alternative) -> None:
    y, (a, b), weight = case
    got = stats.roc_auc_test(y, a, b, sample_weight=weight, alternative=alternative)
    z, p, low, high, auc_a, auc_b, var = ref.roc_auc_test(y, a, b, weight, alternative=alternative)
    assert close(got.auc_a, auc_a) and close(got.auc_b, auc_b)
    assert close(got.variance, var, atol=1e-15)
    if var > 1e-12:  # a difference of two nearly equal variances has no relative precision
        # The AUCs' difference carries rounding of ~1e-16 (equal AUCs may differ in sign):
        # Z is compared within that rounding over sigma.
        sigma = math.sqrt(var)
        assert close(got.statistic, z, rtol=1e-9, atol=1e-14 / sigma)
        assert close(got.p_value, p, rtol=1e-9, atol=1e-14 / sigma)
        assert close(got.low, low, atol=1e-12) and close(got.high, high, atol=1e-12)


def test_a_score_against_itself_is_no_difference() -> None:
    y = np.array([0, 0, 1, 1, 0, 1, 1, 0])
    s = np.array([0.1, 0.4, 0.35, 0.8, 0.4, 0.9, 0.2, 0.3])
    result = stats.roc_auc_test(y, s, s)
    assert result.statistic == 0.0 and result.p_value == 1.0
    assert result.low == 0.0 and result.high == 0.0


@given(labelled_scores(scores=2))
def test_swapping_the_scores_negates_the_statistic(case) -> None:
    y, (a, b), _ = case
    ab, ba = stats.roc_auc_test(y, a, b), stats.roc_auc_test(y, b, a)
    # The difference and the placements' differences change sign exactly: so does Z.
    assert ab.statistic == -ba.statistic or (math.isnan(ab.statistic) and math.isnan(ba.statistic))
    greater = stats.roc_auc_test(y, a, b, alternative="greater").p_value
    less = stats.roc_auc_test(y, a, b, alternative="less").p_value
    if not math.isnan(greater):
        assert close(greater + less, 1.0, atol=1e-15)


@given(labelled_scores(weighted=True), labelled_scores(weighted=True))
def test_unpaired_test_equals_the_reference_and_scipy_t(case_a, case_b) -> None:
    (ya, (a,), wa), (yb, (b,), wb) = case_a, case_b
    got = stats.roc_auc_test_unpaired(ya, a, yb, b, sample_weight_a=wa, sample_weight_b=wb)
    d, df, p, low, high, auc_a, auc_b = ref.roc_auc_test_unpaired(
        ya, a, yb, b, sample_weight_a=wa, sample_weight_b=wb
    )
    assert close(got.auc_a, auc_a) and close(got.auc_b, auc_b)
    if got.variance > 0:
        assert close(got.statistic, d, rtol=1e-10) and close(got.df, df, rtol=1e-10)
        assert close(got.p_value, 2 * scipy_stats.t.cdf(-abs(got.statistic), got.df), rtol=1e-9)
        t = scipy_stats.t.ppf(0.975, got.df)
        assert close(got.high - got.difference, t * math.sqrt(got.variance), rtol=1e-9)


def test_delong_intervals_cover_the_true_auc_about_95_percent() -> None:
    """Binormal data: negatives N(0, 1), positives N(delta, 1), true AUC = Phi(delta / sqrt 2)."""
    rng = np.random.default_rng(20261202)
    delta = 1.0
    true_auc = scipy_stats.norm.cdf(delta / math.sqrt(2))
    runs, covered = 2000, 0
    for _ in range(runs):
        y = np.arange(300) < 100
        score = rng.normal(size=300) + delta * y
        r = stats.roc_auc_ci(y, score)
        covered += r.low <= true_auc <= r.high
    # 95% of 2000: a binomial standard deviation of ~10, so 1850-1950 is a 5-sigma band.
    assert 1850 <= covered <= 1950, covered


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        (dict(y_true=[0, 1, 2], y_score=[0.1, 0.2, 0.3]), ValueError, "only 0 and 1"),
        (dict(y_true=[0, 1], y_score=[0.1, np.nan]), ValueError, "finite"),
        (dict(y_true=[0, 1], y_score=[0.1]), ValueError, "same length"),
        (dict(y_true=[1, 1], y_score=[0.1, 0.2]), ValueError, "both classes"),
        (dict(y_true=[0, 1], y_score=[0.1, 0.2], sample_weight=[1, -1]), ValueError, ">= 0"),
        (dict(y_true=[0, 1], y_score=[0.1, 0.2], confidence_level=1.0), ValueError, "(0, 1)"),
        (dict(y_true=[0, 1], y_score=[[0.1, 0.2]]), ValueError, "1-D"),
    ],
)
def test_bad_inputs_are_refused(kwargs, error, words) -> None:
    with pytest.raises(error, match=re_escape(words)):
        stats.roc_auc_ci(**kwargs)


def test_bad_alternative() -> None:
    with pytest.raises(ValueError, match="alternative"):
        stats.roc_auc_test([0, 1], [0.1, 0.2], [0.2, 0.1], alternative="two.sided")


def re_escape(text: str) -> str:
    import re

    return re.escape(text)


@given(labelled_scores(weighted=True), st.integers(1, 4), st.randoms(use_true_random=False))
def test_exact_auc_interval_from_split_and_merged_parts(case, parts, random) -> None:
    """``ExactAUC.confidence_interval`` from merged parts equals ``roc_auc_ci`` on all rows."""
    import ferrometrics as fm

    y, (score,), weight = case
    order = list(range(len(y)))
    random.shuffle(order)
    pieces = np.array_split(np.array(order), parts)
    metrics = []
    for piece in pieces:
        m = fm.ExactAUC()
        m.update_state(y[piece], score[piece], weight[piece])
        metrics.append(m)
    metrics[0].merge_state(metrics[1:])
    whole = stats.roc_auc_ci(y, score, sample_weight=weight, confidence_level=0.9)
    got = metrics[0].confidence_interval(0.9)
    assert close(got.auc, whole.auc) and close(got.variance, whole.variance)
    assert close(got.low, whole.low, atol=1e-14) and close(got.high, whole.high, atol=1e-14)
    assert close(metrics[0].variance(), whole.variance)


def test_exact_auc_interval_needs_the_full_roc_auc() -> None:
    import ferrometrics as fm

    for metric in (fm.ExactAUC(curve="PR"), fm.ExactAUC(max_fpr=0.5)):
        metric.update_state([0, 1, 0, 1], [0.1, 0.9, 0.4, 0.3])
        with pytest.raises(ValueError, match="full ROC AUC"):
            metric.confidence_interval()
        with pytest.raises(ValueError, match="full ROC AUC"):
            metric.variance()
