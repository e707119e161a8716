//! The best value of one rate subject to a floor on another:
//! SensitivityAtSpecificity, SpecificityAtSensitivity, PrecisionAtRecall and
//! RecallAtPrecision (Keras's `SensitivitySpecificityBase` family).

use crate::batch::{Batch, Columns};
use crate::confusion_state::{ConfusionState, MAX_STATE_ELEMENTS};
use crate::count::count;
use crate::dtype::{MetricDtype, Values};
use crate::error::{CoreError, CoreResult};
use crate::float::{dnn, Float};
use crate::group_kernel::{self, SlotCounts, Slots};
use crate::histogram::Histogram;
use crate::metric::{bad_checkpoint, InputShapes, Metric, SavedArray, Variable};
use crate::plan::{parse_class_id, CountPlan};
use crate::thresholds::{py_float, ThresholdSet};
use crate::validate::Domain;

/// Which rate is constrained and which is maximised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperatingKind {
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
    PrecisionAtRecall,
    RecallAtPrecision,
}

impl OperatingKind {
    pub fn parse(name: &str) -> CoreResult<Self> {
        Ok(match name {
            "SensitivityAtSpecificity" => OperatingKind::SensitivityAtSpecificity,
            "SpecificityAtSensitivity" => OperatingKind::SpecificityAtSensitivity,
            "PrecisionAtRecall" => OperatingKind::PrecisionAtRecall,
            "RecallAtPrecision" => OperatingKind::RecallAtPrecision,
            other => return Err(CoreError::value(format!("unknown metric kind {other:?}"))),
        })
    }

    /// The constructor argument holding the constraint's floor.
    pub fn value_name(self) -> &'static str {
        match self {
            OperatingKind::SensitivityAtSpecificity => "specificity",
            OperatingKind::SpecificityAtSensitivity => "sensitivity",
            OperatingKind::PrecisionAtRecall => "recall",
            OperatingKind::RecallAtPrecision => "precision",
        }
    }
}

/// The immutable part of an operating-point metric.
#[derive(Debug, Clone, PartialEq)]
pub struct OperatingPointMetric {
    pub kind: OperatingKind,
    /// The floor on the constrained rate, in [0, 1].
    pub value: f64,
    pub thresholds: ThresholdSet,
    pub class_id: Option<usize>,
    pub dtype: MetricDtype,
    /// Refuse predictions outside [0, 1].
    pub check_range: bool,
}

/// The reported value and the index of the threshold reaching it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OperatingPoint<C> {
    pub value: C,
    pub threshold: Option<usize>,
}

impl OperatingPointMetric {
    /// Keras's rules: the floor in [0, 1], `num_thresholds > 0`; one threshold
    /// is 0.5, more are `[0, 1/(T-1), ..., 1]` counted on the even path
    /// without epsilon (a prediction of 0 is never positive).
    pub fn new(
        kind: OperatingKind,
        value: f64,
        num_thresholds: i64,
        class_id: Option<i64>,
        dtype: MetricDtype,
    ) -> CoreResult<Self> {
        if !(0.0..=1.0).contains(&value) {
            let name = kind.value_name();
            return Err(CoreError::value(format!(
                "Argument `{name}` must be in the range [0, 1]. Received: {name}={}",
                py_float(value)
            )));
        }
        if num_thresholds <= 0 {
            return Err(CoreError::value(format!(
                "Argument `num_thresholds` must be an integer > 0. Received: \
                 num_thresholds={num_thresholds}"
            )));
        }
        let t = usize::try_from(num_thresholds).unwrap_or(usize::MAX);
        if t > MAX_STATE_ELEMENTS {
            return Err(CoreError::value(format!(
                "Argument `num_thresholds` is too large: {t} exceeds the supported \
                 {MAX_STATE_ELEMENTS}"
            )));
        }
        let class_id = class_id.map(parse_class_id).transpose()?;
        let thresholds = if t == 1 {
            ThresholdSet::with_path(vec![0.5], false)
        } else {
            let denominator = (t - 1) as f64;
            let mut values = Vec::with_capacity(t);
            values.push(0.0);
            values.extend((0..t - 2).map(|i| (i + 1) as f64 / denominator));
            values.push(1.0);
            ThresholdSet::with_path(values, true)
        };
        Ok(OperatingPointMetric {
            kind,
            value,
            thresholds,
            class_id,
            dtype,
            check_range: true,
        })
    }

    /// Predictions outside [0, 1] taken as Keras takes them (clipped by the
    /// even path; `[0.5]` compares them as given) instead of refused.
    pub fn accepting_any_range(mut self) -> Self {
        self.check_range = false;
        self
    }

    /// The largest dependent rate over the thresholds whose constrained rate
    /// is at least the floor (compared in the metric dtype), 0 if none is.
    /// Among thresholds reaching it, the one with the highest constrained
    /// rate, then the lowest threshold.
    pub fn operating_point<C: Float>(&self, state: &ConfusionState) -> OperatingPoint<C> {
        let floor = C::from_f64(self.value);
        let mut best: Option<(usize, C, C)> = None;
        for i in 0..self.thresholds.len() {
            let (constrained, dependent) = self.rates::<C>(state, i);
            // NaN is impossible here (divide_no_nan of finite counts).
            if constrained < floor {
                continue;
            }
            let better = match best {
                None => true,
                Some((_, d, c)) => dependent > d || (dependent == d && constrained > c),
            };
            if better {
                best = Some((i, dependent, constrained));
            }
        }
        match best {
            Some((i, dependent, _)) => OperatingPoint {
                value: dependent,
                threshold: Some(i),
            },
            None => OperatingPoint {
                value: C::ZERO,
                threshold: None,
            },
        }
    }

    /// `(constrained, dependent)` rates at threshold `i`, in the metric dtype.
    fn rates<C: Float>(&self, s: &ConfusionState, i: usize) -> (C, C) {
        let [tp, fp, tn, fn_] = s.arrays().map(|values| C::from_f64(values[i]));
        let recall = dnn(tp, tp + fn_);
        let specificity = dnn(tn, tn + fp);
        let precision = dnn(tp, tp + fp);
        match self.kind {
            OperatingKind::SensitivityAtSpecificity => (specificity, recall),
            OperatingKind::SpecificityAtSensitivity => (recall, specificity),
            OperatingKind::PrecisionAtRecall => (recall, precision),
            OperatingKind::RecallAtPrecision => (precision, recall),
        }
    }

    /// `(value, threshold)`: the result in the metric dtype, and the
    /// threshold reaching it (`None` when no threshold qualifies).
    pub fn operating_point_values(&self, state: &ConfusionState) -> (Values, Option<f64>) {
        let threshold = |index: Option<usize>| index.map(|i| self.thresholds.values()[i]);
        match self.dtype {
            MetricDtype::Float32 => {
                let point = self.operating_point::<f32>(state);
                (Values::F32(vec![point.value]), threshold(point.threshold))
            }
            MetricDtype::Float64 => {
                let point = self.operating_point::<f64>(state);
                (Values::F64(vec![point.value]), threshold(point.threshold))
            }
        }
    }
}

impl OperatingPointMetric {
    /// How this metric counts a batch.
    fn plan(&self) -> CountPlan<'_> {
        CountPlan {
            thresholds: &self.thresholds,
            dtype: self.dtype,
            columns: self.class_id.map_or(Columns::All, Columns::One),
            top_k: None,
            per_column: false,
            column_weights: None,
            // No `from_logits` here: the error advises only a sigmoid.
            domain: if self.check_range {
                Domain::UnitInterval {
                    offers_logits: false,
                }
            } else {
                Domain::Finite
            },
        }
    }
}

impl Metric for OperatingPointMetric {
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
                "{:?} ({}={}, {} thresholds, class_id {:?}, dtype {})",
                m.kind,
                m.kind.value_name(),
                py_float(m.value),
                m.thresholds.len(),
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
        state.variables(&[self.thresholds.len()])
    }

    fn saved_width(&self, _: &ConfusionState) -> Option<usize> {
        None
    }

    fn state_from(&self, _: Option<usize>, saved: &[SavedArray]) -> CoreResult<ConfusionState> {
        let t = self.thresholds.len();
        if saved.len() != 4 || saved.iter().any(|a| a.shape != [t]) {
            return Err(bad_checkpoint(
                &format!("4 variables of shape ({t},)"),
                saved,
            ));
        }
        Ok(ConfusionState::from_saved(1, saved))
    }

    fn result<C: Float>(&self, state: &ConfusionState) -> Vec<C> {
        vec![self.operating_point::<C>(state).value]
    }

    fn scalar_result(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::{Labels, Layout, Predictions, WeightView};

    fn run(m: &OperatingPointMetric, y: &[f32], p: &[f32]) -> ConfusionState {
        let layout = Layout::align(&[y.len()], &[p.len()], false).unwrap();
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
        let mut state = m.new_state();
        m.add(&mut state, m.count(&batch, shapes, ()).unwrap())
            .unwrap();
        state
    }

    #[test]
    fn keras_doc_examples() {
        let y = [0., 0., 0., 1., 1.];
        let p = [0., 0.3, 0.8, 0.3, 0.8];
        let m = OperatingPointMetric::new(
            OperatingKind::SensitivityAtSpecificity,
            0.5,
            200,
            None,
            MetricDtype::Float32,
        )
        .unwrap();
        assert_eq!(m.operating_point::<f32>(&run(&m, &y, &p)).value, 0.5);
        let m = OperatingPointMetric::new(
            OperatingKind::RecallAtPrecision,
            0.8,
            200,
            None,
            MetricDtype::Float32,
        )
        .unwrap();
        let y = [0., 0., 1., 1.];
        let p = [0., 0.5, 0.3, 0.9];
        let point = m.operating_point::<f32>(&run(&m, &y, &p));
        assert_eq!(point.value, 0.5);
        // Recall 0.5 at precision 1 holds from threshold 0.5 up to below 0.9.
        let t = m.thresholds.values()[point.threshold.unwrap()];
        assert!((0.5..0.9).contains(&t), "{t}");
    }

    #[test]
    fn nothing_qualifies() {
        let m = OperatingPointMetric::new(
            OperatingKind::PrecisionAtRecall,
            1.0,
            1,
            None,
            MetricDtype::Float32,
        )
        .unwrap();
        let point = m.operating_point::<f32>(&run(&m, &[1., 1.], &[0.2, 0.7]));
        assert_eq!(
            point,
            OperatingPoint {
                value: 0.0,
                threshold: None
            }
        );
    }

    #[test]
    fn constructor_messages() {
        let err = OperatingPointMetric::new(
            OperatingKind::SensitivityAtSpecificity,
            1.5,
            200,
            None,
            MetricDtype::Float32,
        )
        .unwrap_err();
        assert_eq!(
            err.message(),
            "Argument `specificity` must be in the range [0, 1]. Received: specificity=1.5"
        );
        let err = OperatingPointMetric::new(
            OperatingKind::RecallAtPrecision,
            0.5,
            0,
            None,
            MetricDtype::Float32,
        )
        .unwrap_err();
        assert_eq!(
            err.message(),
            "Argument `num_thresholds` must be an integer > 0. Received: num_thresholds=0"
        );
    }
}
