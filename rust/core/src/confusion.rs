//! Precision, Recall and the four counts: configuration, float64 state and
//! results in the metric dtype.

use crate::batch::{Batch, Columns};
use crate::dtype::MetricDtype;
use crate::error::{CoreError, CoreResult};
use crate::histogram::Histogram;
use crate::kernel::{self, CountPlan, Domain};
use crate::thresholds::{check_thresholds_in_unit_range, ThresholdSet, NEG_INF};

/// Weighted confusion counts per threshold (and per slot), float64.
///
/// Indexed `[threshold * slots + slot]`, the row-major layout of Keras's
/// `(T, L)` variables.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfusionState {
    pub slots: usize,
    pub true_positives: Vec<f64>,
    pub false_positives: Vec<f64>,
    pub true_negatives: Vec<f64>,
    pub false_negatives: Vec<f64>,
}

impl ConfusionState {
    pub fn zeros(thresholds: usize, slots: usize) -> Self {
        let zeros = vec![0.0; thresholds * slots];
        ConfusionState {
            slots,
            true_positives: zeros.clone(),
            false_positives: zeros.clone(),
            true_negatives: zeros.clone(),
            false_negatives: zeros,
        }
    }

    pub fn reset(&mut self) {
        for v in self.arrays_mut() {
            v.fill(0.0);
        }
    }

    /// Adds a histogram: at the threshold of ascending position `s`, the
    /// samples of rank > s are predicted positive.
    pub fn add_histogram(&mut self, hist: &Histogram, thresholds: &ThresholdSet) {
        let order = thresholds.ascending_order();
        let t = order.len();
        debug_assert_eq!(hist.ranks(), t + 1);
        for slot in 0..hist.slots() {
            // Suffix sums give the predicted-positive weights at each threshold.
            let (mut above_neg, mut above_pos) = (0.0, 0.0);
            for s in (0..t).rev() {
                let (neg, pos) = hist.get(slot, s + 1);
                above_neg += neg;
                above_pos += pos;
                let i = order[s] * self.slots + slot;
                self.true_positives[i] += above_pos;
                self.false_positives[i] += above_neg;
            }
            // Prefix sums give the predicted-negative weights.
            let (mut below_neg, mut below_pos) = (0.0, 0.0);
            for (s, &user) in order.iter().enumerate() {
                let (neg, pos) = hist.get(slot, s);
                below_neg += neg;
                below_pos += pos;
                let i = user * self.slots + slot;
                self.true_negatives[i] += below_neg;
                self.false_negatives[i] += below_pos;
            }
        }
    }

    /// Adds another state of the same shape element by element.
    pub fn merge(&mut self, other: &ConfusionState) {
        for (mine, theirs) in self.arrays_mut().into_iter().zip(other.arrays()) {
            for (a, b) in mine.iter_mut().zip(theirs) {
                *a += b;
            }
        }
    }

    pub fn arrays(&self) -> [&Vec<f64>; 4] {
        [
            &self.true_positives,
            &self.false_positives,
            &self.true_negatives,
            &self.false_negatives,
        ]
    }

    fn arrays_mut(&mut self) -> [&mut Vec<f64>; 4] {
        [
            &mut self.true_positives,
            &mut self.false_positives,
            &mut self.true_negatives,
            &mut self.false_negatives,
        ]
    }
}

/// Which of the six threshold metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfusionKind {
    TruePositives,
    TrueNegatives,
    FalsePositives,
    FalseNegatives,
    Precision,
    Recall,
}

impl ConfusionKind {
    pub fn parse(name: &str) -> CoreResult<Self> {
        Ok(match name {
            "TruePositives" => ConfusionKind::TruePositives,
            "TrueNegatives" => ConfusionKind::TrueNegatives,
            "FalsePositives" => ConfusionKind::FalsePositives,
            "FalseNegatives" => ConfusionKind::FalseNegatives,
            "Precision" => ConfusionKind::Precision,
            "Recall" => ConfusionKind::Recall,
            other => return Err(CoreError::value(format!("unknown metric kind {other:?}"))),
        })
    }

    /// Keras's variable names, in Keras's order.
    pub fn variable_names(self) -> &'static [&'static str] {
        match self {
            ConfusionKind::Precision => &["true_positives", "false_positives"],
            ConfusionKind::Recall => &["true_positives", "false_negatives"],
            _ => &["accumulator"],
        }
    }

    fn variable_arrays(self, state: &ConfusionState) -> Vec<&Vec<f64>> {
        match self {
            ConfusionKind::TruePositives => vec![&state.true_positives],
            ConfusionKind::TrueNegatives => vec![&state.true_negatives],
            ConfusionKind::FalsePositives => vec![&state.false_positives],
            ConfusionKind::FalseNegatives => vec![&state.false_negatives],
            ConfusionKind::Precision => vec![&state.true_positives, &state.false_positives],
            ConfusionKind::Recall => vec![&state.true_positives, &state.false_negatives],
        }
    }
}

/// The immutable part of a Precision/Recall/count metric. State lives apart
/// (behind the caller's lock), so counting needs no lock at all.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfusionMetric {
    pub kind: ConfusionKind,
    pub thresholds: ThresholdSet,
    pub top_k: Option<usize>,
    pub class_id: Option<usize>,
    pub dtype: MetricDtype,
}

impl ConfusionMetric {
    /// Keras's constructor rules: thresholds default to 0.5 (-1e10 with
    /// `top_k`), user thresholds must lie in [0, 1], order and duplicates kept.
    pub fn new(
        kind: ConfusionKind,
        thresholds: Option<Vec<f64>>,
        top_k: Option<i64>,
        class_id: Option<i64>,
        dtype: MetricDtype,
    ) -> CoreResult<Self> {
        let counts_only = !matches!(kind, ConfusionKind::Precision | ConfusionKind::Recall);
        if counts_only && (top_k.is_some() || class_id.is_some()) {
            return Err(CoreError::value(
                "`top_k` and `class_id` apply to Precision and Recall only",
            ));
        }
        let top_k = top_k
            .map(|k| {
                usize::try_from(k).ok().filter(|&k| k >= 1).ok_or_else(|| {
                    CoreError::value(format!(
                        "Argument `top_k` must be a positive integer. Received: top_k={k}"
                    ))
                })
            })
            .transpose()?;
        let class_id = class_id
            .map(|c| {
                usize::try_from(c).map_err(|_| {
                    CoreError::value(format!(
                        "Argument `class_id` must be a non-negative integer. Received: class_id={c}"
                    ))
                })
            })
            .transpose()?;
        let values = match thresholds {
            Some(values) => {
                check_thresholds_in_unit_range(&values)?;
                values
            }
            None if top_k.is_some() => vec![NEG_INF],
            None => vec![0.5],
        };
        Ok(ConfusionMetric {
            kind,
            thresholds: ThresholdSet::keras(values),
            top_k,
            class_id,
            dtype,
        })
    }

    pub fn new_state(&self) -> ConfusionState {
        ConfusionState::zeros(self.thresholds.len(), 1)
    }

    /// Counts a batch; the state is not touched.
    pub fn count(&self, batch: &Batch) -> CoreResult<Histogram> {
        let plan = CountPlan {
            thresholds: &self.thresholds,
            dtype: self.dtype,
            columns: self.class_id.map_or(Columns::All, Columns::One),
            top_k: self.top_k,
            per_column: false,
            column_weights: None,
            domain: Domain::Finite,
        };
        kernel::count(batch, &plan)
    }

    /// 1-D input is one row when `top_k` is set (Keras ranks the whole batch).
    pub fn one_row(&self) -> bool {
        self.top_k.is_some()
    }

    pub fn add(&self, state: &mut ConfusionState, hist: &Histogram) {
        state.add_histogram(hist, &self.thresholds);
    }

    /// `(name, values)` pairs in Keras's order.
    pub fn variables<'s>(&self, state: &'s ConfusionState) -> Vec<(&'static str, &'s [f64])> {
        self.kind
            .variable_names()
            .iter()
            .copied()
            .zip(
                self.kind
                    .variable_arrays(state)
                    .into_iter()
                    .map(Vec::as_slice),
            )
            .collect()
    }

    /// Replaces the state with saved variables (Keras names and order).
    pub fn load_variables(
        &self,
        state: &mut ConfusionState,
        values: &[Vec<f64>],
    ) -> CoreResult<()> {
        let names = self.kind.variable_names();
        let t = self.thresholds.len();
        if values.len() != names.len() || values.iter().any(|v| v.len() != t) {
            return Err(CoreError::value(format!(
                "expected {} variables of length {t} ({}), got lengths {:?}",
                names.len(),
                names.join(", "),
                values.iter().map(Vec::len).collect::<Vec<_>>()
            )));
        }
        let mut fresh = self.new_state();
        let targets: Vec<&mut Vec<f64>> = match self.kind {
            ConfusionKind::TruePositives => vec![&mut fresh.true_positives],
            ConfusionKind::TrueNegatives => vec![&mut fresh.true_negatives],
            ConfusionKind::FalsePositives => vec![&mut fresh.false_positives],
            ConfusionKind::FalseNegatives => vec![&mut fresh.false_negatives],
            ConfusionKind::Precision => vec![&mut fresh.true_positives, &mut fresh.false_positives],
            ConfusionKind::Recall => vec![&mut fresh.true_positives, &mut fresh.false_negatives],
        };
        for (target, value) in targets.into_iter().zip(values) {
            target.clone_from(value);
        }
        *state = fresh;
        Ok(())
    }

    /// Refuses merging states of metrics that count differently.
    pub fn check_mergeable(&self, other: &ConfusionMetric) -> CoreResult<()> {
        if self == other {
            Ok(())
        } else {
            Err(CoreError::value(format!(
                "cannot merge metrics with different configurations: {:?} (thresholds {:?}, \
                 top_k {:?}, class_id {:?}, dtype {}) and {:?} (thresholds {:?}, top_k {:?}, \
                 class_id {:?}, dtype {})",
                self.kind,
                self.thresholds.values(),
                self.top_k,
                self.class_id,
                self.dtype.name(),
                other.kind,
                other.thresholds.values(),
                other.top_k,
                other.class_id,
                other.dtype.name()
            )))
        }
    }

    /// The result per threshold in the caller's order, computed in the metric
    /// dtype after casting the state to it (as Keras reads its variables).
    pub fn result_f32(&self, state: &ConfusionState) -> Vec<f32> {
        self.result_in(state, |v| v as f32)
    }

    pub fn result_f64(&self, state: &ConfusionState) -> Vec<f64> {
        self.result_in(state, |v| v)
    }

    fn result_in<C>(&self, state: &ConfusionState, cast: impl Fn(f64) -> C) -> Vec<C>
    where
        C: Copy + PartialEq + Default + std::ops::Add<Output = C> + std::ops::Div<Output = C>,
    {
        let ratio = |num: &[f64], other: &[f64]| -> Vec<C> {
            num.iter()
                .zip(other)
                .map(|(&a, &b)| divide_no_nan(cast(a), cast(a) + cast(b)))
                .collect()
        };
        match self.kind {
            ConfusionKind::Precision => ratio(&state.true_positives, &state.false_positives),
            ConfusionKind::Recall => ratio(&state.true_positives, &state.false_negatives),
            kind => kind.variable_arrays(state)[0]
                .iter()
                .map(|&v| cast(v))
                .collect(),
        }
    }
}

/// `a / b`, and 0 where `b == 0` (Keras's `divide_no_nan`).
pub fn divide_no_nan<C>(a: C, b: C) -> C
where
    C: Copy + PartialEq + Default + std::ops::Div<Output = C>,
{
    if b == C::default() {
        C::default()
    } else {
        a / b
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::{Labels, Layout, Predictions, WeightView};

    fn update(metric: &ConfusionMetric, state: &mut ConfusionState, y: &[f32], p: &[f32]) {
        let layout = Layout::align(&[y.len()], &[p.len()], metric.one_row()).unwrap();
        let batch = Batch::new(
            Labels::F32(y),
            Predictions::F32(p),
            WeightView::None,
            layout,
        )
        .unwrap();
        let hist = metric.count(&batch).unwrap();
        metric.add(state, &hist);
    }

    #[test]
    fn keras_precision_doc_example() {
        let m = ConfusionMetric::new(
            ConfusionKind::Precision,
            None,
            None,
            None,
            MetricDtype::Float32,
        )
        .unwrap();
        let mut s = m.new_state();
        update(&m, &mut s, &[0., 1., 1., 1.], &[1., 0., 1., 1.]);
        assert_eq!(m.result_f32(&s), vec![2.0f32 / 3.0]);
    }

    #[test]
    fn user_order_and_duplicates_are_kept() {
        let m = ConfusionMetric::new(
            ConfusionKind::TruePositives,
            Some(vec![0.9, 0.1, 0.9]),
            None,
            None,
            MetricDtype::Float32,
        )
        .unwrap();
        let mut s = m.new_state();
        update(&m, &mut s, &[1., 1., 1., 0.], &[0.95, 0.5, 0.05, 0.99]);
        assert_eq!(s.true_positives, vec![1.0, 2.0, 1.0]);
        assert_eq!(s.false_negatives, vec![2.0, 1.0, 2.0]);
        assert_eq!(s.false_positives, vec![1.0, 1.0, 1.0]);
        assert_eq!(s.true_negatives, vec![0.0, 0.0, 0.0]);
    }

    #[test]
    fn precision_top_k_doc_examples() {
        let m = ConfusionMetric::new(
            ConfusionKind::Precision,
            None,
            Some(2),
            None,
            MetricDtype::Float32,
        )
        .unwrap();
        let mut s = m.new_state();
        update(&m, &mut s, &[0., 0., 1., 1.], &[1., 1., 1., 1.]);
        assert_eq!(m.result_f32(&s), vec![0.0]);
        let m = ConfusionMetric::new(
            ConfusionKind::Precision,
            None,
            Some(4),
            None,
            MetricDtype::Float32,
        )
        .unwrap();
        let mut s = m.new_state();
        update(&m, &mut s, &[0., 0., 1., 1.], &[1., 1., 1., 1.]);
        assert_eq!(m.result_f32(&s), vec![0.5]);
    }

    #[test]
    fn constructor_refuses_bad_arguments() {
        let new = |t: Option<Vec<f64>>, k, c| {
            ConfusionMetric::new(ConfusionKind::Recall, t, k, c, MetricDtype::Float32)
        };
        assert!(new(Some(vec![1.5]), None, None).is_err());
        assert!(new(None, Some(0), None).is_err());
        assert!(new(None, None, Some(-1)).is_err());
        assert!(new(None, Some(3), Some(1)).is_ok());
    }

    #[test]
    fn merge_adds_and_checks_compatibility() {
        let m = ConfusionMetric::new(
            ConfusionKind::Recall,
            None,
            None,
            None,
            MetricDtype::Float32,
        )
        .unwrap();
        let mut a = m.new_state();
        let mut b = m.new_state();
        update(&m, &mut a, &[1., 0.], &[0.9, 0.2]);
        update(&m, &mut b, &[1.], &[0.1]);
        a.merge(&b);
        assert_eq!(a.true_positives, vec![1.0]);
        assert_eq!(a.false_negatives, vec![1.0]);
        let other = ConfusionMetric::new(
            ConfusionKind::Recall,
            Some(vec![0.3]),
            None,
            None,
            MetricDtype::Float32,
        )
        .unwrap();
        assert!(m.check_mergeable(&other).is_err());
    }
}
