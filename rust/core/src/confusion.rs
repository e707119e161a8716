//! Precision, Recall and the four counts: configuration, counting and results.

use crate::batch::{Batch, Columns};
use crate::confusion_state::ConfusionState;
use crate::count::count;
use crate::dtype::MetricDtype;
use crate::error::{CoreError, CoreResult};
use crate::float::{dnn, Float};
use crate::group_kernel::{self, SlotCounts, Slots};
use crate::histogram::Histogram;
use crate::metric::{bad_checkpoint, InputShapes, Metric, SavedArray, Variable};
use crate::plan::{parse_class_id, CountPlan};
use crate::thresholds::{check_thresholds_in_unit_range, ThresholdSet, NEG_INF};
use crate::validate::Domain;

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

/// Positions in [`ConfusionState::arrays`].
const TP: usize = 0;
const FP: usize = 1;
const TN: usize = 2;
const FN: usize = 3;

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

    /// Keras's variables, in Keras's order: name and position in the state.
    fn variables(self) -> &'static [(&'static str, usize)] {
        match self {
            ConfusionKind::TruePositives => &[("accumulator", TP)],
            ConfusionKind::FalsePositives => &[("accumulator", FP)],
            ConfusionKind::TrueNegatives => &[("accumulator", TN)],
            ConfusionKind::FalseNegatives => &[("accumulator", FN)],
            ConfusionKind::Precision => &[("true_positives", TP), ("false_positives", FP)],
            ConfusionKind::Recall => &[("true_positives", TP), ("false_negatives", FN)],
        }
    }
}

/// The immutable part of a Precision/Recall/count metric.
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
        let class_id = class_id.map(parse_class_id).transpose()?;
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
}

impl ConfusionMetric {
    /// How this metric counts a batch.
    fn plan(&self) -> CountPlan<'_> {
        CountPlan {
            thresholds: &self.thresholds,
            dtype: self.dtype,
            columns: self.class_id.map_or(Columns::All, Columns::One),
            top_k: self.top_k,
            per_column: false,
            column_weights: None,
            domain: Domain::Finite,
        }
    }
}

impl Metric for ConfusionMetric {
    type State = ConfusionState;
    type Counts = Histogram;
    type Width = ();

    fn dtype(&self) -> MetricDtype {
        self.dtype
    }

    fn new_state(&self) -> ConfusionState {
        ConfusionState::zeros(self.thresholds.len(), 1)
    }

    fn width(&self, _: &ConfusionState) {}

    fn one_row(&self) -> bool {
        self.top_k.is_some()
    }

    fn count(&self, batch: &Batch, _: InputShapes, _: ()) -> CoreResult<Histogram> {
        count(batch, &self.plan())
    }

    fn count_slots(
        &self,
        batch: &Batch,
        _: InputShapes,
        slots: Slots,
    ) -> Option<CoreResult<SlotCounts<Histogram>>> {
        group_kernel::count_slots(batch, &self.plan(), slots)
    }

    fn add(&self, state: &mut ConfusionState, hist: Histogram) -> CoreResult<()> {
        state.add_histogram(&hist, &self.thresholds);
        Ok(())
    }

    fn check_mergeable(&self, other: &Self) -> CoreResult<()> {
        if self == other {
            return Ok(());
        }
        let describe = |m: &Self| {
            format!(
                "{:?} (thresholds {:?}, top_k {:?}, class_id {:?}, dtype {})",
                m.kind,
                m.thresholds.values(),
                m.top_k,
                m.class_id,
                m.dtype.name()
            )
        };
        Err(CoreError::value(format!(
            "cannot merge metrics with different configurations: {} and {}",
            describe(self),
            describe(other)
        )))
    }

    fn merge(&self, state: &mut ConfusionState, other: &ConfusionState) -> CoreResult<()> {
        state.merge(other);
        Ok(())
    }

    fn reset(&self, state: &mut ConfusionState) {
        state.reset();
    }

    fn variables<'s>(&self, state: &'s ConfusionState) -> Vec<Variable<'s>> {
        let arrays = state.arrays();
        self.kind
            .variables()
            .iter()
            .map(|&(name, at)| Variable {
                name,
                shape: vec![self.thresholds.len()],
                values: arrays[at],
            })
            .collect()
    }

    fn saved_width(&self, _: &ConfusionState) -> Option<usize> {
        None
    }

    fn state_from(&self, _: Option<usize>, saved: &[SavedArray]) -> CoreResult<ConfusionState> {
        let variables = self.kind.variables();
        let t = self.thresholds.len();
        if saved.len() != variables.len() || saved.iter().any(|a| a.shape != [t]) {
            let names: Vec<&str> = variables.iter().map(|&(name, _)| name).collect();
            return Err(bad_checkpoint(
                &format!("{} of shape ({t},)", names.join(", ")),
                saved,
            ));
        }
        let mut state = self.new_state();
        let arrays = [
            &mut state.true_positives,
            &mut state.false_positives,
            &mut state.true_negatives,
            &mut state.false_negatives,
        ];
        for (&(_, at), array) in variables.iter().zip(saved) {
            arrays[at].clone_from(&array.values);
        }
        Ok(state)
    }

    /// Per threshold in the caller's order, computed in the metric dtype
    /// after casting the state to it (as Keras reads its variables).
    fn result<C: Float>(&self, state: &ConfusionState) -> Vec<C> {
        let arrays = state.arrays();
        let ratio = |num: &[f64], other: &[f64]| -> Vec<C> {
            num.iter()
                .zip(other)
                .map(|(&a, &b)| {
                    let a = C::from_f64(a);
                    dnn(a, a + C::from_f64(b))
                })
                .collect()
        };
        match self.kind {
            ConfusionKind::Precision => ratio(arrays[TP], arrays[FP]),
            ConfusionKind::Recall => ratio(arrays[TP], arrays[FN]),
            kind => {
                let (_, at) = kind.variables()[0];
                arrays[at].iter().map(|&v| C::from_f64(v)).collect()
            }
        }
    }

    fn scalar_result(&self) -> bool {
        self.thresholds.len() == 1
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
        let shapes = InputShapes {
            y_true: &[y.len()],
            y_pred: &[p.len()],
        };
        let hist = metric.count(&batch, shapes, ()).unwrap();
        metric.add(state, hist).unwrap();
    }

    fn metric(
        kind: ConfusionKind,
        thresholds: Option<Vec<f64>>,
        top_k: Option<i64>,
    ) -> ConfusionMetric {
        ConfusionMetric::new(kind, thresholds, top_k, None, MetricDtype::Float32).unwrap()
    }

    #[test]
    fn keras_precision_doc_example() {
        let m = metric(ConfusionKind::Precision, None, None);
        let mut s = m.new_state();
        update(&m, &mut s, &[0., 1., 1., 1.], &[1., 0., 1., 1.]);
        assert_eq!(m.result::<f32>(&s), vec![2.0f32 / 3.0]);
    }

    #[test]
    fn user_order_and_duplicates_are_kept() {
        let m = metric(
            ConfusionKind::TruePositives,
            Some(vec![0.9, 0.1, 0.9]),
            None,
        );
        let mut s = m.new_state();
        update(&m, &mut s, &[1., 1., 1., 0.], &[0.95, 0.5, 0.05, 0.99]);
        assert_eq!(s.true_positives, vec![1.0, 2.0, 1.0]);
        assert_eq!(s.false_negatives, vec![2.0, 1.0, 2.0]);
        assert_eq!(s.false_positives, vec![1.0, 1.0, 1.0]);
        assert_eq!(s.true_negatives, vec![0.0, 0.0, 0.0]);
    }

    #[test]
    fn precision_top_k_doc_examples() {
        for (k, want) in [(2, 0.0f32), (4, 0.5)] {
            let m = metric(ConfusionKind::Precision, None, Some(k));
            let mut s = m.new_state();
            update(&m, &mut s, &[0., 0., 1., 1.], &[1., 1., 1., 1.]);
            assert_eq!(m.result::<f32>(&s), vec![want]);
        }
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
        let m = metric(ConfusionKind::Recall, None, None);
        let mut a = m.new_state();
        let mut b = m.new_state();
        update(&m, &mut a, &[1., 0.], &[0.9, 0.2]);
        update(&m, &mut b, &[1.], &[0.1]);
        m.merge(&mut a, &b).unwrap();
        assert_eq!(a.true_positives, vec![1.0]);
        assert_eq!(a.false_negatives, vec![1.0]);
        let other = metric(ConfusionKind::Recall, Some(vec![0.3]), None);
        assert!(m.check_mergeable(&other).is_err());
    }

    #[test]
    fn saved_variables_load_back_and_bad_ones_are_refused() {
        use crate::metric::SavedState;
        let m = metric(ConfusionKind::Precision, Some(vec![0.2, 0.6]), None);
        let mut s = m.new_state();
        update(&m, &mut s, &[1., 0., 1.], &[0.9, 0.4, 0.3]);
        let saved = |values: [Vec<f64>; 2], format| SavedState {
            format,
            width: None,
            variables: values
                .into_iter()
                .map(|values| SavedArray {
                    shape: vec![values.len()],
                    values,
                })
                .collect(),
        };
        let good = [s.true_positives.clone(), s.false_positives.clone()];
        let loaded = m.load(&saved(good.clone(), 1)).unwrap();
        assert_eq!(m.result::<f32>(&loaded), m.result::<f32>(&s));
        assert!(m.load(&saved(good.clone(), 0)).is_ok(), "format 0 loads");
        let newer = m.load(&saved(good, 2)).unwrap_err();
        assert!(newer.message().contains("newer"), "{newer}");
        let nan = m
            .load(&saved([vec![1.0, f64::NAN], vec![0.0, 0.0]], 1))
            .unwrap_err();
        assert!(
            nan.message().contains("`true_positives` holds nan"),
            "{nan}"
        );
        let short = m.load(&saved([vec![1.0], vec![0.0]], 1)).unwrap_err();
        assert!(short.message().contains("shape (2,)"), "{short}");
    }
}
